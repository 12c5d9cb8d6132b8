// core/expr: Argo's template language as Argo v4 evaluates it. {{...}} substitution
// (util/template), `when` conditions (govaluate via shouldExecute), {{=...}} and
// *.expression fields (expr-lang v1.17 with Argo's environment: asInt, asFloat, jsonpath,
// toJson, sprig.*). Pure: no I/O, no clock unless the caller passes one (NOW_KEY).
import { checkProgram } from './check.js';
import { Evaluator } from './evaluate.js';
import { CODE_EXPR, ExprRuntimeError, toWeftError } from './expr-error.js';
import { formatResult as formatResultRaw, goSprint } from './format.js';
import { parseExpr } from './parser.js';
import { UserError } from '../spec/index.js';
import type { Node } from './ast.js';

export { expressionEnv } from './env.js';
export { NOW_KEY } from './evaluate.js';
export { evaluateWhen } from './when.js';
export { findTags, substitute, substituteDeep, type SubstituteOptions, type Tag, type Vars } from './substitute.js';
export { GoDuration, GoFunc, type GoType } from './values.js';

function run(source: string, env: Record<string, unknown>, path: string | undefined): unknown {
  let program: Node;
  try {
    program = parseExpr(source);
  } catch (err) {
    throw toWeftError(err, CODE_EXPR, 'invalid expression', source, path);
  }
  try {
    checkProgram(program, env);
    return new Evaluator(env).run(program);
  } catch (err) {
    throw toWeftError(err, CODE_EXPR, 'failed to evaluate expression', source, path);
  }
}

/**
 * Evaluates an expr-lang expression against `env` as given (use expressionEnv for Argo's).
 * Values follow Go: integers are bigint, floats number, nil null, lists arrays, maps plain
 * objects. Throws UserError WEFT_E_EXPR with position on a syntax error, unknown name or
 * function, or type error.
 */
export function evaluateExpr(source: string, env: Record<string, unknown>, path?: string): unknown {
  return run(source, env, path);
}

/** Argo's argoexpr.EvalBool (retryStrategy.expression, hooks, depends): the result must be a bool. */
export function evaluateExprBool(source: string, env: Record<string, unknown>, path?: string): boolean {
  const result = run(source, env, path);
  if (typeof result === 'boolean') return result;
  throw new UserError(CODE_EXPR, `unable to cast expression result '${goSprint(result)}' to bool in ${JSON.stringify(source)}`, path === undefined ? {} : { path });
}

/**
 * An expression result as Argo writes it into a {{=...}} tag: json.Marshal, with a string's
 * quotes dropped (3 -> "3", 1.5 -> "1.5", 1e6 -> "1000000", true -> "true", [1,2] -> "[1,2]");
 * nil is an error.
 */
export function formatResult(value: unknown): string {
  try {
    return formatResultRaw(value);
  } catch (err) {
    const message = err instanceof ExprRuntimeError ? err.message : String(err);
    throw new UserError(CODE_EXPR, `cannot format expression result: ${message}`);
  }
}

/**
 * Go's fmt %v (3 -> "3", 1.5 -> "1.5", 1e6 -> "1e+06", [1 2], map[a:1], nil -> "<nil>"): what
 * Argo stores for valueFrom.expression output parameters (AnyStringPtr) and what string() gives.
 */
export function formatGoValue(value: unknown): string {
  return goSprint(value);
}
