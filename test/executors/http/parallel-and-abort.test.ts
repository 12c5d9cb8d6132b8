// Concurrency and cancellation: parallel http nodes run together (Argo's e2e
// TestParallel: four requests start at the same time), and the engine's abort signal
// (stop/terminate/deadline) ends a request in flight.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHttpExecutor } from '../../../core/executors/http/index.js';
import { startLoopback, stepRequest } from './loopback.js';
import type { Loopback } from './loopback.js';

let server: Loopback;
const executor = createHttpExecutor({ evaluate: () => true });

before(async () => {
  server = await startLoopback();
});
after(() => server.close());

test('TestParallel: four parallel requests start together and finish together', async () => {
  const first = server.hits.length;
  const started = performance.now();
  const outcomes = await Promise.all([1, 2, 3, 4].map(() => executor.execute(stepRequest({ url: `${server.url}/delay/400` }))));
  const took = performance.now() - started;
  assert.deepEqual(
    outcomes.map((o) => o.phase),
    ['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded'],
  );
  const arrivals = server.hits.slice(first).map((h) => h.at);
  assert.equal(arrivals.length, 4);
  // Serial calls would arrive 400 ms apart and take 1,600 ms; the bounds leave room for a busy CI machine.
  assert.ok(Math.max(...arrivals) - Math.min(...arrivals) < 250, `arrivals spread ${Math.max(...arrivals) - Math.min(...arrivals)} ms`);
  assert.ok(took < 1200, `4 × 400 ms in parallel took ${took} ms`);
});

test('abort while waiting for headers ends the request at once with Go cancel text', async () => {
  const controller = new AbortController();
  const started = performance.now();
  const pending = executor.execute(stepRequest({ url: `${server.url}/delay/10000` }, { signal: controller.signal }));
  setTimeout(() => controller.abort(), 100);
  const outcome = await pending;
  assert.ok(performance.now() - started < 3000, 'ended long before the 10 s answer');
  assert.deepEqual(outcome, { phase: 'Failed', message: `Get "${server.url}/delay/10000": context canceled` });
});

test('abort while the body trickles ends the request too', async () => {
  const controller = new AbortController();
  const pending = executor.execute(stepRequest({ url: `${server.url}/slow-body/10000` }, { signal: controller.signal }));
  setTimeout(() => controller.abort(), 200);
  const outcome = await pending;
  assert.deepEqual(outcome, { phase: 'Failed', message: `Get "${server.url}/slow-body/10000": context canceled` });
});

test('an already aborted signal sends nothing', async () => {
  const controller = new AbortController();
  controller.abort();
  const before = server.hits.length;
  const outcome = await executor.execute(stepRequest({ url: `${server.url}/json` }, { signal: controller.signal }));
  assert.equal(outcome.phase, 'Failed');
  assert.equal(outcome.message, `Get "${server.url}/json": context canceled`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(server.hits.length, before);
});

test('one run-wide signal over 50 parallel calls: no listener warning, and aborting it ends them all', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  const controller = new AbortController();
  const pending = Array.from({ length: 50 }, () =>
    executor.execute(stepRequest({ url: `${server.url}/delay/10000` }, { signal: controller.signal })),
  );
  setTimeout(() => controller.abort(), 200);
  const outcomes = await Promise.all(pending);
  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', onWarning);
  assert.ok(outcomes.every((o) => o.phase === 'Failed' && o.message?.endsWith('context canceled')));
  assert.deepEqual(warnings, []);
});

test('the server sees the connection close when a request is aborted', async () => {
  const controller = new AbortController();
  let closed = false;
  const watcher = await startLoopback((req, res) => {
    res.on('close', () => {
      closed = true;
    });
    void req;
  });
  const pending = executor.execute(stepRequest({ url: `${watcher.url}/hang` }, { signal: controller.signal }));
  setTimeout(() => controller.abort(), 100);
  await pending;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(closed, 'socket closed on abort');
  await watcher.close();
});
