// Every page of a built site passes the Nu HTML Checker (vnu.jar from npm, run on Java), and
// the sample site under content/ builds to valid HTML too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFixture, hugi, repo } from './harness.mjs';

const vnu = createRequire(import.meta.url).resolve('vnu-jar/build/dist/vnu.jar');

function check(dir) {
  const result = spawnSync('java', ['-jar', vnu, '--errors-only', '--skip-non-html', '--format', 'gnu', dir], { encoding: 'utf8' });
  return { status: result.status, errors: result.stderr.trim() };
}

test('the seed-style fixture builds to valid HTML', () => {
  const root = buildFixture('seed-style');
  const { status, errors } = check(join(root, 'public'));
  assert.equal(errors, '');
  assert.equal(status, 0);
});

test('the sample site builds to valid HTML', () => {
  const out = mkdtempSync(join(tmpdir(), 'hugi-sample-'));
  execFileSync(hugi, ['build', '--root', repo, '--output', join(out, 'public')], { stdio: 'pipe' });
  const { status, errors } = check(join(out, 'public'));
  assert.equal(errors, '');
  assert.equal(status, 0);
});

test('the checker does catch invalid HTML', () => {
  const root = buildFixture('seed-style');
  execFileSync('sh', ['-c', `printf '<!doctype html><html><title>x</title><p><div></span>' > "${join(root, 'public', 'broken.html')}"`]);
  assert.notEqual(check(join(root, 'public')).status, 0);
});
