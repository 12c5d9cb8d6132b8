// dag templates: tasks run when their dependencies (or `depends` expression) allow.
// The DAG's phase is decided by its target tasks (the leaves unless `target` is set),
// walking each branch as Argo's assessDAGPhase does. A pass visits only the tasks that can
// change (dag-progress.ts).
import type { DAGTask, Template } from '../spec/index.js';
import { evaluateDepends } from '../spec/index.js';
import { failedOrError, isCompleted, isFulfilled, errorMessage, type Operation } from './context.js';
import { executeTemplate, refOf, type ExecuteOptions } from './execute.js';
import { executeLifecycleHooks, exitHookOf, runOnExitNode } from './hooks.js';
import { busyLeaf, expandLoop, loopProgress, shouldExpand } from './loops.js';
import { addWorkflowOutputsToScope, withBoundaryNode, outboundNodes, promoteGlobalOutputs, templateOutputsFromScope } from './outputs.js';
import { resolveReferences, shouldExecute, whenIsFalse } from './references.js';
import { addAggregateOutputsToScope, addNodeToScope, addSkippedOutputsToScope, Scope } from './scope.js';
import { ParallelismReached } from './signals.js';
import { workflowAtParallelism } from './parallelism.js';
import { resolveTemplate, type TemplateContext, type TemplateHolder } from './templates.js';
import type { NodePhase, NodeStatus } from './types.js';
import { assessDagPhase } from './dag-phase.js';
import { allHooksFulfilled, progressOf, startedTaskRunning, visitCandidates } from './dag-progress.js';
import { DagContext } from './dag-context.js';
import { settleItem } from './progress.js';

interface DagOptions extends ExecuteOptions {
  holder: TemplateHolder;
  scope: string;
}

export function executeDAG(op: Operation, nodeName: string, ctx: TemplateContext, tmpl: Template, opts: DagOptions): NodeStatus {
  return withBoundaryNode(op, nodeName, 'DAG', tmpl, opts, (node) => runDag(op, node, nodeName, ctx, tmpl, opts));
}

function runDag(op: Operation, node: NodeStatus, nodeName: string, ctx: TemplateContext, tmpl: Template, opts: DagOptions): NodeStatus {
  const dag = new DagContext(op, nodeName, node.id, tmpl, ctx, Boolean(opts.onExit), opts.scope);
  const targets = tmpl.dag?.target ? tmpl.dag.target.split(' ').filter(Boolean) : leafTasks(dag);
  const order = dag.visitOrder(targets);
  const progress = progressOf(dag, order);
  visitCandidates(dag, order, progress, executeTask);

  let onExitCompleted = true;
  for (const target of targets) {
    const task = dag.tasks.get(target);
    if (!task || (task.hooks === undefined && task.onExit === undefined)) {
      if (!task) dag.task(target); // throws: target does not exist
      continue;
    }
    executeTask(dag, target);
    const taskNode = dag.taskNode(target);
    if (!taskNode) continue;
    if (task.hooks) {
      const scope = scopeForTask(dag, task.name ?? '');
      scope.set(`tasks.${task.name}.status`, taskNode.phase ?? '');
      try {
        executeLifecycleHooks(op, task.hooks, taskNode, dag.boundaryID, ctx, 'tasks', target, scope);
      } catch (err) {
        return op.markNode(node, 'Error', errorMessage(err));
      }
    }
    if (isCompleted(taskNode)) {
      const exitNode = op.node(`${taskNode.name}.onExit`);
      if (exitNode && !isFulfilled(exitNode)) onExitCompleted = false;
    }
  }

  const shutdown = op.state.shutdown !== undefined && onExitCompleted && !dag.onExit;
  // A started task still running means the assessment's walk would stop there: skip it.
  const phase = !shutdown && startedTaskRunning(dag, order, progress) ? 'Running' : assessDagPhase(dag, targets, shutdown);
  if (phase === 'Running') return node;
  op.memory.dags.delete(node.id);
  if (phase === 'Failed' || phase === 'Error') {
    node.outboundNodes = targets.flatMap((t) => (dag.taskNode(t) ? outboundNodes(op, dag.taskNode(t)?.id ?? '') : []));
    return op.markNode(node, phase);
  }

  // The scope of all tasks is only needed for the template's own outputs.
  const scope = tmpl.outputs ? new Scope(tmpl) : undefined;
  for (const task of dag.tasks.values()) {
    const taskNode = dag.taskNode(task.name ?? '');
    if (!taskNode) continue;
    if (!scope) {
      promoteGlobalOutputs(op, taskNode.outputs);
      continue;
    }
    if (taskNode.type === 'TaskGroup') {
      const children = (taskNode.children ?? []).map((id) => op.nodeById(id)).filter((n): n is NodeStatus => n !== undefined);
      addAggregateOutputsToScope(scope, 'tasks', task.name ?? '', children);
    }
    addNodeToScope(scope, 'tasks', task.name ?? '', taskNode, op.status.nodes);
    addSkippedOutputsToScope(scope, 'tasks', task.name ?? '', taskNode, templateOf(dag, task), false);
    promoteGlobalOutputs(op, taskNode.outputs);
  }
  try {
    const outputs = scope ? templateOutputsFromScope(op, tmpl, scope) : undefined;
    if (outputs) {
      node.outputs = outputs;
      promoteGlobalOutputs(op, outputs);
    }
  } catch (err) {
    return op.markNode(node, 'Error', errorMessage(err));
  }
  node.outboundNodes = targets.flatMap((t) => (dag.taskNode(t) ? outboundNodes(op, dag.taskNode(t)?.id ?? '') : []));
  return op.markNode(node, 'Succeeded');
}

function templateOf(dag: DagContext, holder: TemplateHolder): Template | undefined {
  try {
    return resolveTemplate(dag.op, dag.ctx, holder).template;
  } catch {
    return undefined;
  }
}

function leafTasks(dag: DagContext): string[] {
  if (dag.shape.leaves) return dag.shape.leaves;
  dag.shape.leaves = computeLeaves(dag);
  return dag.shape.leaves;
}

function computeLeaves(dag: DagContext): string[] {
  const isLeaf = new Map<string, boolean>();
  for (const name of dag.tasks.keys()) {
    if (!isLeaf.has(name)) isLeaf.set(name, true);
    for (const dep of dag.dependencies(name).names) isLeaf.set(dep, false);
  }
  return [...isLeaf.entries()].filter(([, leaf]) => leaf).map(([name]) => name).sort();
}

/**
 * The task's scope: its ancestors' outputs. Only ancestors the task mentions are added
 * (Argo adds all of them, which is quadratic on wide DAGs); a task using expressions or
 * index syntax gets them all, since it may name a task indirectly.
 */
function scopeForTask(dag: DagContext, taskName: string): Scope {
  const scope = new Scope(dag.tmpl);
  addWorkflowOutputsToScope(dag.op, scope);
  const m = dag.mentions(taskName);
  const mentioned = m === 'all' ? undefined : m;
  if (mentioned && mentioned.size === 0) return scope;
  for (const ancestor of dag.ancestors(taskName)) {
    if (mentioned && !mentioned.has(ancestor)) continue;
    const node = dag.taskNode(ancestor);
    if (!node) continue;
    if (node.type === 'TaskGroup') {
      const children = dag.op.boundaryMembers(dag.boundaryID)
        .map((id) => dag.op.nodeById(id))
        .filter((n): n is NodeStatus => n !== undefined && (n.name ?? '').startsWith(`${node.name}(`));
      addAggregateOutputsToScope(scope, 'tasks', ancestor, children);
    }
    addNodeToScope(scope, 'tasks', ancestor, node, dag.op.status.nodes);
    addSkippedOutputsToScope(scope, 'tasks', ancestor, node, templateOf(dag, dag.task(ancestor)), false);
  }
  return scope;
}

function connect(dag: DagContext, taskName: string, taskNodeName: string, groupNode: NodeStatus | undefined): void {
  const deps = dag.dependencies(taskName).names;
  if (deps.length === 0 || groupNode) {
    dag.op.addChild(groupNode ? groupNode.name ?? '' : dag.boundaryName, taskNodeName);
    return;
  }
  for (const dep of deps) {
    const depNode = dag.op.peek(dag.taskNodeId(dep));
    if (!depNode) continue;
    for (const out of outboundNodes(dag.op, depNode.id)) dag.op.addChild(dag.op.peek(out)?.name ?? '', taskNodeName);
  }
}

/** Evaluates `depends`; undefined while a dependency is still running. */
function dependsSatisfied(dag: DagContext, taskName: string): boolean | undefined {
  const { names, logic } = dag.dependencies(taskName);
  for (const dep of names) {
    const n = dag.taskNode(dep);
    if (!n || !isFulfilled(n) || !allHooksFulfilled(dag.op, n)) return undefined;
  }
  if (!logic) return true;
  return evaluateDepends(logic, (task, selector) => {
    const n = dag.taskNode(task);
    if (!n) return false;
    const children = (n.children ?? []).map((id) => dag.op.nodeById(id)?.phase);
    switch (selector) {
      case 'Succeeded': return n.phase === 'Succeeded';
      case 'Failed': return n.phase === 'Failed';
      case 'Errored': return n.phase === 'Error';
      case 'Skipped': return n.phase === 'Skipped';
      case 'Omitted': return n.phase === 'Omitted';
      case 'Daemoned': return Boolean(n.daemoned) && n.phase !== 'Pending';
      case 'AnySucceeded': return n.type === 'TaskGroup' && children.some((p) => p === 'Succeeded');
      case 'AllFailed': return n.type === 'TaskGroup' && children.length > 0 && children.every((p) => p === 'Failed');
      default: return false;
    }
  });
}

function executeTask(dag: DagContext, taskName: string): void {
  if (dag.visited.has(taskName)) return;
  dag.visited.add(taskName);
  const op = dag.op;
  const task = dag.task(taskName);
  const hasHooks = task.hooks !== undefined || task.onExit !== undefined;
  // A started task still at work, which a visit would leave as it is (read without marking it).
  if (!hasHooks && busyLeaf(op, op.status.nodes[dag.taskNodeId(taskName)], task, dag.ctx)) return;
  const existing = dag.taskNode(taskName);

  if (existing && hasHooks && (isFulfilled(existing) || existing.phase === 'Running')) {
    const scope = scopeForTask(dag, taskName);
    scope.set(`tasks.${taskName}.status`, existing.phase ?? '');
    let hooksDone = true;
    try {
      hooksDone = executeLifecycleHooks(op, task.hooks, existing, dag.boundaryID, dag.ctx, 'tasks', taskName, scope);
    } catch (err) {
      op.markNode(existing, 'Error', errorMessage(err));
    }
    if (!hooksDone) return;
  }
  if (existing && isFulfilled(existing)) {
    if (hasHooks && isCompleted(existing)) {
      const scope = scopeForTask(dag, taskName);
      scope.set(`tasks.${taskName}.status`, existing.phase ?? '');
      runOnExitNode(op, exitHookOf(task), existing, dag.boundaryID, dag.ctx, 'tasks', taskName, scope);
    }
    return;
  }

  const nodeName = dag.taskNodeName(taskName);
  let groupNode = op.node(nodeName);
  if (groupNode && groupNode.type !== 'TaskGroup') groupNode = undefined;
  const deps = dag.dependencies(taskName);
  const errorSkip = (err: unknown): void => {
    if (!op.node(nodeName)) {
      op.initNode(nodeName, { type: 'Skipped', phase: 'Error', boundaryID: dag.boundaryID, templateName: task.template, templateRef: refOf(task), templateScope: dag.scopeString, message: errorMessage(err) });
    }
    connect(dag, taskName, nodeName, groupNode);
  };

  if (deps.names.length) {
    for (const dep of deps.names) if (dag.tasks.has(dep)) executeTask(dag, dep);
    let execute: boolean | undefined;
    try {
      execute = dependsSatisfied(dag, taskName);
    } catch (err) {
      errorSkip(err);
      return;
    }
    if (execute === undefined) return;
    if (!execute) {
      if (!op.node(nodeName)) {
        op.initNode(nodeName, { type: 'Skipped', phase: 'Omitted', boundaryID: dag.boundaryID, templateName: task.template, templateRef: refOf(task), templateScope: dag.scopeString, message: 'omitted: depends condition not met' });
      }
      connect(dag, taskName, nodeName, groupNode);
      return;
    }
  }

  let expanded: DAGTask[];
  try {
    const scope = scopeForTask(dag, taskName);
    const resolved = resolveReferences(op, task, scope, shouldExpand(task), nodeName);
    if (shouldExpand(resolved)) {
      const vars = { ...op.globals, ...scope.vars };
      expanded = expandLoop(resolved, vars, whenIsFalse, nodeName);
    } else {
      expanded = [resolved];
    }
  } catch (err) {
    errorSkip(err);
    return;
  }

  if (shouldExpand(task)) {
    if (expanded.length === 0) {
      if (!op.node(nodeName)) {
        op.initNode(nodeName, { type: 'Skipped', phase: 'Skipped', boundaryID: dag.boundaryID, templateName: task.template, templateRef: refOf(task), templateScope: dag.scopeString, message: 'Skipped, empty params' });
        connect(dag, taskName, nodeName, groupNode);
      }
    } else if (!groupNode) {
      connect(dag, taskName, nodeName, undefined);
      groupNode = op.initNode(nodeName, { type: 'TaskGroup', phase: 'Running', boundaryID: dag.boundaryID, templateName: task.template, templateRef: refOf(task), templateScope: dag.scopeString });
    }
  }

  // A loop without hooks only revisits the items not yet finished (see loopProgress).
  const progress = groupNode && !hasHooks ? loopProgress(op, groupNode.id, dag.boundaryName, expanded) : undefined;
  let open = 0;
  for (let i = progress ? progress.firstOpen : 0; i < expanded.length; i++) {
    if (progress?.settled[i]) continue;
    const t = expanded[i];
    // Not started and the workflow is at its parallelism: executeTemplate would stop here.
    if (progress && !t.when && workflowAtParallelism(op) && !op.status.nodes[progress.ids[i]]) return;
    if (progress && busyLeaf(op, op.status.nodes[progress.ids[i]], t, dag.ctx)) {
      open++;
      continue;
    }
    const taskNodeName = progress ? progress.names[i] : dag.taskNodeName(t.name ?? '');
    if (!op.node(taskNodeName)) {
      let proceed: boolean;
      try {
        proceed = shouldExecute(t.when, `${taskNodeName}.when`);
      } catch (err) {
        connect(dag, taskName, taskNodeName, groupNode);
        op.initNode(taskNodeName, { type: 'Skipped', phase: 'Error', boundaryID: dag.boundaryID, templateName: task.template, templateRef: refOf(task), templateScope: dag.scopeString, message: errorMessage(err) });
        continue;
      }
      if (!proceed) {
        connect(dag, taskName, taskNodeName, groupNode);
        op.initNode(taskNodeName, { type: 'Skipped', phase: 'Skipped', boundaryID: dag.boundaryID, templateName: task.template, templateRef: refOf(task), templateScope: dag.scopeString, message: `when '${t.when}' evaluated false` });
        continue;
      }
    }
    let node: NodeStatus | undefined;
    const isNew = !op.node(taskNodeName);
    try {
      node = executeTemplate(op, taskNodeName, t, dag.ctx, t.arguments, { boundaryID: dag.boundaryID, onExit: dag.onExit, holderKind: 'task' });
    } catch (err) {
      if (err instanceof ParallelismReached) return;
      throw err;
    }
    if (!node) return;
    if (isNew) connect(dag, taskName, taskNodeName, groupNode);
    if (hasHooks && isCompleted(node)) {
      const scope = scopeForTask(dag, taskName);
      scope.set(`tasks.${taskName}.status`, node.phase ?? '');
      const exit = runOnExitNode(op, exitHookOf(task), node, dag.boundaryID, dag.ctx, 'tasks', taskName, scope);
      if (exit.has && (!exit.node || !isFulfilled(exit.node))) return;
    }
    if (progress) {
      if (i > progress.maxStarted) progress.maxStarted = i;
      if (isFulfilled(node)) settleItem(progress, i);
      else open++;
    }
  }

  if (groupNode) {
    if (progress && open > 0) return;
    let groupPhase: NodePhase = 'Succeeded';
    for (const t of expanded) {
      const n = dag.taskNode(t.name ?? '');
      if (!n || !isFulfilled(n)) return;
      if (failedOrError(n.phase)) groupPhase = n.phase as NodePhase;
    }
    op.markNode(groupNode, groupPhase);
  }
}
