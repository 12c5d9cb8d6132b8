// Scheduler at scale: a no-op DAG workflow (every start answered at once, at the action
// level) against a bare Kahn topological sort of the same graph, at 10k and 100k nodes.
import { spawnSync } from 'node:child_process';
import type { Workflow } from '../core/spec/index.js';
import type { BenchHarness } from './harness.js';
import { simulate } from '../test/support/simulate.js';
import { nodeIdFor, podNameFor } from '../core/engine/names.js';

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

/**
 * The least any engine writing Argo's status must do per node, with nothing else: in Kahn
 * order, name the node, hash its ID and pod name, create its status entry and start action,
 * link it under its dependencies, then record it finished. A floor, not a competitor: it
 * has no scheduler state, no templates and no store.
 */
function argoShapedFloor(n: number, edges: [number, number][]): number {
  const order = kahn(n, edges);
  const parents: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) parents[b].push(a);
  const wf = 'bench';
  const ids: string[] = new Array<string>(n);
  const nodes: Record<string, Record<string, unknown>> = {};
  const actions: unknown[] = [];
  const root = { id: wf, name: wf, displayName: wf, type: 'DAG', phase: 'Running', children: [] as string[] };
  nodes[wf] = root;
  for (const i of order) {
    const task = `t${i}`;
    const name = `${wf}.${task}`;
    const id = nodeIdFor(wf, name);
    ids[i] = id;
    const node: Record<string, unknown> = {
      id, name, displayName: task, type: 'Pod', phase: 'Pending', templateScope: 'local/bench',
      startedAt: '2026-01-01T00:00:00Z', templateName: 'noop', boundaryID: wf,
    };
    nodes[id] = node;
    if (parents[i].length === 0) root.children.push(id);
    for (const p of parents[i]) ((nodes[ids[p]].children ??= []) as string[]).push(id);
    actions.push({ type: 'start', id: `start:${id}`, nodeId: id, nodeName: name, displayName: task, podName: podNameFor(wf, name, 'noop') });
    node.phase = 'Succeeded';
    node.finishedAt = '2026-01-01T00:00:01Z';
    node.outputs = { exitCode: '0' };
  }
  return actions.length;
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
  // The baselines first, warm, in a tight loop, on a heap the engine has not filled yet
  // (after it, a major GC lands in their runs): their best times, so the ratios err against us.
  const kahn10k = await h.measure('kahn: 10k-node topological sort', () => kahn(10_000, small.edges), { iterations: 20 });
  const floor = await h.measure('floor: Argo-shaped status and start actions alone, 10k nodes', () => argoShapedFloor(10_000, small.edges), { iterations: 5, warmup: 5 });
  const engine10k = await h.measure('engine: 10k-node DAG (no-op steps)', () => runEngine(small.wf), { iterations: 1, warmup: 1 });
  h.ratio('engine vs Kahn, 10k nodes', engine10k.perIteration, kahn10k.perIteration, { max: 10 });
  h.ratio('floor vs Kahn (what status entries alone cost)', floor.perIteration, kahn10k.perIteration);
  h.ratio('engine vs that floor', engine10k.perIteration, floor.perIteration);
  const rss = rssOfRun();
  h.limit('engine peak RSS, a process running the 10k workflow', Math.round(rss.peak / 1e6), 'MB', 150,
    `${Math.round(rss.before / 1e6)} MB of it before the run: node and the modules`);
  if (process.env.WEFT_BENCH_LARGE !== '0') {
    // One timed run: at 100k nodes a run takes minutes (WEFT_BENCH_LARGE=0 skips it).
    const large = lattice(100_000, 316);
    const kahn100k = await h.measure('kahn: 100k-node topological sort', () => kahn(100_000, large.edges), { iterations: 5 });
    const started = performance.now();
    runEngine(large.wf);
    const engine100k = { perIteration: performance.now() - started };
    h.report('engine: 100k-node DAG (no-op steps), one run', Math.round(engine100k.perIteration), 'ms');
    const engineGrowth = engine100k.perIteration / engine10k.perIteration;
    const kahnGrowth = kahn100k.perIteration / kahn10k.perIteration;
    h.ratio('engine growth 100k/10k vs Kahn growth', engineGrowth, kahnGrowth, { max: 2 });
  }
}
