// Public surface of core/engine: a pure state machine. reconcile() takes a workflow, its
// status, what happened, and the time; it returns the new status and what to do next.
// No I/O, no clock, no randomness: every rule is testable with plain data.
import type { Workflow } from '../spec/index.js';
import { Operation, type MutableStatus } from './context.js';
import { keepMemory, takeMemory } from './progress.js';
import { applyEvent } from './events.js';
import { operate, workflowFinished } from './workflow.js';
import type { EngineEnvironment, EngineEvent, NodeStatus, ReconcileResult, WorkflowStatus } from './types.js';

export * from './types.js';
export { nodeIdFor, podNameFor, fnv32a } from './names.js';
export { parseDurationMs } from './durations.js';
export { storedTemplateKey } from './templates.js';
export { workflowFinished };

const MAX_PASSES = 20;

export interface ReconcileOptions {
  /**
   * The caller hands the status over: the engine updates it in place and returns it,
   * instead of copying it first. The caller must not use the old object afterwards except
   * as the result (the runtime does this; the default keeps the input untouched).
   */
  inPlace?: boolean;
}

export function reconcile(
  workflow: Workflow, status: WorkflowStatus | undefined, events: EngineEvent | EngineEvent[], now: number, env: EngineEnvironment = {},
  options: ReconcileOptions = {},
): ReconcileResult {
  const list = Array.isArray(events) ? events : [events];
  const memory = takeMemory(status, workflow);
  if (list.some((e) => !INCREMENTAL_EVENTS.has(e.type))) memory.clear(); // resume/stop/...: rebuild
  const copy = options.inPlace && status ? ownStatus(status) : copyStatus(status);
  const transitions = new Map<string, string | undefined>();
  const touched = new Set<string>();
  const first = new Operation(workflow, copy, now, env, memory, transitions, touched);
  for (const e of list) applyEvent(first, e);
  const actions = [];
  let wakeAt: number | undefined;
  let op = first;
  // Repeat while a pass makes progress: a node finishing mid-pass can unblock a sibling
  // that this pass already judged (stale parallelism counts), as Argo's requeue would.
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const before = copy.phase;
    operate(op);
    actions.push(...op.actions);
    if (op.wakeAt !== undefined && (wakeAt === undefined || op.wakeAt < wakeAt)) wakeAt = op.wakeAt;
    if (op.changes === 0 && copy.phase === before) break;
    op = new Operation(workflow, copy, now, env, memory, transitions, touched);
  }
  const done = workflowFinished(copy.phase);
  if (!done) keepMemory(copy, memory);
  const changed = [...transitions].map(([id, previousPhase]) => ({ id, previousPhase }));
  return { status: copy, actions: dedupe(actions), wakeAt: done ? undefined : wakeAt, done, transitions: changed, changedNodes: [...touched] };
}

/** Events that only move nodes forward: the memory of the last reconcile stays valid. */
const INCREMENTAL_EVENTS = new Set<EngineEvent['type']>(['tick', 'node-running', 'node-daemoned', 'node-finished', 'lock-granted']);

function ownStatus(status: WorkflowStatus): MutableStatus {
  const s = status as MutableStatus;
  s.nodes ??= {};
  return s;
}

/**
 * The engine never mutates its input: nodes are copied one level deep (their arrays and
 * small objects too), which is all the engine writes to; Suspend outputs, which resume
 * edits in place, are copied whole.
 */
function copyStatus(status: WorkflowStatus | undefined): MutableStatus {
  const { nodes, ...rest } = status ?? {};
  const copy = structuredClone(rest) as MutableStatus;
  copy.nodes = {};
  for (const [id, n] of Object.entries(nodes ?? {})) {
    const c: NodeStatus = { ...n };
    if (n.children) c.children = [...n.children];
    if (n.outboundNodes) c.outboundNodes = [...n.outboundNodes];
    if (n.outputs) c.outputs = n.type === 'Suspend' ? structuredClone(n.outputs) : { ...n.outputs };
    if (n.nodeFlag) c.nodeFlag = { ...n.nodeFlag };
    if (n.memoizationStatus) c.memoizationStatus = { ...n.memoizationStatus };
    if (n.synchronizationStatus) c.synchronizationStatus = { ...n.synchronizationStatus };
    copy.nodes[id] = c;
  }
  return copy;
}

function dedupe<T extends { id: string }>(actions: T[]): T[] {
  const seen = new Set<string>();
  return actions.filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true)));
}
