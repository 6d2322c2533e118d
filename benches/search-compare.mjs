// Runs the Korean query set (tests/browser/search-cases.mjs, which includes loanwords written in
// the other script and 초성 from the middle of a title) against hugi's search and against
// Pagefind on the same built site, both in headless Chromium, and prints recall and first-hit
// figures side by side; with --big DIR it also compares index sizes and what a query fetches on a
// large site built from DIR, and what each engine finds for loanword and 초성 queries there.
//
//   npm install --prefix /tmp/pf pagefind        (Pagefind is not a dependency of hugi)
//   node benches/search-compare.mjs --pagefind /tmp/pf/node_modules/.bin/pagefind [--big /tmp/c10k]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(repo, 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');
const { serve } = await import(pathToFileURL(join(repo, 'tests', 'browser', 'harness.mjs')).href);
const { CASES, NOTHING } = await import(pathToFileURL(join(repo, 'tests', 'browser', 'search-cases.mjs')).href);
const hugi = process.env.HUGI_BIN ?? join(repo, 'target', 'release', 'hugi');
const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : null; };
const pagefind = arg('--pagefind');

function sizeOf(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    total += stat.isDirectory() ? sizeOf(path) : stat.size;
  }
  return total;
}

function build(root) {
  const out = join(mkdtempSync(join(tmpdir(), 'hugi-compare-')), 'public');
  execFileSync(hugi, ['build', '--root', root, '--output', out], { stdio: 'pipe' });
  // Pagefind indexes pages; give it the session and event pages (not tag or list pages).
  execFileSync(pagefind, ['--site', out, '--output-subdir', 'pagefind', '--glob', '{*/index.html,*/*/index.html}', '--exclude-selectors', 'header, footer, nav'], { stdio: 'pipe' });
  return out;
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });

async function engines(dir) {
  const server = await serve(dir);
  const page = await browser.newPage();
  await page.goto(server.url);
  const fetched = [];
  // What a query downloads: index files only (not the client script itself).
  page.on('response', async (r) => {
    try {
      if (/\/(search|pagefind)\//.test(r.url()) && !/(search|pagefind)\.js$/.test(r.url())) fetched.push((await r.body()).length);
    } catch { /* ignore */ }
  });
  const run = {
    hugi: (q) => page.evaluate(async (q) => {
      const { search } = await import('/search/search.js');
      return (await search(q, { limit: 10 })).map((r) => decodeURIComponent(r.url));
    }, q),
    pagefind: (q) => page.evaluate(async (q) => {
      const pf = await import('/pagefind/pagefind.js');
      await pf.init();
      const found = await pf.search(q);
      const data = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
      return data.map((d) => decodeURIComponent(d.url).replace(/index\.html$/, ''));
    }, q),
  };
  return { server, page, run, fetched };
}

const small = build(join(repo, 'tests', 'fixtures', 'search-site'));
const { server, page, run } = await engines(small);
const strip = (u) => u.split('#')[0];
for (const engine of ['hugi', 'pagefind']) {
  let found = 0, first = 0, expected = 0, empty = 0;
  const missed = [];
  for (const [query, intended, others = []] of CASES) {
    const results = (await run[engine](query)).map(strip);
    const wanted = (Array.isArray(intended) ? intended : [intended]).map(strip);
    if (wanted.includes(results[0])) first++;
    for (const url of [wanted[0], ...others.map(strip)]) {
      expected++;
      if (results.includes(url) || (Array.isArray(intended) && wanted.some((w) => results.includes(w)))) found++;
      else missed.push(query);
    }
  }
  for (const query of NOTHING) if ((await run[engine](query)).length === 0) empty++;
  console.log(`${engine}: found ${found}/${expected} expected results, intended first for ${first}/${CASES.length}, ` +
    `empty for ${empty}/${NOTHING.length} no-match queries; missed: ${[...new Set(missed)].join(' ') || 'none'}`);
}
await page.close();
server.close();

const big = arg('--big');
if (big) {
  const dir = build(big);
  console.log(`\nbig site: hugi index ${(sizeOf(join(dir, 'search')) / 1e6).toFixed(1)} MB, ` +
    `pagefind index ${(sizeOf(join(dir, 'pagefind')) / 1e6).toFixed(1)} MB`);
  // Each query is a first query on a freshly opened page: manifest, shards and excerpts all
  // count. Then warm timings in Node (the index already loaded by an earlier identical query).
  // Two-word queries, then loanwords in the script the site does not use (the generated notes
  // write Kubernetes and Docker in Latin letters) and 초성 of words in the middle of titles.
  const queries = ['Django 쿼리셋', '파이썬 타입검사', '음성인식 모델', '안정적인 성능', 'queryset 성능',
    '쿠버네티스 배포', '도커 성능', 'ㅇㅅㅇㅅ', 'ㅋㄷㄹㅂ'];
  for (const engine of ['hugi', 'pagefind']) {
    const sizes = [];
    const counts = [];
    for (const query of queries) {
      const e = await engines(dir);
      e.fetched.length = 0;
      counts.push((await e.run[engine](query)).length);
      sizes.push(e.fetched.reduce((a, b) => a + b, 0) / 1024);
      await e.page.close();
      e.server.close();
    }
    console.log(`${engine}: first-query fetch (index files, not the client script) and results (of 10): ` +
      queries.map((q, i) => `${q} ${sizes[i].toFixed(0)} KB ${counts[i]}`).join(', ') + `; largest ${Math.max(...sizes).toFixed(0)} KB`);
  }
  const { search } = await import(pathToFileURL(join(dir, 'search', 'search.js')).href);
  const medians = [];
  for (const query of queries) {
    await search(query);
    const times = [];
    for (let i = 0; i < 31; i++) {
      const started = process.hrtime.bigint();
      await search(query);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    medians.push(times[15]);
  }
  console.log(`hugi in Node, warm query medians: ` +
    queries.map((q, i) => `${q} ${medians[i].toFixed(2)} ms`).join(', ') + `; slowest ${Math.max(...medians).toFixed(2)} ms`);
}
await browser.close();
