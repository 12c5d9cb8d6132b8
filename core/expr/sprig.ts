// sprig.GenericFuncMap (Masterminds/sprig v3.3) as Argo exposes it under `sprig.` in
// expressions: strings, numbers, defaults, encodings, dates, reflection. Argument order is
// sprig's (the subject comes last: sprig.replace(old, new, s), sprig.trimSuffix(suffix, s)),
// and so is its leniency (sprig.int("x") is 0). Collections, regexps and paths are in
// sprig-collections.ts. Omitted: randomness (uuidv4, rand*), crypto, network, semver, env.
import { fail } from './expr-error.js';
import { goJson } from './format.js';
import { formatDurationGo, formatLayout, parseDurationGo, parseIsoTime } from './go-time.js';
import { isGoSpace } from './lexer.js';
import { goAtoi, goReplace, goTitle, goToLower, goToUpper, goTrim } from './go-strings.js';
import { SPRIG_COLLECTIONS } from './sprig-collections.js';
import { decimalOp, isEmpty, kindName, sprigFunc as f, strval, toFloat64, toInt64 } from './sprig-convert.js';
import { goTypeName, deepEqual, isList, isMap, isNil, mapSet, newMap, sliceBytes, utf8Length, wrapInt, type CallContext, type GoFunc, type GoMap } from './values.js';

function n(v: unknown): number {
  return Number(v);
}

function until(start: bigint, stop: bigint, step: bigint): bigint[] {
  const out: bigint[] = [];
  if (stop < start ? step >= 0n : step <= 0n) return out;
  for (let i = start; stop < start ? i > stop : i < stop; i += step) {
    out.push(i);
    if (out.length > 1_000_000) return fail('memory budget exceeded');
  }
  return out;
}

function seq(params: bigint[]): string {
  const [a, b, c] = params;
  let list: bigint[];
  if (a === undefined) return '';
  if (params.length === 1) list = until(1n, a + (a < 1n ? -1n : 1n), a < 1n ? -1n : 1n);
  else if (params.length === 2 && b !== undefined) list = until(a, b + (b < a ? -1n : 1n), b < a ? -1n : 1n);
  else if (params.length === 3 && b !== undefined && c !== undefined) {
    if (c < a && b > 0n) return '';
    list = until(a, c + (c < a ? -1n : 1n), b);
  } else return '';
  return list.join(' ');
}

function int64Div(a: bigint, b: bigint, mod: boolean): bigint {
  if (b === 0n) return fail('runtime error: integer divide by zero');
  return wrapInt(mod ? a % b : a / b);
}

function base32(s: string, decode: boolean): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  if (!decode) {
    const bytes = Buffer.from(s, 'utf8');
    let bits = '';
    for (const b of bytes) bits += b.toString(2).padStart(8, '0');
    let out = '';
    for (let i = 0; i < bits.length; i += 5) out += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)] ?? '';
    return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
  }
  const clean = s.replace(/=+$/, '');
  if (s.length % 8 !== 0 || /[^A-Z2-7]/.test(clean)) return 'illegal base32 data at input byte 0';
  let bits = '';
  for (const ch of clean) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes).toString('utf8');
}

function base64Decode(s: string): string {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return 'illegal base64 data at input byte 0';
  return Buffer.from(clean, 'base64').toString('utf8');
}

function timeOf(v: unknown, ctx: CallContext): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'bigint') return new Date(Number(v) * 1000);
  return ctx.now(); // sprig formats "now" for anything else
}

function zoned(t: Date, zone: string, layout: string): string {
  if (zone !== 'UTC' && zone !== 'Local' && zone !== '' && zone !== 'Etc/UTC') return fail(`time zone ${zone} is not supported (Weft formats dates in UTC)`);
  return formatLayout(t, layout);
}

function quoteGo(s: string): string {
  // fmt %q: Go-escaped, double-quoted; JSON's escaping matches for the common cases.
  return JSON.stringify(s).replace(/\\u007f/g, '\\x7f');
}

function jsonOr(v: unknown, fallback: string, opts: { indent?: string; escapeHtml?: boolean } = {}): string {
  try {
    return goJson(v, opts);
  } catch {
    return fallback;
  }
}

function deepCopy(v: unknown, depth: number): unknown {
  if (depth > 10_000) return fail('deepCopy: recursion depth exceeded');
  if (isList(v)) return v.map((x) => deepCopy(x, depth + 1));
  if (isMap(v)) {
    const m = newMap();
    for (const k of Object.keys(v)) mapSet(m, k, deepCopy(v[k], depth + 1));
    return m;
  }
  return v;
}

const STRINGS: GoFunc[] = [
  f('hello', [], () => 'Hello!'),
  f('trim', ['string'], ([s]) => goTrim(String(s), isGoSpace)),
  f('upper', ['string'], ([s]) => goToUpper(String(s))),
  f('lower', ['string'], ([s]) => goToLower(String(s))),
  f('title', ['string'], ([s]) => goTitle(String(s))),
  f('untitle', ['string'], ([s]) => {
    const [first = '', ...rest] = [...String(s)];
    return goToLower(first) + rest.join('');
  }),
  f('substr', ['int', 'int', 'string'], ([a, b, s]) => {
    const str = String(s);
    const len = utf8Length(str);
    const start = n(a);
    const end = n(b);
    if (start < 0) return end < 0 || end > len ? fail(`slice bounds out of range [:${end}] with length ${len}`) : sliceBytes(str, 0, end);
    if (end < 0 || end > len) return start > len ? fail(`slice bounds out of range [${start}:${len}]`) : sliceBytes(str, start, len);
    return start > end ? fail(`slice bounds out of range [${start}:${end}]`) : sliceBytes(str, start, end);
  }),
  f('trunc', ['int', 'string'], ([c, s]) => {
    const str = String(s);
    const len = utf8Length(str);
    const k = n(c);
    if (k < 0 && len + k > 0) return sliceBytes(str, len + k, len);
    if (k >= 0 && len > k) return sliceBytes(str, 0, k);
    return str;
  }),
  f('repeat', ['int', 'string'], ([c, s]) => (n(c) < 0 ? fail('strings: negative Repeat count') : n(c) > 1e6 ? fail('memory budget exceeded') : String(s).repeat(n(c)))),
  f('trimall', ['string', 'string'], ([a, b]) => goTrim(String(b), (r) => String(a).includes(r))),
  f('trimAll', ['string', 'string'], ([a, b]) => goTrim(String(b), (r) => String(a).includes(r))),
  f('trimSuffix', ['string', 'string'], ([a, b]) => (String(b).endsWith(String(a)) ? String(b).slice(0, String(b).length - String(a).length) : String(b))),
  f('trimPrefix', ['string', 'string'], ([a, b]) => (String(b).startsWith(String(a)) ? String(b).slice(String(a).length) : String(b))),
  f('nospace', ['string'], ([s]) => [...String(s)].filter((r) => !isGoSpace(r)).join('')),
  f('initials', ['string'], ([s]) => String(s).split(/[\s]+/).filter((w) => w !== '').map((w) => [...w][0] ?? '').join('')),
  f('swapcase', ['string'], ([s]) => [...String(s)].map((r) => (r === goToUpper(r) ? goToLower(r) : goToUpper(r))).join('')),
  f('contains', ['string', 'string'], ([sub, s]) => String(s).includes(String(sub))),
  f('hasPrefix', ['string', 'string'], ([p, s]) => String(s).startsWith(String(p))),
  f('hasSuffix', ['string', 'string'], ([p, s]) => String(s).endsWith(String(p))),
  f('quote', [], (a) => a.filter((v) => !isNil(v)).map((v) => quoteGo(strval(v))).join(' '), 'any'),
  f('squote', [], (a) => a.filter((v) => !isNil(v)).map((v) => `'${strval(v)}'`).join(' '), 'any'),
  f('cat', [], (a) => a.filter((v) => !isNil(v)).map(strval).join(' '), 'any'),
  f('indent', ['int', 'string'], ([k, s]) => ' '.repeat(Math.max(0, n(k))) + String(s).split('\n').join(`\n${' '.repeat(Math.max(0, n(k)))}`)),
  f('nindent', ['int', 'string'], ([k, s]) => `\n${' '.repeat(Math.max(0, n(k)))}${String(s).split('\n').join(`\n${' '.repeat(Math.max(0, n(k)))}`)}`),
  f('replace', ['string', 'string', 'string'], ([old, neu, src]) => goReplace(String(src), String(old), String(neu), -1)),
  f('plural', ['string', 'string', 'int'], ([one, many, count]) => (count === 1n ? one : many)),
  f('toString', ['any'], ([v]) => strval(v)),
  f('b64enc', ['string'], ([s]) => Buffer.from(String(s), 'utf8').toString('base64')),
  f('b64dec', ['string'], ([s]) => base64Decode(String(s))),
  f('b32enc', ['string'], ([s]) => base32(String(s), false)),
  f('b32dec', ['string'], ([s]) => base32(String(s), true)),
];

const NUMBERS: GoFunc[] = [
  f('atoi', ['string'], ([s]) => goAtoi(String(s)) ?? 0n),
  f('int64', ['any'], ([v]) => toInt64(v)),
  f('int', ['any'], ([v]) => toInt64(v)),
  f('float64', ['any'], ([v]) => toFloat64(v)),
  f('toDecimal', ['any'], ([v]) => {
    const s = strval(v);
    return /^[+-]?[0-7]+$/.test(s) ? BigInt(`${s.startsWith('-') ? '-' : ''}0o${s.replace(/^[+-]/, '')}`) : 0n;
  }),
  f('seq', [], (a) => seq(a.map((x) => BigInt(String(x)))), 'int'),
  f('until', ['int'], ([c]) => until(0n, BigInt(String(c)), BigInt(String(c)) < 0n ? -1n : 1n)),
  f('untilStep', ['int', 'int', 'int'], ([a, b, c]) => until(BigInt(String(a)), BigInt(String(b)), BigInt(String(c)))),
  f('add1', ['any'], ([v]) => wrapInt(toInt64(v) + 1n)),
  f('add', [], (a) => wrapInt(a.reduce<bigint>((acc, v) => acc + toInt64(v), 0n)), 'any'),
  f('sub', ['any', 'any'], ([a, b]) => wrapInt(toInt64(a) - toInt64(b))),
  f('div', ['any', 'any'], ([a, b]) => int64Div(toInt64(a), toInt64(b), false)),
  f('mod', ['any', 'any'], ([a, b]) => int64Div(toInt64(a), toInt64(b), true)),
  f('mul', ['any'], (a) => wrapInt(a.reduce<bigint>((acc, v) => acc * toInt64(v), 1n)), 'any'),
  f('add1f', ['any'], ([v]) => decimalOp([toFloat64(v), 1], '+')),
  f('addf', [], (a) => decimalOp([0, ...a.map(toFloat64)], '+'), 'any'),
  f('subf', ['any'], (a) => decimalOp(a.map(toFloat64), '-'), 'any'),
  f('divf', ['any'], (a) => decimalOp(a.map(toFloat64), '/'), 'any'),
  f('mulf', ['any'], (a) => decimalOp(a.map(toFloat64), '*'), 'any'),
  f('biggest', ['any'], (a) => a.map(toInt64).reduce((x, y) => (y > x ? y : x)), 'any'),
  f('max', ['any'], (a) => a.map(toInt64).reduce((x, y) => (y > x ? y : x)), 'any'),
  f('min', ['any'], (a) => a.map(toInt64).reduce((x, y) => (y < x ? y : x)), 'any'),
  f('maxf', ['any'], (a) => a.map(toFloat64).reduce((x, y) => Math.max(x, y)), 'any'),
  f('minf', ['any'], (a) => a.map(toFloat64).reduce((x, y) => Math.min(x, y)), 'any'),
  f('ceil', ['any'], ([v]) => Math.ceil(toFloat64(v))),
  f('floor', ['any'], ([v]) => Math.floor(toFloat64(v))),
  f('round', ['any', 'int'], (a) => {
    const [v, p, on] = a;
    const roundOn = typeof on === 'number' ? on : 0.5;
    const pow = 10 ** Number(p);
    const digit = pow * toFloat64(v);
    const frac = digit - Math.trunc(digit);
    return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
  }, 'float64'),
];

const DEFAULTS: GoFunc[] = [
  f('default', ['any'], ([d, ...given]) => (given.length === 0 || isEmpty(given[0]) ? d : given[0]), 'any'),
  f('empty', ['any'], ([v]) => isEmpty(v)),
  f('coalesce', [], (a) => a.find((v) => !isEmpty(v)) ?? null, 'any'),
  f('all', [], (a) => a.every((v) => !isEmpty(v)), 'any'),
  f('any', [], (a) => a.some((v) => !isEmpty(v)), 'any'),
  f('fromJson', ['string'], ([s]) => {
    try {
      return JSON.parse(String(s)) as unknown;
    } catch {
      return null;
    }
  }),
  f('mustFromJson', ['string'], ([s]) => {
    try {
      return JSON.parse(String(s)) as unknown;
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
  }),
  f('toJson', ['any'], ([v]) => jsonOr(v, '')),
  f('mustToJson', ['any'], ([v]) => goJson(v)),
  f('toPrettyJson', ['any'], ([v]) => jsonOr(v, '', { indent: '  ' })),
  f('mustToPrettyJson', ['any'], ([v]) => goJson(v, { indent: '  ' })),
  f('toRawJson', ['any'], ([v]) => goJson(v, { escapeHtml: false })),
  f('mustToRawJson', ['any'], ([v]) => goJson(v, { escapeHtml: false })),
  f('ternary', ['any', 'any', 'bool'], ([vt, vf, v]) => (v === true ? vt : vf)),
  f('deepCopy', ['any'], ([v]) => deepCopy(v, 0)),
  f('mustDeepCopy', ['any'], ([v]) => deepCopy(v, 0)),
  f('typeOf', ['any'], ([v]) => goTypeName(v)),
  f('typeIs', ['string', 'any'], ([t, v]) => t === goTypeName(v)),
  f('typeIsLike', ['string', 'any'], ([t, v]) => t === goTypeName(v) || t === `*${goTypeName(v)}`),
  f('kindOf', ['any'], ([v]) => kindName(v)),
  f('kindIs', ['string', 'any'], ([t, v]) => t === kindName(v)),
  f('deepEqual', ['any', 'any'], ([a, b]) => deepEqual(a, b)),
  f('fail', ['string'], ([msg]) => fail(String(msg))),
];

const DATES: GoFunc[] = [
  f('now', [], (_a, ctx) => ctx.now()),
  f('date', ['string', 'any'], ([layout, d], ctx) => zoned(timeOf(d, ctx), 'Local', String(layout))),
  f('dateInZone', ['string', 'any', 'string'], ([layout, d, z], ctx) => zoned(timeOf(d, ctx), String(z), String(layout))),
  f('date_in_zone', ['string', 'any', 'string'], ([layout, d, z], ctx) => zoned(timeOf(d, ctx), String(z), String(layout))),
  f('htmlDate', ['any'], ([d], ctx) => zoned(timeOf(d, ctx), 'Local', '2006-01-02')),
  f('htmlDateInZone', ['any', 'string'], ([d, z], ctx) => zoned(timeOf(d, ctx), String(z), '2006-01-02')),
  f('unixEpoch', ['time'], ([t]) => String(t instanceof Date ? Math.floor(t.getTime() / 1000) : 0)),
  f('toDate', ['string', 'string'], ([, s]) => parseIsoTime(String(s)) ?? new Date(new Date(0).setUTCFullYear(1, 0, 1))),
  f('mustToDate', ['string', 'string'], ([, s]) => parseIsoTime(String(s)) ?? fail(`cannot parse ${JSON.stringify(s)} as a date`)),
  f('dateModify', ['string', 'time'], ([d, t]) => {
    const base = t instanceof Date ? t : new Date(0);
    try {
      return new Date(base.getTime() + Number(parseDurationGo(String(d)) / 1_000_000n));
    } catch {
      return base;
    }
  }),
  f('duration', ['any'], ([sec]) => {
    const secs = typeof sec === 'string' ? (goAtoi(sec) ?? 0n) : typeof sec === 'bigint' ? sec : 0n;
    return formatDurationGo(wrapInt(secs * 1_000_000_000n));
  }),
  f('ago', ['any'], ([d], ctx) => {
    const t = timeOf(d, ctx);
    const secs = Math.round((ctx.now().getTime() - t.getTime()) / 1000);
    return formatDurationGo(BigInt(secs) * 1_000_000_000n);
  }),
];

function buildSprig(): GoMap {
  const m = newMap();
  for (const fn of [...STRINGS, ...NUMBERS, ...DEFAULTS, ...DATES, ...SPRIG_COLLECTIONS]) mapSet(m, fn.name.replace(/^sprig\./, ''), fn);
  return Object.freeze(m);
}

/** The `sprig` map of the expression environment. */
export const SPRIG: GoMap = buildSprig();

