// onExit handlers and lifecycle hooks, for the workflow and for single steps/tasks:
// `hooks.exit` (or the older `onExit`) runs after the node completes; other hooks run
// once their `expression` is true. Hook nodes are `X.onExit` and `X.hooks.NAME`.
import type { Arguments, Artifact, LifecycleHook } from '../spec/index.js';
import { evaluateExpr, expressionEnv, substituteDeep } from '../expr/index.js';
import { isFulfilled, type Operation } from './context.js';
import { executeTemplate } from './execute.js';
import { hookNodeName, onExitNodeName } from './names.js';
import { addOutputsToScope, lastRetryChild, type Scope } from './scope.js';
import type { TemplateContext } from './templates.js';
import type { NodeStatus } from './types.js';

export interface Hookable {
  onExit?: string;
  hooks?: Record<string, LifecycleHook>;
}

export function exitHookOf(h: Hookable): LifecycleHook | undefined {
  if (h.hooks?.exit) return h.hooks.exit;
  if (h.onExit) return { template: h.onExit };
  return undefined;
}

function hookArgs(op: Operation, args: Arguments, prefix: string, name: string, parent: NodeStatus, scope: Scope): Arguments {
  const effective = lastRetryChild(parent, op.status.nodes) ?? parent;
  addOutputsToScope(scope, `${prefix}.${name}`, effective.outputs);
  const marked: Arguments = {
    ...args,
    parameters: args.parameters?.map((p) => ({ ...p, value: scope.markAbsentOptionalValue(p.value) })),
  };
  const resolved = substituteDeep(marked, { ...op.globals, ...scope.vars }, { allowUnresolved: true, env: scope.expressionExtras(), path: 'hooks.arguments' });
  resolved.artifacts = resolved.artifacts?.flatMap((a: Artifact) => {
    if (!a.from) return [a];
    const found = scope.resolveArtifactRef(a.from);
    if (!found) {
      if (a.optional) return [];
      throw new Error(`unable to resolve references: Unable to resolve: ${a.from}`);
    }
    return [{ ...found, name: a.name }];
  });
  return resolved;
}

/** Runs the exit hook of a completed step/task. Returns whether there is one and its node. */
export function runOnExitNode(
  op: Operation, hook: LifecycleHook | undefined, parent: NodeStatus, boundaryID: string | undefined,
  ctx: TemplateContext, prefix: string, name: string, scope: Scope,
): { has: boolean; node?: NodeStatus } {
  if (!hook || op.state.shutdown === 'Terminate') return { has: false };
  if (hook.expression) {
    const env = expressionEnv({ ...op.globals, ...scope.vars }, scope.expressionExtras());
    if (evaluateExpr(hook.expression, env, `hooks.exit.expression`) !== true) return { has: false };
  }
  const nodeName = onExitNodeName(parent.name ?? '');
  const args = hook.arguments ? hookArgs(op, hook.arguments, prefix, name, parent, scope) : undefined;
  const node = executeTemplate(op, nodeName, { template: hook.template, templateRef: hook.templateRef }, ctx, args, {
    boundaryID, onExit: true, hooked: true,
  });
  op.addChild(parent.name ?? '', nodeName);
  return { has: true, node };
}

/** Non-exit lifecycle hooks of a step/task; false while a started hook is still running. */
export function executeLifecycleHooks(
  op: Operation, hooks: Record<string, LifecycleHook> | undefined, parent: NodeStatus, boundaryID: string | undefined,
  ctx: TemplateContext, prefix: string, name: string, scope: Scope,
): boolean {
  if (!hooks) return true;
  const started: (NodeStatus | undefined)[] = [];
  for (const [hookName, hook] of Object.entries(hooks)) {
    if (hookName === 'exit') continue;
    const nodeName = hookNodeName(parent.name ?? '', hookName);
    const existing = op.node(nodeName);
    if (!hook.expression) throw new Error(`Expression required for hook ${nodeName}`);
    const env = expressionEnv({ ...op.globals, ...scope.vars }, scope.expressionExtras());
    if (!existing && evaluateExpr(hook.expression, env, `hooks.${hookName}.expression`) !== true) continue;
    const args = hook.arguments && parent.outputs ? hookArgs(op, hook.arguments, prefix, name, parent, scope) : hook.arguments;
    const node = executeTemplate(op, nodeName, { template: hook.template, templateRef: hook.templateRef }, ctx, args, { boundaryID, hooked: true });
    op.addChild(parent.name ?? '', nodeName);
    started.push(node);
  }
  // undefined: the hook could not start yet (parallelism), so it is not done either
  return started.every((n) => n !== undefined && isFulfilled(n));
}

/** Workflow-level hooks other than exit (spec.hooks.NAME with an expression over globals). */
export function executeWorkflowHooks(op: Operation, ctx: TemplateContext): boolean {
  const hooks = op.wf.spec?.hooks;
  if (!hooks) return true;
  const started: (NodeStatus | undefined)[] = [];
  for (const [hookName, hook] of Object.entries(hooks)) {
    if (hookName === 'exit') continue;
    const nodeName = hookNodeName(op.name, hookName);
    if (!hook.expression) throw new Error(`Expression required for hook ${nodeName}`);
    const existing = op.node(nodeName);
    if (!existing && evaluateExpr(hook.expression, expressionEnv(op.globals), `spec.hooks.${hookName}.expression`) !== true) continue;
    const node = executeTemplate(op, nodeName, { template: hook.template, templateRef: hook.templateRef }, ctx, hook.arguments, { hooked: true });
    op.addChild(op.name, nodeName);
    started.push(node);
  }
  return started.every((n) => n !== undefined && isFulfilled(n));
}
