// Evaluates an expr-lang tree against an environment with expr's runtime (vm) semantics:
// `and`/`or`/`??`/`?:` short-circuit, `?.` stops a whole member chain at nil, predicates bind
// `#`, `#index`, `#acc`. What expr rejects at compile time is check.ts's job (run it first).
import type { Node, NodeOf } from './ast.js';
import { callBuiltin } from './builtins.js';
import { ExprRuntimeError, fail } from './expr-error.js';
import { compileGoRegexp } from './go-regexp.js';
import * as op from './operators.js';
import { runPredicate, type Predicate } from './predicates.js';
import {
  GoFunc, goTypeName, invokeGoFunc, isNil, mapGet, mapHas, mapSet, newMap, type CallContext, type GoMap,
} from './values.js';

/** Short-circuit marker of an optional chain that met nil; never escapes a chain node. */
const CHAIN_NIL: unique symbol = Symbol('chain-nil');

interface Scope {
  name: string;
  value: unknown;
  parent: Scope | undefined;
}

interface Frame {
  item: unknown;
  index: number;
  acc: unknown;
}

/** The key under which callers may hand in a clock: a Date (or epoch ms) that now() returns. */
export const NOW_KEY = '$now';

function lookupScope(scope: Scope | undefined, name: string): Scope | undefined {
  for (let s = scope; s !== undefined; s = s.parent) if (s.name === name) return s;
  return undefined;
}

/** Like expr's MemoryBudget: an evaluation may create and walk this many elements in total. */
const MEMORY_BUDGET = 2_000_000;

export class Evaluator {
  readonly ctx: CallContext;
  private used = 0;

  constructor(private readonly env: GoMap) {
    this.ctx = { now: () => clockOf(env) };
  }

  run(node: Node): unknown {
    const v = this.visit(node, undefined, undefined);
    return v === CHAIN_NIL ? null : v;
  }

  private visit(node: Node, scope: Scope | undefined, frame: Frame | undefined): unknown {
    try {
      return this.evalNode(node, scope, frame);
    } catch (err) {
      if (err instanceof ExprRuntimeError && err.pos < 0) err.pos = node.pos;
      throw err;
    }
  }

  private evalNode(node: Node, scope: Scope | undefined, frame: Frame | undefined): unknown {
    switch (node.k) {
      case 'nil': return null;
      case 'bool': case 'int': case 'float': case 'string': return node.value;
      case 'ident': {
        const bound = lookupScope(scope, node.name);
        if (bound !== undefined) return bound.value;
        if (node.name === '$env') return this.env;
        if (!mapHas(this.env, node.name)) return fail(`unknown name ${node.name}`);
        return mapGet(this.env, node.name) ?? null;
      }
      case 'pointer': {
        if (frame === undefined) return fail('# used outside of a predicate');
        if (node.name === '') return frame.item;
        if (node.name === 'index') return BigInt(frame.index);
        if (node.name === 'acc') return frame.acc;
        return fail(`unknown pointer #${node.name}`);
      }
      case 'member': {
        const base = this.visit(node.node, scope, frame);
        if (base === CHAIN_NIL || (node.optional && isNil(base))) return CHAIN_NIL;
        return op.fetch(base, this.visit(node.property, scope, frame));
      }
      case 'chain': {
        const v = this.visit(node.node, scope, frame);
        return v === CHAIN_NIL ? null : v;
      }
      case 'slice': {
        const base = this.visit(node.node, scope, frame);
        const from = node.from === undefined ? null : this.visit(node.from, scope, frame);
        const to = node.to === undefined ? null : this.visit(node.to, scope, frame);
        return op.slice(base, from, to);
      }
      case 'call': return this.call(node, scope, frame);
      case 'builtin': return this.builtin(node, scope, frame);
      case 'predicate': return fail('a predicate can only be an argument of a builtin');
      case 'unary': {
        const v = this.visit(node.node, scope, frame);
        if (node.op === '!' || node.op === 'not') return !op.requireBool(v, node.op);
        if (node.op === '-') return op.negate(v);
        return isNil(v) || typeof v === 'bigint' || typeof v === 'number' ? v : fail(`invalid operation: + ${goTypeName(v)}`);
      }
      case 'binary': return this.binary(node, scope, frame);
      case 'cond': {
        const c = op.requireBool(this.visit(node.cond, scope, frame), '?:');
        return this.visit(c ? node.then : node.else, scope, frame);
      }
      case 'array': return node.items.map((n) => this.visit(n, scope, frame));
      case 'map': {
        const out = newMap();
        for (const p of node.pairs) {
          const key = this.visit(p.key, scope, frame);
          if (typeof key !== 'string') return fail(`map key must be a string, got ${goTypeName(key)}`);
          mapSet(out, key, this.visit(p.value, scope, frame));
        }
        return out;
      }
      case 'let': {
        const value = this.visit(node.value, scope, frame);
        return this.visit(node.body, { name: node.name, value, parent: scope }, frame);
      }
      case 'seq': {
        let last: unknown = null;
        for (const n of node.nodes) last = this.visit(n, scope, frame);
        return last;
      }
    }
  }

  private spend(n: number): void {
    this.used += n;
    if (this.used > MEMORY_BUDGET) fail('memory budget exceeded');
  }

  private binary(node: NodeOf<'binary'>, scope: Scope | undefined, frame: Frame | undefined): unknown {
    const left = (): unknown => this.visit(node.left, scope, frame);
    const right = (): unknown => this.visit(node.right, scope, frame);
    switch (node.op) {
      case '&&': case 'and': return op.requireBool(left(), node.op) ? right() : false;
      case '||': case 'or': return op.requireBool(left(), node.op) ? true : right();
      case '??': {
        const l = left();
        return isNil(l) || l === CHAIN_NIL ? right() : l;
      }
      default: break;
    }
    const a = left();
    const b = right();
    switch (node.op) {
      case '==': return op.equal(a, b);
      case '!=': return !op.equal(a, b);
      case '<': case '>': case '<=': case '>=': return op.compare(node.op, a, b);
      case '+': return op.add(a, b);
      case '-': return op.subtract(a, b);
      case '*': return op.multiply(a, b);
      case '/': return op.divide(a, b);
      case '%': return op.modulo(a, b);
      case '**': case '^': return op.exponent(a, b);
      case 'in': return op.contains(a, b);
      case '..': {
        const r = op.range(a, b);
        this.spend(r.length);
        return r;
      }
      case 'matches':
        if (isNil(a) || isNil(b)) return false;
        if (typeof a !== 'string' || typeof b !== 'string') return fail(`invalid operation: matches (mismatched types ${goTypeName(a)} and ${goTypeName(b)})`);
        return regexTest(b, a);
      case 'contains': case 'startsWith': case 'endsWith': {
        if (isNil(a) || isNil(b)) return false;
        if (typeof a !== 'string' || typeof b !== 'string') return fail(`invalid operation: ${node.op} (mismatched types ${goTypeName(a)} and ${goTypeName(b)})`);
        return node.op === 'contains' ? a.includes(b) : node.op === 'startsWith' ? a.startsWith(b) : a.endsWith(b);
      }
      default: return fail(`unknown operator (${node.op})`);
    }
  }

  private call(node: NodeOf<'call'>, scope: Scope | undefined, frame: Frame | undefined): unknown {
    const fn = this.visit(node.callee, scope, frame);
    if (fn === CHAIN_NIL) return CHAIN_NIL;
    const args = node.args.map((a) => this.visit(a, scope, frame));
    if (fn instanceof GoFunc) return invokeGoFunc(fn, args, this.ctx);
    if (typeof fn === 'function') {
      const result: unknown = Reflect.apply(fn, undefined, args);
      return result === undefined ? null : result;
    }
    if (isNil(fn)) {
      const name = calleeName(node.callee);
      return fail(name === undefined ? 'invalid operation: cannot call nil' : `unknown function ${name}`);
    }
    return fail(`invalid operation: cannot call non-function of type ${goTypeName(fn)}`);
  }

  private builtin(node: NodeOf<'builtin'>, scope: Scope | undefined, frame: Frame | undefined): unknown {
    const first = node.args[0];
    const pred = node.args[1];
    if (first !== undefined && (pred === undefined || pred.k === 'predicate') && isPredicateBuiltin(node.name)) {
      const input = this.visit(first, scope, frame);
      if (Array.isArray(input)) this.spend(input.length);
      const body = pred?.k === 'predicate' ? pred.body : undefined;
      const p: Predicate | undefined = body === undefined ? undefined : (item, index, acc) => this.visit(body, scope, { item, index, acc });
      const extra = node.args.slice(2).map((a) => this.visit(a, scope, frame));
      return runPredicate(node.name, input, p, extra);
    }
    return callBuiltin(node.name, node.args.map((a) => this.visit(a, scope, frame)), this.ctx);
  }
}

const PREDICATE_BUILTINS = new Set(['all', 'none', 'any', 'one', 'filter', 'map', 'count', 'sum', 'find', 'findIndex', 'findLast', 'findLastIndex', 'groupBy', 'sortBy', 'reduce']);

function isPredicateBuiltin(name: string): boolean {
  return PREDICATE_BUILTINS.has(name);
}

function calleeName(node: Node): string | undefined {
  if (node.k === 'ident') return node.name;
  if (node.k === 'member' && node.property.k === 'string') {
    const base = calleeName(node.node);
    return base === undefined ? undefined : `${base}.${node.property.value}`;
  }
  return undefined;
}

function regexTest(pattern: string, s: string): boolean {
  const re = compileGoRegexp(pattern).regex;
  re.lastIndex = 0;
  return re.test(s);
}

function clockOf(env: GoMap): Date {
  const v = mapGet(env, NOW_KEY);
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  return fail(`now() needs a clock: Weft expressions read no clock unless the caller passes ${NOW_KEY} (a Date) in the environment`);
}
