// Every spelling of every group of the built-in loanword table (src/loanwords.txt) finds
// a page that has only another spelling of its group: a site with one session per spelling is
// built, and each spelling is searched for.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSite, repo } from './harness.mjs';

const groups = readFileSync(join(repo, 'src', 'loanwords.txt'), 'utf8').split('\n')
  .filter((line) => line.includes(' = ') && !line.startsWith('#'))
  .map((line) => line.split(' = ').flatMap((side) => side.split(',').map((s) => s.trim())).filter(Boolean));

let search;
const pageOf = new Map();

before(async () => {
  // One session per spelling, titled by number so only the body holds the word.
  const lines = ['# 외래어 모음'];
  let n = 0;
  for (const group of groups) {
    for (const spelling of group) {
      n++;
      lines.push(`## 발표 : 항목 ${n}`, `- ${spelling} 이야기`);
      pageOf.set(spelling, `/loanwords/항목-${n}/`);
    }
  }
  const root = buildSite({ 'config.toml': 'title = "외래어 시험"\n', 'content/loanwords.md': lines.join('\n') + '\n' });
  ({ search } = await import(pathToFileURL(join(root, 'public', 'search', 'search.js')).href));
});

test('each spelling of the loanword table finds the pages of the other spellings of its group', async () => {
  assert.ok(groups.length >= 300, `${groups.length} groups`);
  const misses = [];
  let queries = 0;
  for (const group of groups) {
    for (const query of group) {
      const found = new Set((await search(query, { limit: 2000 })).map((r) => decodeURIComponent(r.url)));
      queries++;
      for (const other of group) {
        if (!found.has(pageOf.get(other))) misses.push(`${query} → ${other}`);
      }
    }
  }
  assert.deepEqual(misses, []);
  assert.ok(queries >= 700, `${queries} queries`);
});
