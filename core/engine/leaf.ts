// Leaf templates (container, script, containerSet, resource, data, http, plugin): one node
// that the runtime hands to an executor. The engine only creates the node, asks for it to
// start, and enforces its deadlines; the outcome comes back as a node-finished event.
import type { Template } from '../spec/index.js';
import { formatTime, isFulfilled, timeMs, type Operation } from './context.js';
import { podNameFor } from './names.js';
import { parseDurationMs } from './durations.js';
import { refOf, type ExecuteOptions } from './execute.js';
import type { TemplateHolder } from './templates.js';
import type { NodeStatus, NodeType, StartNodeAction } from './types.js';

export interface LeafOptions extends ExecuteOptions {
  holder: TemplateHolder;
  scope: string;
  /** The node waited for a lock that was just granted: start it now. */
  unlocked?: boolean;
}

export function executeLeaf(op: Operation, nodeName: string, tmpl: Template, type: NodeType, opts: LeafOptions): NodeStatus {
  let node = op.node(nodeName);
  if (!node || (opts.unlocked && node.phase === 'Pending')) {
    node ??= op.initNode(nodeName, {
      type, phase: 'Pending', boundaryID: opts.boundaryID, templateName: opts.holder.template,
      templateRef: refOf(opts.holder), templateScope: opts.scope, hooked: opts.hooked, retried: opts.retried,
    });
    if (tmpl.inputs && (tmpl.inputs.parameters?.length || tmpl.inputs.artifacts?.length)) node.inputs = structuredClone(tmpl.inputs);
    if (op.shuttingDown && !(op.state.shutdown === 'Stop' && opts.onExit)) {
      op.markNode(node, 'Failed', `workflow shutdown with strategy: ${op.state.shutdown}`);
      return node;
    }
    const podName = podNameFor(op.name, nodeName, tmpl.name ?? '');
    const deadline = leafDeadline(op, node, tmpl, opts);
    if (deadline !== undefined) op.wakeAtLeastBy(deadline);
    op.activePods++;
    // Fields assigned in order rather than spread in: one start per node, and conditional
    // spreads are a slow generic copy.
    const start: StartNodeAction = {
      type: 'start',
      id: `start:${node.id}`,
      nodeId: node.id,
      nodeName,
      displayName: node.displayName ?? nodeName,
      podName,
      template: tmpl,
      artifactKeyPrefix: `${op.name}/${podName}`,
    } as StartNodeAction;
    if (deadline !== undefined) start.deadline = deadline;
    if (tmpl.memoize) {
      start.memoize = { key: tmpl.memoize.key ?? '', cache: tmpl.memoize.cache?.configMap?.name ?? '' };
      if (tmpl.memoize.maxAge) start.memoize.maxAge = tmpl.memoize.maxAge;
    }
    start.onExit = Boolean(opts.onExit);
    op.emit(start);
    if (tmpl.containerSet) createContainerNodes(op, node, tmpl, opts);
    if (tmpl.memoize) node.memoizationStatus = { hit: false, key: tmpl.memoize.key ?? '', cacheName: tmpl.memoize.cache?.configMap?.name ?? '' };
    return node;
  }
  if (isFulfilled(node)) return node;
  enforceLeafDeadline(op, node, tmpl, opts);
  return node;
}

function leafDeadline(op: Operation, node: NodeStatus, tmpl: Template, opts: ExecuteOptions): number | undefined {
  const started = timeMs(node.startedAt) || op.now;
  const candidates: number[] = [];
  if (tmpl.activeDeadlineSeconds !== undefined) {
    const s = Number(tmpl.activeDeadlineSeconds);
    if (!Number.isNaN(s)) candidates.push(started + s * 1000);
  }
  if (tmpl.timeout) candidates.push(started + parseDurationMs(tmpl.timeout));
  if (opts.executionDeadline) candidates.push(opts.executionDeadline);
  if (op.deadline !== undefined && !opts.onExit) candidates.push(op.deadline);
  return candidates.length ? Math.min(...candidates) : undefined;
}

/** Kills a running leaf past its deadline; the node fails now, its process ends soon. */
function enforceLeafDeadline(op: Operation, node: NodeStatus, tmpl: Template, opts: ExecuteOptions): void {
  const deadline = leafDeadline(op, node, tmpl, opts);
  if (deadline === undefined) return;
  if (op.now >= deadline) {
    const byWorkflow = op.deadline !== undefined && deadline === op.deadline && !opts.onExit;
    const message = byWorkflow ? 'Step exceeded its deadline' : 'Pod was active on the node longer than the specified deadline';
    op.emit({ type: 'kill', id: `kill:${node.id}`, nodeId: node.id, reason: message });
    op.markNode(node, 'Failed', message);
    node.finishedAt = formatTime(op.now);
  } else {
    op.wakeAtLeastBy(deadline);
  }
}

function createContainerNodes(op: Operation, pod: NodeStatus, tmpl: Template, opts: LeafOptions): void {
  const podName = pod.name ?? '';
  const containers = tmpl.containerSet?.containers ?? [];
  for (const c of containers) {
    op.initNode(`${podName}.${c.name}`, {
      type: 'Container', phase: 'Pending', boundaryID: pod.id, templateName: opts.holder.template, templateRef: refOf(opts.holder),
      templateScope: opts.scope, hooked: opts.hooked, retried: opts.retried,
    });
  }
  for (const c of containers) {
    const deps = c.dependencies ?? [];
    if (deps.length === 0) op.addChild(podName, `${podName}.${c.name}`);
    for (const d of deps) op.addChild(`${podName}.${d}`, `${podName}.${c.name}`);
  }
}
