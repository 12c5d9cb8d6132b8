// The context of one WorkflowSpec under validation (a Workflow's spec, a template's spec,
// or a CronWorkflow's workflowSpec) and the walk over every template in it, including
// templates written inline in a step or task.
import type { FieldPath } from '../path.js';
import type { Template } from '../schema/template.js';
import type { WorkflowSpec } from '../schema/workflow-spec.js';
import type { Catalog, Reporter } from './context.js';

export type SpecOwnerKind = 'Workflow' | 'WorkflowTemplate' | 'ClusterWorkflowTemplate' | 'CronWorkflow';

export interface SpecContext {
  /** The spec as written. */
  spec: WorkflowSpec;
  /** Where templates are looked up by name: the spec itself, or the one its workflowTemplateRef names. */
  lookupSpec: WorkflowSpec | undefined;
  /** Path of the spec in its document: ['spec'] or ['spec', 'workflowSpec']. */
  base: FieldPath;
  owner: SpecOwnerKind;
  reporter: Reporter;
  catalog: Catalog;
}

export interface VisitedTemplate {
  template: Template;
  path: FieldPath;
  /** For an inline template: the template whose step or task holds it. */
  outer: Template | undefined;
}

/** Every template of the spec with its path, inline ones after their parents. */
export function allTemplates(spec: WorkflowSpec, base: FieldPath): VisitedTemplate[] {
  const out: VisitedTemplate[] = [];
  const visit = (template: Template, path: FieldPath, outer: Template | undefined): void => {
    out.push({ template, path, outer });
    (template.steps ?? []).forEach((group, g) =>
      group.forEach((step, s) => {
        if (step.inline) visit(step.inline, [...path, 'steps', g, s, 'inline'], template);
      }),
    );
    (template.dag?.tasks ?? []).forEach((task, t) => {
      if (task.inline) visit(task.inline, [...path, 'dag', 'tasks', t, 'inline'], template);
    });
  };
  (spec.templates ?? []).forEach((template, i) => visit(template, [...base, 'templates', i], undefined));
  return out;
}

const FIELD_NAME = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;
const PARAM_NAME = /^[-a-zA-Z0-9_]+$/;
const PLACEHOLDER = /\{\{[^}]*\}\}/g;

/** Argo's isValidWorkflowFieldName (templates, steps, tasks); `{{...}}` parts count as one letter. */
export function fieldNameProblem(name: string): string | undefined {
  const sanitized = name.replace(PLACEHOLDER, 'x');
  if (sanitized.length > 128) return 'must be at most 128 characters';
  if (!FIELD_NAME.test(sanitized)) return 'must consist of letters, digits or "-", starting with a letter or digit';
  return undefined;
}

export function parameterNameProblem(name: string): string | undefined {
  if (!PARAM_NAME.test(name)) return 'must consist of letters, digits, "_" or "-"';
  return undefined;
}
