// The `weft run` contract (DESIGN.md §5): -o json prints only the final Workflow; exit 0
// Succeeded, 1 Failed/Error, 2 invalid input with every issue as file:line:col path message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

const workflow = (args: string, extra = ''): string => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: cli-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: msg, value: hi}]}
  templates:
  - name: main
    container: {image: alpine, command: [sh, -c], args: ["${args}"]}
${extra}`;

const rows = [
  { name: 'a succeeding step exits 0', yaml: workflow('echo {{workflow.parameters.msg}}'), args: ['-p', 'msg=hello'], code: 0, phase: 'Succeeded', result: 'hello' },
  { name: 'a failing step exits 1', yaml: workflow('exit 3'), args: [], code: 1, phase: 'Failed' },
  { name: 'an unknown entrypoint exits 2 naming the field', yaml: workflow('true').replace('entrypoint: main', 'entrypoint: mian'), args: [], code: 2, stderr: /wf\.yaml:5:\d+ spec\.entrypoint .*mian.*\(WEFT_E_/ },
  { name: 'a bad -p exits 2', yaml: workflow('true'), args: ['-p', 'novalue'], code: 2, stderr: /expected NAME=VALUE/ },
];

for (const row of rows) {
  test(`weft run: ${row.name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-cli-'));
    try {
      const file = join(dir, 'wf.yaml');
      writeFileSync(file, row.yaml);
      const r = spawnSync(process.execPath, [CLI, 'run', file, '-o', 'json', ...row.args], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
      if (row.code === 2) {
        assert.equal(r.status, 2, r.stderr);
        assert.equal(r.stdout, '', 'nothing on stdout');
        assert.match(r.stderr, row.stderr as RegExp);
        return;
      }
      assert.equal(r.status, row.code, r.stderr);
      const wf = JSON.parse(r.stdout) as { status: { phase: string; nodes: Record<string, { outputs?: { result?: string } }> }; metadata: { name: string } };
      assert.equal(wf.status.phase, row.phase);
      if (row.result !== undefined) assert.equal(wf.status.nodes[wf.metadata.name]?.outputs?.result, row.result);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
