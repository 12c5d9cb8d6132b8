// expr-lang's runtime operators (vm/runtime): arithmetic with Go's int/float promotion
// (int op int stays int and wraps at 64 bits, / always yields float, % is int-only), time
// and duration arithmetic, comparisons, `in`, member fetch and slicing.
import { fail } from './expr-error.js';
import {
  GoDuration, goCompare, goEqual, goTypeName, isList, isMap, isNil, isNumber, mapGet, mapHas,
  sliceBytes, toFloat, toSafeIndex, utf8Length, wrapInt,
} from './values.js';
import { timeMethod } from './time-methods.js';

function numeric(a: unknown, b: unknown, op: string, ints: (x: bigint, y: bigint) => bigint, floats: (x: number, y: number) => number): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return wrapInt(ints(a, b));
  if (isNumber(a) && isNumber(b)) return floats(toFloat(a), toFloat(b));
  return fail(`invalid operation: ${goTypeName(a)} ${op} ${goTypeName(b)}`);
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (a instanceof Date && b instanceof GoDuration) return new Date(a.getTime() + Number(b.ns / 1_000_000n));
  if (a instanceof GoDuration && b instanceof Date) return new Date(b.getTime() + Number(a.ns / 1_000_000n));
  if (a instanceof GoDuration && b instanceof GoDuration) return new GoDuration(wrapInt(a.ns + b.ns));
  return numeric(a, b, '+', (x, y) => x + y, (x, y) => x + y);
}

export function subtract(a: unknown, b: unknown): unknown {
  if (a instanceof Date && b instanceof Date) return new GoDuration(BigInt(a.getTime() - b.getTime()) * 1_000_000n);
  if (a instanceof Date && b instanceof GoDuration) return new Date(a.getTime() - Number(b.ns / 1_000_000n));
  if (a instanceof GoDuration && b instanceof GoDuration) return new GoDuration(wrapInt(a.ns - b.ns));
  return numeric(a, b, '-', (x, y) => x - y, (x, y) => x - y);
}

export function multiply(a: unknown, b: unknown): unknown {
  if (a instanceof GoDuration && typeof b === 'bigint') return new GoDuration(wrapInt(a.ns * b));
  if (typeof a === 'bigint' && b instanceof GoDuration) return new GoDuration(wrapInt(a * b.ns));
  return numeric(a, b, '*', (x, y) => x * y, (x, y) => x * y);
}

export function divide(a: unknown, b: unknown): number {
  if (isNumber(a) && isNumber(b)) return toFloat(a) / toFloat(b);
  return fail(`invalid operation: ${goTypeName(a)} / ${goTypeName(b)}`);
}

export function modulo(a: unknown, b: unknown): bigint {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (b === 0n) return fail('runtime error: integer divide by zero');
    return a % b;
  }
  return fail(`invalid operation: ${goTypeName(a)} % ${goTypeName(b)}`);
}

export function exponent(a: unknown, b: unknown): number {
  if (isNumber(a) && isNumber(b)) return Math.pow(toFloat(a), toFloat(b));
  return fail(`invalid operation: ${goTypeName(a)} ** ${goTypeName(b)}`);
}

export function negate(a: unknown): unknown {
  if (typeof a === 'bigint') return wrapInt(-a);
  if (typeof a === 'number') return -a;
  if (a instanceof GoDuration) return new GoDuration(wrapInt(-a.ns));
  return fail(`invalid operation: - ${goTypeName(a)}`);
}

export function compare(op: string, a: unknown, b: unknown): boolean {
  const c = goCompare(a, b, op);
  switch (op) {
    case '<': return c < 0;
    case '>': return c > 0;
    case '<=': return c <= 0;
    default: return c >= 0;
  }
}

export function equal(a: unknown, b: unknown): boolean {
  return goEqual(a, b);
}

/** runtime.In. */
export function contains(needle: unknown, haystack: unknown): boolean {
  if (isNil(haystack)) return false;
  if (isList(haystack)) return haystack.some((v) => goEqual(v, needle));
  if (isMap(haystack)) {
    if (typeof needle !== 'string') return fail(`cannot use ${goTypeName(needle)} as type string in map key`);
    return mapHas(haystack, needle);
  }
  return fail(`operator "in" not defined on ${goTypeName(haystack)}`);
}

export function range(a: unknown, b: unknown): bigint[] {
  const from = toSafeIndex(a);
  const to = toSafeIndex(b);
  const size = to - from + 1;
  if (size <= 0) return [];
  if (size > 1_000_000) return fail('memory budget exceeded');
  const out: bigint[] = [];
  for (let i = from; i <= to; i++) out.push(BigInt(i));
  return out;
}

function fetchIndex(length: number, prop: unknown): number {
  let index = toSafeIndex(prop);
  if (index < 0) index += length;
  if (index < 0 || index >= length) return fail(`index out of range: ${index} (array length is ${length})`);
  return index;
}

/** runtime.Fetch: a[i], m[k], s[i] (a byte, as Go indexes strings), and methods of times and durations. */
export function fetch(base: unknown, prop: unknown): unknown {
  if (isMap(base)) {
    if (typeof prop !== 'string') return fail(`cannot fetch ${goSprintShort(prop)} from ${goTypeName(base)}: key must be a string`);
    return mapGet(base, prop) ?? null;
  }
  if (isList(base)) {
    if (!isNumber(prop)) return fail(`cannot fetch ${goSprintShort(prop)} from ${goTypeName(base)}: index must be an integer`);
    return base[fetchIndex(base.length, prop)] ?? null;
  }
  if (typeof base === 'string') {
    if (!isNumber(prop)) return fail(`cannot fetch ${goSprintShort(prop)} from string`);
    const bytes = Buffer.from(base, 'utf8');
    return BigInt(bytes[fetchIndex(bytes.length, prop)] ?? 0);
  }
  if ((base instanceof Date || base instanceof GoDuration) && typeof prop === 'string') {
    const method = timeMethod(base, prop);
    if (method !== undefined) return method;
  }
  return fail(`cannot fetch ${goSprintShort(prop)} from ${goTypeName(base)}`);
}

function goSprintShort(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'bigint' || typeof v === 'number' ? String(v) : goTypeName(v);
}

/** runtime.Slice: clamped like Go's expr, bytes for strings. */
export function slice(base: unknown, from: unknown, to: unknown): unknown {
  const bounds = (length: number): [number, number] => {
    let a = isNil(from) ? 0 : toSafeIndex(from);
    let b = isNil(to) ? length : toSafeIndex(to);
    if (a < 0) a = Math.max(0, length + a);
    if (b < 0) b = Math.max(0, length + b);
    b = Math.min(b, length);
    return [Math.min(a, b), b];
  };
  if (typeof base === 'string') return sliceBytes(base, ...bounds(utf8Length(base)));
  if (isList(base)) return base.slice(...bounds(base.length));
  return fail(`cannot slice ${goTypeName(base)}`);
}

export function requireBool(v: unknown, what: string): boolean {
  if (typeof v === 'boolean') return v;
  return fail(`invalid operation: ${what} (mismatched type ${goTypeName(v)}, expected bool)`);
}

