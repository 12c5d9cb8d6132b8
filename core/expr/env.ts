// Argo's expression environment (util/expr/env.GetFuncMap): the flat replace map expanded
// into nested maps (util/expand, bellows.Expand), plus asInt, asFloat, jsonpath, toJson and
// sprig. Also the identifier walk Argo uses to decide whether an expression can be
// evaluated yet (util/template/expression_template.go: getIdentifiers, hasVarInEnv).
import { forEachChild, type Node } from './ast.js';
import { AS_FLOAT, AS_INT } from './builtins.js';
import { goJson } from './format.js';
import { jsonPathQuery } from './jsonpath.js';
import { SPRIG } from './sprig.js';
import { GoFunc, isMap, mapGet, mapHas, mapSet, newMap, type GoMap } from './values.js';
import { fail } from './expr-error.js';

const TO_JSON = new GoFunc('toJson', ['any'], undefined, ([v]) => goJson(v));
const JSONPATH = new GoFunc('jsonpath', ['string', 'string'], undefined, ([json, path]) => {
  let doc: unknown;
  try {
    doc = JSON.parse(String(json));
  } catch (err) {
    return fail(`jsonpath: ${err instanceof Error ? err.message : String(err)}`);
  }
  return jsonPathQuery(String(path), doc);
});

/**
 * bellows.Expand after Argo's removeConflicts: {"a.b": "1", "a": "x"} keeps the more specific
 * key, so `a` becomes the map {b: "1"}. Argo only compares sort-adjacent keys, which is
 * order-dependent for keys like "a", "a-x", "a.b"; here every parent of a child loses.
 */
export function expandVars(vars: Readonly<Record<string, unknown>>): GoMap {
  const root = newMap();
  // Maps created here, to tell "a key's value" (a leaf, which a child key replaces) from a
  // nested level (which a parent key must not overwrite), whatever the key order.
  const levels = new WeakSet<GoMap>();
  for (const k of Object.keys(vars)) {
    let node = root;
    let start = 0;
    let dot = k.indexOf('.');
    while (dot >= 0) {
      const part = k.slice(start, dot);
      const next = mapGet(node, part);
      if (isMap(next) && levels.has(next)) {
        node = next;
      } else {
        const child = newMap();
        levels.add(child);
        mapSet(node, part, child);
        node = child;
      }
      start = dot + 1;
      dot = k.indexOf('.', start);
    }
    const leaf = k.slice(start);
    const existing = mapGet(node, leaf);
    if (!(isMap(existing) && levels.has(existing))) mapSet(node, leaf, vars[k]);
  }
  return root;
}

/** Sets `value` at a dotted path, copying the maps on the way so that no caller-owned map is changed. */
function setPath(root: GoMap, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] ?? '';
    const existing = mapGet(node, part);
    const child = isMap(existing) ? { ...existing } : newMap();
    mapSet(node, part, child);
    node = child;
  }
  mapSet(node, parts[parts.length - 1] ?? '', value);
}

/**
 * Argo's expression environment for a replace map, with `extra` merged over it. Extra keys
 * are read like replace-map keys: `item` replaces the top-level item, and a dotted key such
 * as `tasks.b.outputs.result: null` (a skipped task's absent output) lands at that path.
 */
export function expressionEnv(vars: Readonly<Record<string, string>>, extra?: Readonly<Record<string, unknown>>): GoMap {
  const env = expandVars(vars);
  mapSet(env, 'asInt', AS_INT);
  mapSet(env, 'asFloat', AS_FLOAT);
  mapSet(env, 'jsonpath', JSONPATH);
  mapSet(env, 'toJson', TO_JSON);
  mapSet(env, 'sprig', SPRIG);
  if (extra !== undefined) for (const k of Object.keys(extra)) setPath(env, k, extra[k]);
  return env;
}

/** Argo's hasVarInEnv: the longest flat key that exists, then a walk through nested maps (present-but-nil counts). */
export function hasVarInEnv(env: GoMap, path: string): boolean {
  if (mapHas(env, path)) return true;
  const parts = path.split('.');
  let current: unknown = env;
  let rest = parts;
  for (let i = parts.length - 1; i > 0; i--) {
    const prefix = parts.slice(0, i).join('.');
    if (mapHas(env, prefix)) {
      current = env[prefix];
      rest = parts.slice(i);
      break;
    }
  }
  for (const part of rest) {
    if (!isMap(current) || !mapHas(current, part)) return false;
    current = current[part];
  }
  return true;
}

/** A MemberNode's dotted path when every step is a string property on an identifier, as getMemberPath. */
function memberPath(node: Node): string | undefined {
  const parts: string[] = [];
  let cur: Node = node;
  for (;;) {
    if (cur.k !== 'member' || cur.optional || cur.property.k !== 'string') return undefined;
    parts.unshift(cur.property.value);
    if (cur.node.k === 'ident') {
      parts.unshift(cur.node.name);
      return parts.join('.');
    }
    cur = cur.node;
  }
}

/**
 * The variables an expression reads, as Argo's identifierVisitor collects them: identifiers
 * and member paths (`tasks['flip-coin'].outputs.result` is `tasks.flip-coin.outputs.result`),
 * except member accesses guarded by `??` or `?.`. Unlike Argo, names bound by `let`, `$env`
 * and called function names are not variables (Argo reports them missing in strict mode).
 */
export function referencedVariables(root: Node): string[] {
  const guarded = new Set<Node>();
  const markMembers = (n: Node): void => {
    if (n.k === 'member') guarded.add(n);
    forEachChild(n, markMembers);
  };
  const findGuards = (n: Node): void => {
    if (n.k === 'binary' && n.op === '??') markMembers(n.left);
    if (n.k === 'member' && n.optional && n.node.k === 'member') guarded.add(n.node);
    forEachChild(n, findGuards);
  };
  findGuards(root);
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (name: string): void => {
    if (!seen.has(name)) {
      seen.add(name);
      out.push(name);
    }
  };
  const visit = (n: Node, bound: ReadonlySet<string>): void => {
    if (!guarded.has(n)) {
      if (n.k === 'ident' && n.name !== '$env' && !bound.has(n.name)) add(n.name);
      if (n.k === 'member') {
        const path = memberPath(n);
        if (path !== undefined && !bound.has(path.split('.')[0] ?? '')) add(path);
      }
    }
    if (n.k === 'let') {
      visit(n.value, bound);
      visit(n.body, new Set([...bound, n.name]));
      return;
    }
    if (n.k === 'call' && n.callee.k === 'ident') {
      n.args.forEach((a) => visit(a, bound));
      return;
    }
    forEachChild(n, (c) => visit(c, bound));
  };
  visit(root, new Set());
  return out;
}

/** Variables of `root` that `env` lacks. */
export function missingVariables(root: Node, env: GoMap): string[] {
  return referencedVariables(root).filter((v) => !hasVarInEnv(env, v));
}

/** Argo's late-binding variables (variablesToCheck): an expression using one of them waits, even when unresolved tags are allowed. */
export const LATE_BINDING_VARIABLES: ReadonlySet<string> = new Set([
  'item', 'retries', 'lastRetry.exitCode', 'lastRetry.status', 'lastRetry.duration', 'lastRetry.message', 'workflow.status', 'workflow.failures',
]);
