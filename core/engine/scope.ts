// Local variable scopes of steps and DAG templates: what `{{steps.X...}}` and
// `{{tasks.X...}}` resolve to, built from the nodes that already ran (Argo's wfScope).
import type { Artifact, Outputs, Template } from '../spec/index.js';
import type { Vars } from '../expr/index.js';
import type { NodeStatus } from './types.js';

export const ABSENT_OPTIONAL = '__argo_absent_optional__';

export class Scope {
  readonly vars: Vars = {};
  readonly artifacts = new Map<string, Artifact>();
  /** Keys that name an output of a skipped/omitted node without a default: nil in expressions. */
  readonly skipped = new Set<string>();

  constructor(tmpl?: Template) {
    for (const p of tmpl?.inputs?.parameters ?? []) {
      this.vars[`inputs.parameters.${p.name}`] = p.value ?? '';
    }
    for (const a of tmpl?.inputs?.artifacts ?? []) {
      this.artifacts.set(`inputs.artifacts.${a.name}`, a);
    }
  }

  set(key: string, value: string): void {
    this.vars[key] = value;
    this.skipped.delete(key);
  }

  setSkipped(key: string): void {
    delete this.vars[key];
    this.skipped.add(key);
  }

  /** Values for `{{=...}}` expressions beyond the flat vars: artifacts and nils. */
  expressionExtras(): Record<string, unknown> {
    const extra: Record<string, unknown> = {};
    for (const key of this.skipped) extra[key] = null;
    return extra;
  }

  /** Environment for `fromExpression`: flat vars plus artifacts as objects at their dotted keys. */
  artifactExpressionExtras(): Record<string, unknown> {
    const extra = this.expressionExtras();
    for (const [key, art] of this.artifacts) extra[key] = art;
    return extra;
  }

  /** `{{steps.a.outputs.artifacts.x}}` (or `inputs.artifacts.x`) to the artifact it names. */
  resolveArtifactRef(ref: string): Artifact | undefined {
    const key = ref.trim().replace(/^\{\{\s*/, '').replace(/\s*\}\}$/, '');
    return this.artifacts.get(key);
  }

  /** The value an output parameter's `valueFrom.parameter` names, and whether it was skipped. */
  resolveParameterRef(ref: string): { value?: string; skipped: boolean } {
    const key = ref.trim().replace(/^\{\{\s*/, '').replace(/\s*\}\}$/, '');
    if (this.skipped.has(key)) return { skipped: true };
    const value = this.vars[key];
    if (value === undefined && !(key in this.vars)) throw new Error(`Unable to resolve: {{${key}}}`);
    return { value, skipped: false };
  }

  /** An argument that is exactly `{{ref}}` to a skipped output becomes the absent-optional marker. */
  markAbsentOptionalValue(value: string | undefined): string | undefined {
    if (value === undefined) return value;
    const m = /^\{\{([^{}]*)\}\}$/.exec(value);
    if (m && this.skipped.has(m[1].trim())) return ABSENT_OPTIONAL;
    return value;
  }
}

/** Adds a node's facts and outputs under `${prefix}.${name}` (prefix: steps or tasks). */
export function addNodeToScope(scope: Scope, prefix: string, name: string, node: NodeStatus, nodes: Record<string, NodeStatus>): void {
  const effective = lastRetryChild(node, nodes) ?? node;
  const base = `${prefix}.${name}`;
  if (effective.id) scope.set(`${base}.id`, effective.id);
  if (effective.startedAt) scope.set(`${base}.startedAt`, effective.startedAt);
  if (effective.finishedAt) scope.set(`${base}.finishedAt`, effective.finishedAt);
  if (effective.podIP) scope.set(`${base}.ip`, effective.podIP);
  if (effective.phase) scope.set(`${base}.status`, effective.phase);
  if (effective.hostNodeName) scope.set(`${base}.hostNodeName`, effective.hostNodeName);
  addOutputsToScope(scope, base, effective.outputs);
}

export function addOutputsToScope(scope: Scope, base: string, outputs: Outputs | undefined): void {
  if (!outputs) return;
  if (outputs.result !== undefined) scope.set(`${base}.outputs.result`, outputs.result);
  if (outputs.exitCode !== undefined) scope.set(`${base}.exitCode`, outputs.exitCode);
  for (const p of outputs.parameters ?? []) {
    if (p.value !== undefined) scope.set(`${base}.outputs.parameters.${p.name}`, p.value);
  }
  for (const a of outputs.artifacts ?? []) scope.artifacts.set(`${base}.outputs.artifacts.${a.name}`, a);
}

/** Skipped/omitted nodes still answer for their declared outputs: the default, or nil. */
export function addSkippedOutputsToScope(scope: Scope, prefix: string, name: string, node: NodeStatus, tmpl: Template | undefined, includeArtifacts: boolean): void {
  if (node.outputs || (node.phase !== 'Skipped' && node.phase !== 'Omitted') || !tmpl) return;
  const base = `${prefix}.${name}`;
  for (const p of tmpl.outputs?.parameters ?? []) {
    if (p.valueFrom?.default !== undefined) scope.set(`${base}.outputs.parameters.${p.name}`, p.valueFrom.default);
    else scope.setSkipped(`${base}.outputs.parameters.${p.name}`);
  }
  if (includeArtifacts) {
    for (const a of tmpl.outputs?.artifacts ?? []) scope.artifacts.set(`${base}.outputs.artifacts.${a.name}`, { name: a.name });
  }
  if (tmpl.outputs?.result !== undefined) scope.setSkipped(`${base}.outputs.result`);
}

/** Loop children's outputs as JSON lists: `.outputs.parameters`, `.outputs.parameters.NAME`, `.outputs.result`. */
export function addAggregateOutputsToScope(scope: Scope, prefix: string, name: string, children: NodeStatus[]): void {
  // Sorted by loop index, each index read once (not twice per comparison).
  const indexed = children
    .filter((c) => !c.nodeFlag?.hooked && !c.nodeFlag?.retried)
    .map((node) => ({ node, index: loopIndex(node.name) }));
  if (indexed.length === 0) return;
  indexed.sort((a, b) => a.index - b.index);
  const kept = indexed.map((e) => e.node);
  const paramList: Record<string, string>[] = [];
  const valueLists = new Map<string, string[]>();
  const results: unknown[] = [];
  for (const node of kept) {
    if (!node.outputs || node.phase !== 'Succeeded') continue;
    if (node.outputs.parameters?.length) {
      const entry: Record<string, string> = {};
      for (const p of node.outputs.parameters) {
        entry[p.name] = p.value ?? '';
        const list = valueLists.get(p.name) ?? [];
        list.push(p.value ?? '');
        valueLists.set(p.name, list);
      }
      paramList.push(entry);
    }
    if (node.outputs.result !== undefined) results.push(parseJSONOrString(node.outputs.result));
  }
  const base = `${prefix}.${name}`;
  scope.set(`${base}.outputs.result`, JSON.stringify(results));
  scope.set(`${base}.outputs.parameters`, JSON.stringify(paramList));
  for (const [param, values] of valueLists) scope.set(`${base}.outputs.parameters.${param}`, aggregatedValueList(values));
}

function aggregatedValueList(values: string[]): string {
  const parsed: unknown[] = [];
  for (const v of values) {
    try {
      const x: unknown = JSON.parse(v);
      if (x === null || typeof x !== 'object') return JSON.stringify(values);
      parsed.push(x);
    } catch {
      return JSON.stringify(values);
    }
  }
  return JSON.stringify(parsed);
}

const JSON_START = /^\s*(?:[{["\d-]|(?:true|false|null)\s*$)/;

export function parseJSONOrString(text: string): unknown {
  // Most outputs are plain text: a throw per value costs more than the aggregation itself.
  if (!JSON_START.test(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function loopIndex(name: string): number {
  const tail = name.slice(name.lastIndexOf('(') + 1);
  const n = Number.parseInt(tail, 10);
  return Number.isNaN(n) ? 0 : n;
}

/** For a Retry node, its last attempt that is not a hook. */
export function lastRetryChild(node: NodeStatus, nodes: Record<string, NodeStatus>): NodeStatus | undefined {
  if (node.type !== 'Retry' || node.memoizationStatus?.hit) return undefined;
  const children = node.children ?? [];
  for (let i = children.length - 1; i >= 0; i--) {
    const child = nodes[children[i]];
    if (child && !child.nodeFlag?.hooked) return child;
  }
  return undefined;
}

const KEYED = ['s3', 'gcs', 'oss', 'fs'] as const;

/** Argo's Artifact.AppendToKey: a subPath inside an unarchived (directory) artifact. */
export function appendToKey(art: Artifact, subPath: string): Artifact {
  const copy = structuredClone(art) as Record<string, unknown>;
  for (const kind of KEYED) {
    const loc = copy[kind] as { key?: string } | undefined;
    if (loc?.key !== undefined) {
      loc.key = `${loc.key.replace(/\/+$/, '')}/${subPath.replace(/^\/+/, '')}`;
      return copy as Artifact;
    }
  }
  const azure = copy.azure as { blob?: string } | undefined;
  if (azure?.blob !== undefined) {
    azure.blob = `${azure.blob.replace(/\/+$/, '')}/${subPath}`;
    return copy as Artifact;
  }
  throw new Error(`artifact ${art.name} has no key a subPath (${subPath}) can be appended to`);
}
