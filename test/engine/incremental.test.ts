// The engine remembers per-DAG and per-loop progress between reconciles (progress.ts) so a
// pass costs what changed. Property: for random DAGs, loops, dependencies, `depends`
// expressions, outcomes, delays and parallelism, a run that keeps that memory ends exactly
// like one that rebuilds it from the status on every reconcile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Workflow } from '../../core/spec/index.js';
import { reconcile, type EngineEvent, type NodeOutcome, type StartNodeAction, type WorkflowStatus } from '../../core/engine/index.js';
import { simulate } from '../support/simulate.js';

interface TaskShape {
  deps: number[];
  useDepends: boolean;
  items: number;
  fails: boolean;
  continueOn: boolean;
}

const taskShape = (index: number) =>
  fc.record({
    deps: fc.uniqueArray(fc.nat(Math.max(0, index - 1)), { maxLength: Math.min(index, 3) }).map((d) => (index === 0 ? [] : d)),
    useDepends: fc.boolean(),
    items: fc.constantFrom(0, 0, 0, 2, 3),
    fails: fc.constantFrom(false, false, false, true),
    continueOn: fc.boolean(),
  });

const dagShape = fc.integer({ min: 1, max: 10 }).chain((n) =>
  fc.record({
    tasks: fc.tuple(...Array.from({ length: n }, (_, i) => taskShape(i))),
    parallelism: fc.constantFrom(undefined, 1, 2, 3),
    failFast: fc.constantFrom(undefined, true, false),
    nested: fc.boolean(),
  }),
);

function workflowOf(shape: { tasks: TaskShape[]; parallelism?: number; failFast?: boolean; nested: boolean }): Workflow {
  const tasks = shape.tasks.map((t, i) => {
    const task: Record<string, unknown> = { name: `t${i}`, template: t.fails ? 'bad' : 'good' };
    if (t.deps.length) {
      if (t.useDepends) task.depends = t.deps.map((d, k) => (k % 2 === 0 ? `t${d}` : `(t${d}.Succeeded || t${d}.Failed)`)).join(' && ');
      else task.dependencies = t.deps.map((d) => `t${d}`);
    }
    if (t.items) task.withItems = Array.from({ length: t.items }, (_, k) => `i${k}`);
    if (t.continueOn) task.continueOn = { failed: true };
    return task;
  });
  const templates: Record<string, unknown>[] = [
    { name: 'main', dag: { tasks, ...(shape.failFast === undefined ? {} : { failFast: shape.failFast }) } },
    { name: 'good', container: { image: 'alpine', command: ['true'] } },
    { name: 'bad', container: { image: 'alpine', command: ['false'] } },
  ];
  if (shape.nested) {
    // the same DAG one level down, under a steps loop: nested memory for nested boundaries
    templates.unshift({ name: 'outer', steps: [[{ name: 'inner', template: 'main', withItems: ['a', 'b'] }]] });
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name: 'prop', namespace: 'default' },
    spec: { entrypoint: shape.nested ? 'outer' : 'main', ...(shape.parallelism ? { parallelism: shape.parallelism } : {}), templates },
  } as unknown as Workflow;
}

/** Deterministic per node: a delay from its name, failure from its template. */
function answer(a: StartNodeAction): { after: number; outcome: NodeOutcome } {
  let h = 0;
  for (const c of a.nodeName) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const failed = a.template.name === 'bad';
  return { after: 1000 * (h % 4), outcome: failed ? { phase: 'Failed', message: 'exit 1', exitCode: 1 } : { phase: 'Succeeded', exitCode: 0 } };
}

function summary(status: { phase?: string; nodes?: Record<string, { name?: string; phase?: string; type?: string; children?: string[]; message?: string }> }) {
  const nodes = Object.values(status.nodes ?? {})
    .map((n) => `${n.name} ${n.type} ${n.phase} [${(n.children ?? []).join(',')}] ${n.message ?? ''}`)
    .sort();
  return { phase: status.phase, nodes };
}

test('kept engine memory and a rebuild on every reconcile give the same run', () => {
  fc.assert(
    fc.property(dagShape, (shape) => {
      const wf = workflowOf(shape);
      const kept = simulate(wf, answer, { inPlace: true });
      const rebuilt = simulate(wf, answer, { forget: true });
      assert.deepEqual(summary(kept.status), summary(rebuilt.status));
      assert.ok(['Succeeded', 'Failed'].includes(kept.status.phase ?? ''), `finished: ${kept.status.phase}`);
    }),
    { numRuns: 150 },
  );
});

/**
 * The store re-serializes only the nodes a reconcile names in changedNodes (the others keep
 * their text), so every node whose JSON differs after a reconcile must be named: nodes only
 * read (peeked) may be left out, nodes written may not.
 */
test('changedNodes names every node a reconcile changed', () => {
  fc.assert(
    fc.property(dagShape, (shape) => {
      const wf = workflowOf(shape);
      let status: WorkflowStatus | undefined;
      let now = Date.UTC(2026, 0, 1);
      let events: EngineEvent[] = [{ type: 'tick' }];
      const pending: { at: number; event: EngineEvent }[] = [];
      for (let step = 0; step < 500; step++) {
        const before = new Map(Object.entries(status?.nodes ?? {}).map(([id, n]) => [id, JSON.stringify(n)]));
        const r = reconcile(wf, status, events, now, {}, { inPlace: true });
        status = r.status;
        const named = new Set(r.changedNodes);
        for (const [id, node] of Object.entries(status.nodes ?? {})) {
          if (before.get(id) !== JSON.stringify(node)) assert.ok(named.has(id), `${node.name} changed but was not named`);
        }
        if (r.done) return;
        for (const a of r.actions) {
          if (a.type !== 'start') continue;
          const { after, outcome } = answer(a);
          pending.push({ at: now + after, event: { type: 'node-finished', nodeId: a.nodeId, outcome } });
        }
        pending.sort((x, y) => x.at - y.at);
        now = Math.max(now, Math.min(pending[0]?.at ?? Infinity, r.wakeAt ?? Infinity));
        if (!Number.isFinite(now)) return;
        events = [];
        while (pending.length && (pending[0]?.at ?? Infinity) <= now) events.push((pending.shift() as { event: EngineEvent }).event);
        if (events.length === 0) events.push({ type: 'tick' });
      }
      assert.fail('the run did not finish in 500 reconciles');
    }),
    { numRuns: 150 },
  );
});

test('a 2,000-item loop and a 2,000-task DAG finish under workflow parallelism', () => {
  const loop = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'wide', namespace: 'default' },
    spec: {
      entrypoint: 'main', parallelism: 16,
      templates: [
        { name: 'main', dag: { tasks: [{ name: 'fan', template: 'good', withSequence: { count: '2000' } }] } },
        { name: 'good', container: { image: 'alpine', command: ['true'] } },
      ],
    },
  } as unknown as Workflow;
  const r = simulate(loop, () => ({ phase: 'Succeeded', exitCode: 0 }), { inPlace: true });
  assert.equal(r.status.phase, 'Succeeded');
  assert.equal(Object.values(r.status.nodes ?? {}).filter((n) => n.type === 'Pod').length, 2000);
});
