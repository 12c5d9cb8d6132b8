// core/engine stays pure (DESIGN.md §2): no I/O modules, no clock, no randomness, and it
// imports only spec and expr. This test reads the source, so a violation fails CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const FORBIDDEN = /from ['"](node:)?(fs|child_process|net|http|https|worker_threads|dgram|dns|os|better-sqlite3|undici)['"]|Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(/;

test('core/engine imports no I/O and reads no clock', () => {
  const dir = join(ROOT, 'core', 'engine');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 5);
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    assert.doesNotMatch(text, FORBIDDEN, `core/engine/${f}`);
    for (const m of text.matchAll(/from '(\.\.\/[^']+)'/g)) {
      assert.match(m[1], /^\.\.\/(spec|expr)\/index\.js$/, `core/engine/${f} imports ${m[1]}`);
    }
  }
});

test('folders import each other only through index.ts', () => {
  for (const folder of ['engine', 'runtime', 'store']) {
    const dir = join(ROOT, 'core', folder);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const m of text.matchAll(/from '\.\.\/([a-z]+)\/([^']+)'/g)) {
        assert.ok(m[2] === 'index.js' || m[1] === 'executors', `core/${folder}/${f} reaches into ../${m[1]}/${m[2]}`);
      }
    }
  }
});
