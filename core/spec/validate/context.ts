// What every semantic check needs: a reporter that turns (path, code, message) into a
// located Issue, and the catalog of WorkflowTemplates/ClusterWorkflowTemplates that
// templateRef and workflowTemplateRef resolve against (the linted files plus --load).
import type { Issue } from '../errors.js';
import { locate, type ParsedDocument } from '../parse.js';
import { formatPath, type FieldPath } from '../path.js';
import type { Template } from '../schema/template.js';
import type { TemplateRef } from '../schema/template-kinds.js';
import type { WorkflowSpec } from '../schema/workflow-spec.js';

export class Reporter {
  readonly issues: Issue[] = [];
  /** The raw path of each issue, index for index. */
  readonly paths: FieldPath[] = [];
  constructor(private readonly doc: ParsedDocument | undefined) {}

  private push(severity: Issue['severity'], path: FieldPath, code: string, message: string): void {
    this.paths.push(path);
    if (this.doc) this.issues.push({ ...locate(this.doc, path), code, message, severity });
    else this.issues.push({ path: formatPath(path), code, message, severity });
  }

  error(path: FieldPath, code: string, message: string): void {
    this.push('error', path, code, message);
  }

  warning(path: FieldPath, code: string, message: string): void {
    this.push('warning', path, code, message);
  }
}

export interface Catalog {
  workflowTemplate(name: string): WorkflowSpec | undefined;
  clusterWorkflowTemplate(name: string): WorkflowSpec | undefined;
}

export const EMPTY_CATALOG: Catalog = {
  workflowTemplate: () => undefined,
  clusterWorkflowTemplate: () => undefined,
};

export function catalogSpec(catalog: Catalog, name: string, clusterScope: boolean | undefined): WorkflowSpec | undefined {
  return clusterScope ? catalog.clusterWorkflowTemplate(name) : catalog.workflowTemplate(name);
}

/** Anything that calls a template: a step, a task, a hook, or the entrypoint. */
export interface TemplateHolder {
  template?: string | undefined;
  templateRef?: TemplateRef | undefined;
  inline?: Template | undefined;
}

export type Resolution =
  | { status: 'resolved'; template: Template; spec: WorkflowSpec | undefined }
  | { status: 'dynamic' } // names a template through {{...}}: only known at run time
  | { status: 'missing'; message: string; code: string };

export const HAS_VARIABLE = /\{\{.*\}\}/s;

/** Finds the template a holder calls: local by name, by templateRef in the catalog, or inline. */
export function resolveHolder(holder: TemplateHolder, spec: WorkflowSpec | undefined, catalog: Catalog): Resolution {
  if (holder.inline) return { status: 'resolved', template: holder.inline, spec };
  if (holder.templateRef) {
    const ref = holder.templateRef;
    if (HAS_VARIABLE.test(ref.name) || HAS_VARIABLE.test(ref.template)) return { status: 'dynamic' };
    const target = catalogSpec(catalog, ref.name, ref.clusterScope);
    const kind = ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate';
    if (!target) {
      return { status: 'missing', code: 'WEFT_E_UNRESOLVED_REF', message: `${kind} "${ref.name}" not found (lint it together, or pass it with --load)` };
    }
    const template = (target.templates ?? []).find((t) => t.name === ref.template);
    if (!template) {
      return { status: 'missing', code: 'WEFT_E_UNRESOLVED_REF', message: `${kind} "${ref.name}" has no template "${ref.template}"` };
    }
    return { status: 'resolved', template, spec: target };
  }
  if (holder.template !== undefined) {
    if (HAS_VARIABLE.test(holder.template)) return { status: 'dynamic' };
    const template = (spec?.templates ?? []).find((t) => t.name === holder.template);
    if (!template) return { status: 'missing', code: 'WEFT_E_UNKNOWN_TEMPLATE', message: `template "${holder.template}" is not defined in spec.templates` };
    return { status: 'resolved', template, spec };
  }
  return { status: 'missing', code: 'WEFT_E_STEP_TARGET', message: 'needs one of template, templateRef or inline' };
}
