// Both bundled themes, checked in headless Chromium on the sample site (content/ of this repo):
// valid HTML (Nu checker), no axe-core violations on the main kinds of page in light and dark,
// no sideways scrolling at 390 and 1440 px (screenshots kept under artifacts/), the dark-mode
// toggle, and Lighthouse scores of at least 95 on a session page (mobile preset).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokenWords, hugi, launch, repo, scrollsSideways, serve } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const vnu = require.resolve('vnu-jar/build/dist/vnu.jar');
const shots = join(repo, 'tests', 'browser', 'artifacts');
const THEMES = ['default', 'paper'];
// Every kind of page the site has.
const PAGES = {
  home: '',
  event: 'pycon-korea-2024/',
  session: 'pycon-korea-2024/django-orm-쿼리셋-제대로-쓰기/',
  related: 'pycon-korea-2024/fastapi-비동기-서비스-운영기/',
  markdown: 'rustconf-korea-2025/러스트-웹-서비스-운영-사례/',
  tags: 'tags/',
  tag: 'tags/django/',
  speakers: 'speakers/',
  speaker: 'speakers/한비동/',
  events: 'events/',
  search: 'search/?q=%ED%83%80%EC%9E%85',
  missing: '404.html',
};

const sites = {};
let browser;

before(async () => {
  browser = await launch();
  mkdirSync(shots, { recursive: true });
  for (const theme of THEMES) {
    const out = mkdtempSync(join(tmpdir(), `hugi-theme-${theme}-`));
    execFileSync(hugi, ['build', '--root', repo, '--output', join(out, 'public'), '--theme', theme], { stdio: 'pipe' });
    sites[theme] = { dir: join(out, 'public'), server: await serve(join(out, 'public')) };
  }
});

after(async () => {
  await browser?.close();
  for (const site of Object.values(sites)) site.server.close();
});

for (const theme of THEMES) {
  test(`${theme}: every page passes the Nu HTML checker`, () => {
    const result = spawnSync('java', ['-jar', vnu, '--errors-only', '--skip-non-html', '--format', 'gnu', sites[theme].dir], { encoding: 'utf8' });
    assert.equal(result.stderr.trim(), '');
    assert.equal(result.status, 0);
  });

  test(`${theme}: no axe-core violations, light and dark`, async () => {
    const problems = [];
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      for (const [kind, path] of Object.entries(PAGES)) {
        await page.goto(sites[theme].server.url + path);
        if (kind === 'search') await page.locator('.search-page-results li').first().waitFor({ timeout: 10000 });
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(() => window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        }));
        for (const v of result.violations) {
          problems.push(`${scheme} ${kind}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target}`);
        }
      }
      await context.close();
    }
    assert.deepEqual(problems, []);
  });

  test(`${theme}: no sideways scrolling at 390 and 1440 px`, async () => {
    for (const width of [390, 1440]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      for (const [kind, path] of Object.entries(PAGES)) {
        await page.goto(sites[theme].server.url + path);
        assert.equal(await scrollsSideways(page), false, `${kind} at ${width}px`);
        await page.screenshot({ path: join(shots, `${theme}-${kind}-${width}.png`), fullPage: kind !== 'home' });
      }
      await page.close();
    }
  });

  test(`${theme}: the theme draws no emoji (a machine without a colour-emoji font shows boxes)`, async () => {
    const page = await browser.newPage();
    for (const [kind, path] of Object.entries(PAGES)) {
      await page.goto(sites[theme].server.url + path);
      const emoji = await page.evaluate(() => Array.from(document.querySelectorAll('body *')).flatMap((e) =>
        ['::before', '::after'].map((pseudo) => getComputedStyle(e, pseudo).content))
        // A symbol followed by U+FE0E asks for its text form, which text fonts draw.
        .filter((content) => /\p{Extended_Pictographic}/u.test(content.replace(/\p{Extended_Pictographic}\uFE0E/gu, ''))));
      assert.deepEqual(emoji, [], kind);
    }
    await page.close();
  });

  test(`${theme}: a long table of contents scrolls instead of filling the screen, words whole`, async () => {
    const url = sites[theme].server.url + 'pycon-korea-2024/대규모-크롤러를-asyncio로-다시-짜며-배운-열두-가지/';
    for (const [width, height] of [[390, 800], [1440, 700]]) {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(url);
      const toc = await page.locator('.toc').evaluate((t) => {
        const box = t.getBoundingClientRect();
        const list = t.querySelector('ol');
        return { top: box.top, bottom: box.bottom, height: box.height, items: list.children.length, scrolls: list.scrollHeight > list.clientHeight };
      });
      assert.ok(toc.items >= 12, `${width}px: ${toc.items} entries`);
      assert.deepEqual(await brokenWords(page, '.toc a'), [], `${width}px`);
      if (width < 600) {
        assert.ok(toc.scrolls, `${width}px: the list scrolls`);
        assert.ok(toc.height <= height * 0.5, `${width}px: the outline takes ${toc.height}px of ${height}`);
      } else {
        // The outline fits the window; one that stays in view while the page scrolls (sticky)
        // still fits, whole, halfway through the notes it outlines.
        assert.ok(toc.height <= height, `${width}px: the outline is ${toc.height}px high`);
        if (await page.locator('.toc').evaluate((t) => getComputedStyle(t).position === 'sticky')) {
          await page.evaluate(() => {
            const notes = document.querySelector('.session-layout').getBoundingClientRect();
            window.scrollTo(0, scrollY + notes.top + notes.height / 2 - innerHeight / 2);
          });
          const box = await page.locator('.toc').evaluate((t) => t.getBoundingClientRect().toJSON());
          assert.ok(box.top >= 0 && box.bottom <= height, `${width}px: ${JSON.stringify(box)}`);
        }
      }
      await page.close();
    }
  });

  test(`${theme}: the search box's results stay inside the screen at 390 and 1440 px`, async () => {
    for (const width of [390, 1440]) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      await page.goto(sites[theme].server.url);
      await page.fill('#search-input', 'Django');
      const list = page.locator('#search-results');
      await list.locator('[role="option"]').first().waitFor({ timeout: 10000 });
      const box = await list.evaluate((l) => { const r = l.getBoundingClientRect(); return { left: r.left, right: r.right, view: document.documentElement.clientWidth }; });
      assert.ok(box.left >= 0 && box.right <= box.view, `${width}px: ${JSON.stringify(box)}`);
      await page.screenshot({ path: join(shots, `${theme}-search-box-${width}.png`) });
      await page.close();
    }
  });
}

test('the dark-mode toggle follows the system until chosen, and is remembered', async () => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto(sites.default.server.url);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(await background(), 'rgb(22, 24, 27)', 'dark by system preference');
  await page.click('[data-theme-toggle]');
  assert.equal(await background(), 'rgb(253, 253, 252)', 'light after the toggle');
  await page.goto(`${sites.default.server.url}tags/`);
  assert.equal(await background(), 'rgb(253, 253, 252)', 'remembered on the next page');
  await context.close();
});

test('code blocks get a copy button', async () => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto(`${sites.default.server.url}pycon-korea-2024/파이썬으로-만드는-음성인식-파이프라인/`);
  await page.click('.code-frame .copy-code');
  await page.locator('.code-frame .copy-code', { hasText: '복사됨' }).waitFor({ timeout: 5000 });
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /import soundfile as sf/);
  await context.close();
});

for (const theme of THEMES) {
  test(`${theme}: Lighthouse scores at least 95 on a session page (mobile)`, async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'hugi-lh-')), 'report.json');
    const url = sites[theme].server.url + encodeURI(PAGES.session);
    // Asynchronous: the page is served from this very process.
    await promisify(execFile)(join(repo, 'tests', 'browser', 'node_modules', '.bin', 'lighthouse'), [url, '--quiet',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run',
      '--output=json', `--output-path=${report}`], { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' }, timeout: 120000 });
    const categories = JSON.parse(readFileSync(report, 'utf8')).categories;
    const scores = Object.fromEntries(Object.entries(categories).map(([k, v]) => [k, Math.round(v.score * 100)]));
    writeFileSync(join(shots, `lighthouse-${theme}.json`), JSON.stringify(scores));
    console.log(`lighthouse ${theme}: ${JSON.stringify(scores)}`);
    for (const [name, score] of Object.entries(scores)) assert.ok(score >= 95, `${name} ${score}`);
  });
}
