// What a finished steps/DAG template reports: its declared outputs resolved from its scope,
// its outbound nodes (the leaves a following step connects to), and globalName outputs
// promoted to status.outputs.
import type { Artifact, Outputs, Parameter, Template } from '../spec/index.js';
import { evaluateExpr, expressionEnv } from '../expr/index.js';
import { formatGoValue } from '../expr/index.js';
import { isFulfilled, type Operation } from './context.js';
import { refOf } from './execute.js';
import type { TemplateHolder } from './templates.js';
import type { Scope } from './scope.js';
import { artifactFromExpression } from './references.js';
import type { NodeStatus } from './types.js';

export function outboundNodes(op: Operation, nodeId: string): string[] {
  const node = op.peek(nodeId);
  if (!node) return [];
  switch (node.type) {
    case 'Skipped': case 'Suspend': case 'HTTP': case 'Plugin':
      return [node.id];
    case 'Pod':
      if (!node.children?.some((c) => op.peek(c)?.type === 'Container')) return [node.id];
      return containerOutbound(op, node);
    case 'TaskGroup':
      if (!node.children?.length) return [node.id];
      return node.children.flatMap((c) => outboundNodes(op, c));
    case 'Retry': {
      const children = node.children ?? [];
      return children.length ? [children[children.length - 1]] : [];
    }
    case 'Steps': case 'DAG':
      if (node.memoizationStatus?.hit) return [node.id];
      break;
    default:
      break;
  }
  return (node.outboundNodes ?? []).flatMap((id) => outboundNodes(op, id));
}

function containerOutbound(op: Operation, node: Readonly<NodeStatus>): string[] {
  // containerSet: the containers nobody depends on are the pod's outbound nodes.
  const ids = node.children ?? [];
  const dependedOn = new Set<string>();
  for (const id of ids) for (const c of op.peek(id)?.children ?? []) dependedOn.add(c);
  const leaves = ids.filter((id) => !dependedOn.has(id));
  return leaves.length ? leaves : [node.id];
}

export function templateOutputsFromScope(op: Operation, tmpl: Template, scope: Scope): Outputs | undefined {
  const declared = tmpl.outputs;
  if (!declared || (!declared.parameters?.length && !declared.artifacts?.length && declared.result === undefined)) return undefined;
  const outputs: Outputs = {};
  if (declared.parameters?.length) {
    const params: Parameter[] = [];
    for (const param of declared.parameters) {
      const vf = param.valueFrom;
      if (!vf) throw new Error(`output parameters must have a valueFrom specified (${param.name})`);
      let value: string | undefined;
      try {
        const r = resolveValueFrom(op, vf, scope);
        value = r.skipped && vf.default !== undefined ? vf.default : r.value;
      } catch (err) {
        if (vf.default === undefined) throw err;
        value = vf.default;
      }
      if (value === undefined) {
        throw new Error(`output parameter "${param.name}": "${vf.parameter ?? ''}" is an absent optional (skipped/omitted node output with no default)`);
      }
      const { valueFrom: _vf, ...rest } = param;
      params.push({ ...rest, value });
    }
    outputs.parameters = params;
  }
  if (declared.artifacts?.length) {
    const arts: Artifact[] = [];
    for (const art of declared.artifacts) {
      if (!art.from && !art.fromExpression) continue;
      const found = art.from ? scope.resolveArtifactRef(art.from) : artifactFromExpression(op, art.fromExpression ?? '', scope);
      if (!found) {
        if (art.optional) continue;
        throw new Error(`unable to resolve outputs from scope: Unable to resolve: ${art.from ?? art.fromExpression}`);
      }
      arts.push({ ...found, name: art.name, ...(art.globalName ? { globalName: art.globalName } : {}) });
    }
    outputs.artifacts = arts;
  }
  return outputs;
}

function resolveValueFrom(op: Operation, vf: NonNullable<Parameter['valueFrom']>, scope: Scope): { value?: string; skipped: boolean } {
  if (vf.expression) {
    const env = expressionEnv({ ...op.globals, ...scope.vars }, scope.expressionExtras());
    const v = evaluateExpr(vf.expression, env, 'outputs.parameters.valueFrom.expression');
    if (v === null || v === undefined) throw new Error(`failed to evaluate expression "${vf.expression}"`);
    return { value: typeof v === 'string' ? v : formatGoValue(v), skipped: false };
  }
  if (vf.parameter) return scope.resolveParameterRef(vf.parameter);
  return { value: '', skipped: false };
}

/** globalName outputs become workflow outputs and `{{workflow.outputs...}}` values. */
export function promoteGlobalOutputs(op: Operation, outputs: Outputs | undefined): void {
  if (!outputs) return;
  for (const p of outputs.parameters ?? []) {
    if (!p.globalName || p.value === undefined) continue;
    op.globals[`workflow.outputs.parameters.${p.globalName}`] = p.value;
    op.status.outputs ??= {};
    const list = (op.status.outputs.parameters ??= []);
    const existing = list.find((x) => x.name === p.globalName);
    if (existing) existing.value = p.value;
    else list.push({ name: p.globalName, value: p.value });
  }
  for (const a of outputs.artifacts ?? []) {
    if (!a.globalName) continue;
    op.status.outputs ??= {};
    const list = (op.status.outputs.artifacts ??= []);
    const { globalName, path: _path, ...rest } = a;
    const promoted: Artifact = { ...rest, name: globalName };
    const i = list.findIndex((x) => x.name === globalName);
    if (i >= 0) list[i] = promoted;
    else list.push(promoted);
  }
}

export function addWorkflowOutputsToScope(op: Operation, scope: Scope): void {
  for (const p of op.status.outputs?.parameters ?? []) {
    if (p.value !== undefined) scope.set(`workflow.outputs.parameters.${p.name}`, p.value);
  }
  for (const a of op.status.outputs?.artifacts ?? []) scope.artifacts.set(`workflow.outputs.artifacts.${a.name}`, a);
}

/** When a steps/DAG node is done, its daemoned children are stopped and count as Succeeded. */
export function killDaemonedChildren(op: Operation, boundaryID: string): void {
  for (const id of op.boundaryMembers(boundaryID)) {
    if (!op.peek(id)?.daemoned) continue;
    const node = op.nodeById(id);
    if (!node) continue;
    op.emit({ type: 'kill', id: `kill:${node.id}`, nodeId: node.id, reason: 'daemon no longer needed' });
    delete node.daemoned;
    op.markNode(node, 'Succeeded');
  }
}

/**
 * Runs the body of a steps/DAG template under its node (created Running on first visit);
 * once the node is decided, its daemoned children are stopped.
 */
export function withBoundaryNode(
  op: Operation, nodeName: string, type: 'Steps' | 'DAG', tmpl: Template,
  opts: { boundaryID?: string; holder: TemplateHolder; scope: string; hooked?: boolean; retried?: boolean },
  body: (node: NodeStatus) => NodeStatus,
): NodeStatus {
  const node = op.node(nodeName) ?? op.initNode(nodeName, {
    type, phase: 'Running', boundaryID: opts.boundaryID, templateName: opts.holder.template, templateRef: refOf(opts.holder),
    templateScope: opts.scope, hooked: opts.hooked, retried: opts.retried,
  });
  if (node.phase === 'Pending') op.markNode(node, 'Running');
  op.boundaryTemplates.set(node.id, tmpl);
  try {
    return body(node);
  } finally {
    if (isFulfilled(node)) killDaemonedChildren(op, node.id);
  }
}
