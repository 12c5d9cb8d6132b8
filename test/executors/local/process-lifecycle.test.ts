// Process lifecycle: exit codes and Argo's messages, stdout as `result` (trimmed,
// capped, streamed), abort with SIGTERM then SIGKILL, and no process outliving its
// step — with and without the sandbox.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { RESULT_CAP_BYTES } from '../../../core/executors/local/index.js';
import { createHarness, exampleTemplate, makeRequest, template } from './harness.js';
import type { Harness, Logs } from './harness.js';

/** Processes whose command line contains marker (orphans a step may have left). */
async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker) && Number(entry) !== process.pid) found.push(Number(entry));
  }
  return found;
}

const modes = [
  { mode: 'bwrap' as const, label: 'sandboxed', launcher: true },
  { mode: 'none' as const, label: 'no sandbox, through the launcher', launcher: true },
  { mode: 'none' as const, label: 'no sandbox, spawned from node', launcher: false },
];

for (const { mode, label, launcher } of modes) {
  describe(`process lifecycle (${label})`, () => {
    let h: Harness;
    before(async () => {
      h = await createHarness({ sandbox: mode, killGraceMs: 400, launcher });
    });
    after(() => h.cleanup());

    it('exit-code-output-variable.yaml: exit 123 fails with Argo\'s message and outputs.exitCode', async () => {
      const t = await exampleTemplate('exit-code-output-variable.yaml', 'failing-container');
      const out = await h.executor.execute(makeRequest(h, t));
      assert.equal(out.phase, 'Failed');
      assert.equal(out.message, 'main: Error (exit code 123)');
      assert.equal(out.exitCode, 123);
      assert.equal(out.outputs?.exitCode, '123');
    });

    it('result is stdout with one trailing newline trimmed; stderr is not part of it; logs stream per stream', async () => {
      const logs: Logs = { stdout: '', stderr: '' };
      const t = template(`{name: r, container: {image: alpine, command: [sh, -c, 'echo out; echo err >&2; printf "two\\n\\n"']}}`);
      const out = await h.executor.execute(makeRequest(h, t, { logs }));
      assert.equal(out.outputs?.result, 'out\ntwo\n');
      assert.equal(logs.stdout, 'out\ntwo\n\n');
      assert.equal(logs.stderr, 'err\n');
    });

    it('handle-large-output-results: result keeps the last 256 KiB, the log gets everything', async () => {
      let streamed = 0;
      const t = template(`{name: big, container: {image: alpine, command: [sh, -c, 'seq 1 200000; echo END']}}`);
      const request = makeRequest(h, t);
      const out = await h.executor.execute({ ...request, log: (stream, text) => (streamed += stream === 'stdout' ? text.length : 0) });
      const result = out.outputs?.result ?? '';
      assert.equal(Buffer.byteLength(result), RESULT_CAP_BYTES);
      assert.ok(result.endsWith('199999\n200000\nEND'));
      assert.ok(streamed > 1_200_000, String(streamed));
    });

    it('a background job (sleep 1000 &) does not outlive its step', async () => {
      const marker = `${Math.floor(Math.random() * 1e6) + 1000}.25`;
      const t = template(`{name: orphan, container: {image: alpine, command: [sh, -c, 'sleep ${marker} & echo started']}}`);
      const out = await h.executor.execute(makeRequest(h, t));
      assert.equal(out.phase, 'Succeeded', out.message);
      assert.deepEqual(await processesWith(`sleep\0${marker}`), []);
    });

    it('abort: SIGTERM reaches the command, the step fails with the abort reason', async () => {
      const logs: Logs = { stdout: '', stderr: '' };
      const controller = new AbortController();
      const t = template(`{name: stop, container: {image: alpine, command: [sh, -c, 'trap "echo got TERM; exit 7" TERM; echo ready; while true; do sleep 0.05; done']}}`);
      const request = makeRequest(h, t, { logs, signal: controller.signal });
      const running = h.executor.execute(request);
      await waitFor(() => logs.stdout.includes('ready'));
      controller.abort('Stopped with strategy \'Stop\'');
      const out = await running;
      assert.equal(out.phase, 'Failed');
      assert.equal(out.message, "Stopped with strategy 'Stop'");
      assert.match(logs.stdout, /got TERM/);
    });

    it('abort: a command ignoring SIGTERM is SIGKILLed after the grace period, children included', async () => {
      const marker = `${Math.floor(Math.random() * 1e6) + 1000}.75`;
      const logs: Logs = { stdout: '', stderr: '' };
      const controller = new AbortController();
      const t = template(`{name: stubborn, container: {image: alpine, command: [sh, -c, 'trap "" TERM; sleep ${marker} & echo ready; while true; do sleep 0.05; done']}}`);
      const running = h.executor.execute(makeRequest(h, t, { logs, signal: controller.signal }));
      await waitFor(() => logs.stdout.includes('ready'));
      const started = Date.now();
      controller.abort(new Error('not a string'));
      const out = await running;
      assert.ok(Date.now() - started >= 350, 'waited for the grace period');
      assert.equal(out.phase, 'Failed');
      assert.match(out.message ?? '', /aborted/);
      assert.deepEqual(await processesWith(`sleep\0${marker}`), []);
    });

    it('an already-aborted signal fails the step without starting it', async () => {
      const controller = new AbortController();
      controller.abort('Terminated');
      const out = await h.executor.execute(makeRequest(h, template(`{name: x, container: {image: alpine, command: [true]}}`), { signal: controller.signal }));
      assert.deepEqual(out, { phase: 'Failed', message: 'Terminated' });
    });

    it('a command that does not exist fails with the emissary\'s message', async () => {
      const out = await h.executor.execute(makeRequest(h, template(`{name: x, container: {image: alpine, command: [no-such-command-here]}}`)));
      assert.equal(out.phase, 'Failed');
      assert.match(out.message ?? '', /failed to find name in PATH: exec: "no-such-command-here"/);
    });
  });
}

describe('process lifecycle (sandbox only)', () => {
  it('a daemonised grandchild (setsid) dies with the step: the PID namespace ends', async () => {
    const h = await createHarness({ sandbox: 'bwrap' });
    try {
      const marker = `${Math.floor(Math.random() * 1e6) + 1000}.5`;
      const t = template(`{name: escape, container: {image: alpine, command: [sh, -c, 'setsid sleep ${marker} > /dev/null 2>&1 < /dev/null & sleep 0.1']}}`);
      const out = await h.executor.execute(makeRequest(h, t));
      assert.equal(out.phase, 'Succeeded', out.message);
      assert.deepEqual(await processesWith(`sleep\0${marker}`), []);
    } finally {
      await h.cleanup();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
