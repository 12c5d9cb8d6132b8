// Public surface of core/engine: a pure state machine. reconcile() takes a workflow, its
// status, what happened, and the time; it returns the new status and what to do next.
// No I/O, no clock, no randomness: every rule is testable with plain data.
import type { Workflow } from '../spec/index.js';
import { isFulfilled, Operation, type MutableStatus } from './context.js';
import { applyEvent } from './events.js';
import { operate, workflowFinished } from './workflow.js';
import type { EngineEnvironment, EngineEvent, ReconcileResult, WorkflowStatus } from './types.js';

export * from './types.js';
export { nodeIdFor, podNameFor, fnv32a } from './names.js';
export { parseDurationMs } from './durations.js';
export { storedTemplateKey } from './templates.js';
export { workflowFinished };

const MAX_PASSES = 20;

export function reconcile(
  workflow: Workflow, status: WorkflowStatus | undefined, events: EngineEvent | EngineEvent[], now: number, env: EngineEnvironment = {},
): ReconcileResult {
  const copy = structuredClone(status ?? {}) as MutableStatus;
  copy.nodes ??= {};
  const list = Array.isArray(events) ? events : [events];
  const first = new Operation(workflow, copy, now, env);
  for (const e of list) applyEvent(first, e);
  const actions = [];
  let wakeAt: number | undefined;
  let op = first;
  // Repeat while a pass makes progress: a node finishing mid-pass can unblock a sibling
  // that this pass already judged (stale parallelism counts), as Argo's requeue would.
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const before = signature(copy);
    operate(op);
    actions.push(...op.actions);
    if (op.wakeAt !== undefined && (wakeAt === undefined || op.wakeAt < wakeAt)) wakeAt = op.wakeAt;
    if (signature(copy) === before) break;
    op = new Operation(workflow, copy, now, env);
  }
  const done = workflowFinished(copy.phase);
  return { status: copy, actions: dedupe(actions), wakeAt: done ? undefined : wakeAt, done };
}

function signature(status: MutableStatus): string {
  let fulfilled = 0;
  let count = 0;
  let running = 0;
  for (const node of Object.values(status.nodes)) {
    count++;
    if (isFulfilled(node)) fulfilled++;
    else if (node.phase === 'Running') running++;
  }
  return `${status.phase}|${count}|${fulfilled}|${running}`;
}

function dedupe<T extends { id: string }>(actions: T[]): T[] {
  const seen = new Set<string>();
  return actions.filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true)));
}
