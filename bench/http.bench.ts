// What an http node costs on top of the HTTP request itself, and that parallel http
// nodes do not queue behind each other:
//  - 1,000 executor calls against a loopback server vs a bare loop of the same 1,000
//    requests through the same undici Agent with the same concurrency: ≤ 1.5x.
//  - 200 parallel calls to an endpoint that answers after 200 ms: wall time ≤ 2x 200 ms.
// (The engine-level version, a 1,000-node workflow, belongs to the runtime bench.)
import { Agent } from 'undici';
import { createHttpExecutor, sharedGuardedAgent } from '../core/executors/http/index.js';
import { kitRoute, startLoopback, stepRequest } from '../test/executors/http/loopback.js';
import type { BenchHarness } from './harness.js';

const CALLS = 1000;
const CONCURRENCY = 32;
const PARALLEL = 200;
const DELAY_MS = 200;
const ROUNDS = 9;

/** Median wall time of each variant over `rounds` rounds, after two untimed warm-up rounds. */
async function interleaved(variants: ReadonlyArray<() => Promise<void>>, rounds: number): Promise<number[]> {
  const samples = variants.map((): number[] => []);
  for (let round = -2; round < rounds; round++) {
    const order = variants.map((_, i) => i);
    if (round % 2 !== 0) order.reverse();
    for (const i of order) {
      const started = performance.now();
      await variants[i]?.();
      if (round >= 0) samples[i]?.push(performance.now() - started);
    }
  }
  return samples.map((list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0);
}

/** Runs `count` tasks with at most `limit` in flight, as the engine's parallelism would. */
async function withConcurrency(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
}

export default async function (h: BenchHarness): Promise<void> {
  const server = await startLoopback((req, res, body) => {
    if (req.url === '/ok') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true,"service":"bench"}');
      return;
    }
    kitRoute(req, res, body);
  });
  const executor = createHttpExecutor({ evaluate: () => true });
  const url = `${server.url}/ok`;
  const template = { url, successCondition: '' };
  const guarded = sharedGuardedAgent();
  // One run-wide signal, as the bare loop has none: creating per-node signals is the engine's cost.
  const signal = new AbortController().signal;
  const plain = new Agent();
  // The executor's own call (the dispatcher's request(), origin and path known), so the
  // ratio is the executor's overhead and not the cost of undici's URL parsing.
  const { origin, pathname } = new URL(url);
  const call = { origin, path: pathname, method: 'GET' as const };
  try {
    const viaExecutor = () =>
      withConcurrency(CALLS, CONCURRENCY, async () => {
        const outcome = await executor.execute(stepRequest(template, { signal }));
        if (outcome.phase !== 'Succeeded') throw new Error(`bench call failed: ${outcome.message ?? ''}`);
      });
    const viaBareLoop = () =>
      withConcurrency(CALLS, CONCURRENCY, async () => {
        const response = await guarded.request(call);
        await response.body.text();
      });
    const viaPlainAgent = () =>
      withConcurrency(CALLS, CONCURRENCY, async () => {
        const response = await plain.request(call);
        await response.body.text();
      });
    // Interleaved rounds, order alternating: on a busy machine load drifts within seconds,
    // and timing one variant after the other would charge the drift to one of them.
    const [bare = 0, node = 0, plainMs = 0] = await interleaved([viaBareLoop, viaExecutor, viaPlainAgent], ROUNDS);
    const note = `median of ${ROUNDS} interleaved rounds`;
    h.report(`${CALLS} bare undici requests, same Agent, ${CONCURRENCY} in flight`, bare, 'ms', note);
    h.report(`${CALLS} http nodes (executor), ${CONCURRENCY} in flight`, node, 'ms', note);
    h.report(`${CALLS} bare undici requests, plain Agent (no policy gate)`, plainMs, 'ms', note);
    h.ratio('http node overhead: executor vs bare loop (same Agent)', node, bare, { max: 1.5 });
    h.ratio('policy gate: guarded vs plain Agent', bare, plainMs);

    const parallel = await h.measure(
      `${PARALLEL} parallel http nodes, ${DELAY_MS} ms server delay`,
      async () => {
        const outcomes = await Promise.all(
          Array.from({ length: PARALLEL }, () => executor.execute(stepRequest({ url: `${server.url}/delay/${DELAY_MS}` }, { signal }))),
        );
        const failed = outcomes.find((o) => o.phase !== 'Succeeded');
        if (failed) throw new Error(`parallel call failed: ${failed.message ?? ''}`);
      },
      { iterations: 1, warmup: 1 },
    );
    h.report(`${PARALLEL} parallel nodes wall time`, parallel.ms, 'ms', `one call alone takes ≥ ${DELAY_MS} ms`);
    h.ratio(`${PARALLEL} parallel nodes vs one ${DELAY_MS} ms call`, parallel.ms, DELAY_MS, { max: 2 });
  } finally {
    await plain.close();
    await server.close();
  }
}
