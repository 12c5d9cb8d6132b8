// Template tag substitution as Argo does it (util/template: fasttemplate with {{ }}, simple
// tags looked up trimmed, {{=...}} expressions evaluated in the expanded environment).
// A tag runs from `{{` to the first `}}`; an unclosed `{{` is an error. With
// allowUnresolved, unknown simple tags stay as they are, and an expression stays when it
// reads a late-binding variable (item, retries, lastRetry.*, workflow.status/failures)
// that is absent, or when it fails or yields nil (Argo's global pass); syntax errors always
// fail. Without it, every tag must resolve.
import type { Node } from './ast.js';
import { expressionEnv, LATE_BINDING_VARIABLES, missingVariables } from './env.js';
import { checkProgram } from './check.js';
import { Evaluator } from './evaluate.js';
import { CODE_EXPR, CODE_UNCLOSED_TAG, CODE_UNRESOLVED, ExprRuntimeError, toWeftError } from './expr-error.js';
import { formatResult } from './format.js';
import { parseExpr } from './parser.js';
import { UserError } from '../spec/index.js';
import type { GoMap } from './values.js';

export type Vars = Record<string, string>;

export interface SubstituteOptions {
  /** Leave unknown {{x}} and {{=...}} whose variables are missing as they are (Argo's allowUnresolved); default false: throw WEFT_E_UNRESOLVED. */
  allowUnresolved?: boolean;
  /** Field path used in error messages, e.g. spec.templates[1].container.args[0]. */
  path?: string;
  /** Extra values for {{=...}} expressions, merged over the expanded vars (e.g. item as a parsed object). */
  env?: Record<string, unknown>;
}

export type Tag = { kind: 'simple'; name: string } | { kind: 'expression'; source: string };

/** Parsed programs by source: templates repeat the same few expressions across loop items and retries. */
const programs = new Map<string, Node>();

function compile(source: string): Node {
  const hit = programs.get(source);
  if (hit !== undefined) return hit;
  const node = parseExpr(source);
  if (programs.size > 2000) programs.clear();
  programs.set(source, node);
  return node;
}

/** One substitution run: the environment is built at most once, and only if an expression needs it. */
export class Substitution {
  private env: GoMap | undefined;

  constructor(
    private readonly vars: Vars,
    private readonly opts: SubstituteOptions,
  ) {}

  private environment(): GoMap {
    this.env ??= expressionEnv(this.vars, this.opts.env);
    return this.env;
  }

  private pathOpts(path: string | undefined): { path?: string } {
    return path === undefined ? {} : { path };
  }

  run(text: string, path: string | undefined): string {
    if (!text.includes('{{')) return text;
    let src = text;
    let out = '';
    let i = 0;
    let rebuilds = 0;
    for (;;) {
      const start = src.indexOf('{{', i);
      if (start < 0) return out + src.slice(i);
      out += src.slice(i, start);
      const end = src.indexOf('}}', start + 2);
      if (end < 0) {
        throw new UserError(CODE_UNCLOSED_TAG, `cannot find end tag "}}" in ${JSON.stringify(text)} starting from ${JSON.stringify(src.slice(start, start + 40))}`, this.pathOpts(path));
      }
      const tag = src.slice(start + 2, end);
      i = end + 2;
      if (tag.startsWith('=')) {
        out += this.expression(tag.slice(1), path);
        continue;
      }
      const name = tag.trim();
      const value = this.vars[name];
      if (value !== undefined && Object.prototype.hasOwnProperty.call(this.vars, name)) {
        out += value;
        continue;
      }
      // {{steps.{{inputs.parameters.step}}.outputs.result}}: the inner tag ends the outer one
      // early; resolve it and read the rebuilt outer tag again (Argo leaves that to its next pass).
      const inner = tag.lastIndexOf('{{');
      if (inner > 0) {
        const nested = this.vars[tag.slice(inner + 2)];
        if (nested !== undefined && Object.prototype.hasOwnProperty.call(this.vars, tag.slice(inner + 2))) {
          const rebuilt = `{{${tag.slice(0, inner)}${nested}`;
          if (nested.includes('{{') || nested.includes('}}') || ++rebuilds > 100) {
            out += rebuilt;
            continue;
          }
          src = rebuilt + src.slice(i);
          i = 0;
          continue;
        }
      }
      if (this.opts.allowUnresolved === true) {
        out += `{{${tag}}}`;
        continue;
      }
      throw new UserError(CODE_UNRESOLVED, `failed to resolve {{${tag}}}${path === undefined ? '' : ` in ${path}`}`, this.pathOpts(path));
    }
  }

  private expression(source: string, path: string | undefined): string {
    const lenient = this.opts.allowUnresolved === true;
    let program: Node;
    try {
      program = compile(source);
    } catch (err) {
      throw toWeftError(err, CODE_EXPR, 'invalid expression', source, path);
    }
    const env = this.environment();
    const missing = missingVariables(program, env);
    if (lenient && missing.some((v) => LATE_BINDING_VARIABLES.has(v))) return `{{=${source}}}`;
    if (!lenient && missing.length > 0) {
      throw new UserError(CODE_UNRESOLVED, `failed to evaluate expression {{=${source}}}${path === undefined ? '' : ` in ${path}`}: ${missing[0] ?? ''} is missing`, this.pathOpts(path));
    }
    try {
      checkProgram(program, env);
      const value = new Evaluator(env).run(program);
      if (value === null || value === undefined) throw new ExprRuntimeError('expression evaluated to nil');
      return formatResult(value);
    } catch (err) {
      if (lenient) return `{{=${source}}}`;
      throw toWeftError(err, CODE_EXPR, 'failed to evaluate expression', source, path);
    }
  }
}

export function substitute(text: string, vars: Vars, opts: SubstituteOptions = {}): string {
  return new Substitution(vars, opts).run(text, opts.path);
}

function childPath(base: string | undefined, key: string | number): string {
  if (typeof key === 'number') return `${base ?? ''}[${key}]`;
  return base === undefined || base === '' ? key : `${base}.${key}`;
}

function deep(value: unknown, s: Substitution, path: string | undefined): unknown {
  if (typeof value === 'string') return s.run(value, path);
  if (Array.isArray(value)) return value.map((v, i) => deep(v, s, childPath(path, i)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deep(v, s, childPath(path, k));
    return out;
  }
  return value;
}

/** Deep copy of a JSON value with every string substituted (object keys untouched); opts.path is extended per field for errors. */
export function substituteDeep<T>(value: T, vars: Vars, opts: SubstituteOptions = {}): T {
  const copy: unknown = deep(value, new Substitution(vars, opts), opts.path);
  // deep() rebuilds exactly the shape it was given: strings stay strings, containers stay containers.
  return copy as T;
}

/** The tags of a text, in order; an inner tag of a nested {{a.{{b}}.c}} is reported, the composite is not. */
export function findTags(text: string): Tag[] {
  const tags: Tag[] = [];
  let i = 0;
  for (;;) {
    const start = text.indexOf('{{', i);
    if (start < 0) return tags;
    const end = text.indexOf('}}', start + 2);
    if (end < 0) return tags;
    const tag = text.slice(start + 2, end);
    i = end + 2;
    if (tag.startsWith('=')) {
      tags.push({ kind: 'expression', source: tag.slice(1) });
      continue;
    }
    const inner = tag.lastIndexOf('{{');
    tags.push({ kind: 'simple', name: (inner > 0 ? tag.slice(inner + 2) : tag).trim() });
  }
}
