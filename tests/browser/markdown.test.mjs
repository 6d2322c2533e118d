// Markdown as readers see it, in headless Chromium on the sample site with both themes: a wide
// table at 360 px keeps its words whole and scrolls in its own box with a cue, GitHub alerts
// have titles and colours in light and dark, images carry their size and load lazily after the
// first, Korean emphasis is never slanted, a fence of Korean prose wraps while code scrolls,
// the copy button never covers code, and bare addresses are links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokenWords, hugi, launch, repo, scrollsSideways, serve } from './harness.mjs';

const THEMES = ['default', 'paper'];
const SESSION = 'rustconf-korea-2025/러스트-웹-서비스-운영-사례/';
const sites = {};
let browser;

before(async () => {
  browser = await launch();
  for (const theme of THEMES) {
    const out = mkdtempSync(join(tmpdir(), `hugi-markdown-${theme}-`));
    execFileSync(hugi, ['build', '--root', repo, '--output', join(out, 'public'), '--theme', theme], { stdio: 'pipe' });
    sites[theme] = await serve(join(out, 'public'));
  }
});

after(async () => {
  await browser?.close();
  for (const server of Object.values(sites)) server.close();
});

for (const theme of THEMES) {
  test(`${theme}: a wide table at 360 px keeps words whole and scrolls in its own box`, async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    await page.goto(sites[theme].url + SESSION);
    assert.equal(await scrollsSideways(page), false, 'the page itself does not scroll sideways');
    assert.deepEqual(await brokenWords(page, '.prose td, .prose th'), []);
    const box = page.locator('.table-scroll').first();
    const sizes = await box.evaluate((b) => ({ scroll: b.scrollWidth, client: b.clientWidth }));
    assert.ok(sizes.scroll > sizes.client, `the table is wider than its box: ${JSON.stringify(sizes)}`);
    // The cue: the hidden edge is faded, and the box is a named region keyboards can scroll.
    assert.equal(await box.getAttribute('data-overflow'), 'end');
    assert.notEqual(await box.evaluate((b) => getComputedStyle(b).maskImage), 'none');
    assert.equal(await box.getAttribute('tabindex'), '0');
    assert.match(await box.getAttribute('aria-label'), /옆으로/);
    await box.evaluate((b) => { b.scrollLeft = b.scrollWidth; });
    await page.waitForFunction(() => document.querySelector('.table-scroll').dataset.overflow === 'start');
    // At desktop width the same table fits: no cue, no extra tab stop.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForFunction(() => !document.querySelector('.table-scroll').dataset.overflow);
    assert.equal(await box.getAttribute('tabindex'), null);
    await page.close();
  });

  test(`${theme}: alerts have Korean titles and their own colours, light and dark`, async () => {
    const colours = {};
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(sites[theme].url + SESSION);
      const alerts = await page.locator('.alert').evaluateAll((all) => all.map((a) => ({
        kind: a.className, role: a.getAttribute('role'),
        title: a.querySelector('.alert-title').textContent,
        text: a.textContent,
        rule: getComputedStyle(a).borderLeftColor,
        quote: a.closest('blockquote') !== null,
      })));
      assert.deepEqual(alerts.map((a) => [a.kind, a.role, a.title]), [
        ['alert alert-note', 'note', '참고'],
        ['alert alert-warning', 'note', '경고'],
      ]);
      assert.ok(!alerts[0].text.includes('[!NOTE]'), 'the marker is not shown');
      assert.notEqual(alerts[0].rule, alerts[1].rule, 'each kind has its colour');
      colours[scheme] = alerts[0].rule;
      await context.close();
    }
    assert.notEqual(colours.light, colours.dark, 'dark mode has its own colours');
  });

  test(`${theme}: Korean emphasis is not slanted`, async () => {
    const page = await browser.newPage();
    await page.goto(sites[theme].url + SESSION);
    const em = await page.locator('.prose em', { hasText: '절대' }).evaluate((e) => {
      const style = getComputedStyle(e);
      return { fontStyle: style.fontStyle, emphasis: style.textEmphasisStyle, synthesis: style.fontSynthesisStyle };
    });
    assert.equal(em.fontStyle, 'normal');
    assert.notEqual(em.emphasis, 'none', 'emphasis dots mark it instead');
    assert.equal(em.synthesis, 'none', 'no faux italic anywhere in Korean text');
    await page.close();
  });
}

test('images have their size and load lazily after the first one of a page', async () => {
  const page = await browser.newPage();
  await page.goto(sites.default.url + SESSION);
  const img = page.locator('.prose img').first();
  await img.evaluate((i) => i.decode());
  const seen = await img.evaluate((i) => ({
    width: i.getAttribute('width'), height: i.getAttribute('height'),
    loaded: i.complete && i.naturalWidth > 0, loading: i.getAttribute('loading'),
    ratio: i.getBoundingClientRect().width / i.getBoundingClientRect().height,
  }));
  assert.deepEqual([seen.width, seen.height], ['640', '360']);
  assert.ok(seen.loaded);
  assert.equal(seen.loading, null, 'the first image of the page loads at once');
  assert.ok(Math.abs(seen.ratio - 640 / 360) < 0.02, `drawn at its own ratio: ${seen.ratio}`);
  await page.close();
});

test('a fence of Korean prose wraps, code scrolls, its language is named, and neither button nor label covers it', async () => {
  const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
  for (const theme of THEMES) {
    await page.goto(sites[theme].url + SESSION);
    const prose = page.locator('pre.code.prose');
    const wrap = await prose.evaluate((p) => ({
      space: getComputedStyle(p.querySelector('code')).whiteSpace,
      scroll: p.scrollWidth, client: p.clientWidth,
      lines: Math.round(p.querySelector('code').getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight)),
    }));
    assert.equal(wrap.space, 'pre-wrap', theme);
    assert.ok(wrap.scroll <= wrap.client, `${theme}: prose does not scroll sideways`);
    assert.ok(wrap.lines > 2, `${theme}: it wraps onto several lines`);
    await page.goto(sites[theme].url + 'rustconf-korea-2025/소유권을-그림으로-이해하기/');
    const code = page.locator('pre.code:not(.prose)').first();
    assert.equal(await code.evaluate((p) => getComputedStyle(p.querySelector('code')).whiteSpace), 'pre', theme);
    const { button, text } = await code.evaluate((p) => {
      const range = document.createRange();
      range.selectNodeContents(p.querySelector('code'));
      return {
        button: p.parentElement.querySelector('.copy-code').getBoundingClientRect().toJSON(),
        text: range.getClientRects()[0].toJSON(),
      };
    });
    assert.ok(button.bottom <= text.top + 1, `${theme}: the button sits above the first line`);
    // The fence's language is named above the code, also clear of the first line; a fence
    // without one gets no label.
    const label = await code.evaluate((p) => {
      const tag = p.parentElement.querySelector('.code-lang');
      const range = document.createRange();
      range.selectNodeContents(p.querySelector('code'));
      return tag && { text: tag.textContent, bottom: tag.getBoundingClientRect().bottom, top: range.getClientRects()[0].top };
    });
    assert.equal(label?.text, 'Rust', theme);
    assert.ok(label.bottom <= label.top + 1, `${theme}: the label sits above the first line`);
    await page.goto(sites[theme].url + SESSION);
    assert.equal(await page.locator('pre.code.prose').evaluate((p) => p.parentElement.querySelector('.code-lang')), null, theme);
  }
  await page.close();
});

test('bare addresses are links, without the particle after them', async () => {
  const page = await browser.newPage();
  await page.goto(sites.default.url + SESSION);
  const link = page.locator('.prose a[href="https://rustconf.kr/2025/slides/web-ops.pdf"]');
  assert.equal(await link.textContent(), 'https://rustconf.kr/2025/slides/web-ops.pdf');
  const after = await link.evaluate((a) => a.nextSibling.textContent);
  assert.match(after, /^에서 받을 수 있다/);
  await page.close();
});
