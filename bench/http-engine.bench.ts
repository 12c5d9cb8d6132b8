// http templates through the whole stack (engine, runtime, store, http executor): a
// 1,000-node workflow against a loopback server vs a bare loop of the same requests with
// the same client and concurrency; and 200 parallel nodes against a 200 ms server delay.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import type { Workflow } from '../core/spec/index.js';
import { createMemoryStore } from '../core/store/index.js';
import { composeRuntime, loadConfig, workflowFromDocument } from '../core/runtime/index.js';
import type { BenchHarness } from './harness.js';

const CONCURRENCY = 32;

function httpWorkflow(name: string, base: string, count: number, parallelism: number | undefined, path: string): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name },
    spec: {
      entrypoint: 'main', ...(parallelism ? { parallelism } : {}),
      templates: [
        { name: 'main', steps: [[{ name: 'call', template: 'call', withSequence: { count: String(count) } }]] },
        { name: 'call', http: { url: `${base}${path}` } },
      ],
    },
  } as unknown as Workflow;
}

async function runWorkflow(wf: Workflow): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'weft-bench-http-'));
  try {
    const runtime = composeRuntime({ config: loadConfig(undefined, scratch), store: createMemoryStore(), workRoot: scratch, artifactsRoot: join(scratch, 'a') });
    const submitted = workflowFromDocument({ kind: 'Workflow', value: wf as unknown as Record<string, unknown> }, { now: Date.now() });
    const final = await runtime.submit(submitted).finished;
    runtime.close();
    if (final.status?.phase !== "Succeeded") {
      const bad = Object.values(final.status?.nodes ?? {}).find((n) => n.type === "HTTP" && n.phase !== "Succeeded");
      throw new Error(`http bench workflow ended ${final.status?.phase}: ${bad?.message ?? final.status?.message}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The same requests through an undici Agent: `direct` makes the call the http executor
 * makes (the dispatcher's request() with origin and path), else undici's top-level
 * request(url), which parses the URL on every call (about 8 µs more per request here).
 */
async function bareLoop(url: string, count: number, concurrency: number, direct: boolean): Promise<void> {
  const agent = new Agent({ connections: concurrency });
  const { origin, pathname } = new URL(url);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      const res = direct
        ? await agent.request({ origin, path: pathname, method: 'GET' })
        : await request(url, { dispatcher: agent });
      await res.body.text();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await agent.close();
}

export default async function httpEngineBench(h: BenchHarness): Promise<void> {
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/delay')) {
      setTimeout(() => res.end('slept'), 200);
      return;
    }
    res.end('ok');
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const [weft, bare] = await h.measurePair(
      { name: 'weft: 1,000 http nodes, parallelism 32', fn: () => runWorkflow(httpWorkflow('http-bench', base, 1000, CONCURRENCY, '/ok')) },
      { name: 'bare loop: 1,000 requests, 32 in flight, the executor\'s call', fn: () => bareLoop(`${base}/ok`, 1000, CONCURRENCY, true) },
      // Five warm-up runs: the engine's code takes about that many 1,000-node runs to be
      // optimized (the first runs take 2-7x as long), a long-running server is past it.
      { iterations: 1, warmup: 5 },
    );
    // The target is against the bare loop making the executor's own call: the ratio is then
    // Weft's overhead alone. It is the median of the rounds' own ratios (each round runs
    // both, back to back); the ratio of the two medians is shown beside it. The top-level
    // request(url) loop is shown for comparison.
    h.ratio('http nodes vs bare loop (wall time, median of round ratios)', weft.pairedRatio, 1, { max: 1.5 });
    h.ratio('http nodes vs bare loop (ratio of the medians)', weft.perIteration, bare.perIteration);
    const topLevel = await h.measure('bare loop: 1,000 requests via request(url)', () => bareLoop(`${base}/ok`, 1000, CONCURRENCY, false), { iterations: 1, warmup: 2 });
    h.ratio('http nodes vs a request(url) loop', weft.perIteration, topLevel.perIteration);
    const parallel = await h.measure('weft: 200 parallel http nodes, 200 ms server delay', () => runWorkflow(httpWorkflow('http-par', base, 200, undefined, '/delay')), { iterations: 1, warmup: 1 });
    h.ratio('200 parallel nodes vs one 200 ms delay', parallel.perIteration, 200, { max: 2 });
  } finally {
    server.close();
  }
}
