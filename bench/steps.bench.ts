// Per-step overhead of the whole stack (engine + runtime + store + local executor) on a
// 1000-task DAG lattice of `true` steps, against `make -j2` on the same graph and against a
// minimal spawn-per-task loop written here, all with two steps at a time.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workflow } from '../core/spec/index.js';
import { createMemoryStore } from '../core/store/index.js';
import { composeRuntime, loadConfig, workflowFromDocument } from '../core/runtime/index.js';
import type { BenchHarness } from './harness.js';

const TASKS = 1000;
const WIDTH = 10;
const JOBS = 2;

function deps(i: number): number[] {
  const layer = Math.floor(i / WIDTH);
  if (layer === 0) return [];
  const col = i % WIDTH;
  return [...new Set([(layer - 1) * WIDTH + col, (layer - 1) * WIDTH + ((col + 1) % WIDTH)])];
}

function latticeWorkflow(): Workflow {
  const tasks = Array.from({ length: TASKS }, (_, i) => ({
    name: `t${i}`, template: 'noop', ...(deps(i).length ? { dependencies: deps(i).map((d) => `t${d}`) } : {}),
  }));
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow',
    metadata: { name: 'lattice' },
    spec: {
      entrypoint: 'main', parallelism: JOBS,
      templates: [{ name: 'main', dag: { tasks } }, { name: 'noop', container: { image: 'alpine', command: ['true'] } }],
    },
  } as unknown as Workflow;
}

function makefile(): string {
  const lines = [`all: ${Array.from({ length: TASKS }, (_, i) => `t${i}`).join(' ')}`, ''];
  for (let i = 0; i < TASKS; i++) lines.push(`t${i}: ${deps(i).map((d) => `t${d}`).join(' ')}`, '\t@true', '');
  lines.push(`.PHONY: all ${Array.from({ length: TASKS }, (_, i) => `t${i}`).join(' ')}`);
  return lines.join('\n');
}

/** Kahn order with at most JOBS processes at once: the least any runner must pay. */
export async function spawnBaseline(command: [string, string[]] = ['true', []]): Promise<void> {
  const indeg = Array.from({ length: TASKS }, (_, i) => deps(i).length);
  const out: number[][] = Array.from({ length: TASKS }, () => []);
  for (let i = 0; i < TASKS; i++) for (const d of deps(i)) out[d].push(i);
  const ready = indeg.flatMap((d, i) => (d === 0 ? [i] : []));
  let running = 0;
  let done = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      while (running < JOBS && ready.length) {
        const t = ready.shift() as number;
        running++;
        const child = spawn(command[0], command[1], { stdio: 'ignore' });
        child.on('error', reject);
        child.on('exit', () => {
          running--;
          done++;
          for (const n of out[t]) if (--indeg[n] === 0) ready.push(n);
          if (done === TASKS) resolve();
          else pump();
        });
      }
    };
    pump();
  });
}

/**
 * The baseline timed in a fresh node process: forking costs more from a process whose heap
 * earlier bench areas grew, which would flatter anything that avoids forking this one.
 */
function baselineInChild(command: [string, string[]]): number {
  const script = `
    const { spawnBaseline } = await import(${JSON.stringify(import.meta.url)});
    const started = performance.now();
    await spawnBaseline(${JSON.stringify(command)});
    console.log(performance.now() - started);`;
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`baseline failed: ${r.stderr}`);
    runs.push(Number(r.stdout.trim()));
  }
  return runs.sort((a, b) => a - b)[2] ?? 0;
}

async function runWeft(sandbox: 'bwrap' | 'none'): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'weft-bench-'));
  try {
    const config = loadConfig(undefined, scratch);
    config.local.sandbox = sandbox;
    const runtime = composeRuntime({ config, store: createMemoryStore(), workRoot: scratch, artifactsRoot: join(scratch, 'a') });
    const wf = workflowFromDocument({ kind: 'Workflow', value: latticeWorkflow() as unknown as Record<string, unknown> }, { now: Date.now() });
    const final = await runtime.submit(wf).finished;
    runtime.close();
    if (final.status?.phase !== 'Succeeded') throw new Error(`lattice ended ${final.status?.phase}: ${final.status?.message}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export default async function stepsBench(h: BenchHarness): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-make-'));
  const mk = join(dir, 'Makefile');
  writeFileSync(mk, makefile());
  try {
    const make = await h.measure(`make -j${JOBS}: ${TASKS}-task lattice`, () => {
      const r = spawnSync('make', ['-s', `-j${JOBS}`, '-f', mk, 'all'], { stdio: 'ignore' });
      if (r.status !== 0) throw new Error('make failed');
    }, { iterations: 1, warmup: 0 });
    const base = { perIteration: baselineInChild(['true', []]) };
    h.report(`spawn-per-task baseline, ${JOBS} at a time (fresh process)`, base.perIteration, 'ms/op', 'median of 5');
    const bwrapArgs = ['--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '--unshare-pid', 'true'];
    const bwrapOk = spawnSync('bwrap', bwrapArgs).status === 0;
    for (const sandbox of ['none', 'bwrap'] as const) {
      if (sandbox === 'bwrap' && !bwrapOk) {
        h.report('weft, sandbox bwrap', 0, 'skipped', 'bwrap not usable here');
        continue;
      }
      const weft = await h.measure(`weft run, sandbox ${sandbox}`, () => runWeft(sandbox), { iterations: 1, warmup: 0 });
      h.ratio(`weft (sandbox ${sandbox}) vs make -j${JOBS}`, weft.perIteration, make.perIteration, { max: 5 });
      h.limit(`weft (sandbox ${sandbox}) overhead per step above the spawn baseline`, (weft.perIteration - base.perIteration) / TASKS, 'ms', 1);
      if (sandbox === 'bwrap') {
        // What the sandbox alone costs: the same loop, each task a bare bwrap (no overlay).
        const bare = { perIteration: baselineInChild(['bwrap', bwrapArgs]) };
        h.report(`bwrap-per-task baseline, ${JOBS} at a time (fresh process)`, bare.perIteration, 'ms/op', 'median of 5');
        h.report('weft (sandbox bwrap) per step above the bwrap baseline', (weft.perIteration - bare.perIteration) / TASKS, 'ms');
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
