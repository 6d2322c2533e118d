// The search index of a site big enough that common groups of terms are split into parts
// (`s/<n>-<k>.bin`, addressed by a salted hash that the Rust indexer and search.js must compute
// alike): every term of a split group, common or rare, still finds exactly its documents.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hugi } from './harness.mjs';

const NOTES = 200;
const PER_NOTE = 10;
// Five terms of one group (타 + a syllable starting with ㅇ) in every session: the group's
// postings outgrow one file and are split.
const COMMON = ['타입', '타이', '타원', '타일', '타액'];
const RARE_AT = [77, 7]; // note, session that alone says 타임

let public_, search;

before(async () => {
  const root = mkdtempSync(join(tmpdir(), 'hugi-scale-'));
  mkdirSync(join(root, 'content'));
  for (let n = 0; n < NOTES; n++) {
    let text = `# 행사 ${n}\n`;
    for (let s = 0; s < PER_NOTE; s++) {
      const rare = n === RARE_AT[0] && s === RARE_AT[1] ? ' 타임' : '';
      text += `## Session 101 : 세션 ${n}-${s}\n- ${COMMON.join(' ')}${rare} 이야기\n`;
    }
    writeFileSync(join(root, 'content', `note-${n}.md`), text);
  }
  execFileSync(hugi, ['build', '--root', root], { stdio: 'pipe' });
  public_ = join(root, 'public');
  ({ search } = await import(pathToFileURL(join(public_, 'search', 'search.js')).href));
});

test('a common group is split into parts', () => {
  const manifest = JSON.parse(readFileSync(join(public_, 'search', 'manifest.json'), 'utf8'));
  const [parts] = manifest.split['타ㅇ'] ?? [0];
  assert.ok(parts >= 2, JSON.stringify(manifest.split));
});

test('every term of a split group finds all its documents', async () => {
  for (const term of COMMON) {
    const results = await search(term, { limit: NOTES * PER_NOTE + 10 });
    assert.equal(results.length, NOTES * PER_NOTE, term);
  }
});

test('a rare term of a split group finds its one document', async () => {
  const results = await search('타임', { limit: 10 });
  assert.equal(results.length, 1);
  assert.equal(decodeURIComponent(results[0].url), `/note-${RARE_AT[0]}/세션-${RARE_AT[0]}-${RARE_AT[1]}/`);
});
