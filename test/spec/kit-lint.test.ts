// Every runnable example of the conformance kit must lint clean with its `load` files
// (zero false rejections), every `Valid` case too, and every `Invalid` case must be
// rejected with an issue naming file, line and field path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatIssue } from '../../core/spec/index.js';
import { lintPaths } from '../../cli/commands/lint.js';

// dist/test/spec/ -> /work/shared/conformance (the kit sits beside the repository).
const KIT = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));

interface KitCase {
  file: string;
  expect: string;
  load?: string[];
  name?: string;
}

function kitCases(): KitCase[] {
  const path = `${KIT}cases.json`;
  if (!existsSync(path)) return [];
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((c: unknown): KitCase[] => {
    if (typeof c !== 'object' || c === null) return [];
    const file = 'file' in c && typeof c.file === 'string' ? c.file : undefined;
    const expect = 'expect' in c && typeof c.expect === 'string' ? c.expect : undefined;
    const load = 'load' in c && Array.isArray(c.load) ? c.load.filter((l): l is string => typeof l === 'string') : [];
    return file && expect ? [{ file, expect, load }] : [];
  });
}

const cases = kitCases();

test('conformance kit is present', { skip: cases.length === 0 ? 'shared/conformance not found' : false }, () => {
  assert.ok(cases.length > 200);
});

for (const c of cases) {
  const label = `${c.expect}: ${c.file}${c.load && c.load.length > 0 ? ` (+${c.load.join(', ')})` : ''}`;
  test(label, () => {
    const result = lintPaths([`${KIT}${c.file}`, ...(c.load ?? []).map((f) => `${KIT}${f}`)]);
    const errors = result.issues.filter((i) => i.severity === 'error');
    if (c.expect === 'Invalid') {
      assert.equal(result.valid, false, `${c.file} should be rejected`);
      for (const issue of errors) {
        assert.ok(issue.file?.endsWith(c.file), 'issue names the file');
        assert.ok((issue.line ?? 0) > 0, 'issue has a line');
        assert.ok(issue.path.length > 0, 'issue has a field path');
      }
    } else {
      assert.deepEqual(errors.map(formatIssue), [], `${c.file} must lint clean`);
      assert.equal(result.valid, true);
    }
  });
}
