// The value model shared by the expr-lang evaluator, its builtins and sprig. Go's types map
// onto JavaScript so that formatting and arithmetic come out as Argo's do:
//   nil -> null (undefined is read as nil too)   int -> bigint (64-bit, wraps)
//   float64 -> number                             string, bool -> string, boolean
//   []any -> array                                map[string]any -> plain object
//   time.Time -> Date                             time.Duration -> GoDuration
//   Go functions -> GoFunc (typed parameters, checked like reflect.Call) or a JS function.
import { fail } from './expr-error.js';

export type GoMap = { [key: string]: unknown };

/** The parameter and result kinds a GoFunc declares, enough to mimic reflect.Call's checks. */
export type GoType = 'any' | 'string' | 'int' | 'float64' | 'bool' | 'map' | 'list' | 'time';

/** What a function may need from the evaluation it runs in: the clock, only if the caller supplied one. */
export interface CallContext {
  now(): Date;
}

export class GoFunc {
  constructor(
    readonly name: string,
    readonly params: readonly GoType[],
    readonly variadic: GoType | undefined,
    readonly impl: (args: unknown[], ctx: CallContext) => unknown,
  ) {}
}

/** time.Duration: nanoseconds as a 64-bit integer. */
export class GoDuration {
  constructor(readonly ns: bigint) {}
}

const INT64_MIN = -(1n << 63n);

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

export function isMap(v: unknown): v is GoMap {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function isList(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

export function isNumber(v: unknown): v is bigint | number {
  return typeof v === 'bigint' || typeof v === 'number';
}

export function isTime(v: unknown): v is Date {
  return v instanceof Date;
}

export function isCallable(v: unknown): boolean {
  return typeof v === 'function' || v instanceof GoFunc;
}

/** Own-property lookup: a map never exposes Object.prototype members. */
export function mapGet(m: GoMap, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(m, key) ? m[key] : undefined;
}

export function mapHas(m: GoMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, key);
}

export function newMap(): GoMap {
  return {};
}

/** Sets a key as an own property, even "__proto__". */
export function mapSet(m: GoMap, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(m, key, { value, enumerable: true, writable: true, configurable: true });
  else m[key] = value;
}

export function sortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort(compareStrings);
}

/** Go compares strings bytewise in UTF-8, which is code point order; JS's < compares UTF-16 units. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function wrapInt(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** Go's int(f) for a float64 on amd64: truncation, and MinInt64 for NaN/out of range. */
export function floatToInt(f: number): bigint {
  if (!Number.isFinite(f) || Math.abs(f) >= 9.223372036854775807e18) return INT64_MIN;
  return BigInt(Math.trunc(f));
}

export function toFloat(v: bigint | number): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Go's %T, for messages. */
export function goTypeName(v: unknown): string {
  if (isNil(v)) return '<nil>';
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'float64';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'function':
      return 'func';
    default:
      break;
  }
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof GoFunc) return 'func';
  if (v instanceof Date) return 'time.Time';
  if (v instanceof GoDuration) return 'time.Duration';
  if (isMap(v)) return 'map[string]interface {}';
  return 'struct';
}

/** runtime.ToInt: any number to int, else a Go-style panic. */
export function toIntValue(v: unknown, what = 'int'): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return floatToInt(v);
  return fail(`invalid operation: ${what}(${goTypeName(v)})`);
}

export function toSafeIndex(v: unknown): number {
  const i = toIntValue(v);
  if (i > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (i < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(i);
}

/** runtime.Equal: numbers across int/float, strings, bools, arrays element-wise, then reflect.DeepEqual. */
export function goEqual(a: unknown, b: unknown): boolean {
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
    return toFloat(a) === toFloat(b);
  }
  if (typeof a === 'string' || typeof a === 'boolean') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!goEqual(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof GoDuration && b instanceof GoDuration) return a.ns === b.ns;
  if (isNil(a) && isNil(b)) return true;
  return deepEqual(a, b);
}

/** reflect.DeepEqual over our value model: types must match exactly (int 1 is not float 1). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object') return a === b && typeof a !== 'function';
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof GoDuration) return b instanceof GoDuration && a.ns === b.ns;
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!mapHas(b, k) || !deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** runtime.Less and friends: -1/0/1 for numbers, strings, times and durations, else a Go-style panic. */
export function goCompare(a: unknown, b: unknown, op: string): number {
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    const x = toFloat(a);
    const y = toFloat(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a instanceof GoDuration && b instanceof GoDuration) return a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0;
  return fail(`invalid operation: ${goTypeName(a)} ${op} ${goTypeName(b)}`);
}

/** UTF-8 byte length of a JS string prefix: Go indexes strings by byte. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Go's s[from:to] on bytes; a cut through a multi-byte rune decodes as U+FFFD, as json.Marshal would show it. */
export function sliceBytes(s: string, from: number, to: number): string {
  return Buffer.from(s, 'utf8').subarray(from, to).toString('utf8');
}

export function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function zeroOf(t: GoType): unknown {
  switch (t) {
    case 'string': return '';
    case 'int': return 0n;
    case 'float64': return 0;
    case 'bool': return false;
    default: return null;
  }
}

function convertArg(fn: GoFunc, t: GoType, v: unknown, i: number): unknown {
  if (isNil(v)) return zeroOf(t);
  const ok =
    t === 'any' ||
    (t === 'string' && typeof v === 'string') ||
    (t === 'int' && typeof v === 'bigint') ||
    (t === 'float64' && typeof v === 'number') ||
    (t === 'bool' && typeof v === 'boolean') ||
    (t === 'map' && isMap(v)) ||
    (t === 'list' && Array.isArray(v)) ||
    (t === 'time' && v instanceof Date);
  if (ok) return v;
  const want = { any: 'interface {}', string: 'string', int: 'int', float64: 'float64', bool: 'bool', map: 'map[string]interface {}', list: '[]interface {}', time: 'time.Time' }[t];
  return fail(`${fn.name}: cannot use ${goTypeName(v)} as type ${want} in argument ${i + 1}`);
}

/** Calls a GoFunc the way reflect.Call would: exact arity, nil as the zero value, no implicit conversions. */
export function invokeGoFunc(fn: GoFunc, args: unknown[], ctx: CallContext): unknown {
  const n = fn.params.length;
  if (fn.variadic === undefined ? args.length !== n : args.length < n) {
    fail(`${fn.name}: invalid number of arguments: expected ${fn.variadic === undefined ? '' : 'at least '}${n}, got ${args.length}`);
  }
  const converted = args.map((a, i) => convertArg(fn, fn.params[i] ?? fn.variadic ?? 'any', a, i));
  const result = fn.impl(converted, ctx);
  return result === undefined ? null : result;
}
