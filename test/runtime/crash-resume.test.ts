// A run whose process is killed with SIGKILL mid-way resumes after a restart from the
// SQLite store to the same result, and no step that had finished runs again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHILD = join(import.meta.dirname, '..', 'support', 'runtime-child.js');

function workflow(markers: string): string {
  // each step appends its name to a marker file outside the sandbox (a hostPath volume)
  const step = (n: string): string => `
  - name: ${n}
    container:
      image: alpine
      command: [sh, -c]
      args: ["echo ${n} >> /markers/log; sleep 1"]
      volumeMounts: [{name: markers, mountPath: /markers}]`;
  return `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: crash-test}
spec:
  entrypoint: main
  volumes: [{name: markers, hostPath: {path: ${markers}}}]
  templates:
  - name: main
    steps:
    - - {name: one, template: one}
    - - {name: two, template: two}
    - - {name: three, template: three}
    - - {name: four, template: four}
${['one', 'two', 'three', 'four'].map(step).join('')}
`;
}

test('kill -9 mid-run, restart: same result, finished steps not repeated', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-crash-'));
  try {
    const markers = join(dir, 'markers');
    spawnSync('mkdir', ['-p', markers]);
    const file = join(dir, 'wf.yaml');
    writeFileSync(file, workflow(markers));
    const db = join(dir, 'weft.db');
    const work = join(dir, 'work');
    const child = spawn(process.execPath, [CHILD, 'submit', db, file, work], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    // wait until two steps have finished, then kill without warning
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const log = existsSync(join(markers, 'log')) ? readFileSync(join(markers, 'log'), 'utf8') : '';
      if (log.includes('three')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const before = readFileSync(join(markers, 'log'), 'utf8').trim().split('\n');
    assert.ok(before.includes('three'), `killed while step three ran (${before.join(',')}) ${stderr}`);
    assert.ok(!before.includes('four'), 'killed before four');

    const resumed = spawnSync(process.execPath, [CHILD, 'resume', db, work], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(resumed.status, 0, resumed.stderr);
    const [wf] = JSON.parse(resumed.stdout) as { status: { phase: string; nodes: Record<string, { displayName: string; phase: string }> } }[];
    assert.equal(wf.status.phase, 'Succeeded');
    const phases = Object.values(wf.status.nodes).filter((n) => ['one', 'two', 'three', 'four'].includes(n.displayName));
    assert.equal(phases.length, 4);
    for (const n of phases) assert.equal(n.phase, 'Succeeded');
    const after = readFileSync(join(markers, 'log'), 'utf8').trim().split('\n');
    assert.equal(after.filter((x) => x === 'one').length, 1, 'one ran once');
    assert.equal(after.filter((x) => x === 'two').length, 1, 'two ran once');
    assert.equal(after.filter((x) => x === 'four').length, 1, 'four ran once');
    // three was running when the process died: it runs again (at-least-once), never lost
    assert.ok(after.filter((x) => x === 'three').length >= 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
