// sprig's lists, dicts, regexps and paths (list.go, dict.go, regex.go, path): list, dict,
// get, set, first, last, has, uniq, concat, dig, merge, regexMatch, regexReplaceAll, base...
// Like sprig, the plain variants panic where the must* variants return an error, and
// set/unset/merge change the map they are given.
import { fail } from './expr-error.js';
import { goFindAll, goMatch, goReplaceAll, goSplit, quoteMeta } from './go-regexp.js';
import { goSplitString } from './go-strings.js';
import { isEmpty, kindName, sprigFunc as f, strval, toInt64 } from './sprig-convert.js';
import { deepEqual, isList, isMap, isNil, mapGet, mapHas, mapSet, newMap, sortedKeys, type GoFunc, type GoMap } from './values.js';

function listOf(name: string, v: unknown): unknown[] {
  if (isList(v)) return v;
  return fail(`Cannot ${name} on type ${kindName(v)}`);
}

/** A list helper in both flavours: `name` panics on a non-list, `mustName` returns the error. */
function both(name: string, params: GoFunc['params'], impl: (args: unknown[]) => unknown, variadic?: GoFunc['variadic']): GoFunc[] {
  const must = `must${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;
  return [f(name, [...params], impl, variadic), f(must, [...params], impl, variadic)];
}

function strslice(v: unknown): string[] {
  if (isList(v)) return v.filter((x) => !isNil(x)).map(strval);
  return isNil(v) ? [] : [strval(v)];
}

function splitMap(parts: string[] | null): GoMap {
  const m = newMap();
  (parts ?? []).forEach((p, i) => mapSet(m, `_${i}`, p));
  return m;
}

function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const k of Object.keys(src)) {
    const d = mapGet(dst, k);
    const s = src[k];
    if (isMap(d) && isMap(s)) mergeInto(d, s, overwrite);
    else if (!mapHas(dst, k) || isEmpty(d) || (overwrite && !isEmpty(s))) mapSet(dst, k, s);
  }
}

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined === '' ? '.' : joined;
}

function baseName(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function dirName(p: string): string {
  const i = p.lastIndexOf('/');
  return cleanPath(p.slice(0, i + 1));
}

function extName(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

const PATHS: GoFunc[] = [
  ...['base', 'osBase'].map((n) => f(n, ['string'], ([p]) => baseName(String(p)))),
  ...['dir', 'osDir'].map((n) => f(n, ['string'], ([p]) => dirName(String(p)))),
  ...['clean', 'osClean'].map((n) => f(n, ['string'], ([p]) => cleanPath(String(p)))),
  ...['ext', 'osExt'].map((n) => f(n, ['string'], ([p]) => extName(String(p)))),
  ...['isAbs', 'osIsAbs'].map((n) => f(n, ['string'], ([p]) => String(p).startsWith('/'))),
];

const LISTS: GoFunc[] = [
  f('list', [], (a) => (a.length === 0 ? null : a), 'any'),
  f('tuple', [], (a) => (a.length === 0 ? null : a), 'any'),
  ...both('push', ['any', 'any'], ([l, v]) => [...listOf('push', l), v]),
  ...both('append', ['any', 'any'], ([l, v]) => [...listOf('push', l), v]),
  ...both('prepend', ['any', 'any'], ([l, v]) => [v, ...listOf('prepend', l)]),
  ...both('first', ['any'], ([l]) => listOf('find first', l)[0] ?? null),
  ...both('last', ['any'], ([l]) => listOf('find last', l).at(-1) ?? null),
  ...both('rest', ['any'], ([l]) => listOf('find rest', l).slice(1)),
  ...both('initial', ['any'], ([l]) => listOf('find initial', l).slice(0, -1)),
  ...both('reverse', ['any'], ([l]) => [...listOf('find reverse', l)].reverse()),
  ...both('compact', ['any'], ([l]) => listOf('compact', l).filter((v) => !isEmpty(v))),
  ...both('uniq', ['any'], ([l]) => listOf('find uniq', l).filter((v, i, all) => all.findIndex((w) => deepEqual(v, w)) === i)),
  ...both('without', ['any'], ([l, ...omit]) => listOf('find without', l).filter((v) => !omit.some((o) => deepEqual(v, o))), 'any'),
  ...both('has', ['any', 'any'], ([needle, l]) => (isNil(l) ? false : listOf('find has', l).some((v) => deepEqual(needle, v)))),
  ...both('slice', ['any'], ([l, ...idx]) => {
    const items = listOf('slice', l);
    const a = idx.length > 0 ? Number(toInt64(idx[0])) : 0;
    const b = idx.length > 1 ? Number(toInt64(idx[1])) : items.length;
    if (a < 0 || b > items.length || a > b) return fail(`slice bounds out of range [${a}:${b}] with capacity ${items.length}`);
    return items.slice(a, b);
  }, 'any'),
  ...both('chunk', ['int', 'any'], ([size, l]) => {
    const items = listOf('chunk', l);
    const k = Number(size);
    if (k < 1) return fail('size must be > 0');
    const out: unknown[][] = [];
    for (let i = 0; i < items.length; i += k) out.push(items.slice(i, i + k));
    return out;
  }),
  f('concat', [], (lists) => {
    const out = lists.flatMap((l) => listOf('concat type as list', l));
    return out.length === 0 ? null : out;
  }, 'any'),
  f('sortAlpha', ['any'], ([l]) => (isList(l) ? strslice(l).sort() : [strval(l)])),
  f('toStrings', ['any'], ([l]) => strslice(l)),
  f('join', ['string', 'any'], ([sep, l]) => strslice(l).join(String(sep))),
  f('split', ['string', 'string'], ([sep, s]) => splitMap(goSplitString(String(s), String(sep), false, -1))),
  f('splitList', ['string', 'string'], ([sep, s]) => goSplitString(String(s), String(sep), false, -1)),
  f('splitn', ['string', 'int', 'string'], ([sep, k, s]) => splitMap(goSplitString(String(s), String(sep), false, Number(k)))),
];

const DICTS: GoFunc[] = [
  f('dict', [], (a) => {
    const m = newMap();
    for (let i = 0; i < a.length; i += 2) mapSet(m, strval(a[i]), i + 1 < a.length ? a[i + 1] : '');
    return m;
  }, 'any'),
  f('get', ['map', 'string'], ([d, k]) => (isMap(d) && mapHas(d, String(k)) ? d[String(k)] : '')),
  f('set', ['map', 'string', 'any'], ([d, k, v]) => {
    const m = isMap(d) ? d : fail('assignment to entry in nil map');
    mapSet(m, String(k), v);
    return m;
  }),
  f('unset', ['map', 'string'], ([d, k]) => {
    if (isMap(d)) delete d[String(k)];
    return d;
  }),
  f('hasKey', ['map', 'string'], ([d, k]) => isMap(d) && mapHas(d, String(k))),
  f('pluck', ['string'], ([k, ...ds]) => ds.filter((d) => isMap(d) && mapHas(d, String(k))).map((d) => (isMap(d) ? d[String(k)] : null)), 'map'),
  f('keys', [], (ds) => ds.flatMap((d) => (isMap(d) ? sortedKeys(d) : [])), 'map'),
  f('values', ['map'], ([d]) => (isMap(d) ? sortedKeys(d).map((k) => d[k]) : [])),
  f('pick', ['map'], ([d, ...ks]) => {
    const m = newMap();
    for (const k of ks) if (isMap(d) && mapHas(d, String(k))) mapSet(m, String(k), d[String(k)]);
    return m;
  }, 'string'),
  f('omit', ['map'], ([d, ...ks]) => {
    const m = newMap();
    if (isMap(d)) for (const k of Object.keys(d)) if (!ks.includes(k)) mapSet(m, k, d[k]);
    return m;
  }, 'string'),
  ...['merge', 'mustMerge', 'mergeOverwrite', 'mustMergeOverwrite'].map((name) =>
    f(name, ['map'], ([dst, ...srcs]) => {
      const d = isMap(dst) ? dst : newMap();
      for (const s of srcs) if (isMap(s)) mergeInto(d, s, name.toLowerCase().includes('overwrite'));
      return d;
    }, 'map'),
  ),
  f('dig', ['any'], (ps) => {
    if (ps.length < 3) return fail('dig needs at least three arguments');
    let dict = ps[ps.length - 1];
    const dflt = ps[ps.length - 2];
    const keys = ps.slice(0, -2).map((k) => (typeof k === 'string' ? k : fail('dig keys must be strings')));
    for (const k of keys) {
      if (!isMap(dict)) return fail('dig: not a map');
      if (!mapHas(dict, k)) return dflt;
      dict = dict[k];
    }
    return dict;
  }, 'any'),
];

const REGEXPS: GoFunc[] = [
  f('regexMatch', ['string', 'string'], ([re, s]) => {
    try {
      return goMatch(String(re), String(s));
    } catch {
      return false;
    }
  }),
  f('mustRegexMatch', ['string', 'string'], ([re, s]) => goMatch(String(re), String(s))),
  ...both('regexFindAll', ['string', 'string', 'int'], ([re, s, k]) => {
    const found = goFindAll(String(re), String(s), Number(k)).map((m) => m[0]);
    return found.length === 0 ? null : found;
  }),
  ...both('regexFind', ['string', 'string'], ([re, s]) => goFindAll(String(re), String(s), 1)[0]?.[0] ?? ''),
  ...both('regexReplaceAll', ['string', 'string', 'string'], ([re, s, r]) => goReplaceAll(String(re), String(s), String(r), false)),
  ...both('regexReplaceAllLiteral', ['string', 'string', 'string'], ([re, s, r]) => goReplaceAll(String(re), String(s), String(r), true)),
  ...both('regexSplit', ['string', 'string', 'int'], ([re, s, k]) => goSplit(String(re), String(s), Number(k))),
  f('regexQuoteMeta', ['string'], ([s]) => quoteMeta(String(s))),
];

export const SPRIG_COLLECTIONS: GoFunc[] = [...PATHS, ...LISTS, ...DICTS, ...REGEXPS];
