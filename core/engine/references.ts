// Resolving a step's or task's references to earlier nodes (`{{steps.X...}}`,
// `{{tasks.X...}}`, artifacts `from`) just before it runs, and evaluating its `when`.
import type { Artifact } from '../spec/index.js';
import { evaluateWhen, findTags, substitute, substituteDeep, type Vars } from '../expr/index.js';
import type { Operation } from './context.js';
import { appendToKey, type Scope } from './scope.js';
import { evaluateExpr, expressionEnv } from '../expr/index.js';

interface Referencing {
  name?: string;
  when?: string;
  hooks?: unknown;
  arguments?: { parameters?: { name: string; value?: string }[]; artifacts?: Artifact[] };
}

const STRICT = /^(steps|tasks)(\.|$)/;

/** Argo's ReplaceStrict with prefixes steps/tasks: those must resolve, others may stay. */
function assertNoStrictLeftovers(value: unknown, what: string): void {
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (!v.includes('{{')) return;
      for (const tag of findTags(v)) {
        if (tag.kind === 'simple' && STRICT.test(tag.name) && !tag.name.includes('.outputs.artifacts.')) {
          throw new Error(`${what}: failed to resolve {{${tag.name}}}`);
        }
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
}

export function shouldExecute(when: string | undefined, path: string): boolean {
  if (!when) return true;
  return evaluateWhen(when, path);
}

/** A `when` that evaluates to false (a loop is then expanded leniently); errors count as not false. */
export function whenIsFalse(when: string | undefined): boolean {
  if (!when) return false;
  try {
    return !shouldExecute(when, 'when');
  } catch {
    return false;
  }
}

/** The step with references substituted, or with only `when` resolved when it is false. */
export function resolveReferences<T extends Referencing>(op: Operation, step: T, scope: Scope, loops: boolean, what: string): T {
  if (!hasTags(step)) {
    // Nothing to substitute: the step as it is, once a literal `when` is known to parse
    // (a loop tolerates a bad one here, as below).
    if (step.when && !loops) shouldExecute(step.when, `${what}.when`);
    return step;
  }
  const vars: Vars = { ...op.globals, ...scope.vars };
  const env = scope.expressionExtras();
  const { hooks, ...rest } = step;
  if (rest.when) {
    const resolvedWhen = substitute(rest.when, vars, { allowUnresolved: true, env, path: `${what}.when` });
    assertNoStrictLeftovers(resolvedWhen, `${what}.when`);
    let proceed: boolean | undefined;
    try {
      proceed = shouldExecute(resolvedWhen, `${what}.when`);
    } catch (err) {
      if (!loops) throw err;
    }
    if (proceed === false) return { ...step, when: resolvedWhen };
  }
  const marked = {
    ...rest,
    arguments: rest.arguments && {
      ...rest.arguments,
      parameters: rest.arguments.parameters?.map((p) => ({ ...p, value: scope.markAbsentOptionalValue(p.value) })),
    },
  };
  const resolved = substituteDeep(marked, vars, { allowUnresolved: true, env, path: what }) as T;
  assertNoStrictLeftovers(resolved, what);
  if (resolved.arguments?.artifacts) {
    const arts: Artifact[] = [];
    for (const art of resolved.arguments.artifacts) {
      if (!art.from && !art.fromExpression) {
        arts.push(art);
        continue;
      }
      let found = art.from ? scope.resolveArtifactRef(art.from) : artifactFromExpression(op, art.fromExpression ?? '', scope);
      if (!found) {
        if (art.optional) continue;
        throw new Error(`unable to resolve references: Unable to resolve: ${art.from ?? art.fromExpression}`);
      }
      if (art.subPath) found = appendToKey(found, art.subPath);
      const { from: _f, fromExpression: _fe, subPath: _sp, ...own } = art;
      arts.push({ ...found, ...own, name: art.name });
    }
    resolved.arguments.artifacts = arts;
  }
  if (hooks !== undefined) (resolved as Referencing).hooks = hooks;
  return resolved;
}

const texts = new WeakMap<object, { json: string; tagged: boolean }>();

/** A step's (or task's) JSON, once per object: what it references is read from it. */
export function stepJson(step: object): string {
  return stepText(step).json;
}

function stepText(step: object): { json: string; tagged: boolean } {
  let t = texts.get(step);
  if (t === undefined) {
    const json = JSON.stringify(step);
    t = { json, tagged: json.includes('{{') || json.includes('"from"') || json.includes('"fromExpression"') };
    texts.set(step, t);
  }
  return t;
}

/** Whether a step may need resolving: it has a `{{`, or artifacts taken from elsewhere. */
function hasTags(step: Referencing): boolean {
  return stepText(step).tagged;
}

/** `fromExpression`: an expression over the scope whose value is an artifact. */
export function artifactFromExpression(op: Operation, source: string, scope: Scope): Artifact | undefined {
  const env = expressionEnv({ ...op.globals, ...scope.vars }, scope.artifactExpressionExtras());
  const value = evaluateExpr(source, env, 'fromExpression');
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`fromExpression ${JSON.stringify(source)} did not evaluate to an artifact`);
  return value as Artifact;
}
