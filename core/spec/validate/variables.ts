// `{{...}}` references that can be checked before a run: inputs.parameters/artifacts of
// the template, steps.X / tasks.X of the same steps or dag template (and their declared
// outputs), item.* only inside a loop, workflow.parameters.X of a Workflow. Like Argo's
// validator it ignores expressions ({{=...}}) and anything it cannot know statically
// (templates named through variables, workflow.* fields set at run time).
import type { FieldPath } from '../path.js';
import type { Item } from '../schema/primitives.js';
import type { Template } from '../schema/template.js';
import { resolveHolder, type TemplateHolder } from './context.js';
import { allTemplates, type SpecContext } from './spec-context.js';

interface NodeRef {
  /** Position in run order: [group, index] for steps, [0, index] for tasks. */
  order: [number, number];
  template: Template | undefined;
}

interface Scope {
  inputParameters: ReadonlySet<string>;
  inputArtifacts: ReadonlySet<string>;
  steps?: ReadonlyMap<string, NodeRef>;
  tasks?: ReadonlyMap<string, NodeRef>;
  /** undefined: no loop here; 'any': withParam (keys unknown); a set: keys of withItems maps. */
  item?: 'any' | 'scalar' | ReadonlySet<string>;
  /** Set while checking a step: refs to steps after it are errors. */
  at?: [number, number];
  workflowParameters?: ReadonlySet<string>;
  templateName: string;
}

const TAG = /\{\{(.*?)\}\}/gs;

function names(list: readonly { name: string }[] | undefined): Set<string> {
  return new Set((list ?? []).map((p) => p.name));
}

/** Argo's HasOutput: templates that produce outputs.result and exitCode. */
function hasResult(template: Template): boolean {
  return (
    template.container !== undefined ||
    template.script !== undefined ||
    template.data !== undefined ||
    template.http !== undefined ||
    template.plugin !== undefined ||
    (template.containerSet?.containers ?? []).some((c) => c.name === 'main')
  );
}

function itemScope(items: readonly Item[] | undefined, withParam: string | undefined, withSequence: unknown): Scope['item'] {
  if (withParam !== undefined) return 'any';
  if (withSequence !== undefined) return 'scalar';
  if (items === undefined) return undefined;
  const keys = new Set<string>();
  for (const item of items) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return 'any';
    for (const key of Object.keys(item)) keys.add(key);
  }
  return keys;
}

function checkNodeRef(ctx: SpecContext, kind: 'steps' | 'tasks', parts: string[], scope: Scope, path: FieldPath, tag: string): void {
  const [, name, ...rest] = parts;
  if (name === undefined || name === 'name') return; // {{steps.name}} / {{tasks.name}}: this node's own name
  const nodes = kind === 'steps' ? scope.steps : scope.tasks;
  const container = kind === 'steps' ? 'steps' : 'dag';
  if (!nodes) {
    ctx.reporter.error(path, kind === 'steps' ? 'WEFT_E_UNKNOWN_STEP' : 'WEFT_E_UNKNOWN_TASK', `{{${tag}}}: ${kind}.${name} is only defined inside a ${container} template`);
    return;
  }
  const node = nodes.get(name);
  if (!node) {
    ctx.reporter.error(path, kind === 'steps' ? 'WEFT_E_UNKNOWN_STEP' : 'WEFT_E_UNKNOWN_TASK', `{{${tag}}}: template "${scope.templateName}" has no ${kind === 'steps' ? 'step' : 'task'} "${name}"`);
    return;
  }
  if (kind === 'steps' && scope.at) {
    const [g, s] = scope.at;
    const [ng, ns] = node.order;
    if (ng > g || (ng === g && ns > s)) {
      ctx.reporter.error(path, 'WEFT_E_STEP_ORDER', `{{${tag}}}: step "${name}" runs after this step, so its results are not available here`);
      return;
    }
  }
  const template = node.template;
  if (!template || rest[0] !== 'outputs') return;
  const [, field, outputName] = rest;
  if (field === 'parameters' && outputName !== undefined && !names(template.outputs?.parameters).has(outputName)) {
    ctx.reporter.error(path, 'WEFT_E_UNKNOWN_OUTPUT', `{{${tag}}}: template "${template.name ?? 'inline'}" has no output parameter "${outputName}"`);
  } else if (field === 'artifacts' && outputName !== undefined && !names(template.outputs?.artifacts).has(outputName)) {
    ctx.reporter.error(path, 'WEFT_E_UNKNOWN_OUTPUT', `{{${tag}}}: template "${template.name ?? 'inline'}" has no output artifact "${outputName}"`);
  } else if (field === 'result' && !hasResult(template)) {
    ctx.reporter.error(path, 'WEFT_E_UNKNOWN_OUTPUT', `{{${tag}}}: template "${template.name ?? 'inline'}" produces no outputs.result (only container, script, containerSet, data, http and plugin templates do)`);
  }
}

function checkTag(ctx: SpecContext, tag: string, scope: Scope, path: FieldPath): void {
  const trimmed = tag.trim();
  if (trimmed.startsWith('=')) return; // expressions are checked by core/expr at run time
  const parts = trimmed.split('.');
  const [root, second, third] = parts;
  if (root === 'inputs' && second === 'parameters' && third !== undefined) {
    if (!scope.inputParameters.has(third)) {
      ctx.reporter.error(path, 'WEFT_E_UNKNOWN_PARAMETER', `{{${trimmed}}}: template "${scope.templateName}" has no input parameter "${third}"`);
    }
  } else if (root === 'inputs' && second === 'artifacts' && third !== undefined) {
    if (!scope.inputArtifacts.has(third)) {
      ctx.reporter.error(path, 'WEFT_E_UNKNOWN_ARTIFACT', `{{${trimmed}}}: template "${scope.templateName}" has no input artifact "${third}"`);
    }
  } else if (root === 'steps' || root === 'tasks') {
    checkNodeRef(ctx, root, parts, scope, path, trimmed);
  } else if (root === 'item' && second !== undefined) {
    // Bare {{item}} is not checked, as in Argo: it may be used by templates called in a loop.
    if (scope.item === undefined) {
      ctx.reporter.error(path, 'WEFT_E_ITEM_OUTSIDE_LOOP', `{{${trimmed}}} is only defined in a step or task with withItems, withParam or withSequence`);
    } else if (scope.item === 'scalar' || (scope.item !== 'any' && !second.startsWith('[') && !scope.item.has(second))) {
      ctx.reporter.error(path, 'WEFT_E_UNKNOWN_ITEM_KEY', `{{${trimmed}}}: the loop's items have no key "${second}"`);
    }
  } else if (root === 'workflow' && second === 'parameters' && third !== undefined && third !== 'json' && scope.workflowParameters) {
    if (!scope.workflowParameters.has(parts.slice(2).join('.'))) {
      ctx.reporter.error(path, 'WEFT_E_UNKNOWN_WORKFLOW_PARAMETER', `{{${trimmed}}}: spec.arguments.parameters has no "${parts.slice(2).join('.')}"`);
    }
  }
}

function checkStrings(ctx: SpecContext, value: unknown, path: FieldPath, scope: Scope, skip: (key: string, depth: number) => boolean, depth = 0): void {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return;
    for (const match of value.matchAll(TAG)) checkTag(ctx, match[1] ?? '', scope, path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkStrings(ctx, v, [...path, i], scope, skip, depth + 1));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (!skip(key, depth)) checkStrings(ctx, v, [...path, key], scope, skip, depth + 1);
    }
  }
}

function resolvedTemplate(ctx: SpecContext, holder: TemplateHolder): Template | undefined {
  const r = resolveHolder(holder, ctx.lookupSpec, ctx.catalog);
  return r.status === 'resolved' ? r.template : undefined;
}

function workflowParameters(ctx: SpecContext): Set<string> | undefined {
  // A WorkflowTemplate's templates may read parameters the submitting Workflow supplies.
  if (ctx.owner !== 'Workflow' && ctx.owner !== 'CronWorkflow') return undefined;
  const params = names(ctx.spec.arguments?.parameters);
  const ref = ctx.spec.workflowTemplateRef;
  if (ref) {
    if (!ctx.lookupSpec) return undefined; // unresolved ref: reported elsewhere, do not guess
    for (const name of names(ctx.lookupSpec.arguments?.parameters)) params.add(name);
  }
  return params;
}

export function checkVariables(ctx: SpecContext): void {
  const wfParams = workflowParameters(ctx);
  for (const { template, path } of allTemplates(ctx.spec, ctx.base)) {
    // spec.templateDefaults is merged into every template at run time, inputs included.
    const defaults = ctx.spec.templateDefaults?.inputs;
    const base: Scope = {
      inputParameters: names([...(template.inputs?.parameters ?? []), ...(defaults?.parameters ?? [])]),
      inputArtifacts: names([...(template.inputs?.artifacts ?? []), ...(defaults?.artifacts ?? [])]),
      templateName: template.name ?? 'inline',
      ...(wfParams ? { workflowParameters: wfParams } : {}),
    };
    if (template.steps) {
      const steps = new Map<string, NodeRef>();
      template.steps.forEach((group, g) =>
        group.forEach((step, s) => {
          steps.set(step.name, { order: [g, s], template: resolvedTemplate(ctx, step)});
        }),
      );
      template.steps.forEach((group, g) =>
        group.forEach((step, s) => {
          const item = itemScope(step.withItems, step.withParam, step.withSequence);
          const scope: Scope = { ...base, steps, at: [g, s], ...(item ? { item } : {}) };
          // An inline template is its own scope; it is visited by allTemplates.
          checkStrings(ctx, step, [...path, 'steps', g, s], scope, (key, depth) => depth === 0 && key === 'inline');
        }),
      );
      checkStrings(ctx, template, path, { ...base, steps }, (key, depth) => depth === 0 && key === 'steps');
    } else if (template.dag) {
      const tasks = new Map<string, NodeRef>();
      template.dag.tasks.forEach((task, t) => {
        tasks.set(task.name, { order: [0, t], template: resolvedTemplate(ctx, task)});
      });
      template.dag.tasks.forEach((task, t) => {
        const item = itemScope(task.withItems, task.withParam, task.withSequence);
        const scope: Scope = { ...base, tasks, ...(item ? { item } : {}) };
        checkStrings(ctx, task, [...path, 'dag', 'tasks', t], scope, (key, depth) => depth === 0 && key === 'inline');
      });
      checkStrings(ctx, template, path, { ...base, tasks }, (key, depth) => (depth === 0 && key === 'dag') || false);
      if (template.dag.target !== undefined) checkStrings(ctx, template.dag.target, [...path, 'dag', 'target'], { ...base, tasks }, () => false);
    } else {
      checkStrings(ctx, template, path, base, () => false);
    }
  }
}
