// core/expr is used by the pure engine, so it must be pure too: no I/O modules, no clock
// (now() reads the clock the caller passes), no randomness.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const DIR = join(import.meta.dirname, '..', '..', '..', 'core', 'expr');
const FORBIDDEN = /from ['"](node:)?(fs|child_process|net|http|https|worker_threads|dgram|dns|os|crypto)['"]|Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(|(?<![.\w])eval\(|new Function\(/;

test('core/expr imports no I/O, reads no clock, uses no randomness and no eval', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 10);
  for (const f of files) {
    const text = readFileSync(join(DIR, f), 'utf8');
    assert.doesNotMatch(text, FORBIDDEN, `core/expr/${f}`);
    for (const m of text.matchAll(/from '(\.\.\/[^']+)'/g)) assert.equal(m[1], '../spec/index.js', `core/expr/${f} imports ${m[1]}`);
  }
});
