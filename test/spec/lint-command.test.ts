// `weft lint`: directories are walked, files linted together resolve references between
// each other, issues print as `file:line:col path message (CODE)`, exit 0 / 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { formatLintIssue, lintPaths, registerLint } from '../../cli/commands/lint.js';

const template = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: lib
spec:
  templates:
  - name: hello
    container: {image: alpine}
`;

const workflow = (ref: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: use-
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: a
        templateRef: {name: ${ref}, template: hello}
`;

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-lint-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates', 'lib.yaml'), template);
  writeFileSync(join(dir, 'good.yaml'), workflow('lib'));
  return dir;
}

test('a directory lints clean when its files resolve each other', () => {
  const dir = repo();
  const result = lintPaths([dir]);
  assert.equal(result.valid, true);
  assert.equal(result.documents, 2);
});

test('a file alone cannot resolve its templateRef; --load fixes it', () => {
  const dir = repo();
  assert.equal(lintPaths([join(dir, 'good.yaml')]).valid, false);
  assert.equal(lintPaths([join(dir, 'good.yaml')], { load: [join(dir, 'templates')] }).valid, true);
});

test('issues print as file:line:col path message (CODE), marked by severity', () => {
  const dir = repo();
  writeFileSync(join(dir, 'bad.yaml'), workflow('nowhere'));
  const result = lintPaths([dir]);
  assert.equal(result.valid, false);
  const lines = result.issues.map(formatLintIssue);
  assert.deepEqual(lines, [
    `error: ${join(dir, 'bad.yaml')}:11:9 spec.templates[0].steps[0][0].templateRef WorkflowTemplate "nowhere" not found (lint it together, or pass it with --load) (WEFT_E_UNRESOLVED_REF)`,
  ]);
});

async function runLint(args: string[]): Promise<{ code: number; stderr: string }> {
  const program = new Command('weft').exitOverride();
  registerLint(program);
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  // Capture what the command prints; restored before asserting.
  process.stderr.write = (chunk: string | Uint8Array): boolean => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'weft', 'lint', ...args]);
    return { code: Number(process.exitCode ?? 0), stderr };
  } finally {
    process.stderr.write = write;
    process.exitCode = before;
  }
}

test('weft lint exits 0 with warnings only, 2 with errors', async () => {
  const dir = repo();
  writeFileSync(join(dir, 'warn.yaml'), 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\n');
  const ok = await runLint([dir]);
  assert.equal(ok.code, 0);
  assert.match(ok.stderr, /warning: .*warn\.yaml:2:1 kind ResourceQuota \(v1\) is not a kind Weft handles/);
  assert.match(ok.stderr, /weft lint: valid, 3 documents: 0 errors, 1 warning/);
  writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: x}\nspec: {templates: []}\n');
  const bad = await runLint([dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /error: .*bad\.yaml:4:1 spec\.entrypoint .*\(WEFT_E_NO_ENTRYPOINT\)/);
});
