// Without the sandbox: `sandbox: none` runs plain host processes (paths as written);
// `auto` falls back to that, loudly, when the sandbox fails its self-test; `bwrap`
// makes the failure an Error instead. The fallback is forced here with a scratch root
// the overlay cannot use (a comma in its path).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { LocalLogger } from '../../../core/executors/local/index.js';
import { createHarness, makeRequest, template, valueSources } from './harness.js';

function recordingLogger() {
  const lines: Array<{ level: string; obj: object; msg: string | undefined }> = [];
  const logger: LocalLogger = {
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    debug: (obj, msg) => lines.push({ level: 'debug', obj, msg }),
  };
  return { logger, lines };
}

describe('no sandbox', () => {
  it('sandbox: none runs on the host: absolute paths are the host\'s own', async () => {
    const h = await createHarness({ sandbox: 'none' });
    const dir = await mkdtemp(path.join(tmpdir(), 'weft-nosandbox-'));
    try {
      assert.equal((await h.executor.sandboxStatus()).kind, 'none');
      const t = template(`
        name: host
        container: {image: alpine, command: [sh, -c, "echo from-step > ${dir}/out.txt"]}
        outputs:
          parameters: [{name: p, valueFrom: {path: ${dir}/out.txt}}]
          artifacts: [{name: a, path: ${dir}/out.txt}]
      `);
      const out = await h.executor.execute(makeRequest(h, t));
      assert.equal(out.phase, 'Succeeded', out.message);
      assert.equal(out.outputs?.parameters?.[0]?.value, 'from-step');
      assert.equal(await readFile(path.join(dir, 'out.txt'), 'utf8'), 'from-step\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
      await h.cleanup();
    }
  });

  it('auto falls back to plain processes with a warning when the self-test fails', async () => {
    const { logger, lines } = recordingLogger();
    const base = await mkdtemp(path.join(tmpdir(), 'weft-fallback-'));
    const h = await createHarness({ sandbox: 'auto', workRoot: path.join(base, 'a,b'), logger });
    try {
      const status = await h.executor.sandboxStatus();
      assert.equal(status.kind, 'none');
      assert.match(status.kind === 'none' ? status.reason : '', /overlay mount options/);
      const out = await h.executor.execute(makeRequest(h, template(`{name: x, container: {image: alpine, command: [echo, ok]}}`)));
      assert.equal(out.outputs?.result, 'ok', out.message);
      assert.ok(lines.some((l) => l.level === 'warn' && /NO SANDBOX/.test(l.msg ?? '')), 'the fallback is logged');
    } finally {
      await rm(base, { recursive: true, force: true });
      await h.cleanup();
    }
  });

  it('sandbox: bwrap that cannot be used is an Error, not a silent fallback', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'weft-required-'));
    const h = await createHarness({ sandbox: 'bwrap', workRoot: path.join(base, 'a,b') });
    try {
      const out = await h.executor.execute(makeRequest(h, template(`{name: x, container: {image: alpine, command: [echo, ok]}}`)));
      assert.equal(out.phase, 'Error');
      assert.match(out.message ?? '', /sandbox is bwrap but the sandbox cannot be used/);
    } finally {
      await rm(base, { recursive: true, force: true });
      await h.cleanup();
    }
  });

  it('env values (secrets) never reach the logger', async () => {
    const { logger, lines } = recordingLogger();
    const h = await createHarness({ logger });
    try {
      const t = template(`
        name: s
        volumes: [{name: v, emptyDir: {}}]
        container:
          image: alpine
          command: [sh, -c, 'test "$TOKEN" = hunter2-secret']
          env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: creds, key: token}}}]
          volumeMounts: [{name: v, mountPath: /v}]
      `);
      const values = valueSources({ secrets: { creds: { token: 'hunter2-secret' } } });
      const out = await h.executor.execute(makeRequest(h, t, { values }));
      assert.equal(out.phase, 'Succeeded', out.message);
      assert.doesNotMatch(JSON.stringify(lines), /hunter2/);
    } finally {
      await h.cleanup();
    }
  });
});
