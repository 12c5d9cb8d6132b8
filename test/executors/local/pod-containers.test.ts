// The other containers of a pod: init containers run in order before main, sidecars
// run alongside it (sharing the network and mirrored volumes) and are killed when it
// ends, and daemon templates report themselves up after their readinessProbe and run
// until the step is aborted.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createHarness, exampleTemplate, makeRequest, template } from './harness.js';
import type { Harness, Logs } from './harness.js';

let h: Harness;
before(async () => {
  h = await createHarness({ killGraceMs: 300 });
});
after(() => h.cleanup());

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('init containers and sidecars', () => {
  it('init-container.yaml: the init container runs first and its output is logged with its name', async () => {
    const t = await exampleTemplate('init-container.yaml', 'init-container-example');
    const logs: Logs = { stdout: '', stderr: '' };
    const out = await h.executor.execute(makeRequest(h, t, { volumes: [{ name: 'foo', emptyDir: {} }], logs }));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.equal(logs.stdout, '[hello] hello\nbye\n');
    assert.equal(out.outputs?.result, 'bye');
  });

  it('init containers see mirrored volumes; a failing one stops the step with its name', async () => {
    const ok = template(`
      name: prep
      volumes: [{name: data, emptyDir: {}}]
      initContainers:
        - {name: one, image: alpine, command: [sh, -c, "echo 1 >> /data/log"], mirrorVolumeMounts: true}
        - {name: two, image: alpine, command: [sh, -c, "echo 2 >> /data/log"], mirrorVolumeMounts: true}
      container: {image: alpine, command: [cat, /data/log], volumeMounts: [{name: data, mountPath: /data}]}
    `);
    const out = await h.executor.execute(makeRequest(h, ok));
    assert.equal(out.outputs?.result, '1\n2', out.message);

    const failing = template(`
      name: prep
      initContainers: [{name: setup, image: alpine, command: [sh, -c, "exit 4"]}]
      container: {image: alpine, command: [echo, never]}
    `);
    const failed = await h.executor.execute(makeRequest(h, failing));
    assert.deepEqual([failed.phase, failed.message], ['Failed', 'setup: Error (exit code 4)']);
  });

  it('sidecar-nginx.yaml style: main reaches the sidecar on loopback; the sidecar is killed when main ends', async () => {
    const port = await freePort();
    const t = template(`
      name: with-sidecar
      container:
        image: alpine
        command: [sh, -c, "until curl -sf http://127.0.0.1:${port}/ > /dev/null; do sleep 0.1; done; echo reached"]
      sidecars:
        - {name: web, image: python:3, command: [python3, -m, http.server, "${port}", --bind, 127.0.0.1]}
    `);
    const started = Date.now();
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.equal(out.outputs?.result, 'reached');
    assert.ok(Date.now() - started < 10_000);
    // The port is free again: the sidecar is gone.
    const again = createServer();
    await new Promise<void>((resolve, reject) => again.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => again.close(resolve));
  });

  it('a sidecar that fails on its own (not 137/143) fails the step, as in Argo', async () => {
    const t = template(`
      name: bad-sidecar
      container: {image: alpine, command: [sh, -c, "sleep 0.3"]}
      sidecars: [{name: helper, image: alpine, command: [sh, -c, "exit 3"]}]
    `);
    const out = await h.executor.execute(makeRequest(h, t));
    assert.deepEqual([out.phase, out.message], ['Failed', 'helper: Error (exit code 3)']);
  });
});

describe('daemon templates', () => {
  it('dag-daemon-task.yaml style: daemoned() after the httpGet readinessProbe; abort ends it as Succeeded', async () => {
    const port = await freePort();
    const t = template(`
      name: server
      daemon: true
      container:
        image: python:3
        command: [sh, -c, "sleep 0.3; exec python3 -m http.server ${port} --bind 127.0.0.1"]
        readinessProbe: {httpGet: {path: /, port: ${port}}, initialDelaySeconds: 0, periodSeconds: 0.1}
    `);
    const controller = new AbortController();
    let upAt = 0;
    const request = makeRequest(h, t, { signal: controller.signal });
    const started = Date.now();
    const running = h.executor.execute({ ...request, daemoned: () => (upAt = Date.now()) });
    while (upAt === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(upAt - started >= 300, 'not before the server listens');
    const reply = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(reply.status, 200);
    controller.abort('workflow finished');
    const out = await running;
    assert.equal(out.phase, 'Succeeded', out.message);
  });

  it('an exec readinessProbe runs inside the container view', async () => {
    const t = template(`
      name: marker
      daemon: true
      container:
        image: alpine
        command: [sh, -c, "sleep 0.2; touch /tmp/ready; while true; do sleep 0.05; done"]
        readinessProbe: {exec: {command: [test, -f, /tmp/ready]}, periodSeconds: 0.05}
    `);
    const controller = new AbortController();
    let up = false;
    const running = h.executor.execute({ ...makeRequest(h, t, { signal: controller.signal }), daemoned: () => (up = true) });
    const until = Date.now() + 5000;
    while (!up && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(up, 'daemoned() was called');
    controller.abort('done');
    assert.equal((await running).phase, 'Succeeded');
  });

  it('a daemon without a probe is up right away; one that exits by itself ends with its exit code', async () => {
    let up = false;
    const t = template(`{name: short, daemon: true, container: {image: alpine, command: [sh, -c, "sleep 0.1; exit 2"]}}`);
    const out = await h.executor.execute({ ...makeRequest(h, t), daemoned: () => (up = true) });
    assert.ok(up);
    assert.deepEqual([out.phase, out.message], ['Failed', 'main: Error (exit code 2)']);
  });
});
