// Semantic validation of parsed documents: decodes each one (schema issues, unknown
// fields) and then runs the checks Argo's validator runs, returning ALL issues at once,
// each with a stable code, a JSON path and file:line:col.
import type { Issue } from '../errors.js';
import { decodeDocument, isPrefix, type KnownObject } from '../decode.js';
import type { ParsedDocument } from '../parse.js';
import type { FieldPath } from '../path.js';
import type { ObjectMeta } from '../schema/k8s.js';
import type { WorkflowSpec } from '../schema/workflow-spec.js';
import type { Workflow } from '../schema/workflow.js';
import { Reporter, catalogSpec, HAS_VARIABLE, EMPTY_CATALOG, type Catalog } from './context.js';
import { checkCron } from './cron.js';
import { checkExecutorFields, type ExecutorKind } from './executor-fields.js';
import { checkPhases } from './phases.js';
import { checkDags } from './dag.js';
import type { SpecContext, SpecOwnerKind } from './spec-context.js';
import { checkArguments, checkHolder, checkHooks, checkTemplates } from './templates.js';
import { checkVariables } from './variables.js';

export { EMPTY_CATALOG, type Catalog } from './context.js';
export { cronScheduleProblem, isValidTimezone } from './cron.js';
export type { ExecutorKind } from './executor-fields.js';
export { dagDependencies, findCycle, taskAncestry } from './dag.js';
export { isLeaf, templateKinds } from './templates.js';

export interface DecodedDocument {
  doc: ParsedDocument;
  object: KnownObject;
}

/** WorkflowTemplates and ClusterWorkflowTemplates by name, for templateRef/workflowTemplateRef. */
export function buildCatalog(objects: readonly KnownObject[]): Catalog {
  const templates = new Map<string, WorkflowSpec>();
  const clusterTemplates = new Map<string, WorkflowSpec>();
  for (const object of objects) {
    if (object.kind !== 'WorkflowTemplate' && object.kind !== 'ClusterWorkflowTemplate') continue;
    const name = object.value.metadata.name;
    if (name === undefined) continue;
    const map = object.kind === 'WorkflowTemplate' ? templates : clusterTemplates;
    if (!map.has(name)) map.set(name, object.value.spec);
  }
  return {
    workflowTemplate: (name) => templates.get(name),
    clusterWorkflowTemplate: (name) => clusterTemplates.get(name),
  };
}

function checkMetadata(kind: string, metadata: ObjectMeta, reporter: Reporter): void {
  const name = metadata.name ?? '';
  const generateName = metadata.generateName ?? '';
  if (name === '' && generateName === '') {
    reporter.error(['metadata'], 'WEFT_E_NO_NAME', `${kind} needs metadata.name or metadata.generateName`);
  }
  if (name.length > 253) reporter.error(['metadata', 'name'], 'WEFT_E_INVALID_NAME', 'metadata.name must be at most 253 characters');
  if (kind === 'Workflow' && name.length > 63) {
    reporter.error(['metadata', 'name'], 'WEFT_E_INVALID_NAME', `workflow name "${name}" must be at most 63 characters (it names pods and labels)`);
  }
}

/** Checks one WorkflowSpec: refs, entrypoint, onExit, hooks, arguments, templates, DAGs, variables. */
function checkSpec(spec: WorkflowSpec, base: FieldPath, owner: SpecOwnerKind, reporter: Reporter, catalog: Catalog, executor: ExecutorKind): void {
  let lookupSpec: WorkflowSpec | undefined = spec;
  const ref = spec.workflowTemplateRef;
  if (ref) {
    lookupSpec = HAS_VARIABLE.test(ref.name) ? undefined : catalogSpec(catalog, ref.name, ref.clusterScope);
    if (!lookupSpec && !HAS_VARIABLE.test(ref.name)) {
      const kind = ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate';
      reporter.error([...base, 'workflowTemplateRef', 'name'], 'WEFT_E_UNRESOLVED_REF', `${kind} "${ref.name}" not found (lint it together, or pass it with --load)`);
    }
    if ((spec.templates?.length ?? 0) > 0) {
      reporter.error([...base, 'templates'], 'WEFT_E_TEMPLATES_WITH_REF', 'a workflow that uses workflowTemplateRef cannot define its own templates');
    }
  }
  const ctx: SpecContext = { spec, lookupSpec, base, owner, reporter, catalog };
  const entrypoint = spec.entrypoint ?? (ref ? lookupSpec?.entrypoint : undefined);
  const runnable = owner === 'Workflow' || owner === 'CronWorkflow';
  if ((entrypoint === undefined || entrypoint === '') && runnable && !(ref && !lookupSpec)) {
    reporter.error([...base, 'entrypoint'], 'WEFT_E_NO_ENTRYPOINT', `${owner} needs spec${owner === 'CronWorkflow' ? '.workflowSpec' : ''}.entrypoint: the template to run first`);
  } else if (entrypoint !== undefined && entrypoint !== '' && lookupSpec && !HAS_VARIABLE.test(entrypoint)) {
    if (!(lookupSpec.templates ?? []).some((t) => t.name === entrypoint)) {
      reporter.error([...base, spec.entrypoint !== undefined ? 'entrypoint' : 'workflowTemplateRef'], 'WEFT_E_UNKNOWN_ENTRYPOINT', `entrypoint "${entrypoint}" is not a template of this workflow`);
    }
  }
  if (spec.onExit !== undefined && spec.onExit !== '' && lookupSpec) checkHolder(ctx, { template: spec.onExit }, [...base, 'onExit']);
  checkHooks(ctx, spec.hooks, [...base, 'hooks']);
  // Workflow arguments may be left empty at lint time: `weft run -p` supplies them (see validateForRun).
  checkArguments(ctx, spec.arguments, [...base, 'arguments'], true);
  checkTemplates(ctx);
  checkDags(ctx);
  checkVariables(ctx);
  checkPhases(ctx);
  checkExecutorFields(ctx, executor);
}

function checkObject(object: KnownObject, reporter: Reporter, catalog: Catalog, executor: ExecutorKind): void {
  switch (object.kind) {
    case 'Workflow':
    case 'WorkflowTemplate':
    case 'ClusterWorkflowTemplate':
      checkMetadata(object.kind, object.value.metadata, reporter);
      checkSpec(object.value.spec, ['spec'], object.kind, reporter, catalog, executor);
      return;
    case 'CronWorkflow':
      checkMetadata(object.kind, object.value.metadata, reporter);
      checkCron(object.value, reporter);
      checkSpec(object.value.spec.workflowSpec, ['spec', 'workflowSpec'], 'CronWorkflow', reporter, catalog, executor);
      return;
    case 'ConfigMap':
    case 'Secret':
    case 'PersistentVolumeClaim':
    case 'GitSource':
    case 'GitTrigger':
      checkMetadata(object.kind, object.value.metadata, reporter);
      return;
    case 'WeftConfig':
      return;
  }
}

export interface ValidateOptions {
  /** Documents that references resolve against but that are not themselves reported on (--load). */
  extra?: readonly ParsedDocument[];
  /** Which executor the documents will run on; 'local' (default) warns about Kubernetes-only fields. */
  executor?: ExecutorKind;
}

export interface ValidationResult {
  issues: Issue[];
  /** The documents that decoded, typed, in input order. */
  decoded: DecodedDocument[];
}

/** Decodes and validates docs; returns every issue plus the typed objects. */
export function validateAndDecode(docs: readonly ParsedDocument[], options: ValidateOptions = {}): ValidationResult {
  const issues: Issue[] = [];
  const decoded: DecodedDocument[] = [];
  // Documents with schema errors are still checked, minus the rejected fields.
  const checked: { doc: ParsedDocument; object: KnownObject; pruned: FieldPath[] }[] = [];
  for (const doc of docs) {
    const result = decodeDocument(doc);
    issues.push(...result.issues);
    if (result.decoded) {
      decoded.push({ doc, object: result.decoded });
      checked.push({ doc, object: result.decoded, pruned: [] });
    } else if (result.partial) {
      checked.push({ doc, object: result.partial.object, pruned: result.partial.pruned });
    }
  }
  const extraObjects = (options.extra ?? []).flatMap((doc) => {
    const result = decodeDocument(doc);
    return result.decoded ? [result.decoded] : result.partial ? [result.partial.object] : [];
  });
  const catalog = buildCatalog([...checked.map((d) => d.object), ...extraObjects]);
  for (const { doc, object, pruned } of checked) {
    const reporter = new Reporter(doc);
    checkObject(object, reporter, catalog, options.executor ?? 'local');
    // An issue on, inside or around a removed field is a consequence of the schema error.
    const related = (path: FieldPath): boolean => pruned.some((p) => isPrefix(p, path) || isPrefix(path, p));
    issues.push(...reporter.issues.filter((_, i) => !related(reporter.paths[i] ?? [])));
  }
  return { issues, decoded };
}

/** Every issue of docs (schema and semantic), references resolved against docs + extra. */
export function validateDocuments(docs: readonly ParsedDocument[], options: ValidateOptions = {}): Issue[] {
  return validateAndDecode(docs, options).issues;
}

export interface RunValidationOptions {
  /** Resolves spec.workflowTemplateRef, whose arguments merge under the workflow's. */
  catalog?: Catalog;
  /** The document the workflow came from, for file:line:col. */
  doc?: ParsedDocument;
}

/**
 * The checks that only hold once a run is about to start, after `-p NAME=VALUE` has been
 * applied: every workflow parameter has a value (or valueFrom), and enum values match.
 */
export function validateForRun(workflow: Workflow, options: RunValidationOptions = {}): Issue[] {
  const reporter = new Reporter(options.doc);
  const catalog = options.catalog ?? EMPTY_CATALOG;
  const own = workflow.spec.arguments?.parameters ?? [];
  const ref = workflow.spec.workflowTemplateRef;
  const inherited = ref ? (catalogSpec(catalog, ref.name, ref.clusterScope)?.arguments?.parameters ?? []) : [];
  own.forEach((param, i) => {
    const fallback = inherited.find((p) => p.name === param.name);
    const value = param.value ?? (param.valueFrom ? undefined : fallback?.value);
    const at = ['spec', 'arguments', 'parameters', i];
    if (value === undefined && param.valueFrom === undefined && fallback?.valueFrom === undefined) {
      reporter.error(at, 'WEFT_E_PARAMETER_NO_VALUE', `workflow parameter "${param.name}" has no value: pass -p ${param.name}=VALUE`);
    }
    const allowed = param.enum ?? fallback?.enum;
    if (value !== undefined && allowed !== undefined && allowed.length > 0 && !allowed.includes(value)) {
      reporter.error([...at, 'value'], 'WEFT_E_PARAMETER_ENUM', `workflow parameter "${param.name}": "${value}" is not one of ${allowed.join(', ')}`);
    }
  });
  inherited.forEach((param) => {
    if (own.some((p) => p.name === param.name)) return;
    if (param.value === undefined && param.valueFrom === undefined) {
      reporter.error(['spec', 'arguments', 'parameters'], 'WEFT_E_PARAMETER_NO_VALUE', `parameter "${param.name}" of WorkflowTemplate "${ref?.name ?? ''}" has no value: pass -p ${param.name}=VALUE`);
    }
  });
  return reporter.issues;
}
