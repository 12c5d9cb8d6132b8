// Phase names compared in `when`, hook and retry `expression`s: `{{steps.a.status}} ==
// Faild` is always false at run time, silently. Valid names are Argo's node and workflow phases.
import type { FieldPath } from '../path.js';
import { NodePhaseSchema } from '../schema/status.js';
import type { SpecContext } from './spec-context.js';

const PHASES = new Set<string>(NodePhaseSchema.options);
// `status == X`, `status}} == X`, `.status != "X"`; not statusCode, not status.phase (a resource's).
const COMPARISON = /\bstatus(?:\s*\}\})?\s*(?:==|!=)\s*["']?([A-Za-z]+)/g;
const EXPRESSION_KEYS = new Set(['when', 'expression']);

function visit(ctx: SpecContext, value: unknown, path: FieldPath, key: string | undefined): void {
  if (typeof value === 'string') {
    if (key === undefined || !EXPRESSION_KEYS.has(key)) return;
    for (const match of value.matchAll(COMPARISON)) {
      const phase = match[1] ?? '';
      if (!PHASES.has(phase)) {
        ctx.reporter.error(path, 'WEFT_E_UNKNOWN_PHASE', `"${phase}" is not a phase: use one of ${[...PHASES].join(', ')}`);
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => visit(ctx, item, [...path, i], undefined));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) visit(ctx, v, [...path, k], k);
  }
}

export function checkPhases(ctx: SpecContext): void {
  visit(ctx, ctx.spec, ctx.base, undefined);
}
