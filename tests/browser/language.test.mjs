// A site with `language = "en"` in headless Chromium: every word the theme shows, in the pages
// and from the scripts (theme toggle, copy button, search results), is English; nothing Korean is
// left on pages whose notes are in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildSite, launch, serve } from './harness.mjs';

let browser;
let server;

before(async () => {
  const root = buildSite({
    'config.toml': 'title = "Conference notes"\nlanguage = "en"\n',
    'content/2025-09-02-rustconf.md': [
      '+++', 'title = "RustConf 2025"', 'date = 2025-09-02', 'tags = ["rust"]', '+++',
      '## Keynote : The state of Rust - Niko Matsakis', '- Async closures are stable', '',
      '```', 'cargo build --release', '```', '',
      '## Session 1 : Faster builds', '- Split crates; check the linker', '',
    ].join('\n'),
  });
  server = await serve(join(root, 'public'));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/;

test('every page of an English site reads in English', async () => {
  const page = await browser.newPage();
  for (const path of ['', 'rustconf/', 'rustconf/faster-builds/', 'tags/', 'tags/rust/',
    'events/', 'speakers/', 'search/', 'no-such-page/']) {
    await page.goto(`${server.url}${path}`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', path);
    const text = await page.evaluate(() => document.body.innerText + ' ' +
      [...document.querySelectorAll('[aria-label],[title],[placeholder]')]
        .map((e) => `${e.ariaLabel ?? ''} ${e.title} ${e.placeholder ?? ''}`).join(' '));
    assert.ok(!HANGUL.test(text), `${path}: ${text.match(HANGUL)?.input.slice(0, 200)}`);
  }
  await page.goto(`${server.url}rustconf/`);
  const meta = await page.locator('.meta').first().innerText();
  assert.match(meta, /September 2, 2025/);
  assert.match(meta, /2 sessions/);
  await page.close();
});

test('the scripts speak English too: toggle, copy button, search', async () => {
  const context = await browser.newContext({
    colorScheme: 'light', permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  await page.goto(`${server.url}rustconf/the-state-of-rust/`);
  assert.equal(await page.locator('[data-theme-toggle]').innerText(), 'Dark');
  await page.click('[data-theme-toggle]');
  assert.equal(await page.locator('[data-theme-toggle]').innerText(), 'Light');
  assert.equal(await page.locator('.code-frame .copy-code').innerText(), 'Copy');
  await page.click('.code-frame .copy-code');
  await page.locator('.code-frame .copy-code', { hasText: 'Copied' }).waitFor({ timeout: 5000 });

  await page.goto(`${server.url}search/?q=linker`);
  await page.locator('.search-status', { hasText: '1 result' }).waitFor({ timeout: 10000 });
  await page.fill('#search-page-input', 'kubernetes');
  await page.locator('.search-status', { hasText: 'No results for "kubernetes"' })
    .waitFor({ timeout: 10000 });
  await context.close();
});
