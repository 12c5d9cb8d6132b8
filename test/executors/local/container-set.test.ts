// containerSet templates: dependency order and parallelism, a shared workspace
// volume, `main` providing result and outputs, dependents of a failed container
// omitted, and containerSet.retryStrategy re-running a failing container in place.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ContainerOutcome } from '../../../core/executors/index.js';
import { createHarness, exampleTemplate, makeRequest, template } from './harness.js';
import type { Harness, Logs } from './harness.js';

let h: Harness;
before(async () => {
  h = await createHarness();
});
after(() => h.cleanup());

const byName = (containers: ContainerOutcome[] | undefined) => new Map((containers ?? []).map((c) => [c.name, c]));
const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.NaN);

describe('containerSet', () => {
  it('sequence-workflow.yaml: a -> b -> c run one after another', async () => {
    const t = await exampleTemplate('container-set-template/sequence-workflow.yaml', 'main');
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.deepEqual(out.containers?.map((c) => c.name), ['a', 'b', 'c']);
    const c = byName(out.containers);
    assert.ok(ms(c.get('b')?.startedAt) >= ms(c.get('a')?.finishedAt));
    assert.ok(ms(c.get('c')?.startedAt) >= ms(c.get('b')?.finishedAt));
  });

  it('graph-workflow.yaml: b and c wait for a, d waits for both', async () => {
    const t = await exampleTemplate('container-set-template/graph-workflow.yaml', 'main');
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(out.phase, 'Succeeded', out.message);
    const c = byName(out.containers);
    assert.equal(c.size, 4);
    assert.ok(ms(c.get('d')?.startedAt) >= Math.max(ms(c.get('b')?.finishedAt), ms(c.get('c')?.finishedAt)));
    assert.ok(ms(c.get('b')?.startedAt) >= ms(c.get('a')?.finishedAt));
  });

  it('parallel-workflow.yaml: containers without dependencies overlap', async () => {
    const t = template(`
      name: main
      containerSet:
        containers:
          - {name: a, image: alpine, command: [sh, -c, "sleep 0.3"]}
          - {name: b, image: alpine, command: [sh, -c, "sleep 0.3"]}
    `);
    const started = Date.now();
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.ok(Date.now() - started < 550, 'ran in parallel');
    const c = byName(out.containers);
    assert.ok(ms(c.get('b')?.startedAt) < ms(c.get('a')?.finishedAt));
  });

  it('workspace-workflow.yaml: outputs read from the shared workspace volume', async () => {
    const t = await exampleTemplate('container-set-template/workspace-workflow.yaml', 'main');
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.equal(out.outputs?.parameters?.[0]?.value, 'hi');
    const key = out.outputs?.artifacts?.[0]?.fs?.key ?? '';
    assert.ok(await h.repository.has(key));
  });

  it('outputs-result-workflow.yaml: the container named main provides result and exitCode', async () => {
    const t = await exampleTemplate('container-set-template/outputs-result-workflow.yaml', 'group');
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.equal(out.outputs?.result, 'hi');
    assert.equal(out.outputs?.exitCode, '0');
  });

  it('a failed container fails the set; its dependents are Omitted', async () => {
    const logs: Logs = { stdout: '', stderr: '' };
    const t = template(`
      name: main
      containerSet:
        containers:
          - {name: a, image: alpine, command: [sh, -c, "exit 5"]}
          - {name: b, image: alpine, command: [echo, never], dependencies: [a]}
          - {name: main, image: alpine, command: [echo, independent]}
    `);
    const out = await h.executor.execute(makeRequest(h, t, { logs }));
    assert.equal(out.phase, 'Failed');
    assert.equal(out.message, 'a: Error (exit code 5)');
    const c = byName(out.containers);
    assert.equal(c.get('a')?.phase, 'Failed');
    assert.equal(c.get('b')?.phase, 'Omitted');
    assert.equal(c.get('main')?.phase, 'Succeeded');
    assert.doesNotMatch(logs.stdout, /never/);
  });

  it('containerSet.retryStrategy re-runs a failing container in the same view', async () => {
    const t = template(`
      name: main
      volumes: [{name: w, emptyDir: {}}]
      containerSet:
        volumeMounts: [{name: w, mountPath: /w}]
        retryStrategy: {retries: "3", duration: 50ms}
        containers:
          - name: main
            image: alpine
            command: [sh, -c, "echo x >> /w/attempts; echo y >> /tmp/own; test $(wc -l < /w/attempts) -ge 3 && wc -l < /tmp/own"]
    `);
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.equal(out.outputs?.result, '3', 'the container kept its own /tmp across attempts');
  });

  it('retries are bounded by retries + 1 attempts', async () => {
    const t = template(`
      name: main
      containerSet:
        retryStrategy: {retries: 1}
        containers: [{name: main, image: alpine, command: [sh, -c, "echo try; exit 1"]}]
    `);
    const logs: Logs = { stdout: '', stderr: '' };
    const out = await h.executor.execute(makeRequest(h, t, { logs }));
    assert.deepEqual([out.phase, out.message], ['Failed', 'main: Error (exit code 1)']);
    assert.equal(logs.stdout, 'try\ntry\n');
  });
});
