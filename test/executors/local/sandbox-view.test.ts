// Each step sees its own filesystem: writes to /tmp, /mnt/out, /workspace or / stay in
// the step's view (and are readable as outputs after exit), volumes are real mounts,
// and the host's own files are never touched. Real bwrap, real processes.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createHarness, exampleTemplate, makeRequest, template } from './harness.js';
import type { Harness, Logs } from './harness.js';

let h: Harness;
let sandboxed = false;
before(async () => {
  h = await createHarness({ sandbox: 'bwrap' });
  sandboxed = (await h.executor.sandboxStatus()).kind === 'bwrap';
});
after(() => h.cleanup());

describe('bwrap sandbox: private filesystem view per step', () => {
  it('is usable on this host (bwrap 0.8 + overlay self-test)', async () => {
    assert.equal((await h.executor.sandboxStatus()).kind, 'bwrap');
  });

  it('two parallel steps writing /tmp/x do not see each other', async () => {
    const step = (word: string) =>
      template(`
        name: writer
        container:
          image: alpine:3.23
          command: [sh, -c]
          args: ["test ! -e /tmp/x || exit 9; echo ${word} > /tmp/x; sleep 0.3; cat /tmp/x"]
        outputs:
          parameters: [{name: x, valueFrom: {path: /tmp/x}}]
      `);
    const [a, b] = await Promise.all([
      h.executor.execute(makeRequest(h, step('first'))),
      h.executor.execute(makeRequest(h, step('second'))),
    ]);
    assert.equal(a.phase, 'Succeeded', a.message);
    assert.equal(b.phase, 'Succeeded', b.message);
    assert.equal(a.outputs?.result, 'first');
    assert.equal(b.outputs?.result, 'second');
    assert.equal(a.outputs?.parameters?.[0]?.value, 'first');
    assert.equal(b.outputs?.parameters?.[0]?.value, 'second');
  });

  it('artifact-path-placeholders / key-only-artifact: an output parameter under /mnt/out is read after exit', async () => {
    const t = template(`
      name: generate
      container:
        image: argoproj/argosay:v2
        args: [echo, hello, /mnt/out/file]
      outputs:
        parameters: [{name: p, valueFrom: {path: /mnt/out/file}}]
    `);
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.equal(out.outputs?.parameters?.[0]?.value, 'hello');
    assert.equal(existsSync('/mnt/out'), false, 'the host has no /mnt/out');
  });

  it('workingDir / with a relative write: /result.txt stays in the view', async () => {
    const t = template(`
      name: result
      container:
        image: alpine:3.23
        command: [sh, -c, "echo 42 > result.txt && pwd"]
        workingDir: /
      outputs:
        parameters: [{name: r, valueFrom: {path: /result.txt}}]
    `);
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.equal(out.outputs?.result, '/');
    assert.equal(out.outputs?.parameters?.[0]?.value, '42');
    assert.equal(existsSync('/result.txt'), false);
  });

  it('writes over host files change only the view (host /etc/hostname untouched)', async () => {
    const { readFile } = await import('node:fs/promises');
    const before = await readFile('/etc/hostname', 'utf8').catch(() => '');
    const t = template(`
      name: clobber
      container:
        image: alpine:3.23
        command: [sh, -c, "echo clobbered > /etc/hostname && rm -f /etc/os-release && cat /etc/hostname"]
    `);
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.equal(out.outputs?.result, 'clobbered');
    assert.equal(await readFile('/etc/hostname', 'utf8').catch(() => ''), before);
    assert.equal(existsSync('/etc/os-release'), true);
  });

  it('volumes-emptydir.yaml: the emptyDir mount shows in /proc/mounts', async () => {
    const t = await exampleTemplate('volumes-emptydir.yaml', 'volumes-emptydir-example');
    const logs: Logs = { stdout: '', stderr: '' };
    const out = await h.executor.execute(makeRequest(h, t, { volumes: [{ name: 'workdir', emptyDir: {} }], logs }));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.equal(logs.stdout, 'Volume mounted and found\n');
  });

  it('an output artifact from an emptyDir mount is read after exit', async () => {
    const t = template(`
      name: vol
      volumes: [{name: work, emptyDir: {}}]
      container:
        image: alpine:3.23
        command: [sh, -c, "mkdir -p /work/d && echo a > /work/d/a"]
        volumeMounts: [{name: work, mountPath: /work}]
      outputs:
        artifacts: [{name: d, path: /work/d}]
    `);
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(out.phase, 'Succeeded', out.message);
    const key = out.outputs?.artifacts?.[0]?.fs?.key ?? '';
    assert.ok(await h.repository.has(key), key);
  });

  it('volumes-pvc.yaml: a volumeClaimTemplates claim is shared by the steps of a run', async () => {
    const claims = [{ metadata: { name: 'workdir' }, spec: {} }];
    const gen = await exampleTemplate('volumes-pvc.yaml', 'hello-world-to-file');
    const print = await exampleTemplate('volumes-pvc.yaml', 'print-message-from-file');
    const first = await h.executor.execute(makeRequest(h, gen, { volumeClaims: claims }));
    assert.equal(first.phase, 'Succeeded', first.message);
    const logs: Logs = { stdout: '', stderr: '' };
    const second = await h.executor.execute(makeRequest(h, print, { volumeClaims: claims, logs }));
    assert.equal(second.phase, 'Succeeded', second.message);
    assert.match(logs.stdout, /hello world/);
  });

  it('secret and configMap volumes hold their keys as files (read-only)', async () => {
    const { valueSources } = await import('./harness.js');
    const t = template(`
      name: files
      volumes:
        - {name: s, secret: {secretName: my-secret}}
        - {name: c, configMap: {name: my-config, items: [{key: greeting, path: sub/hello.txt}]}}
      container:
        image: alpine:3.23
        command: [sh, -c, "cat /secret/mountpath/mypassword; echo; cat /cfg/sub/hello.txt; echo; echo x > /secret/mountpath/new 2>/dev/null && echo writable || echo read-only"]
        volumeMounts: [{name: s, mountPath: /secret/mountpath}, {name: c, mountPath: /cfg}]
    `);
    const values = valueSources({ secrets: { 'my-secret': { mypassword: 'S3cr3t' } }, configMaps: { 'my-config': { greeting: 'hi' } } });
    const out = await h.executor.execute(makeRequest(h, t, { values }));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.equal(out.outputs?.result, 'S3cr3t\nhi\nread-only');
  });

  it('an unknown volume name is an Error naming it', async () => {
    const t = template(`{name: v, container: {image: alpine, command: [true], volumeMounts: [{name: nope, mountPath: /x}]}}`);
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(out.phase, 'Error');
    assert.match(out.message ?? '', /no volume named "nope"/);
  });

  it('steps share the host network (a loopback server is reachable)', async (t) => {
    if (!sandboxed) return t.skip('no sandbox');
    const http = await import('node:http');
    const server = http.createServer((_req, res) => res.end('pong'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const step = template(`{name: net, container: {image: alpine, command: [sh, -c, "curl -s http://127.0.0.1:${port}/"]}}`);
      const out = await h.executor.execute(makeRequest(h, step));
      assert.equal(out.outputs?.result, 'pong', out.message);
    } finally {
      server.close();
    }
  });

  it('the host kernel is out of reach: /proc/sys is read-only, no CAP_SYS_ADMIN', async () => {
    // Writes back the current value, so even a failing run changes nothing.
    const t = template(`
      name: kernel
      container:
        image: alpine
        command: [sh, -c, 'v=$(cat /proc/sys/vm/swappiness); (echo $v > /proc/sys/vm/swappiness) 2>/dev/null && echo writable || echo read-only; grep CapEff /proc/self/status']
    `);
    const out = await h.executor.execute(makeRequest(h, t));
    const [sysctl, capLine] = (out.outputs?.result ?? '').split('\n');
    assert.equal(sysctl, 'read-only');
    const caps = BigInt(`0x${capLine?.split(/\s+/)[1] ?? '0'}`);
    assert.equal((caps >> 21n) & 1n, 0n, 'CAP_SYS_ADMIN is dropped');
    assert.equal((caps >> 0n) & 1n, 1n, 'CAP_CHOWN is kept (Docker default set)');
  });

  it('the hostname is the pod name and PID 1 is the sandbox, not the host init', async () => {
    const t = template(`{name: ns, container: {image: alpine, command: [sh, -c, "hostname; cat /proc/1/comm"]}}`);
    const out = await h.executor.execute(makeRequest(h, t, { podName: 'wf-ns-123' }));
    assert.equal(out.outputs?.result, 'wf-ns-123\nbwrap');
  });
});
