// A DAG pass visits only the tasks that can change: the progress kept in the engine memory
// (progress.ts) says which tasks are released (finished, hooks done), how many
// dependencies each still waits for, and which are candidates (started, or ready). Tasks
// are visited in the order Argo's recursive walk from the targets would execute them.
import { isFulfilled, type Operation } from './context.js';
import { completableTaskGroupPhase } from './dag-phase.js';
import type { DagContext, VisitOrder } from './dag-context.js';
import type { DagProgress } from './progress.js';
import type { NodeStatus } from './types.js';

/**
 * The DAG's progress from the last pass, or rebuilt from the nodes: a task is released once
 * it finished with its hooks, settled once released with no hooks to revisit; candidates
 * are the tasks not settled that are ready or already have a node.
 */
export function progressOf(dag: DagContext, order: VisitOrder): DagProgress {
  const kept = dag.op.memory.dags.get(dag.boundaryID);
  if (kept && kept.order === order) return kept;
  const n = order.names.length;
  const progress: DagProgress = { order, released: new Set(), waiting: new Int32Array(n), candidates: new Set() };
  for (let i = 0; i < n; i++) {
    const taskNode = dag.taskNode(order.names[i]);
    const done = isFulfilled(taskNode);
    if (done && allHooksFulfilled(dag.op, taskNode as NodeStatus)) progress.released.add(i);
    let waiting = order.unknownDeps[i];
    for (const d of order.deps[i]) if (!progress.released.has(d)) waiting++;
    progress.waiting[i] = waiting;
    if (!(done && !order.hooked[i]) && (waiting === 0 || taskNode !== undefined)) progress.candidates.add(i);
  }
  dag.op.memory.dags.set(dag.boundaryID, progress);
  return progress;
}

/**
 * Executes the candidate tasks in visit order; a task that finishes releases its
 * dependents, which join this same pass (they come later in the order), as the full
 * recursive walk would reach them. Daemoned tasks go first, as in Argo.
 */
export function visitCandidates(
  dag: DagContext, order: VisitOrder, progress: DagProgress, executeTask: (dag: DagContext, task: string) => void,
): void {
  const daemoned: number[] = [];
  for (const i of progress.candidates) if (dag.op.peek(dag.taskNodeId(order.names[i]))?.daemoned) daemoned.push(i);
  daemoned.sort((a, b) => order.templateIndex[a] - order.templateIndex[b]);
  for (const i of daemoned) {
    executeTask(dag, order.names[i]);
    settle(dag, order, progress, i, undefined);
  }
  const heap = new MinHeap([...progress.candidates]);
  for (let i = heap.pop(); i !== undefined; i = heap.pop()) {
    executeTask(dag, order.names[i]);
    settle(dag, order, progress, i, heap);
  }
}

function settle(dag: DagContext, order: VisitOrder, progress: DagProgress, i: number, heap: MinHeap | undefined): void {
  const taskNode = dag.op.peek(dag.taskNodeId(order.names[i]));
  if (!taskNode || !isFulfilled(taskNode)) return;
  if (!order.hooked[i]) progress.candidates.delete(i);
  if (progress.released.has(i) || !allHooksFulfilled(dag.op, taskNode)) return;
  progress.released.add(i);
  for (const d of order.dependents[i]) {
    if (--progress.waiting[d] !== 0) continue;
    progress.candidates.add(d);
    heap?.push(d);
  }
}

export function startedTaskRunning(dag: DagContext, order: VisitOrder, progress: DagProgress): boolean {
  for (const i of progress.candidates) {
    const n = dag.op.peek(dag.taskNodeId(order.names[i]));
    if (n && !isFulfilled(n) && completableTaskGroupPhase(dag.op, n) === undefined) return true;
  }
  return false;
}

/** A binary min-heap of task indices. */
class MinHeap {
  private readonly items: number[] = [];
  constructor(initial: number[]) {
    for (const x of initial) this.push(x);
  }

  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= x) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }

  pop(): number | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop() as number;
    if (a.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && a[l + 1] < a[l] ? l + 1 : l;
        if (a[c] >= last) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

export function allHooksFulfilled(op: Operation, node: Readonly<NodeStatus>): boolean {
  for (const id of node.children ?? []) {
    const child = op.peek(id);
    if (child?.nodeFlag?.hooked && !isFulfilled(child)) return false;
  }
  return true;
}
