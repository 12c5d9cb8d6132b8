// One pass over a whole workflow (Argo's operate): globals, deadline and shutdown, the
// entrypoint, workflow hooks and the exit handler, then the workflow's own phase.
import { isFulfilled, failedOrError, formatTime, errorMessage, type Operation } from './context.js';
import { executeTemplate } from './execute.js';
import { computeGlobals } from './globals.js';
import { executeWorkflowHooks, exitHookOf } from './hooks.js';
import { acquireLocks, releaseHolder } from './locks.js';
import { onExitNodeName } from './names.js';
import { countActivePods } from './parallelism.js';
import { ParallelismReached } from './signals.js';
import type { TemplateContext } from './templates.js';
import type { NodeStatus, WorkflowPhase } from './types.js';

const FINAL = new Set(['Succeeded', 'Failed', 'Error']);

export function workflowFinished(phase: string | undefined): boolean {
  return FINAL.has(phase ?? '');
}

export function operate(op: Operation): void {
  const status = op.status;
  if (workflowFinished(status.phase)) return;
  if (!status.phase || status.phase === 'Pending') {
    status.startedAt ??= formatTime(op.now);
  }
  try {
    op.globals = computeGlobals(op);
  } catch (err) {
    finish(op, 'Error', errorMessage(err));
    return;
  }
  const ads = op.wf.spec?.activeDeadlineSeconds;
  if (ads !== undefined && status.startedAt) {
    op.deadline = Math.floor(Date.parse(status.startedAt) / 1000) * 1000 + Number(ads) * 1000;
    if (op.now < op.deadline) op.wakeAtLeastBy(op.deadline);
  }
  const pastDeadline = op.deadline !== undefined && op.now >= op.deadline;
  if (pastDeadline || op.shuttingDown) stopRunningNodes(op, pastDeadline && !op.shuttingDown);

  if (op.wf.spec?.synchronization) {
    let acquired: boolean;
    try {
      acquired = acquireLocks(op, op.name, op.wf.spec.synchronization);
    } catch (err) {
      finish(op, 'Failed', `Failed to acquire the synchronization lock. ${errorMessage(err)}`);
      return;
    }
    if (!acquired) {
      status.phase = 'Pending';
      status.message = 'Waiting for workflow-level lock';
      return;
    }
    if (status.message === 'Waiting for workflow-level lock') delete status.message;
  }
  if (status.phase !== 'Running') status.phase = 'Running';
  if (op.state.suspended) return;

  op.activePods = op.wf.spec?.parallelism !== undefined ? countActivePods(op) : 0;
  const ctx: TemplateContext = { kind: 'local', name: op.name };
  let root: NodeStatus | undefined;
  try {
    root = executeTemplate(op, op.name, { template: op.wf.spec?.entrypoint }, ctx, op.wf.spec?.arguments, {});
  } catch (err) {
    if (err instanceof ParallelismReached) return;
    finish(op, 'Error', `error in entry template execution: ${errorMessage(err)}`);
    return;
  }
  if (!root) return;

  const rootPhase = workflowPhaseOf(root.phase);
  op.globals['workflow.status'] = rootPhase;
  if (isFulfilled(root)) op.globals['workflow.failures'] = JSON.stringify(JSON.stringify(failures(op)));

  let hooksDone: boolean;
  try {
    hooksDone = executeWorkflowHooks(op, ctx);
  } catch (err) {
    op.markNode(root, 'Error', errorMessage(err));
    hooksDone = true;
  }
  if (!hooksDone || !isFulfilled(root)) return;

  let exitNode: NodeStatus | undefined;
  const exitHook = exitHookOf({ onExit: op.wf.spec?.onExit, hooks: op.wf.spec?.hooks });
  if (exitHook) {
    const name = onExitNodeName(op.name);
    exitNode = op.node(name);
    if (exitNode || op.state.shutdown !== 'Terminate') {
      try {
        exitNode = executeTemplate(op, name, { template: exitHook.template, templateRef: exitHook.templateRef }, ctx, exitHook.arguments, { onExit: true, hooked: true });
      } catch (err) {
        if (err instanceof ParallelismReached) return;
        finish(op, 'Error', `error in exit template execution: ${errorMessage(err)}`);
        return;
      }
      if (!exitNode || !isFulfilled(exitNode)) return;
    }
  }

  const message = failedOrError(root.phase) && op.shuttingDown ? `Stopped with strategy '${op.state.shutdown}'` : root.message;
  if (rootPhase === 'Succeeded') {
    if (exitNode && failedOrError(exitNode.phase)) finish(op, exitNode.phase === 'Failed' ? 'Failed' : 'Error', exitNode.message);
    else finish(op, 'Succeeded');
  } else {
    finish(op, rootPhase === 'Error' ? 'Error' : 'Failed', message);
  }
}

function workflowPhaseOf(phase: string | undefined): WorkflowPhase {
  switch (phase) {
    case 'Pending': return 'Pending';
    case 'Running': return 'Running';
    case 'Failed': return 'Failed';
    case 'Error': return 'Error';
    default: return 'Succeeded';
  }
}

function failures(op: Operation): Record<string, unknown>[] {
  return Object.values(op.status.nodes)
    .filter((n) => failedOrError(n.phase))
    .map((n) => ({
      displayName: n.displayName, message: n.message ?? '', templateName: n.templateName ?? n.templateRef?.template ?? '',
      phase: n.phase, podName: n.id, finishedAt: n.finishedAt ?? null,
    }));
}

/** Deadline passed or shutdown: end running work (Stop spares exit handlers). */
function stopRunningNodes(op: Operation, byDeadline: boolean): void {
  const message = byDeadline ? 'Step exceeded its deadline' : `workflow shutdown with strategy: ${op.state.shutdown}`;
  for (const node of Object.values(op.status.nodes)) {
    if (isFulfilled(node)) continue;
    if (node.type !== 'Pod' && node.type !== 'HTTP' && node.type !== 'Plugin' && node.type !== 'Suspend' && node.type !== 'Container') continue;
    if (isExitHandlerNode(op, node) && (byDeadline || op.state.shutdown === 'Stop')) continue;
    if (node.type !== 'Suspend' && node.type !== 'Container') op.emit({ type: 'kill', id: `kill:${node.id}`, nodeId: node.id, reason: message });
    op.markNode(node, 'Failed', message);
  }
}

function isExitHandlerNode(op: Operation, node: NodeStatus): boolean {
  let current: NodeStatus | undefined = node;
  const guard = new Set<string>();
  while (current && !guard.has(current.id)) {
    guard.add(current.id);
    if ((current.name ?? '').includes('.onExit') || current.nodeFlag?.hooked) return true;
    current = current.boundaryID ? op.nodeById(current.boundaryID) : undefined;
  }
  return (node.name ?? '').startsWith(`${op.name}.onExit`);
}

function finish(op: Operation, phase: 'Succeeded' | 'Failed' | 'Error', message?: string): void {
  const status = op.status;
  status.phase = phase;
  status.finishedAt = formatTime(op.now);
  if (message) status.message = message;
  else delete status.message;
  releaseHolder(op, op.name);
  let pods = 0;
  let succeeded = 0;
  for (const node of Object.values(status.nodes)) {
    if (node.type !== 'Pod' && node.type !== 'HTTP' && node.type !== 'Plugin') continue;
    pods++;
    if (node.phase === 'Succeeded') succeeded++;
    else if (!isFulfilled(node)) {
      op.emit({ type: 'kill', id: `kill:${node.id}`, nodeId: node.id, reason: 'workflow finished' });
      op.markNode(node, node.daemoned ? 'Succeeded' : 'Failed', node.daemoned ? '' : 'workflow finished');
      delete node.daemoned;
    }
  }
  // Counted as the nodes were before this finish stopped any (Argo's progress at completion).
  status.progress = `${succeeded}/${pods}`;
}
