// Korean search quality, in Node, against the search client and index of a built fixture site:
// particles, compounds, mixed scripts, case, 초성, half-typed syllables, NFD, and queries that
// must find nothing. Every expected result must be found, and the intended one must rank first
// for at least 90% of the queries. Also: escaping, hostile queries, and the search box in
// headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildFixture, serve, launch } from './harness.mjs';

import { CASES, NOTHING } from './search-cases.mjs';

let root, search;

before(async () => {
  root = buildFixture('search-site');
  ({ search } = await import(pathToFileURL(join(root, 'public', 'search', 'search.js')).href));
});

const decode = (url) => decodeURIComponent(url);

test(`${CASES.length} Korean queries find what they should; 90% rank the intended result first`, async () => {
  assert.ok(CASES.length + NOTHING.length >= 40);
  let first = 0;
  const misses = [];
  for (const [query, intended, others = []] of CASES) {
    const results = (await search(query, { limit: 10 })).map((r) => decode(r.url));
    const wanted = Array.isArray(intended) ? intended : [intended];
    if (wanted.includes(results[0])) first++;
    for (const url of [...(Array.isArray(intended) ? [] : [intended]), ...others]) {
      if (!results.includes(url)) misses.push(`${query} → ${url} (got ${results.join(', ')})`);
    }
    if (Array.isArray(intended) && !intended.some((u) => results.includes(u))) misses.push(`${query} → one of ${intended}`);
  }
  assert.deepEqual(misses, []);
  const rate = first / CASES.length;
  assert.ok(rate >= 0.9, `intended result first for ${first}/${CASES.length}`);
});

test('queries that must find nothing find nothing', async () => {
  for (const query of NOTHING) assert.deepEqual(await search(query), [], query);
});

test('results carry url, title, event, a marked excerpt and a score', async () => {
  const [top] = await search('음성인식');
  assert.equal(top.title, '파이썬으로 만드는 음성인식 서비스');
  assert.equal(top.event, '파이콘 한국 2023 후기');
  assert.match(top.excerpt, /<mark>음성인식<\/mark>/);
  assert.ok(top.score > 0);
  assert.equal((await search('러스트', { limit: 2 })).length, 2);
});

test('titles stay text and excerpts are escaped', async () => {
  const [hit] = await search('보안 이야기');
  assert.equal(hit.title, '<img src=x onerror=alert(1)> 제목의 보안 이야기');
  const [body] = await search('자동 이스케이프');
  assert.ok(!/<(?!\/?mark>)/.test(body.excerpt), body.excerpt);
  const evil = await search('<script>alert(1)</script> XSS');
  for (const r of evil) assert.ok(!/<(?!\/?mark>)/.test(r.excerpt), r.excerpt);
});

test('hostile queries return quickly without errors', async () => {
  const queries = ['가'.repeat(10000), 'a'.repeat(10000), '!!!???...', '   ', '', 'ㅋ', '%00\u0000\uFFFF', 'مرحبا 파이썬 🎉', null, 42];
  for (const query of queries) {
    const started = performance.now();
    const results = await search(query);
    assert.ok(Array.isArray(results));
    assert.ok(performance.now() - started < 2000, `slow: ${String(query).slice(0, 20)}`);
  }
});

let server, browser;
after(async () => {
  await browser?.close();
  server?.close();
});

test('the search box finds a Korean query in headless Chromium, safely', async () => {
  server = await serve(join(root, 'public'));
  browser = await launch();
  const page = await browser.newPage();
  let dialogs = 0;
  page.on('dialog', (dialog) => { dialogs++; dialog.dismiss(); });
  await page.goto(server.url);
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input');
  await page.keyboard.type('타입검사');
  const first = page.locator('#search-results [role="option"]').first();
  await first.waitFor({ timeout: 10000 });
  assert.equal(await first.locator('strong').innerText(), '점진적 타입검사 도입기');
  assert.ok((await first.locator('mark').count()) >= 1);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(/%ED%83%80%EC%9E%85/);
  assert.equal(await page.locator('h1').innerText(), '점진적 타입검사 도입기');

  await page.goto(`${server.url}search/?q=${encodeURIComponent('보안')}`);
  const hit = page.locator('.search-page-results li').first();
  await hit.waitFor({ timeout: 10000 });
  assert.equal(await hit.locator('strong').innerText(), '<img src=x onerror=alert(1)> 제목의 보안 이야기');
  assert.equal(await page.locator('.search-page-results img').count(), 0);

  await page.fill('#search-page-input', '블록체인');
  await page.locator('.search-status', { hasText: '결과가 없습니다' }).waitFor({ timeout: 10000 });
  assert.equal(dialogs, 0);
  await page.close();
});

test('without JavaScript the box is hidden and a note says why', async () => {
  // (the box is shown from the start when scripts run, so the page does not shift)
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url);
  assert.equal(await page.locator('form[data-search]').isVisible(), false);
  assert.match(await page.locator('body').innerText(), /검색은 JavaScript가 켜져 있어야 동작합니다/);
  await context.close();
});

test('search works from a sub-path on a minified build', async () => {
  const sub = buildFixture('search-site', ['--base-url', 'https://example.org/notes/', '--minify']);
  const subServer = await serve(join(sub, 'public'), '/notes/');
  try {
    const page = await browser.newPage();
    await page.goto(subServer.url);
    await page.fill('#search-input', '쿼리셋');
    const first = page.locator('#search-results [role="option"] a').first();
    await first.waitFor({ timeout: 10000 });
    assert.match(decodeURIComponent(await first.getAttribute('href')), /^\/notes\/pycon-korea-2023\/django-쿼리셋-최적화\/\?h=쿼리셋#:~:text=쿼리셋은$/);
    await first.click();
    assert.equal(await page.locator('h1').innerText(), 'Django 쿼리셋 최적화');
    await page.close();
  } finally {
    subServer.close();
  }
});
