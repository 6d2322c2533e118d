// A reader's view of a built site, in headless Chromium: pages load, Korean renders as meant,
// links with Hangul paths work, and phones get no sideways scrolling outside tables.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixture, serve, launch, scrollsSideways, repo } from './harness.mjs';

let server, browser;
const shots = join(repo, 'tests', 'browser', 'artifacts');

before(async () => {
  const root = buildFixture('seed-style');
  server = await serve(join(root, 'public'));
  browser = await launch();
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('home links to the event, and the event to a session with a Hangul path', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  await page.click('text=PyCon 2020 후기');
  assert.equal(await page.locator('h1').innerText(), 'PyCon 2020 후기');
  await page.click('a[href$="/파이썬으로-구현하는-신경세포-시뮬레이터/"] >> text=세션 페이지');
  assert.match(decodeURIComponent(page.url()), /\/pycon-2020\/파이썬으로-구현하는-신경세포-시뮬레이터\/$/);
  assert.equal(await page.locator('h1').innerText(), '파이썬으로 구현하는 신경세포 시뮬레이터');
  await page.close();
});

test('Korean emphasis is bold and text keeps words whole', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}pycon-2020/backend-ai에-점진적-typing-적용하기/`);
  const strong = page.locator('.prose strong', { hasText: '파이썬(Python)' });
  assert.equal(await strong.count(), 1);
  const weight = await strong.evaluate((el) => Number(getComputedStyle(el).fontWeight));
  assert.ok(weight >= 600, `font-weight ${weight}`);
  const body = await page.evaluate(() => getComputedStyle(document.body).wordBreak);
  assert.equal(body, 'keep-all');
  await page.close();
});

test('a missing page shows the 404 page', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`${server.url}없는-페이지/`);
  assert.equal(response.status(), 404);
  assert.equal(await page.locator('h1').innerText(), '페이지를 찾을 수 없습니다');
  await page.close();
});

for (const width of [360, 1280, 1320]) {
  test(`no sideways scrolling at ${width}px; tables scroll inside their wrapper`, async () => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    for (const path of ['', 'pycon-2020/', 'pycon-2020/django-orm-queryset-구조와-원리/']) {
      await page.goto(server.url + path);
      assert.equal(await scrollsSideways(page), false, `${path} at ${width}px`);
    }
    await page.goto(`${server.url}pycon-2020/`);
    const overflow = await page.locator('.table-scroll').first().evaluate((el) => getComputedStyle(el).overflowX);
    assert.equal(overflow, 'auto');
    await page.screenshot({ path: join(shots, `note-${width}.png`), fullPage: true });
    await page.close();
  });
}

test('a reader goes from the tag list to a tag page to a session', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.click('.site-nav >> text=태그');
  assert.equal(await page.locator('h1').innerText(), '태그');
  await page.click('.tag-list >> text=QuerySet');
  assert.equal(await page.locator('h1').innerText(), '#QuerySet');
  await page.click('text=Django ORM (QuerySet)구조와 원리');
  assert.equal(await page.locator('h1').innerText(), 'Django ORM (QuerySet)구조와 원리');
  const chips = await page.locator('.tag-chips a').allInnerTexts();
  assert.deepEqual(chips, ['#PyCon', '#Django', '#ORM', '#QuerySet']);
  await page.click('.site-nav >> text=행사');
  assert.equal(await page.locator('h1').innerText(), '행사');
  assert.ok(await page.locator('text=2020년').count() >= 1);
  await page.close();
});

test('a summary shows once: as a card on its session page, as written on the event page', async () => {
  const root = buildFixture('real-styles');
  const site = await serve(join(root, 'public'));
  const page = await browser.newPage();
  const times = async () => (await page.evaluate(() => document.body.innerText))
    .split('구독한 것은 반드시 해제하자').length - 1;
  await page.goto(`${site.url}2019-무슨-컨퍼런스/rxjava-구독과-구독-해제/`);
  assert.equal(await times(), 1, 'the card only');
  assert.ok(await page.locator('aside.card.summary').isVisible());
  await page.goto(`${site.url}2019-무슨-컨퍼런스/`);
  assert.equal(await times(), 1, 'the line where it was written');
  await page.close();
  site.close();
});
