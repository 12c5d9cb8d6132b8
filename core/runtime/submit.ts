// Turning a document into a run: a Workflow as given, or a Workflow that references the
// WorkflowTemplate / ClusterWorkflowTemplate given; parameters and entrypoint applied;
// workflowTemplateRef merged; every templateRef snapshotted into status.storedTemplates
// so later edits to the templates never change this run (Argo's storedTemplates).
import { randomBytes, randomUUID } from 'node:crypto';
import type { Parameter, Template, Workflow, WorkflowSpec } from '../spec/index.js';
import { UserError } from '../spec/index.js';
import { evaluateExpr, expressionEnv, formatGoValue, type Vars } from '../expr/index.js';
import { storedTemplateKey } from '../engine/index.js';
import type { Store } from '../store/index.js';

export interface SubmitOptions {
  parameters?: Record<string, string>;
  entrypoint?: string;
  namespace?: string;
  labels?: Record<string, string>;
  now: number;
  /** Deterministic name (e.g. for Git triggers); otherwise generateName + 5 random chars. */
  name?: string;
}

type Kind = 'Workflow' | 'WorkflowTemplate' | 'ClusterWorkflowTemplate' | 'CronWorkflow';

export interface SubmittableDocument {
  kind: Kind;
  value: Record<string, unknown>;
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(): string {
  const bytes = randomBytes(5);
  return [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

export function workflowFromDocument(doc: SubmittableDocument, opts: SubmitOptions): Workflow {
  const ns = opts.namespace ?? (doc.value.metadata as { namespace?: string } | undefined)?.namespace ?? 'default';
  let wf: Workflow;
  if (doc.kind === 'Workflow') {
    wf = structuredClone(doc.value) as Workflow;
  } else if (doc.kind === 'CronWorkflow') {
    // One run of the CronWorkflow now, as `argo submit --from cronwf/NAME` does.
    const meta = (doc.value.metadata ?? {}) as { name?: string; labels?: Record<string, string> };
    const spec = (doc.value.spec ?? {}) as { workflowSpec?: WorkflowSpec; workflowMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } };
    const name = meta.name ?? 'cron';
    wf = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        generateName: `${name}-`,
        namespace: ns,
        labels: { ...(spec.workflowMetadata?.labels ?? {}), 'workflows.argoproj.io/cron-workflow': name },
        annotations: {
          ...(spec.workflowMetadata?.annotations ?? {}),
          'workflows.argoproj.io/scheduled-time': new Date(Math.floor(opts.now / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
        },
      },
      spec: structuredClone(spec.workflowSpec ?? {}),
    } as Workflow;
  } else {
    const meta = (doc.value.metadata ?? {}) as { name?: string };
    const name = meta.name ?? 'template';
    const cluster = doc.kind === 'ClusterWorkflowTemplate';
    wf = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: {
        generateName: `${name}-`,
        namespace: ns,
        labels: { [cluster ? 'workflows.argoproj.io/cluster-workflow-template' : 'workflows.argoproj.io/workflow-template']: name },
      },
      spec: { workflowTemplateRef: { name, ...(cluster ? { clusterScope: true } : {}) } },
    } as Workflow;
  }
  wf.metadata ??= {};
  wf.metadata.namespace = ns;
  wf.metadata.name = opts.name ?? wf.metadata.name ?? `${wf.metadata.generateName ?? 'workflow-'}${randomSuffix()}`;
  wf.metadata.uid = randomUUID();
  wf.metadata.creationTimestamp = new Date(Math.floor(opts.now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  if (opts.labels) wf.metadata.labels = { ...(wf.metadata.labels ?? {}), ...opts.labels };
  wf.spec ??= {};
  if (opts.entrypoint) wf.spec.entrypoint = opts.entrypoint;
  if (opts.parameters && Object.keys(opts.parameters).length) {
    wf.spec.arguments ??= {};
    const params: Parameter[] = [...(wf.spec.arguments.parameters ?? [])];
    for (const [name, value] of Object.entries(opts.parameters)) {
      const i = params.findIndex((p) => p.name === name);
      if (i >= 0) {
        const { valueFrom: _vf, ...rest } = params[i];
        params[i] = { ...rest, value };
      } else params.push({ name, value });
    }
    wf.spec.arguments.parameters = params;
  }
  return wf;
}

interface TemplateSource {
  spec?: WorkflowSpec;
  metadata?: { name?: string };
}

function findTemplateObject(store: Store, namespace: string, name: string, cluster: boolean): TemplateSource {
  const obj = cluster ? store.getObject('ClusterWorkflowTemplate', '', name) : store.getObject('WorkflowTemplate', namespace, name);
  if (!obj) {
    const what = cluster ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate';
    throw new UserError('WEFT_E_TEMPLATE_NOT_FOUND', `${what} "${name}" not found${cluster ? '' : ` in namespace ${namespace}`}: pass it with --load or apply it first`);
  }
  return obj.body as TemplateSource;
}

/** Argo's JoinWorkflowSpec: the Workflow's own fields win; parameters merge by name. */
function joinSpecs(wfSpec: WorkflowSpec, tmplSpec: WorkflowSpec): WorkflowSpec {
  const { workflowTemplateRef: _ref, ...own } = wfSpec;
  const merged: WorkflowSpec = { ...structuredClone(tmplSpec), ...structuredClone(own) };
  const params = new Map<string, Parameter>();
  for (const p of tmplSpec.arguments?.parameters ?? []) params.set(p.name, p);
  for (const p of wfSpec.arguments?.parameters ?? []) params.set(p.name, { ...(params.get(p.name) ?? {}), ...p });
  const artifacts = new Map<string, NonNullable<NonNullable<WorkflowSpec['arguments']>['artifacts']>[number]>();
  for (const a of tmplSpec.arguments?.artifacts ?? []) artifacts.set(a.name, a);
  for (const a of wfSpec.arguments?.artifacts ?? []) artifacts.set(a.name, a);
  if (params.size || artifacts.size) {
    merged.arguments = {
      ...(params.size ? { parameters: [...params.values()] } : {}),
      ...(artifacts.size ? { artifacts: [...artifacts.values()] } : {}),
    };
  }
  const templates = new Map<string, Template>();
  for (const t of tmplSpec.templates ?? []) templates.set(t.name ?? '', t);
  for (const t of wfSpec.templates ?? []) templates.set(t.name ?? '', t);
  merged.templates = [...templates.values()];
  return merged;
}

export interface PreparedRun {
  workflow: Workflow;
  /** The spec the engine runs: the Workflow's, or merged with its workflowTemplateRef. */
  execSpec: WorkflowSpec;
}

export function prepareRun(store: Store, wf: Workflow): PreparedRun {
  const ns = wf.metadata?.namespace ?? 'default';
  let execSpec = wf.spec ?? {};
  const status: Record<string, unknown> = { ...(wf.status ?? {}) };
  if (execSpec.workflowTemplateRef) {
    const ref = execSpec.workflowTemplateRef;
    const source = findTemplateObject(store, ns, ref.name ?? '', Boolean(ref.clusterScope));
    execSpec = joinSpecs(execSpec, source.spec ?? {});
    status.storedWorkflowTemplateSpec = execSpec;
  }
  const stored: Record<string, Template> = {};
  const visited = new Set<string>();
  const visit = (templates: Template[] | undefined): void => {
    for (const t of templates ?? []) for (const ref of templateRefsOf(t)) snapshot(ref.name, ref.clusterScope);
  };
  const snapshot = (name: string, cluster: boolean): void => {
    const key = `${cluster ? 'cluster' : 'namespaced'}/${name}`;
    if (visited.has(key)) return;
    visited.add(key);
    const source = findTemplateObject(store, ns, name, cluster);
    for (const t of source.spec?.templates ?? []) stored[storedTemplateKey(cluster ? 'cluster' : 'namespaced', name, t.name ?? '')] = t;
    visit(source.spec?.templates);
  };
  visit(execSpec.templates);
  for (const hook of Object.values(execSpec.hooks ?? {})) if (hook.templateRef) snapshot(hook.templateRef.name ?? '', Boolean(hook.templateRef.clusterScope));
  if (Object.keys(stored).length) status.storedTemplates = stored;
  const workflow = { ...wf, metadata: withWorkflowMetadata(wf, execSpec), status } as Workflow;
  return { workflow, execSpec };
}

function templateRefsOf(t: Template): { name: string; clusterScope: boolean }[] {
  const refs: { name: string; clusterScope: boolean }[] = [];
  const add = (r: { name?: string; clusterScope?: boolean } | undefined): void => {
    if (r?.name) refs.push({ name: r.name, clusterScope: Boolean(r.clusterScope) });
  };
  for (const group of t.steps ?? []) for (const s of group ?? []) {
    add(s.templateRef);
    for (const h of Object.values(s.hooks ?? {})) add(h.templateRef);
    if (s.inline) refs.push(...templateRefsOf(s.inline));
  }
  for (const task of t.dag?.tasks ?? []) {
    add(task.templateRef);
    for (const h of Object.values(task.hooks ?? {})) add(h.templateRef);
    if (task.inline) refs.push(...templateRefsOf(task.inline));
  }
  return refs;
}

/** Arguments that still have no value after -p: an error before anything runs. */
export function missingParameters(spec: WorkflowSpec): string[] {
  return (spec.arguments?.parameters ?? [])
    .filter((p) => p.value === undefined && p.valueFrom === undefined && p.default === undefined)
    .map((p) => p.name);
}

/** spec.workflowMetadata: labels and annotations copied, labelsFrom expressions evaluated. */
function withWorkflowMetadata(wf: Workflow, spec: WorkflowSpec): Workflow['metadata'] {
  const meta = { ...(wf.metadata ?? {}) };
  const md = spec.workflowMetadata;
  if (!md) return meta;
  const labels: Record<string, string> = { ...((meta.labels ?? {}) as Record<string, string>) };
  for (const [k, v] of Object.entries(md.labels ?? {})) labels[k] = String(v);
  const vars: Vars = { 'workflow.name': meta.name ?? '', 'workflow.namespace': meta.namespace ?? 'default', 'workflow.uid': meta.uid ?? '' };
  for (const p of spec.arguments?.parameters ?? []) if (p.value !== undefined) vars[`workflow.parameters.${p.name}`] = p.value;
  for (const [k, from] of Object.entries(md.labelsFrom ?? {})) {
    const value = evaluateExpr(from.expression ?? '', expressionEnv(vars), `spec.workflowMetadata.labelsFrom.${k}.expression`);
    labels[k] = typeof value === 'string' ? value : formatGoValue(value);
  }
  meta.labels = labels;
  if (md.annotations) meta.annotations = { ...(meta.annotations ?? {}), ...Object.fromEntries(Object.entries(md.annotations).map(([k, v]) => [k, String(v)])) };
  return meta;
}
