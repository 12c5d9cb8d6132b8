// Structural checks of templates, as Argo's workflow/validate does them: unique valid
// names, exactly one kind per template, what each kind requires (image, manifest,
// output sources, artifact paths), and that every step and hook calls a template that
// exists. DAG-specific rules live in dag.ts, {{...}} references in variables.ts.
import { ARTIFACT_LOCATION_KINDS } from '../schema/artifacts.js';
import type { Arguments, Parameter } from '../schema/io.js';
import { TEMPLATE_KINDS, type LifecycleHooks, type Template, type TemplateKind } from '../schema/template.js';
import type { FieldPath } from '../path.js';
import type { Artifact } from '../schema/artifacts.js';
import { resolveHolder, type TemplateHolder } from './context.js';
import { allTemplates, fieldNameProblem, parameterNameProblem, type SpecContext } from './spec-context.js';

export function templateKinds(template: Template): TemplateKind[] {
  return TEMPLATE_KINDS.filter((kind) => template[kind] !== undefined);
}

const LEAF_KINDS: readonly TemplateKind[] = ['container', 'containerSet', 'script', 'resource', 'data', 'http', 'plugin'];
const POD_KINDS: readonly TemplateKind[] = ['container', 'containerSet', 'script'];

export function isLeaf(template: Template): boolean {
  return LEAF_KINDS.some((kind) => template[kind] !== undefined);
}

/** Reports a holder whose template cannot be found; returns the template when it can. */
export function checkHolder(ctx: SpecContext, holder: TemplateHolder, path: FieldPath): Template | undefined {
  const set = (['template', 'templateRef', 'inline'] as const).filter((key) => holder[key] !== undefined);
  if (set.length > 1) {
    ctx.reporter.error([...path, set[1] ?? 'template'], 'WEFT_E_STEP_TARGET', `set only one of template, templateRef or inline (found ${set.join(' and ')})`);
    return undefined;
  }
  const resolution = resolveHolder(holder, ctx.lookupSpec, ctx.catalog);
  if (resolution.status === 'missing') {
    const field = holder.templateRef ? 'templateRef' : holder.template !== undefined ? 'template' : undefined;
    ctx.reporter.error(field ? [...path, field] : path, resolution.code, resolution.message);
    return undefined;
  }
  return resolution.status === 'resolved' ? resolution.template : undefined;
}

function checkNamedList(ctx: SpecContext, items: readonly { name: string }[], path: FieldPath, what: string, problem: (name: string) => string | undefined): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const why = problem(item.name);
    if (why) ctx.reporter.error([...path, i, 'name'], 'WEFT_E_INVALID_NAME', `${what} name "${item.name}" ${why}`);
    if (seen.has(item.name)) ctx.reporter.error([...path, i, 'name'], 'WEFT_E_DUPLICATE_NAME', `${what} name "${item.name}" is not unique`);
    seen.add(item.name);
  });
}

function hasLocation(artifact: Artifact): boolean {
  return ARTIFACT_LOCATION_KINDS.some((kind) => artifact[kind] !== undefined);
}

/** Arguments passed by a step, task, hook or the workflow: every parameter needs a value source. */
export function checkArguments(ctx: SpecContext, args: Arguments | undefined, path: FieldPath, allowEmptyValues: boolean): void {
  if (!args) return;
  checkNamedList(ctx, args.parameters ?? [], [...path, 'parameters'], 'parameter', parameterNameProblem);
  checkNamedList(ctx, args.artifacts ?? [], [...path, 'artifacts'], 'artifact', parameterNameProblem);
  (args.parameters ?? []).forEach((param, i) => checkArgumentParameter(ctx, param, [...path, 'parameters', i], allowEmptyValues));
  (args.artifacts ?? []).forEach((artifact, i) => {
    const at = [...path, 'artifacts', i];
    if (artifact.from === undefined && artifact.fromExpression === undefined && !hasLocation(artifact)) {
      ctx.reporter.error(at, 'WEFT_E_ARGUMENT_VALUE', `artifact "${artifact.name}" needs from, fromExpression or a location (s3, http, raw, fs...)`);
    }
    if (artifact.from !== undefined && artifact.fromExpression !== undefined) {
      ctx.reporter.error([...at, 'fromExpression'], 'WEFT_E_ARGUMENT_VALUE', `artifact "${artifact.name}" sets both from and fromExpression`);
    }
  });
}

function checkArgumentParameter(ctx: SpecContext, param: Parameter, path: FieldPath, allowEmptyValues: boolean): void {
  if (param.value === undefined && param.valueFrom === undefined && !allowEmptyValues) {
    ctx.reporter.error(path, 'WEFT_E_ARGUMENT_VALUE', `parameter "${param.name}" needs a value or valueFrom`);
  }
  const from = param.valueFrom;
  if (from) {
    const allowed = from.configMapKeyRef !== undefined || from.event !== undefined || from.supplied !== undefined;
    const forbidden = from.path ?? from.jsonPath ?? from.parameter ?? from.expression;
    if (!allowed || forbidden !== undefined) {
      ctx.reporter.error([...path, 'valueFrom'], 'WEFT_E_ARGUMENT_VALUE', `argument "${param.name}": valueFrom only allows default, configMapKeyRef, event and supplied`);
    }
  }
  if (param.enum !== undefined) {
    if (param.enum.length === 0) ctx.reporter.error([...path, 'enum'], 'WEFT_E_PARAMETER_ENUM', `parameter "${param.name}": enum must list at least one value`);
    else if (param.value !== undefined && !param.enum.includes(param.value)) {
      ctx.reporter.error([...path, 'value'], 'WEFT_E_PARAMETER_ENUM', `parameter "${param.name}": value "${param.value}" is not one of its enum ${param.enum.join(', ')}`);
    }
  }
}

export function checkHooks(ctx: SpecContext, hooks: LifecycleHooks | undefined, path: FieldPath): void {
  for (const [name, hook] of Object.entries(hooks ?? {})) {
    if (name !== 'exit' && (hook.expression === undefined || hook.expression === '')) {
      ctx.reporter.error([...path, name, 'expression'], 'WEFT_E_HOOK_EXPRESSION', `hook "${name}" needs an expression (only the "exit" hook runs unconditionally)`);
    }
    checkHolder(ctx, hook, [...path, name]);
    checkArguments(ctx, hook.arguments, [...path, name, 'arguments'], false);
  }
}

function checkOutputs(ctx: SpecContext, template: Template, path: FieldPath, kind: TemplateKind | undefined): void {
  const outputs = template.outputs;
  if (!outputs) return;
  checkNamedList(ctx, outputs.parameters ?? [], [...path, 'outputs', 'parameters'], 'output parameter', parameterNameProblem);
  checkNamedList(ctx, outputs.artifacts ?? [], [...path, 'outputs', 'artifacts'], 'output artifact', parameterNameProblem);
  (outputs.parameters ?? []).forEach((param, i) => {
    const at = [...path, 'outputs', 'parameters', i];
    if (param.value !== undefined && param.valueFrom !== undefined) {
      ctx.reporter.error(at, 'WEFT_E_OUTPUT_PARAMETER', `output parameter "${param.name}" sets both value and valueFrom`);
      return;
    }
    if (param.value !== undefined) return;
    const from = param.valueFrom;
    if (!from) {
      ctx.reporter.error(at, 'WEFT_E_OUTPUT_PARAMETER', `output parameter "${param.name}" needs value or valueFrom`);
      return;
    }
    const sources = [from.path, from.jqFilter, from.jsonPath, from.parameter, from.expression, from.supplied].filter((v) => v !== undefined && v !== '');
    if (sources.length !== 1) {
      ctx.reporter.error([...at, 'valueFrom'], 'WEFT_E_OUTPUT_PARAMETER', `output parameter "${param.name}": valueFrom needs exactly one of path, jqFilter, jsonPath, parameter, expression, supplied`);
      return;
    }
    if (kind !== undefined && POD_KINDS.includes(kind) && from.path === undefined) {
      ctx.reporter.error([...at, 'valueFrom'], 'WEFT_E_OUTPUT_PARAMETER', `output parameter "${param.name}": ${kind} templates read outputs from valueFrom.path`);
    } else if (kind === 'resource' && from.jqFilter === undefined && from.jsonPath === undefined) {
      ctx.reporter.error([...at, 'valueFrom'], 'WEFT_E_OUTPUT_PARAMETER', `output parameter "${param.name}": resource templates read outputs with valueFrom.jsonPath or jqFilter`);
    } else if ((kind === 'steps' || kind === 'dag') && from.parameter === undefined && from.expression === undefined) {
      ctx.reporter.error([...at, 'valueFrom'], 'WEFT_E_OUTPUT_PARAMETER', `output parameter "${param.name}": ${kind} templates take outputs from valueFrom.parameter or expression`);
    }
  });
  (outputs.artifacts ?? []).forEach((artifact, i) => {
    if (artifact.path !== undefined && kind !== undefined && !isLeaf(template)) {
      ctx.reporter.error([...path, 'outputs', 'artifacts', i, 'path'], 'WEFT_E_ARTIFACT_PATH', `output artifact "${artifact.name}": path is only valid in container/script templates`);
    }
  });
}

function checkInputs(ctx: SpecContext, template: Template, path: FieldPath, kind: TemplateKind | undefined): void {
  const inputs = template.inputs;
  if (!inputs) return;
  checkNamedList(ctx, inputs.parameters ?? [], [...path, 'inputs', 'parameters'], 'input parameter', parameterNameProblem);
  checkNamedList(ctx, inputs.artifacts ?? [], [...path, 'inputs', 'artifacts'], 'input artifact', parameterNameProblem);
  (inputs.parameters ?? []).forEach((param, i) => {
    if (param.enum !== undefined && param.value !== undefined && !param.enum.includes(param.value)) {
      ctx.reporter.error([...path, 'inputs', 'parameters', i, 'value'], 'WEFT_E_PARAMETER_ENUM', `input "${param.name}": value "${param.value}" is not one of its enum ${param.enum.join(', ')}`);
    }
  });
  (inputs.artifacts ?? []).forEach((artifact, i) => {
    const at = [...path, 'inputs', 'artifacts', i];
    if (artifact.from !== undefined) ctx.reporter.error([...at, 'from'], 'WEFT_E_INPUT_ARTIFACT', `input artifact "${artifact.name}": from is only valid in arguments`);
    if (kind !== undefined && POD_KINDS.includes(kind) && kind !== 'containerSet' && (artifact.path === undefined || artifact.path === '')) {
      ctx.reporter.error(at, 'WEFT_E_ARTIFACT_PATH', `input artifact "${artifact.name}" needs a path to be placed at`);
    } else if (artifact.path !== undefined && kind !== undefined && !isLeaf(template)) {
      ctx.reporter.error([...at, 'path'], 'WEFT_E_ARTIFACT_PATH', `input artifact "${artifact.name}": path is only valid in container/script templates`);
    }
    if (artifact.git && artifact.git.repo === '') ctx.reporter.error([...at, 'git', 'repo'], 'WEFT_E_REQUIRED', 'git.repo is required');
  });
}

function checkKindRules(ctx: SpecContext, template: Template, path: FieldPath, kind: TemplateKind): void {
  const defaults = ctx.spec.templateDefaults;
  if (kind === 'container' && !template.container?.image && !defaults?.container?.image) {
    ctx.reporter.error([...path, 'container', 'image'], 'WEFT_E_IMAGE_REQUIRED', 'container.image may not be empty');
  }
  if (kind === 'script' && !template.script?.image && !defaults?.script?.image) {
    ctx.reporter.error([...path, 'script', 'image'], 'WEFT_E_IMAGE_REQUIRED', 'script.image may not be empty');
  }
  if (kind === 'plugin') {
    const keys = Object.keys(template.plugin ?? {});
    if (keys.length !== 1) ctx.reporter.error([...path, 'plugin'], 'WEFT_E_PLUGIN', `plugin must have exactly one key naming the plugin, got ${keys.length}`);
  }
  if (kind === 'resource' && template.resource) {
    const resource = template.resource;
    if (resource.action !== 'get' && resource.action !== 'delete') {
      if (resource.manifest === undefined && resource.manifestFrom === undefined) {
        ctx.reporter.error([...path, 'resource'], 'WEFT_E_RESOURCE_MANIFEST', `resource action "${resource.action}" needs manifest or manifestFrom`);
      } else if (resource.manifest !== undefined && resource.manifestFrom !== undefined) {
        ctx.reporter.error([...path, 'resource', 'manifestFrom'], 'WEFT_E_RESOURCE_MANIFEST', 'set only one of manifest and manifestFrom');
      }
      const artifactName = resource.manifestFrom?.artifact.name;
      if (artifactName !== undefined && !(template.inputs?.artifacts ?? []).some((a) => a.name === artifactName)) {
        ctx.reporter.error([...path, 'resource', 'manifestFrom', 'artifact', 'name'], 'WEFT_E_UNKNOWN_ARTIFACT', `manifestFrom names input artifact "${artifactName}", which the template does not declare`);
      }
    }
  }
  if (kind === 'containerSet' && template.containerSet) {
    const names = template.containerSet.containers.map((c) => c.name);
    const needsMain = (template.inputs?.artifacts?.length ?? 0) > 0 || (template.outputs?.parameters?.length ?? 0) > 0 || (template.outputs?.artifacts?.length ?? 0) > 0;
    if (needsMain && !names.includes('main')) {
      ctx.reporter.error([...path, 'containerSet', 'containers'], 'WEFT_E_CONTAINER_SET', 'a containerSet with inputs or outputs needs a container named "main"');
    }
    template.containerSet.containers.forEach((container, i) => {
      for (const dep of container.dependencies ?? []) {
        if (!names.includes(dep)) ctx.reporter.error([...path, 'containerSet', 'containers', i, 'dependencies'], 'WEFT_E_CONTAINER_SET', `container "${container.name ?? i}" depends on unknown container "${dep}"`);
      }
    });
  }
  const leaf = isLeaf(template);
  if (template.parallelism !== undefined && leaf) {
    ctx.reporter.error([...path, 'parallelism'], 'WEFT_E_NON_LEAF_ONLY', 'parallelism is only valid for steps and dag templates');
  }
  if ((kind === 'steps' || kind === 'dag') && template.activeDeadlineSeconds !== undefined) {
    ctx.reporter.error([...path, 'activeDeadlineSeconds'], 'WEFT_E_LEAF_ONLY', 'activeDeadlineSeconds is only valid for leaf templates');
  }
  if (template.timeout !== undefined && !leaf) {
    ctx.reporter.error([...path, 'timeout'], 'WEFT_E_LEAF_ONLY', `${kind} templates do not support timeout`);
  }
}

function checkSteps(ctx: SpecContext, template: Template, path: FieldPath): void {
  const seen = new Set<string>();
  (template.steps ?? []).forEach((group, g) =>
    group.forEach((step, s) => {
      const at = [...path, 'steps', g, s];
      const why = fieldNameProblem(step.name);
      if (why) ctx.reporter.error([...at, 'name'], 'WEFT_E_INVALID_NAME', `step name "${step.name}" ${why}`);
      if (seen.has(step.name)) ctx.reporter.error([...at, 'name'], 'WEFT_E_DUPLICATE_STEP', `step name "${step.name}" is not unique in template "${template.name ?? ''}"`);
      seen.add(step.name);
      checkHolder(ctx, step, at);
      checkArguments(ctx, step.arguments, [...at, 'arguments'], false);
      checkLoop(ctx, step, at);
      checkHooks(ctx, step.hooks, [...at, 'hooks']);
      if (step.onExit !== undefined) checkHolder(ctx, { template: step.onExit }, [...at, 'onExit']);
    }),
  );
}

export function checkLoop(ctx: SpecContext, holder: { withItems?: unknown[] | undefined; withParam?: string | undefined; withSequence?: { count?: unknown; end?: unknown } | undefined }, path: FieldPath): void {
  const set = [holder.withItems, holder.withParam, holder.withSequence].filter((v) => v !== undefined).length;
  if (set > 1) ctx.reporter.error(path, 'WEFT_E_LOOP', 'set only one of withItems, withParam and withSequence');
  if (holder.withSequence && holder.withSequence.count !== undefined && holder.withSequence.end !== undefined) {
    ctx.reporter.error([...path, 'withSequence'], 'WEFT_E_LOOP', 'withSequence takes count or end, not both');
  }
}

/** Every per-template rule except DAG structure and variable references. */
export function checkTemplates(ctx: SpecContext): void {
  const names = new Map<string, number>();
  (ctx.spec.templates ?? []).forEach((template, i) => {
    const at = [...ctx.base, 'templates', i];
    if (template.name === undefined || template.name === '') {
      ctx.reporter.error(at, 'WEFT_E_TEMPLATE_NAME', 'template needs a name');
      return;
    }
    const why = fieldNameProblem(template.name);
    if (why) ctx.reporter.error([...at, 'name'], 'WEFT_E_INVALID_NAME', `template name "${template.name}" ${why}`);
    if (names.has(template.name)) {
      ctx.reporter.error([...at, 'name'], 'WEFT_E_DUPLICATE_TEMPLATE', `template name "${template.name}" is already used by templates[${names.get(template.name) ?? 0}]`);
    } else names.set(template.name, i);
  });
  for (const { template, path } of allTemplates(ctx.spec, ctx.base)) {
    const kinds = templateKinds(template);
    if (kinds.length === 0) {
      ctx.reporter.error(path, 'WEFT_E_TEMPLATE_KIND', `template "${template.name ?? ''}" has no kind: set one of ${TEMPLATE_KINDS.join(', ')}`);
    } else if (kinds.length > 1) {
      ctx.reporter.error([...path, kinds[1] ?? 'container'], 'WEFT_E_TEMPLATE_KIND', `template "${template.name ?? ''}" sets ${kinds.join(' and ')}: choose one kind`);
    }
    const kind = kinds.length === 1 ? kinds[0] : undefined;
    checkInputs(ctx, template, path, kind);
    checkOutputs(ctx, template, path, kind);
    if (kind) checkKindRules(ctx, template, path, kind);
    if (kind === 'steps') checkSteps(ctx, template, path);
  }
}
