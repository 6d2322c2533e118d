// Layout on a site as long and varied as real notes (twelve events over three years, long
// Korean titles, long Latin tags, wide tables, long links, a video player pasted with its
// width), in both themes, on a 390 px phone and a 1440 px desktop: no page scrolls sideways,
// the home page stays short with one H1, a table of contents follows the reader, headings
// offer a copy-link button a finger can use, related sessions lead to other events, titles
// carrying their own numbers are not numbered again, no bare bullet shows, and the pager
// leaves no word alone on a line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSite, launch, serve, scrollsSideways } from './harness.mjs';

const LONG_TAG = 'KubernetesClusterAutoscalerOperatorPattern';
const TOPICS = ['파이썬', '러스트', '안드로이드', '데이터 엔지니어링'];

function event(n) {
  const year = 2022 + (n % 3);
  const month = String(1 + (n % 9)).padStart(2, '0');
  const lines = [`+++`, `title = "개발자 컨퍼런스 ${year} 제${n}회 참관 후기와 정리"`, `date = ${year}-${month}-1${n % 9}`,
    `tags = ["${TOPICS[n % 4]}", "${LONG_TAG}"]`, `+++`];
  for (let s = 1; s <= 5; s++) {
    lines.push(`## Session ${s}0${n % 10} : 대규모 서비스에서 ${TOPICS[(n + s) % 4]}로 안정적인 배포 파이프라인을 다시 설계하며 배운 교훈들 ${s}`);
    lines.push(`발표자: 김개발${s}, 이엔지니어${n}`);
    lines.push(`태그: 배포, 파이프라인${s}`);
    lines.push('- 핵심 요약 https://example.com/very/long/path/that/does/not/break/anywhere/because/it/is/one/word/' + 'x'.repeat(60));
    lines.push('- 측정 결과', '', '| 항목 | 이전 | 이후 | 비고 | 설명이 긴 열 | 또 다른 열 |', '|---|---|---|---|---|---|',
      '| 배포 시간 | 30분 | 5분 | 자동화 | 수동 승인 단계를 없애고 카나리 배포로 바꿈 | 측정은 한 달 평균 |', '');
    lines.push('```python', 'def deploy(service_name: str, version: str, *, canary_percentage: int = 5) -> DeploymentResult: ...', '```');
  }
  return lines.join('\n') + '\n';
}

const files = {
  'config.toml': 'title = "컨퍼런스 후기 모음"\ndescription = "한국 개발 컨퍼런스에서 들은 발표를 정리합니다"\n',
  'content/2024-12-01-long-session.md': [
    '# 긴 세션이 있는 행사 2024',
    '## Session 1 : 1. Android Security',
    '- 첫 번째',
    '',
    '<iframe width="774" height="486" src="about:blank" title="발표 영상"></iframe>',
    '',
    '-',
    '- 세 번째',
    ...Array.from({ length: 12 }, (_, i) => [`### ${i + 1}. 크롤러 교훈 ${i + 1}`, ...Array.from({ length: 8 }, (_, k) => `- 내용 ${i + 1}-${k + 1} 줄을 충분히 길게 적어 화면을 채운다`)]).flat(),
    '## Session 2 : 2. 다음 세션의 제목은 카드 폭을 넘길 만큼 충분히 길게 적어서 줄이 바뀌게 만든 발표',
    '태그: 배포',
    '- 내용',
  ].join('\n') + '\n',
};
for (let n = 1; n <= 12; n++) files[`content/${n}.md`] = event(n);
// Titles of every length from a few words to several lines: greedy line breaking leaves a word
// alone on the last line of some of them, at any width.
const WORDS = ['대규모', '서비스의', '배포를', '자동화하며', '겪은', '일', '그리고', '다시', '설계한', '이야기', '정리', '편'];
files['content/2023-01-01-pager.md'] = '# 제목 길이가 제각각인 행사 2023\n' +
  Array.from({ length: 16 }, (_, i) => `## Talk : ${Array.from({ length: 3 + i }, (_, k) => WORDS[(k * 5 + i) % WORDS.length]).join(' ')}\n- 노트\n`).join('');

let browser;
const sites = {};

before(async () => {
  browser = await launch();
  for (const theme of ['default', 'paper']) {
    const root = buildSite(files, ['--theme', theme]);
    sites[theme] = await serve(join(root, 'public'));
  }
});

after(async () => {
  await browser?.close();
  for (const site of Object.values(sites)) site.close();
});

/** The site's pages of every kind, found by following its own links. */
async function pagesOf(page, url) {
  await page.goto(url);
  const home = url;
  const first = async (selector) => page.locator(selector).first().getAttribute('href');
  const event = await first('.event-card h3 a');
  const session = await first('.event-card .session-list a');
  await page.goto(new URL('tags/', home).href);
  const tag = await first('.tag-list a, .tag-cloud a, main li a');
  await page.goto(new URL('speakers/', home).href);
  const speaker = await first('main li a');
  return [home, new URL('page/2/', home).href, new URL(event, home).href, new URL(session, home).href,
    new URL('tags/', home).href, new URL(tag, home).href, new URL('speakers/', home).href,
    new URL(speaker, home).href, new URL('events/', home).href, new URL('search/?q=파이썬', home).href,
    new URL('없는-페이지/', home).href];
}

for (const theme of ['default', 'paper']) {
  test(`${theme}: no page of any kind scrolls sideways at 390 or 1440 px`, async () => {
    for (const width of [390, 1440]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      for (const url of await pagesOf(page, sites[theme].url)) {
        await page.goto(url);
        await page.waitForLoadState('load');
        const wide = await page.evaluate(() => Array.from(document.querySelectorAll('body *'))
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table-scroll, pre, .code-frame, .toc ol'))
          .slice(0, 3).map((e) => `${e.tagName}.${e.className}: ${e.textContent.slice(0, 40)}`));
        assert.equal(await scrollsSideways(page), false, `${width}px ${decodeURIComponent(url)}: ${wide.join(' | ')}`);
      }
      await page.close();
    }
  });

  test(`${theme}: wide tables of one page are regions with names of their own`, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(`${sites[theme].url}1/`);
    const names = await page.locator('.table-scroll[role="region"]').evaluateAll((boxes) => boxes.map((b) => b.getAttribute('aria-label')));
    assert.ok(names.length >= 2, `${names.length} scrolling tables`);
    assert.equal(new Set(names).size, names.length, names.join(' | '));
    await page.close();
  });

  test(`${theme}: the home page shows ten events in year groups with one H1`, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(sites[theme].url);
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await page.locator('.event-card').count(), 10);
    assert.ok(await page.locator('.year-group h2').count() >= 2);
    for (const card of await page.locator('.event-card').all()) {
      assert.ok(await card.locator('.session-list li').count() <= 3);
    }
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height < 9000, `home is ${height} px tall on a phone`);
    await page.locator('.pager a.next').click();
    await page.waitForURL(/page\/2\//);
    assert.equal(await page.locator('.event-card').count(), 4, 'fourteen events: ten, then four');
    await page.close();
  });
}

test('the table of contents marks the section being read and keeps it in view', async () => {
  for (const width of [390, 1440]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.goto(`${sites.default.url}long-session/1-android-security/`);
    const links = page.locator('.toc a');
    assert.equal(await links.count(), 12);
    await page.evaluate(() => document.getElementById(decodeURIComponent(document.querySelectorAll('.toc a')[8].hash.slice(1))).scrollIntoView());
    await page.waitForFunction(() => document.querySelectorAll('.toc a')[8].getAttribute('aria-current') === 'location');
    assert.equal(await page.locator('.toc a[aria-current]').count(), 1);
    if (width === 1440) {
      // The sticky contents list scrolled itself to show the current entry.
      const inView = await page.evaluate(() => {
        const link = document.querySelector('.toc a[aria-current]').getBoundingClientRect();
        const list = document.querySelector('.toc ol').getBoundingClientRect();
        return link.top >= list.top - 1 && link.bottom <= list.bottom + 1 && link.top >= 0 && link.bottom <= innerHeight;
      });
      assert.ok(inView, 'current entry visible');
    }
    await page.evaluate(() => scrollTo(0, 0));
    await page.waitForFunction(() => document.querySelectorAll('.toc a[aria-current]').length === 0);
    await page.close();
  }
});

test('a heading copies its own address with one tap on a touch screen', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 }, hasTouch: true, isMobile: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(sites.default.url).origin });
  const page = await context.newPage();
  await page.goto(`${sites.default.url}long-session/1-android-security/`);
  const button = page.locator('.prose h3 .copy-link').nth(2);
  assert.equal(await button.evaluate((b) => getComputedStyle(b).opacity), '1', 'shown without hover');
  const box = await button.boundingBox();
  assert.ok(box.height >= 24 && box.width >= 24, `a finger-sized target: ${box.width}x${box.height}`);
  await button.tap();
  await page.waitForFunction(() => document.querySelectorAll('.copy-link[data-done]').length === 1);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const id = await page.locator('.prose h3').nth(2).getAttribute('id');
  assert.equal(decodeURIComponent(copied), `${sites.default.url}long-session/1-android-security/#${id}`);
  await context.close();
});

test('titles with their own numbers are not numbered again and no bare bullet shows', async () => {
  const page = await browser.newPage();
  await page.goto(`${sites.default.url}long-session/`);
  for (const item of await page.locator('.toc li').all()) {
    assert.equal(await item.evaluate((li) => getComputedStyle(li).listStyleType), 'none', await item.innerText());
  }
  const bare = await page.evaluate(() => Array.from(document.querySelectorAll('.prose li')).filter((li) => !li.textContent.trim()).length);
  assert.equal(bare, 0);
  await page.goto(`${sites.default.url}long-session/1-android-security/`);
  for (const item of await page.locator('.toc li').all()) {
    assert.equal(await item.evaluate((li) => getComputedStyle(li).listStyleType), 'none', await item.innerText());
  }
  await page.close();
});

test('previous and next cards leave no word alone on their last line', async () => {
  for (const theme of ['default', 'paper']) {
    for (const width of [390, 1440]) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      await page.goto(`${sites[theme].url}pager/`);
      const sessions = await page.locator('.session-block .meta a[href$="/"]').evaluateAll((links) => links.map((a) => a.href).filter((h) => !h.includes('/speakers/')));
      assert.equal(sessions.length, 16);
      for (const url of sessions) {
        await page.goto(url);
        const alone = await page.evaluate(() => Array.from(document.querySelectorAll('.pager a'), (card) => {
          const text = card.lastChild;
          const words = [];
          for (const match of text.data.matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(text, match.index);
            range.setEnd(text, match.index + match[0].length);
            words.push([match[0], Math.round(range.getClientRects()[0].top)]);
          }
          const tops = words.map(([, top]) => top);
          const last = words.filter(([, top]) => top === Math.max(...tops));
          return new Set(tops).size > 1 && last.length === 1 ? text.data.trim() : null;
        }).filter(Boolean));
        assert.deepEqual(alone, [], `${theme} ${width}px ${decodeURIComponent(url)}`);
      }
      await page.close();
    }
  }
});

test('a session lists related sessions of other events and they lead there', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
  await page.goto(`${sites.default.url}long-session/2-다음-세션의-제목은-카드-폭을-넘길-만큼-충분히-길게-적어서-줄이-바뀌게-만든-발표/`);
  const related = page.locator('.related li a');
  assert.equal(await related.count(), 5);
  const events = await page.locator('.related li .muted').allInnerTexts();
  assert.ok(events.every((e) => !e.includes('긴 세션이 있는 행사')), events.join(', '));
  const title = await related.first().innerText();
  await related.first().click();
  await page.waitForLoadState('load');
  assert.equal(await page.locator('h1').innerText(), title);
  await page.close();
});
