// executeTemplate: the re-entrant heart of the engine, as Argo's. Called on every pass
// for every reachable node; it finds the node by its deterministic name, resolves and
// binds the template, applies parallelism, locks and retries, then dispatches by kind.
import type { Arguments, Template } from '../spec/index.js';
import type { Vars } from '../expr/index.js';
import { durationSeconds, isFulfilled, errorMessage, timeMs, type Operation } from './context.js';
import { mayName, processArgsCached, substituteParams } from './args.js';
import { podNameFor } from './names.js';
import { executeLeaf } from './leaf.js';
import { executeSteps } from './steps.js';
import { executeDAG } from './dag.js';
import { executeSuspend } from './suspend.js';
import { processNodeRetries, retryAttempts } from './retry.js';
import { acquireLocks, releaseHolder, releaseLocks } from './locks.js';
import { blockedBeforeBinding, blockedByTemplate } from './parallelism.js';
import { ParallelismReached, MaxDepthExceeded, TemplateTimeout } from './signals.js';
import { parseDurationMs } from './durations.js';
import { promoteGlobalOutputs } from './outputs.js';
import { resolveTemplate, scopeString, templateType, isLeafType, type TemplateContext, type TemplateHolder } from './templates.js';
import type { NodeStatus, NodeType } from './types.js';

export interface ExecuteOptions {
  boundaryID?: string;
  onExit?: boolean;
  hooked?: boolean;
  retried?: boolean;
  holderKind?: 'step' | 'task';
  /** Deadline from retryStrategy.backoff.maxDuration, epoch ms. */
  executionDeadline?: number;
}

const MAX_DEPTH = 150;

/**
 * The options copied field by field: callers pass objects of many shapes, and a spread of
 * them is a slow generic copy (microseconds per node on large workflows).
 */
function copyOptions(opts: ExecuteOptions): ExecuteOptions {
  return {
    boundaryID: opts.boundaryID, onExit: opts.onExit, hooked: opts.hooked, retried: opts.retried,
    holderKind: opts.holderKind, executionDeadline: opts.executionDeadline,
  };
}

export function executeTemplate(
  op: Operation, nodeName: string, holder: TemplateHolder, ctx: TemplateContext, args: Arguments | undefined, opts: ExecuteOptions,
): NodeStatus | undefined {
  op.depth++;
  try {
    return executeTemplateInner(op, nodeName, holder, ctx, args, copyOptions(opts));
  } finally {
    op.depth--;
  }
}

function executeTemplateInner(
  op: Operation, nodeName: string, holder: TemplateHolder, ctx: TemplateContext, args: Arguments | undefined, opts: ExecuteOptions,
): NodeStatus | undefined {
  let node = op.node(nodeName);
  if (op.depth >= MAX_DEPTH) return errorNode(op, node, nodeName, holder, ctx, opts, new MaxDepthExceeded());

  if (node && isFulfilled(node)) {
    releaseHolder(op, node.id);
    return node;
  }
  let resolved;
  try {
    resolved = resolveTemplate(op, ctx, holder);
  } catch (err) {
    return errorNode(op, node, nodeName, holder, ctx, opts, err);
  }

  const tmpl = resolved.template;
  const type = templateType(tmpl);
  const retryStrategy = tmpl.retryStrategy;

  const locals: Vars = { 'node.name': nodeName };
  if (isLeafType(type) && !retryStrategy && mayName(tmpl, 'pod.name')) locals['pod.name'] = podNameFor(op.name, nodeName, tmpl.name ?? '');
  if (opts.holderKind === 'task' && holder.name !== undefined) locals['tasks.name'] = holder.name;
  if (opts.holderKind === 'step' && holder.name !== undefined) locals['steps.name'] = holder.name;

  if (blockedBeforeBinding(op, node, opts.boundaryID)) return node; // parallelism: not now, before any binding work

  let processed: Template;
  try {
    processed = processArgsCached(op, tmpl, args, locals);
  } catch (err) {
    return errorNode(op, node, nodeName, holder, ctx, opts, err);
  }

  if (node && processed.timeout && node.phase === 'Pending') {
    const started = timeMs(node.startedAt);
    if (op.now > started + parseDurationMs(processed.timeout)) {
      const message = new TemplateTimeout(`Template timeout ${processed.timeout} exceeded`).message;
      // A Pending leaf may be at work already (an HTTP node is Pending until its result).
      if (isLeafType(type)) op.emit({ type: 'kill', id: `kill:${node.id}`, nodeId: node.id, reason: message });
      op.markNode(node, 'Failed', message);
      return node;
    }
  }

  if (blockedByTemplate(op, processed, node)) return node;

  let unlocked = false;
  if (processed.synchronization) {
    const holderId = op.nodeId(nodeName);
    if (!acquireLocks(op, holderId, processed.synchronization)) {
      if (!node) {
        node = op.initNode(nodeName, {
          type: nodeTypeFor(type), phase: 'Pending', boundaryID: opts.boundaryID, templateName: holder.template,
          templateRef: refOf(holder), templateScope: scopeString(resolved.context), hooked: opts.hooked, retried: opts.retried,
        });
      }
      node.message = 'Waiting for lock';
      node.synchronizationStatus = { waiting: holderId };
      return node;
    }
    if (node?.synchronizationStatus?.waiting) {
      delete node.synchronizationStatus;
      if (node.message === 'Waiting for lock') delete node.message;
      unlocked = true;
    }
  }

  let retryNodeName: string | undefined;
  if (retryStrategy) {
    retryNodeName = nodeName;
    let retryParent = node ?? op.initNode(nodeName, {
      type: 'Retry', phase: 'Running', boundaryID: opts.boundaryID, templateName: holder.template, templateRef: refOf(holder),
      templateScope: scopeString(resolved.context), hooked: opts.hooked,
    });
    if (retryParent.type === 'Retry' && !isFulfilled(retryParent) && retryParent.phase === 'Pending') op.markNode(retryParent, 'Running', '');
    opts.retried = true;
    let proceed: boolean;
    try {
      const r = processNodeRetries(op, retryParent, processed, opts);
      retryParent = r.node;
      proceed = r.proceed;
    } catch (err) {
      op.markNode(retryParent, 'Error', errorMessage(err));
      return retryParent;
    }
    if (!proceed) return retryParent;
    const { attempts, last } = retryAttempts(op, retryParent);
    if (isFulfilled(retryParent)) {
      if (last) retryParent.outputs = last.outputs ? structuredClone(last.outputs) : undefined;
      releaseLocks(op, retryParent.id, processed);
      return retryParent;
    }
    let retryNum: number;
    if (last && !isFulfilled(last)) {
      nodeName = last.name ?? nodeName;
      node = last;
      retryNum = attempts.length - 1;
    } else {
      retryNum = attempts.length;
      nodeName = `${retryNodeName}(${retryNum})`;
      op.addChild(retryNodeName, nodeName);
      node = undefined;
    }
    const retryLocals: Vars = { retries: String(retryNum) };
    if (isLeafType(type)) retryLocals['pod.name'] = podNameFor(op.name, nodeName, tmpl.name ?? '');
    retryLocals['lastRetry.exitCode'] = last?.outputs?.exitCode ?? '0';
    retryLocals['lastRetry.status'] = last?.phase ?? '';
    retryLocals['lastRetry.duration'] = String(last ? durationSeconds(last) : 0);
    retryLocals['lastRetry.message'] = last?.message ?? '';
    try {
      processed = substituteParams(op, processed, { ...locals, ...retryLocals });
    } catch (err) {
      return errorNode(op, node, nodeName, holder, resolved.context, opts, err);
    }
  }

  // Field by field as in copyOptions: even a spread of its one-shape object, plus these
  // fields, made a 10k-node DAG 1.5x slower.
  const leafOpts = {
    boundaryID: opts.boundaryID, onExit: opts.onExit, hooked: opts.hooked, retried: opts.retried, holderKind: opts.holderKind,
    executionDeadline: opts.executionDeadline, holder, scope: scopeString(resolved.context), context: resolved.context, unlocked,
  };
  const memo = processed.memoize;
  if (memo && (type === 'steps' || type === 'dag') && !node) {
    // Leaf templates are memoized by the runtime when they start; a steps/DAG template is
    // looked up here, and a hit is a finished node with the cached outputs (Argo's cache-hit node).
    const cache = memo.cache?.configMap?.name ?? '';
    const hit = op.env.memoized?.(op.namespace, cache, memo.key ?? '', memo.maxAge);
    if (hit) {
      const n = op.initNode(nodeName, {
        type: nodeTypeFor(type), phase: 'Succeeded', boundaryID: opts.boundaryID, templateName: holder.template,
        templateRef: refOf(holder), templateScope: scopeString(resolved.context), hooked: opts.hooked, retried: opts.retried,
      });
      n.outputs = hit;
      n.memoizationStatus = { hit: true, key: memo.key ?? '', cacheName: cache };
      promoteGlobalOutputs(op, hit);
      return n;
    }
  }
  try {
    switch (type) {
      case 'steps':
        node = executeSteps(op, nodeName, resolved.context, processed, leafOpts);
        break;
      case 'dag':
        node = executeDAG(op, nodeName, resolved.context, processed, leafOpts);
        break;
      case 'suspend':
        node = executeSuspend(op, nodeName, processed, leafOpts);
        break;
      case 'unknown':
        throw new Error(`Template '${processed.name ?? ''}' missing specification`);
      default:
        node = executeLeaf(op, nodeName, processed, nodeTypeFor(type), leafOpts);
    }
  } catch (err) {
    if (err instanceof ParallelismReached) throw err;
    node = op.node(nodeName) ?? op.initNode(nodeName, {
      type: nodeTypeFor(type), phase: 'Error', boundaryID: opts.boundaryID, templateName: holder.template,
      templateRef: refOf(holder), templateScope: scopeString(resolved.context), hooked: opts.hooked, retried: opts.retried,
    });
    op.markNode(node, 'Error', errorMessage(err));
  }

  if (node && isFulfilled(node)) releaseLocks(op, node.id, processed);
  if (memo && node && (type === 'steps' || type === 'dag')) {
    node.memoizationStatus ??= { hit: false, key: memo.key ?? '', cacheName: memo.cache?.configMap?.name ?? '' };
    if (node.phase === 'Succeeded' && !node.memoizationStatus.hit) {
      op.emit({ type: 'save-memo', id: `memo:${node.id}`, nodeId: node.id, cache: node.memoizationStatus.cacheName ?? '', key: node.memoizationStatus.key ?? '', ...(node.outputs ? { outputs: node.outputs } : {}) });
    }
  }
  const displayName = processed.annotations?.['workflows.argoproj.io/display-name'];
  const named = displayName ? op.node(retryNodeName ?? nodeName) : undefined;
  if (displayName && named) named.displayName = displayName;

  if (retryNodeName !== undefined) {
    const retryNode = op.node(retryNodeName);
    if (retryNode && !isFulfilled(retryNode) && node && isFulfilled(node)) {
      return executeTemplate(op, retryNodeName, holder, ctx, args, { ...opts, retried: false });
    }
    if (retryNode && node?.daemoned && !isFulfilled(node)) {
      op.markNode(retryNode, node.phase as 'Running');
      retryNode.daemoned = true;
    }
    return retryNode;
  }
  return node;
}

export function nodeTypeFor(type: ReturnType<typeof templateType>): NodeType {
  switch (type) {
    case 'steps': return 'Steps';
    case 'dag': return 'DAG';
    case 'suspend': return 'Suspend';
    case 'http': return 'HTTP';
    case 'plugin': return 'Plugin';
    case 'unknown': return 'Skipped';
    default: return 'Pod';
  }
}

export function refOf(holder: TemplateHolder): NodeStatus['templateRef'] {
  const ref = holder.templateRef;
  if (!ref) return undefined;
  return { name: ref.name ?? '', template: ref.template ?? '', ...(ref.clusterScope ? { clusterScope: true } : {}) };
}

function errorNode(
  op: Operation, node: NodeStatus | undefined, nodeName: string, holder: TemplateHolder, ctx: TemplateContext, opts: ExecuteOptions, err: unknown,
): NodeStatus {
  const n = node ?? op.initNode(nodeName, {
    type: 'Skipped', phase: 'Error', boundaryID: opts.boundaryID, templateName: holder.template, templateRef: refOf(holder),
    templateScope: scopeString(ctx), hooked: opts.hooked, retried: opts.retried,
  });
  op.markNode(n, 'Error', errorMessage(err));
  return n;
}
