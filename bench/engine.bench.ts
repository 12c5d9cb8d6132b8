// Scheduler at scale: a no-op DAG workflow (every start answered at once, at the action
// level) against a bare Kahn topological sort of the same graph, at 10k and 100k nodes.
import { spawnSync } from 'node:child_process';
import type { Workflow } from '../core/spec/index.js';
import type { BenchHarness } from './harness.js';
import { simulate } from '../test/support/simulate.js';

/** A layered lattice: `width` tasks per layer, each depending on two tasks of the layer before. */
function lattice(total: number, width: number): { wf: Workflow; edges: [number, number][] } {
  const tasks: { name: string; template: string; dependencies?: string[] }[] = [];
  const edges: [number, number][] = [];
  for (let i = 0; i < total; i++) {
    const layer = Math.floor(i / width);
    const deps: string[] = [];
    if (layer > 0) {
      const col = i % width;
      const a = (layer - 1) * width + col;
      const b = (layer - 1) * width + ((col + 1) % width);
      for (const d of new Set([a, b])) {
        deps.push(`t${d}`);
        edges.push([d, i]);
      }
    }
    tasks.push({ name: `t${i}`, template: 'noop', ...(deps.length ? { dependencies: deps } : {}) });
  }
  const wf = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name: 'bench', namespace: 'default' },
    spec: {
      entrypoint: 'main',
      templates: [
        { name: 'main', dag: { tasks } },
        { name: 'noop', container: { image: 'alpine', command: ['true'] } },
      ],
    },
  } as unknown as Workflow;
  return { wf, edges };
}

function kahn(n: number, edges: [number, number][]): number[] {
  const indeg = new Array<number>(n).fill(0);
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) {
    out[a].push(b);
    indeg[b]++;
  }
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  const order: number[] = [];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    order.push(v);
    for (const w of out[v]) if (--indeg[w] === 0) queue.push(w);
  }
  return order;
}

function runEngine(wf: Workflow): void {
  const r = simulate(wf, () => ({ phase: 'Succeeded', outputs: { exitCode: '0' } }), { inPlace: true });
  if (r.status.phase !== 'Succeeded') throw new Error(`bench workflow ended ${r.status.phase}`);
}

/**
 * Peak RSS of a fresh process that runs the 10k workflow once, and of the same process just
 * before (node and the modules): measured apart, as other benches grow this process's heap.
 */
function rssOfRun(): { peak: number; before: number } {
  const simulateUrl = new URL('../test/support/simulate.js', import.meta.url).href;
  const benchUrl = import.meta.url;
  const script = `
    const { simulate } = await import(${JSON.stringify(simulateUrl)});
    const { latticeWorkflow } = await import(${JSON.stringify(benchUrl)});
    const wf = latticeWorkflow(10000, 100);
    const before = process.memoryUsage().rss;
    const r = simulate(wf, () => ({ phase: 'Succeeded', outputs: { exitCode: '0' } }), { inPlace: true });
    if (r.status.phase !== 'Succeeded') process.exit(1);
    console.log(JSON.stringify({ peak: process.resourceUsage().maxRSS * 1024, before }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`RSS child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { peak: number; before: number };
}

export function latticeWorkflow(total: number, width: number): Workflow {
  return lattice(total, width).wf;
}

export default async function engineBench(h: BenchHarness): Promise<void> {
  const small = lattice(10_000, 100);
  const engine10k = await h.measure('engine: 10k-node DAG (no-op steps)', () => runEngine(small.wf), { iterations: 1, warmup: 0 });
  const kahn10k = await h.measure('kahn: 10k-node topological sort', () => kahn(10_000, small.edges), { iterations: 20 });
  h.ratio('engine vs Kahn, 10k nodes', engine10k.perIteration, kahn10k.perIteration, { max: 10 });
  const rss = rssOfRun();
  h.limit('engine peak RSS, a process running the 10k workflow', Math.round(rss.peak / 1e6), 'MB', 150,
    `${Math.round(rss.before / 1e6)} MB of it before the run: node and the modules`);
  if (process.env.WEFT_BENCH_LARGE !== '0') {
    // One timed run: at 100k nodes a run takes minutes (WEFT_BENCH_LARGE=0 skips it).
    const large = lattice(100_000, 316);
    const started = performance.now();
    runEngine(large.wf);
    const engine100k = { perIteration: performance.now() - started };
    h.report('engine: 100k-node DAG (no-op steps), one run', Math.round(engine100k.perIteration), 'ms');
    const kahn100k = await h.measure('kahn: 100k-node topological sort', () => kahn(100_000, large.edges), { iterations: 5 });
    const engineGrowth = engine100k.perIteration / engine10k.perIteration;
    const kahnGrowth = kahn100k.perIteration / kahn10k.perIteration;
    h.ratio('engine growth 100k/10k vs Kahn growth', engineGrowth, kahnGrowth, { max: 2 });
  }
}
