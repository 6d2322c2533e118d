// Live preview in a real browser: an edit on disk shows up without a manual reload (keeping the
// scroll position), a stylesheet change is swapped in without reloading, and a build error
// shows an overlay that goes away when the file is fixed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, startServe, repo } from './harness.mjs';

let browser, server, root;
const note = () => join(root, 'content', '2020-09-26-pycon-2020.md');
const body = (extra) => '# PyCon 2020 후기\n## Session 101 : 실시간 미리보기\n' +
  Array.from({ length: 80 }, (_, i) => `- 줄 ${i}`).join('\n') + `\n- ${extra}\n`;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'hugi-serve-'));
  cpSync(join(repo, 'themes', 'default'), join(root, 'themes', 'default'), { recursive: true });
  writeFileSync(join(root, 'config.toml'), 'title = "미리보기"\n');
  cpSync(join(repo, 'tests', 'fixtures', 'seed-style', 'content'), join(root, 'content'), { recursive: true });
  writeFileSync(note(), body('처음 문장'));
  server = await startServe(root);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('an edit appears without a manual reload and keeps the scroll position', async () => {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  await page.goto(`${server.url}pycon-2020/실시간-미리보기/`);
  await page.waitForFunction(() => window.__hugiLiveReload?.readyState === 1);
  await page.evaluate(() => window.scrollTo(0, 900));
  const scrolled = await page.evaluate(() => window.scrollY);
  assert.ok(scrolled > 500, `scrolled to ${scrolled}`);
  writeFileSync(note(), body('새로 쓴 문장'));
  await page.waitForSelector('text=새로 쓴 문장', { timeout: 15000 });
  await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 40, scrolled, { timeout: 5000 });
  await page.close();
});

test('a stylesheet change is applied without reloading the page', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}pycon-2020/`);
  await page.waitForFunction(() => window.__hugiLiveReload?.readyState === 1);
  await page.evaluate(() => { window.__marker = 'same page'; });
  const css = join(root, 'themes', 'default', 'static', 'style.css');
  const { readFileSync } = await import('node:fs');
  writeFileSync(css, readFileSync(css, 'utf8') + '\nbody { outline: 3px solid rgb(255, 0, 0); }\n');
  await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === 'rgb(255, 0, 0)', null, { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.__marker), 'same page');
  await page.close();
});

test('a build error shows an overlay that clears when fixed', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}pycon-2020/`);
  await page.waitForFunction(() => window.__hugiLiveReload?.readyState === 1);
  writeFileSync(note(), '+++\ntitle = \n+++\n');
  const overlay = page.locator('#__hugi_error');
  await overlay.waitFor({ timeout: 15000 });
  const text = await overlay.innerText();
  assert.match(text, /content\/2020-09-26-pycon-2020\.md:2:/);
  writeFileSync(note(), body('고친 문장'));
  await overlay.waitFor({ state: 'detached', timeout: 15000 });
  await page.close();
});
