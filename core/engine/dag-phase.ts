// A DAG's phase, decided by its target tasks (the leaves unless `target` is set): each
// branch is walked from the DAG's children with the phase it carries, as Argo's
// assessDAGPhase does; failFast stops at the first failed target.
import type { DAGTask, Template } from '../spec/index.js';
import { failedOrError, isCompleted, isFulfilled, type Operation } from './context.js';
import type { NodePhase, NodeStatus } from './types.js';

/** What the assessment needs of a running DAG. */
export interface DagView {
  readonly op: Operation;
  readonly boundaryID: string;
  readonly tmpl: Template;
  taskNodeId(task: string): string;
  task(name: string): DAGTask;
}

function continuesOn(task: DAGTask, phase: string): boolean {
  return (phase === 'Failed' && Boolean(task.continueOn?.failed)) || (phase === 'Error' && Boolean(task.continueOn?.error));
}

export function assessDagPhase(dag: DagView, targets: string[], isShutdown: boolean): NodePhase {
  if (isShutdown) return 'Failed';
  const op = dag.op;
  const targetPhases = new Map<string, string>();
  for (const t of targets) targetPhases.set(dag.taskNodeId(t), '');
  const boundary = op.nodeById(dag.boundaryID);
  const queue: { id: string; phase: string }[] = (boundary?.children ?? []).map((id) => ({ id, phase: 'Succeeded' }));
  const seen = new Map<string, number>(); // node id -> bit set of branch phases already walked
  const groupsToComplete = new Map<string, NodePhase>();
  for (let q = 0; q < queue.length; q++) {
    const curr = queue[q];
    const bit = PHASE_BIT[curr.phase] ?? 64;
    const walked = seen.get(curr.id) ?? 0;
    if (walked & bit) continue;
    seen.set(curr.id, walked | bit);
    const node = op.nodeById(curr.id);
    if (!node) return 'Running';
    let branchPhase = curr.phase;
    if (!isFulfilled(node)) {
      const group = completableTaskGroupPhase(op, node);
      if (group === undefined) return 'Running';
      groupsToComplete.set(node.name ?? '', group);
      branchPhase = group;
    } else if (isCompleted(node)) {
      branchPhase = node.phase ?? branchPhase;
    }
    if (targetPhases.has(node.id)) {
      const prev = targetPhases.get(node.id) ?? '';
      if (!failedOrError(prev)) targetPhases.set(node.id, branchPhase);
    }
    const next = node.type === 'Retry' ? retryChildrenIds(op, node) : node.children ?? [];
    for (const id of next) queue.push({ id, phase: branchPhase });
  }
  for (const [name, phase] of groupsToComplete) op.markPhase(name, phase);

  const failFast = dag.tmpl.dag?.failFast === undefined || dag.tmpl.dag.failFast;
  let result: NodePhase = 'Succeeded';
  for (const t of targets) {
    const phase = targetPhases.get(dag.taskNodeId(t)) ?? '';
    if (phase === '') {
      result = 'Running';
      if (!failFast) break;
    } else if (failedOrError(phase)) {
      if (continuesOn(dag.task(t), phase)) continue;
      result = phase as NodePhase;
      if (failFast) break;
    }
  }
  return result;
}

const PHASE_BIT: Record<string, number> = { Pending: 1, Running: 2, Succeeded: 4, Failed: 8, Error: 16, Skipped: 32, Omitted: 128 };

export function completableTaskGroupPhase(op: Operation, node: Readonly<NodeStatus>): NodePhase | undefined {
  if (node.type !== 'TaskGroup' || !node.children?.length) return undefined;
  let phase: NodePhase = 'Succeeded';
  for (const id of node.children) {
    const child = op.peek(id);
    if (!child || !isFulfilled(child)) return undefined;
    if (failedOrError(child.phase)) phase = child.phase as NodePhase;
  }
  return phase;
}

function retryChildrenIds(op: Operation, node: NodeStatus): string[] {
  const ids: string[] = [];
  const children = node.children ?? [];
  for (let i = children.length - 1; i >= 0; i--) {
    const child = op.nodeById(children[i]);
    if (!child) continue;
    if (child.nodeFlag?.hooked) ids.push(child.id);
    else if (child.children?.length) ids.push(...child.children);
  }
  return ids;
}
