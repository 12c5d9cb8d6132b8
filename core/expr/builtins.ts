// expr-lang's builtin functions (builtin/builtin.go, v1.17) that take plain arguments; the
// ones that take a predicate ({# > 1}) live in predicates.ts. Go semantics throughout:
// byte indexes for strings, int vs float results, strings.Split/Replace edge cases.
import { fail } from './expr-error.js';
import { goJson, goSprint } from './format.js';
import { parseDateLoose, parseDurationGo } from './go-time.js';
import { isGoSpace } from './lexer.js';
import {
  goSplitString, goReplace, goTrim, goToLower, goToUpper, goAtoi, goParseFloat, byteIndex, byteLastIndex,
} from './go-strings.js';
import { compare } from './operators.js';
import {
  GoDuration, GoFunc, goCompare, goEqual, goTypeName, isList, isMap, isNil, isNumber, mapGet, mapSet,
  newMap, runeCount, sortedKeys, toFloat, toIntValue, toSafeIndex, type CallContext,
} from './values.js';

const TYPE_NAMES: Readonly<Record<string, string>> = { '<nil>': 'nil', float64: 'float', '[]interface {}': 'array', 'map[string]interface {}': 'map' };

function arity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? String(min) : `${min} to ${max}`;
    fail(`${name}: invalid number of arguments (expected ${expected}, got ${args.length})`);
  }
}

function str(name: string, v: unknown): string {
  return typeof v === 'string' ? v : fail(`${name}: cannot use ${goTypeName(v)} as string`);
}

function list(name: string, v: unknown): unknown[] {
  return isList(v) ? v : fail(`${name}: cannot use ${goTypeName(v)} as array`);
}

function int(name: string, v: unknown): bigint {
  return typeof v === 'bigint' ? v : fail(`${name}: cannot use ${goTypeName(v)} as int`);
}

function flattenNumbers(name: string, args: unknown[], out: (bigint | number)[], depth = 0): void {
  if (depth > 10_000) fail('recursion depth exceeded');
  for (const a of args) {
    if (isNumber(a)) out.push(a);
    else if (isList(a)) flattenNumbers(name, a, out, depth + 1);
    else fail(`invalid argument for ${name} (type ${goTypeName(a)})`);
  }
}

function minMax(name: 'max' | 'min', args: unknown[]): unknown {
  if (args.length === 0) return fail(`not enough arguments to call ${name}`);
  const only = args[0];
  if (args.length === 1 && !isNumber(only) && !isList(only)) return only;
  const nums: (bigint | number)[] = [];
  flattenNumbers(name, args, nums);
  let best: bigint | number | undefined;
  for (const n of nums) {
    if (best === undefined || (name === 'max' ? compare('<', best, n) : compare('>', best, n))) best = n;
  }
  return best ?? null;
}

function floatsOf(name: string, args: unknown[]): number[] {
  const nums: (bigint | number)[] = [];
  flattenNumbers(name, args, nums);
  return nums.map(toFloat);
}

function flatten(v: unknown[], depth: number): unknown[] {
  if (depth > 10_000) return fail('recursion depth exceeded');
  const out: unknown[] = [];
  for (const x of v) {
    if (isList(x)) out.push(...flatten(x, depth + 1));
    else out.push(x);
  }
  return out;
}

function fetchSafe(v: unknown, i: unknown): unknown {
  if (isNil(v)) return null;
  if (isList(v) || typeof v === 'string') {
    const items = typeof v === 'string' ? [...Buffer.from(v, 'utf8')].map((b) => BigInt(b)) : v;
    let index = toSafeIndex(i);
    if (index < 0) index += items.length;
    return index >= 0 && index < items.length ? (items[index] ?? null) : null;
  }
  if (isMap(v)) return typeof i === 'string' ? (mapGet(v, i) ?? null) : fail(`cannot use ${goTypeName(i)} as map key`);
  return fail(`cannot fetch ${goSprint(i)} from ${goTypeName(v)}`);
}

function parseBase64(name: string, s: string): string {
  const clean = s.replace(/[\r\n]/g, '');
  const valid = /^[A-Za-z0-9+/]*$/.test(clean.replace(/={1,2}$/, '')) && clean.length % 4 === 0;
  if (!valid) {
    const bad = clean.search(/[^A-Za-z0-9+/=]/);
    return fail(`${name}: illegal base64 data at input byte ${bad < 0 ? clean.length : bad}`);
  }
  return Buffer.from(clean, 'base64').toString('utf8');
}

function sortValues(values: unknown[], desc: boolean): unknown[] {
  return [...values].sort((a, b) => {
    const c = goCompare(a, b, '<');
    return desc ? -c : c;
  });
}

function bit(name: string, args: unknown[], op: (x: bigint, y: bigint) => bigint): bigint {
  arity(name, args, 2);
  return BigInt.asIntN(64, op(int(name, args[0]), int(name, args[1])));
}

function shift(name: string, args: unknown[], op: (x: bigint, y: bigint) => bigint): bigint {
  const y = int(name, args[1]);
  if (y < 0n) return fail(`invalid operation: negative shift count ${y} (type int)`);
  return bit(name, args, (x) => op(x, y > 64n ? 64n : y));
}

/** Runs builtin `name` on evaluated arguments. */
export function callBuiltin(name: string, args: unknown[], ctx: CallContext): unknown {
  const [a, b, c] = args;
  switch (name) {
    case 'len':
      arity(name, args, 1);
      if (isList(a)) return BigInt(a.length);
      if (isMap(a)) return BigInt(Object.keys(a).length);
      if (typeof a === 'string') return BigInt(runeCount(a));
      return fail(`invalid argument for len (type ${goTypeName(a)})`);
    case 'type': {
      arity(name, args, 1);
      const t = goTypeName(a);
      return TYPE_NAMES[t] ?? t;
    }
    case 'abs':
      arity(name, args, 1);
      if (typeof a === 'bigint') return a < 0n ? BigInt.asIntN(64, -a) : a;
      if (typeof a === 'number') return Math.abs(a);
      return fail(`invalid argument for abs (type ${goTypeName(a)})`);
    case 'ceil': case 'floor': case 'round': {
      arity(name, args, 1);
      if (typeof a === 'bigint') return Number(a);
      if (typeof a !== 'number') return fail(`invalid argument for ${name} (type ${goTypeName(a)})`);
      if (name === 'ceil') return Math.ceil(a);
      if (name === 'floor') return Math.floor(a);
      const t = Math.trunc(a);
      return Math.abs(a - t) >= 0.5 ? t + Math.sign(a) : t; // half away from zero, as Go's math.Round
    }
    case 'int':
      arity(name, args, 1);
      if (typeof a === 'string') return goAtoi(a) ?? fail(`invalid operation: int(${a})`);
      return toIntValue(a);
    case 'float':
      arity(name, args, 1);
      if (typeof a === 'string') return goParseFloat(a) ?? fail(`invalid operation: float(${a})`);
      if (isNumber(a)) return toFloat(a);
      return fail(`invalid operation: float(${goTypeName(a)})`);
    case 'string':
      arity(name, args, 1);
      return goSprint(a);
    case 'trim':
      arity(name, args, 1, 2);
      return args.length === 1 ? goTrim(str(name, a), isGoSpace) : goTrim(str(name, a), (ch) => str(name, b).includes(ch));
    case 'trimPrefix': case 'trimSuffix': {
      arity(name, args, 1, 2);
      const s = str(name, a);
      const affix = args.length === 2 ? str(name, b) : ' ';
      if (name === 'trimPrefix') return s.startsWith(affix) ? s.slice(affix.length) : s;
      return s.endsWith(affix) ? s.slice(0, s.length - affix.length) : s;
    }
    case 'upper': arity(name, args, 1); return goToUpper(str(name, a));
    case 'lower': arity(name, args, 1); return goToLower(str(name, a));
    case 'split': case 'splitAfter':
      arity(name, args, 2, 3);
      return goSplitString(str(name, a), str(name, b), name === 'splitAfter', args.length === 3 ? toSafeIndex(c) : -1);
    case 'replace':
      arity(name, args, 3, 4);
      return goReplace(str(name, a), str(name, b), str(name, c), args.length === 4 ? toSafeIndex(args[3]) : -1);
    case 'repeat': {
      arity(name, args, 2);
      const n = toSafeIndex(b);
      if (n < 0) return fail(`invalid argument for repeat (expected positive integer, got ${n})`);
      if (n > 1e6) return fail('memory budget exceeded');
      return str(name, a).repeat(n);
    }
    case 'join': {
      arity(name, args, 1, 2);
      const glue = args.length === 2 ? str(name, b) : '';
      return list(name, a).map((x) => str(name, x)).join(glue);
    }
    case 'indexOf': arity(name, args, 2); return BigInt(byteIndex(str(name, a), str(name, b)));
    case 'lastIndexOf': arity(name, args, 2); return BigInt(byteLastIndex(str(name, a), str(name, b)));
    case 'hasPrefix': arity(name, args, 2); return str(name, a).startsWith(str(name, b));
    case 'hasSuffix': arity(name, args, 2); return str(name, a).endsWith(str(name, b));
    case 'max': case 'min': return minMax(name, args);
    case 'mean': {
      const nums = floatsOf(name, args);
      return nums.length === 0 ? 0 : nums.reduce((x, y) => x + y, 0) / nums.length;
    }
    case 'median': {
      const nums = floatsOf(name, args).sort((x, y) => x - y);
      const n = nums.length;
      if (n === 0) return 0;
      return n % 2 === 1 ? (nums[(n - 1) / 2] ?? 0) : ((nums[n / 2 - 1] ?? 0) + (nums[n / 2] ?? 0)) / 2;
    }
    case 'toJSON': arity(name, args, 1); return goJson(a, { indent: '  ' });
    case 'fromJSON':
      arity(name, args, 1);
      try {
        return JSON.parse(str(name, a)) as unknown;
      } catch (err) {
        return fail(`fromJSON: ${err instanceof Error ? err.message : String(err)}`);
      }
    case 'toBase64': arity(name, args, 1); return Buffer.from(str(name, a), 'utf8').toString('base64');
    case 'fromBase64': arity(name, args, 1); return parseBase64(name, str(name, a));
    case 'now': arity(name, args, 0); return ctx.now();
    case 'duration': arity(name, args, 1); return new GoDuration(parseDurationGo(str(name, a)));
    case 'date':
      if (args.length !== 1) return fail('date: only date(string) in ISO-8601/RFC3339 form is supported');
      return parseDateLoose(str(name, a));
    case 'first': arity(name, args, 1); return isMap(a) ? null : fetchSafe(a, 0n);
    case 'last': arity(name, args, 1); return isMap(a) ? null : fetchSafe(a, -1n);
    case 'get': arity(name, args, 2); return fetchSafe(a, b);
    case 'take': {
      arity(name, args, 2);
      const n = int(name, b);
      if (n < 0n) return fail(`take: slice bounds out of range [:${n}]`);
      return list(name, a).slice(0, Number(n > 1_000_000_000n ? 1_000_000_000n : n));
    }
    case 'keys': arity(name, args, 1); return isMap(a) ? sortedKeys(a) : fail(`cannot get keys from ${goTypeName(a)}`);
    case 'values': arity(name, args, 1); return isMap(a) ? sortedKeys(a).map((k) => a[k]) : fail(`cannot get values from ${goTypeName(a)}`);
    case 'toPairs': arity(name, args, 1); return isMap(a) ? sortedKeys(a).map((k) => [k, a[k]]) : fail(`cannot transform ${goTypeName(a)} to pairs`);
    case 'fromPairs': {
      arity(name, args, 1);
      const out = newMap();
      for (const pair of list(name, a)) {
        if (!isList(pair) || pair.length !== 2) return fail(`invalid pair ${goSprint(pair)}`);
        mapSet(out, typeof pair[0] === 'string' ? pair[0] : goSprint(pair[0]), pair[1]);
      }
      return out;
    }
    case 'reverse': arity(name, args, 1); return [...list(name, a)].reverse();
    case 'uniq': {
      arity(name, args, 1);
      const out: unknown[] = [];
      for (const x of list(name, a)) if (!out.some((y) => goEqual(x, y))) out.push(x);
      return out;
    }
    case 'concat': return args.flatMap((x) => list(name, x));
    case 'flatten': arity(name, args, 1); return flatten(list(name, a), 0);
    case 'sort': {
      arity(name, args, 1, 2);
      const order = args.length === 2 ? str(name, b) : 'asc';
      if (order !== 'asc' && order !== 'desc') return fail(`invalid order ${order}, expected asc or desc`);
      return sortValues(list(name, a), order === 'desc');
    }
    case 'bitand': return bit(name, args, (x, y) => x & y);
    case 'bitor': return bit(name, args, (x, y) => x | y);
    case 'bitxor': return bit(name, args, (x, y) => x ^ y);
    case 'bitnand': return bit(name, args, (x, y) => x & ~y);
    case 'bitshl': return shift(name, args, (x, y) => x << y);
    case 'bitshr': return shift(name, args, (x, y) => x >> y);
    case 'bitushr': return shift(name, args, (x, y) => BigInt.asUintN(64, x) >> y);
    case 'bitnot': arity(name, args, 1); return BigInt.asIntN(64, ~int(name, a));
    default:
      return fail(`builtin ${name} is not supported`);
  }
}

/** asInt / asFloat: Argo's aliases of the builtins int and float, callable values in the environment. */
export const AS_INT = new GoFunc('asInt', ['any'], undefined, (args, ctx) => callBuiltin('int', args, ctx));
export const AS_FLOAT = new GoFunc('asFloat', ['any'], undefined, (args, ctx) => callBuiltin('float', args, ctx));
