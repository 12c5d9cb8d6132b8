// Finding the template a step, task or hook runs: by name in the current template
// context, by templateRef in a stored (snapshotted) WorkflowTemplate, or inline.
// Snapshots live in status.storedTemplates, so re-syncing a template never changes a run.
import type { Template } from '../spec/index.js';
import type { Operation } from './context.js';

export interface TemplateHolder {
  name?: string;
  template?: string;
  templateRef?: { name?: string; template?: string; clusterScope?: boolean };
  inline?: Template;
}

export interface TemplateContext {
  kind: 'local' | 'namespaced' | 'cluster';
  name: string; // workflow name for local, WorkflowTemplate name otherwise
}

export function scopeString(ctx: TemplateContext): string {
  return `${ctx.kind}/${ctx.name}`;
}

export function storedTemplateKey(kind: 'namespaced' | 'cluster', owner: string, template: string): string {
  return `${kind}/${owner}/${template}`;
}

export interface ResolvedTemplate {
  template: Template;
  context: TemplateContext;
}

export function resolveTemplate(op: Operation, ctx: TemplateContext, holder: TemplateHolder): ResolvedTemplate {
  let resolved: ResolvedTemplate;
  if (holder.inline) {
    resolved = { template: { ...holder.inline, name: holder.inline.name ?? '' }, context: ctx };
  } else if (holder.templateRef) {
    const ref = holder.templateRef;
    const kind = ref.clusterScope ? 'cluster' : 'namespaced';
    const key = storedTemplateKey(kind, ref.name ?? '', ref.template ?? '');
    const tmpl = op.status.storedTemplates?.[key];
    if (!tmpl) {
      const what = ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate';
      throw new Error(`template ${ref.template} not found in ${what} ${ref.name}`);
    }
    resolved = { template: tmpl as Template, context: { kind, name: ref.name ?? '' } };
  } else if (holder.template) {
    resolved = { template: lookupByName(op, ctx, holder.template), context: ctx };
  } else {
    throw new Error(`${holder.name ?? 'step'}: neither template, templateRef nor inline is set`);
  }
  return { template: withTemplateDefaults(op, resolved.template), context: resolved.context };
}

const byName = new WeakMap<Template[], Map<string, Template>>();

function lookupByName(op: Operation, ctx: TemplateContext, name: string): Template {
  if (ctx.kind === 'local') {
    const templates = op.wf.spec?.templates ?? [];
    let index = byName.get(templates);
    if (!index) {
      index = new Map();
      for (const t of templates) if (t.name !== undefined && !index.has(t.name)) index.set(t.name, t);
      byName.set(templates, index);
    }
    const tmpl = index.get(name);
    if (!tmpl) throw new Error(`template ${name} not found`);
    return tmpl;
  }
  const tmpl = op.status.storedTemplates?.[storedTemplateKey(ctx.kind, ctx.name, name)];
  if (!tmpl) throw new Error(`template ${name} not found in ${ctx.kind === 'cluster' ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate'} ${ctx.name}`);
  return tmpl as Template;
}

// Merged once per template and defaults object: the same result object on every pass keeps
// the caches keyed by template identity (bound templates, DAG shapes) working.
const merged = new WeakMap<Template, { defaults: unknown; template: Template }>();

/** spec.templateDefaults under every template: the template's own fields win. */
function withTemplateDefaults(op: Operation, tmpl: Template): Template {
  const defaults = op.wf.spec?.templateDefaults;
  if (!defaults) return tmpl;
  const hit = merged.get(tmpl);
  if (hit && hit.defaults === defaults) return hit.template;
  const template = deepMerge(defaults as Record<string, unknown>, tmpl as Record<string, unknown>) as Template;
  merged.set(tmpl, { defaults, template });
  return template;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export type TemplateType =
  | 'container' | 'script' | 'resource' | 'suspend' | 'steps' | 'dag' | 'http' | 'plugin' | 'containerSet' | 'data' | 'unknown';

export function templateType(t: Template): TemplateType {
  if (t.container) return 'container';
  if (t.script) return 'script';
  if (t.steps) return 'steps';
  if (t.dag) return 'dag';
  if (t.resource) return 'resource';
  if (t.suspend) return 'suspend';
  if (t.http) return 'http';
  if (t.plugin) return 'plugin';
  if (t.containerSet) return 'containerSet';
  if (t.data) return 'data';
  return 'unknown';
}

/** Templates that become one executed unit (a pod in Argo). */
export function isLeafType(type: TemplateType): boolean {
  return type === 'container' || type === 'script' || type === 'resource' || type === 'containerSet'
    || type === 'data' || type === 'http' || type === 'plugin';
}
