// steps templates: groups run in order, the steps of a group in parallel. Node tree and
// names as Argo's: `X` (Steps) → `X[0]` (StepGroup) → `X[0].step` (or its loop children).
import type { Template, WorkflowStep } from '../spec/index.js';
import { failedOrError, isCompleted, isFulfilled, errorMessage, type Operation } from './context.js';
import { executeTemplate, type ExecuteOptions } from './execute.js';
import { executeLifecycleHooks, exitHookOf, runOnExitNode } from './hooks.js';
import { busyLeaf, expandLoop, loopProgress, shouldExpand } from './loops.js';
import { addWorkflowOutputsToScope, withBoundaryNode, outboundNodes, promoteGlobalOutputs, templateOutputsFromScope } from './outputs.js';
import { resolveReferences, shouldExecute, whenIsFalse } from './references.js';
import { addAggregateOutputsToScope, addNodeToScope, addSkippedOutputsToScope, Scope } from './scope.js';
import { settleItem } from './progress.js';
import { ParallelismReached } from './signals.js';
import { workflowAtParallelism } from './parallelism.js';
import { resolveTemplate, type TemplateContext, type TemplateHolder } from './templates.js';
import { refOf } from './execute.js';
import type { NodeStatus } from './types.js';

interface StepsOptions extends ExecuteOptions {
  holder: TemplateHolder;
  scope: string;
}

interface StepsContext {
  boundaryID: string;
  scope: Scope;
  ctx: TemplateContext;
  onExit: boolean;
  scopeString: string;
}

export function executeSteps(op: Operation, nodeName: string, ctx: TemplateContext, tmpl: Template, opts: StepsOptions): NodeStatus {
  return withBoundaryNode(op, nodeName, 'Steps', tmpl, opts, (node) => runGroups(op, node, nodeName, ctx, tmpl, opts));
}

function runGroups(op: Operation, node: NodeStatus, nodeName: string, ctx: TemplateContext, tmpl: Template, opts: StepsOptions): NodeStatus {
  const sctx: StepsContext = { boundaryID: node.id, scope: new Scope(tmpl), ctx, onExit: Boolean(opts.onExit), scopeString: opts.scope };
  addWorkflowOutputsToScope(op, sctx.scope);
  const groups = tmpl.steps ?? [];
  for (let i = 0; i < groups.length; i++) {
    const sgName = `${nodeName}[${i}]`;
    const existing = op.node(sgName);
    if (!existing) op.initNode(sgName, { type: 'StepGroup', phase: 'Running', boundaryID: node.id, templateScope: opts.scope });
    else if (!isFulfilled(existing)) op.markNode(existing, 'Running');
    if (i === 0) op.addChild(nodeName, sgName);
    else {
      const prevName = `${nodeName}[${i - 1}]`;
      const prev = op.node(prevName);
      if (!prev?.children?.length) op.addChild(prevName, sgName);
      else for (const childId of prev.children) for (const out of outboundNodes(op, childId)) op.addChild(op.peek(out)?.name ?? '', sgName);
    }
    const sg = executeStepGroup(op, groups[i] ?? [], sgName, sctx);
    if (!isFulfilled(sg)) return node;
    if (failedOrError(sg.phase)) {
      updateOutbound(op, node, nodeName, groups.length);
      return op.markNode(node, 'Failed', sg.message ?? '');
    }
    for (const step of groups[i] ?? []) {
      const childName = `${sgName}.${step.name}`;
      const child = op.node(childName);
      if (!child) {
        const loopChildren = op.boundaryMembers(node.id)
          .map((id) => op.peek(id) as NodeStatus | undefined)
          .filter((n): n is NodeStatus => n !== undefined && (n.name ?? '').startsWith(`${childName}(`) && n.type !== 'Skipped');
        if (loopChildren.length) addAggregateOutputsToScope(sctx.scope, 'steps', step.name ?? '', loopChildren);
        addNodeToScope(sctx.scope, 'steps', step.name ?? '', sg, op.status.nodes);
      } else {
        addNodeToScope(sctx.scope, 'steps', step.name ?? '', child, op.status.nodes);
        addSkippedOutputsToScope(sctx.scope, 'steps', step.name ?? '', child, templateOf(op, ctx, step), true);
      }
    }
  }
  updateOutbound(op, node, nodeName, groups.length);
  try {
    const outputs = templateOutputsFromScope(op, tmpl, sctx.scope);
    if (outputs) {
      node.outputs = outputs;
      promoteGlobalOutputs(op, outputs);
    }
  } catch (err) {
    return op.markNode(node, 'Error', errorMessage(err));
  }
  return op.markNode(node, 'Succeeded');
}

function templateOf(op: Operation, ctx: TemplateContext, holder: TemplateHolder): Template | undefined {
  try {
    return resolveTemplate(op, ctx, holder).template;
  } catch {
    return undefined;
  }
}

function updateOutbound(op: Operation, node: NodeStatus, nodeName: string, groupCount: number): void {
  for (let i = groupCount - 1; i >= 0; i--) {
    const sg = op.node(`${nodeName}[${i}]`);
    if (!sg) continue;
    node.outboundNodes = (sg.children ?? []).flatMap((id) => outboundNodes(op, id));
    return;
  }
}

function continuesOn(step: WorkflowStep | undefined, phase: string | undefined): boolean {
  if (!step?.continueOn) return false;
  return (phase === 'Failed' && Boolean(step.continueOn.failed)) || (phase === 'Error' && Boolean(step.continueOn.error));
}

function childrenFulfilled(op: Operation, node: NodeStatus): boolean {
  return (node.children ?? []).every((id) => {
    const child = op.nodeById(id);
    return child !== undefined && isFulfilled(child);
  });
}

function executeStepGroup(op: Operation, group: WorkflowStep[], sgName: string, sctx: StepsContext): NodeStatus {
  const sg = op.node(sgName);
  if (!sg) throw new Error(`engine: step group ${sgName} missing`);
  if (isFulfilled(sg) && childrenFulfilled(op, sg)) return sg;

  let expanded: WorkflowStep[];
  try {
    const resolved = group.map((step) => resolveReferences(op, step, sctx.scope, shouldExpand(step), `${sgName}.${step.name}`));
    expanded = [];
    for (const step of resolved) {
      if (!shouldExpand(step)) {
        expanded.push(step);
        continue;
      }
      const vars = { ...op.globals, ...sctx.scope.vars };
      const items = expandLoop(step, vars, whenIsFalse, `${sgName}.${step.name}`);
      if (items.length === 0) {
        const childName = `${sgName}.${step.name}`;
        if (!op.node(childName)) {
          op.initNode(childName, { type: 'Skipped', phase: 'Skipped', boundaryID: sctx.boundaryID, templateName: step.template, templateRef: refOf(step), templateScope: sctx.scopeString, message: 'Skipped, empty params' });
          op.addChild(sgName, childName);
        }
      }
      // One looped step: its (cached) expansion as is, so progress is matched by identity.
      if (resolved.length === 1) expanded = items;
      else expanded.push(...items);
    }
  } catch (err) {
    return op.markError(sgName, err);
  }

  // A group without hooks only revisits the children not yet finished (see GroupProgress).
  const progress = group.some((step) => step.hooks !== undefined || step.onExit !== undefined) ? undefined : loopProgress(op, sg.id, sgName, expanded);
  let open = 0;
  for (let i = progress ? progress.firstOpen : 0; i < expanded.length; i++) {
    if (progress?.settled[i]) continue;
    const step = expanded[i];
    const childName = progress ? progress.names[i] : `${sgName}.${step.name}`;
    // Not started and the workflow is at its parallelism: executeTemplate would only say so,
    // and past the last started item (none has a `when`) so would it for every later one.
    if (progress && !step.when && workflowAtParallelism(op) && !op.status.nodes[progress.ids[i]]) {
      if (!progress.anyWhen && i > progress.maxStarted) break;
      continue;
    }
    if (progress && busyLeaf(op, op.status.nodes[progress.ids[i]], step, sctx.ctx)) {
      open++;
      continue;
    }
    let proceed: boolean;
    try {
      proceed = shouldExecute(step.when, `${childName}.when`);
    } catch (err) {
      if (!op.node(childName)) {
        op.initNode(childName, { type: 'Skipped', phase: 'Error', boundaryID: sctx.boundaryID, templateName: step.template, templateRef: refOf(step), templateScope: sctx.scopeString, message: errorMessage(err) });
      }
      op.addChild(sgName, childName);
      return op.markError(sgName, err);
    }
    if (!proceed) {
      if (!op.node(childName)) {
        op.initNode(childName, { type: 'Skipped', phase: 'Skipped', boundaryID: sctx.boundaryID, templateName: step.template, templateRef: refOf(step), templateScope: sctx.scopeString, message: `when '${step.when}' evaluated false` });
        op.addChild(sgName, childName);
      }
    } else {
      let child: NodeStatus | undefined;
      try {
        child = executeTemplate(op, childName, step, sctx.ctx, step.arguments, { boundaryID: sctx.boundaryID, onExit: sctx.onExit, holderKind: 'step' });
      } catch (err) {
        if (!(err instanceof ParallelismReached)) throw err;
      }
      if (child) op.addChild(sgName, childName);
    }
    if (progress) {
      const child = op.status.nodes[progress.ids[i]];
      if (child && i > progress.maxStarted) progress.maxStarted = i;
      if (child && isFulfilled(child)) settleItem(progress, i);
      else if (child) open++;
    }
  }
  if (progress && open > 0) {
    // Some started child still runs: the group is not complete (and has no hooks to run).
    if (isFulfilled(sg)) op.markNode(sg, 'Running');
    return sg;
  }
  const nodeSteps = new Map<string, WorkflowStep>();
  for (const step of expanded) nodeSteps.set(`${sgName}.${step.name}`, step);

  // With progress the group has no hooks, and the loop below only reads its children.
  const read = (id: string): NodeStatus | undefined => (progress ? (op.peek(id) as NodeStatus | undefined) : op.nodeById(id));
  let completed = true;
  for (const childId of sg.children ?? []) {
    const child = read(childId);
    if (!child) continue;
    const step = nodeSteps.get(child.name ?? '');
    sctx.scope.set(`steps.${child.displayName}.status`, child.phase ?? '');
    let hooksDone: boolean;
    try {
      hooksDone = executeLifecycleHooks(op, step?.hooks, child, sctx.boundaryID, sctx.ctx, 'steps', step?.name ?? '', sctx.scope);
    } catch (err) {
      op.markError(sgName, err);
      hooksDone = true;
    }
    if (!hooksDone) return sg;
    if (!isFulfilled(child)) completed = false;
    else if (isCompleted(child) && step) {
      const exit = runOnExitNode(op, exitHookOf(step), child, sctx.boundaryID, sctx.ctx, 'steps', step.name ?? '', sctx.scope);
      if (exit.has && (!exit.node || !isFulfilled(exit.node))) completed = false;
    }
  }
  if (!completed) {
    if (isFulfilled(sg)) op.markNode(sg, 'Running');
    return sg;
  }
  for (const childId of sg.children ?? []) {
    const child = op.peek(childId);
    if (!child) continue;
    const step = nodeSteps.get(child.name ?? '');
    if (failedOrError(child.phase) && !continuesOn(step, child.phase)) {
      return op.markNode(sg, 'Failed', `child '${childId}' failed`);
    }
  }
  return op.markNode(sg, 'Succeeded');
}

