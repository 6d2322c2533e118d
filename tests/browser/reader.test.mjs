// What readers see on a small site written the way people start: no front matter, the year
// only in the file name, no speakers named, a talk written down by its title only. Pages show no
// instructions meant for the author, the event page shows its year as the home page's card
// does, a session's breadcrumb does not repeat the title right above it, and the talk without
// notes is neither linked nor reached by previous and next.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSite, launch, serve } from './harness.mjs';

let server, browser;

before(async () => {
  const root = buildSite({
    'config.toml': 'title = "후기 모음"\n',
    'content/droidknights-2024.md': [
      '# 드로이드나이츠 2024 후기',
      '## 세션 : 안드로이드 앱의 접근성을 처음부터 다시 점검하며 배운 것들',
      '- 스크린 리더로 직접 써 보는 것이 먼저',
      '## 세션 : 제목만 적어 둔 발표',
      '## 세션 : Compose 성능 측정',
      '- 리컴포지션 횟수를 센다',
    ].join('\n') + '\n',
  });
  server = await serve(join(root, 'public'));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('the event page shows the year its card on the home page shows', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  assert.match(await page.locator('.year-group h2').innerText(), /2024년/);
  await page.goto(`${server.url}droidknights-2024/`);
  assert.match(await page.locator('.note header .meta').innerText(), /2024년/);
  await page.close();
});

test('no page shows instructions meant for the author', async () => {
  const page = await browser.newPage();
  for (const path of ['', 'speakers/', 'events/', 'tags/']) {
    await page.goto(server.url + path);
    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, /content\/|발표자: 이름|- 이름|Markdown 파일/, path);
    assert.equal(await page.locator('main code').count(), 0, path);
  }
  await page.close();
});

test("a session's breadcrumb leads to its event without repeating the title above it", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
  await page.goto(`${server.url}droidknights-2024/안드로이드-앱의-접근성을-처음부터-다시-점검하며-배운-것들/`);
  const title = await page.locator('h1').innerText();
  const crumbs = await page.locator('.breadcrumb').innerText();
  assert.match(title, /접근성을 처음부터/);
  assert.doesNotMatch(crumbs, /접근성/);
  assert.match(crumbs, /드로이드나이츠 2024 후기/);
  await page.close();
});

test('a talk without notes is listed but not linked, and previous and next skip it', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  assert.equal(await page.locator('.session-list li', { hasText: '제목만 적어 둔 발표' }).count(), 0, 'the home page shows sessions with notes');
  // A tag's page lists every session carrying the tag, the one without notes unlinked.
  await page.goto(`${server.url}tags/드로이드나이츠/`);
  const item = page.locator('.session-list li', { hasText: '제목만 적어 둔 발표' });
  assert.equal(await item.locator('a').count(), 0);
  assert.match(await item.innerText(), /노트 없음/);
  await page.goto(`${server.url}droidknights-2024/`);
  const block = page.locator('.session-block', { hasText: '제목만 적어 둔 발표' });
  assert.equal(await block.locator('a', { hasText: '세션 페이지' }).count(), 0);
  await page.goto(`${server.url}droidknights-2024/안드로이드-앱의-접근성을-처음부터-다시-점검하며-배운-것들/`);
  assert.match(await page.locator('.pager .next').innerText(), /Compose 성능 측정/);
  await page.goto(`${server.url}droidknights-2024/compose-성능-측정/`);
  assert.match(await page.locator('.pager .prev').innerText(), /안드로이드 앱의 접근성/);
  await page.close();
});
