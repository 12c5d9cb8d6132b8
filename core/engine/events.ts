// Applying what the runtime reports (node started/finished, locks granted, resume, stop)
// to the status before a pass. Late reports for nodes already decided are ignored.
import { formatTime, isFulfilled, type Operation } from './context.js';
import { recordGrant } from './locks.js';
import { promoteGlobalOutputs } from './outputs.js';
import { resumeSuspendNode } from './suspend.js';
import type { EngineEvent, NodeOutcome, NodePhase, NodeStatus } from './types.js';

export function applyEvent(op: Operation, event: EngineEvent): void {
  switch (event.type) {
    case 'tick':
      return;
    case 'node-running': {
      const node = op.nodeById(event.nodeId);
      if (node && node.phase === 'Pending') op.markNode(node, 'Running');
      return;
    }
    case 'node-daemoned': {
      const node = op.nodeById(event.nodeId);
      if (node && !isFulfilled(node)) {
        node.daemoned = true;
        op.markNode(node, 'Running');
      }
      return;
    }
    case 'node-finished': {
      const node = op.nodeById(event.nodeId);
      if (!node) return;
      applyOutcome(op, node, event.outcome);
      return;
    }
    case 'lock-granted':
      recordGrant(op, event.holder, event.locks);
      return;
    case 'resume':
      op.state.suspended = false;
      for (const node of Object.values(op.status.nodes)) {
        if (node.type !== 'Suspend' || isFulfilled(node)) continue;
        if (event.nodeFieldSelector && !matchesSelector(node, event.nodeFieldSelector)) continue;
        resumeSuspendNode(op, node, event.outputParameters);
      }
      return;
    case 'suspend':
      op.state.suspended = true;
      return;
    case 'stop':
    case 'terminate':
      if (op.state.shutdown !== 'Terminate') op.state.shutdown = event.type === 'stop' ? 'Stop' : 'Terminate';
      if (event.message) op.state.shutdownMessage = event.message;
      return;
    default:
      return;
  }
}

function applyOutcome(op: Operation, node: NodeStatus, outcome: NodeOutcome): void {
  if (outcome.outputs) node.outputs = outcome.outputs;
  if (outcome.exitCode !== undefined) {
    node.outputs ??= {};
    node.outputs.exitCode ??= String(outcome.exitCode);
  }
  if (outcome.memoHit && node.memoizationStatus) node.memoizationStatus.hit = true;
  for (const c of outcome.containers ?? []) {
    const child = op.node(`${node.name}.${c.name}`);
    if (!child || isFulfilled(child)) continue;
    if (c.startedAt) child.startedAt = c.startedAt;
    op.markNode(child, c.phase as NodePhase, c.message);
    if (c.finishedAt) child.finishedAt = c.finishedAt;
    if (c.exitCode !== undefined) child.outputs = { ...(child.outputs ?? {}), exitCode: String(c.exitCode) };
  }
  if (isFulfilled(node)) return; // already decided (killed past its deadline, or shut down)
  if (node.daemoned) {
    delete node.daemoned;
  }
  op.markNode(node, outcome.phase, outcome.message ?? '');
  node.finishedAt = formatTime(op.now);
  if (outcome.phase === 'Succeeded') promoteGlobalOutputs(op, node.outputs);
  for (const id of node.children ?? []) {
    const child = op.nodeById(id);
    if (child?.type === 'Container' && !isFulfilled(child)) op.markNode(child, outcome.phase === 'Succeeded' ? 'Succeeded' : 'Failed');
  }
}

/** `displayName=x`, `templateName=y`, `name=...`, comma-separated, all must match. */
function matchesSelector(node: NodeStatus, selector: string): boolean {
  return selector.split(',').every((part) => {
    const [rawKey, ...rest] = part.split(/!=|=/);
    const value = rest.join('=');
    const negate = part.includes('!=');
    const key = rawKey.trim();
    const record = node as Record<string, unknown>;
    const actual = key === 'inputs.parameters' ? undefined : String(record[key] ?? '');
    const eq = actual === value.trim();
    return negate ? !eq : eq;
  });
}
