// jsonpath(json, path) as Argo provides it (github.com/evilmonkeyinc/jsonpath v0.8.1):
// $, .key, ['key'], [n] (negative from the end), [*] and .*, unions [a,b], ranges
// [start:end:step], filters [?(@.age > 42 && @.name == 'x')], scripts [(@.length-1)],
// recursive descent .., and .length. A definite path yields the value itself, a wildcard,
// union, range, filter or descent yields a list; a missing key or index is an error.
import { fail } from './expr-error.js';
import { parseScript, type ScriptNode, type ScriptScope } from './jsonpath-script.js';
import { isList, isMap, isNil, mapHas, sortedKeys } from './values.js';

type Seg =
  | { k: 'key'; key: string }
  | { k: 'length' }
  | { k: 'index'; index: number }
  | { k: 'wildcard' }
  | { k: 'union'; keys: (string | number | ScriptNode)[] }
  | { k: 'range'; start: number | undefined; end: number | undefined; step: number | undefined }
  | { k: 'filter'; expr: ScriptNode }
  | { k: 'script'; expr: ScriptNode }
  | { k: 'recursive' };

/** Splits at top-level commas or colons, ignoring those inside quotes and parentheses. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (quote !== '') {
      if (c === '\\') {
        cur += c + (s[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === sep && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

function unquote(s: string): string | undefined {
  const q = s[0];
  if ((q !== "'" && q !== '"') || s.length < 2 || s[s.length - 1] !== q) return undefined;
  return s.slice(1, -1).replace(/\\(.)/g, '$1');
}

function parseInteger(s: string, selector: string): number {
  if (!/^-?\d+$/.test(s)) return fail(`invalid JSONPath selector '${selector}': unexpected '${s}'`);
  return Number(s);
}

function parseSubscript(body: string, selector: string): Seg {
  const t = body.trim();
  if (t === '*') return { k: 'wildcard' };
  if (t.startsWith('?(') && t.endsWith(')')) return { k: 'filter', expr: parseScript(t.slice(2, -1)) };
  if (t.startsWith('(') && t.endsWith(')')) return { k: 'script', expr: parseScript(t.slice(1, -1)) };
  const colon = splitTop(t, ':');
  if (colon.length > 1) {
    if (colon.length > 3) return fail(`invalid JSONPath selector '${selector}': bad range '${t}'`);
    const num = (p: string | undefined): number | undefined => (p === undefined || p.trim() === '' ? undefined : parseInteger(p.trim(), selector));
    return { k: 'range', start: num(colon[0]), end: num(colon[1]), step: num(colon[2]) };
  }
  const parts = splitTop(t, ',').map((p) => p.trim());
  const keys = parts.map((p): string | number | ScriptNode => {
    const q = unquote(p);
    if (q !== undefined) return q;
    if (p.startsWith('(') && p.endsWith(')')) return parseScript(p.slice(1, -1));
    return parseInteger(p, selector);
  });
  if (keys.length > 1) return { k: 'union', keys };
  const only = keys[0];
  if (typeof only === 'string') return { k: 'key', key: only };
  if (typeof only === 'number') return { k: 'index', index: only };
  return { k: 'script', expr: only ?? parseScript('') };
}

const cache = new Map<string, Seg[]>();

export function parseJsonPath(selector: string): Seg[] {
  const hit = cache.get(selector);
  if (hit !== undefined) return hit;
  if (selector[0] !== '$' && selector[0] !== '@') return fail(`invalid JSONPath selector '${selector}': must start with $`);
  const segs: Seg[] = [];
  let i = 1;
  while (i < selector.length) {
    const c = selector[i];
    if (c === '.' && selector[i + 1] === '.') {
      segs.push({ k: 'recursive' });
      i += 2;
      if (selector[i] === '[') continue;
    } else if (c === '.') {
      i++;
      if (selector[i] === '[') continue; // $.['key']
    } else if (c !== '[') {
      return fail(`invalid JSONPath selector '${selector}': unexpected '${c ?? ''}' at ${i}`);
    }
    if (selector[i] === '[') {
      let depth = 0;
      let quote = '';
      let j = i;
      for (; j < selector.length; j++) {
        const ch = selector[j];
        if (quote !== '') {
          if (ch === '\\') j++;
          else if (ch === quote) quote = '';
        } else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '[' || ch === '(') depth++;
        else if (ch === ']' || ch === ')') {
          depth--;
          if (depth === 0 && ch === ']') break;
        }
      }
      if (j >= selector.length) return fail(`invalid JSONPath selector '${selector}': unclosed [`);
      segs.push(parseSubscript(selector.slice(i + 1, j), selector));
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < selector.length && selector[j] !== '.' && selector[j] !== '[') j++;
    const name = selector.slice(i, j);
    if (name === '') return fail(`invalid JSONPath selector '${selector}': empty key at ${i}`);
    segs.push(name === '*' ? { k: 'wildcard' } : name === 'length' ? { k: 'length' } : { k: 'key', key: name });
    i = j;
  }
  if (cache.size > 500) cache.clear();
  cache.set(selector, segs);
  return segs;
}

function childrenOf(v: unknown): unknown[] | undefined {
  if (isList(v)) return v;
  if (isMap(v)) return sortedKeys(v).map((k) => v[k]);
  return undefined;
}

export class JsonPathEvaluator {
  constructor(private readonly root: unknown) {}

  /** Applies segs[i..] to current; throws on a miss. */
  apply(current: unknown, segs: readonly Seg[], i: number): unknown {
    const seg = segs[i];
    if (seg === undefined) return current;
    switch (seg.k) {
      case 'key': {
        if (!isMap(current)) return fail(`key: invalid token target, expected map got ${describe(current)}`);
        if (!mapHas(current, seg.key)) return fail(`key: '${seg.key}' key not found`);
        return this.apply(current[seg.key], segs, i + 1);
      }
      case 'length': {
        if (isMap(current)) return this.apply(mapHas(current, 'length') ? current.length : BigInt(Object.keys(current).length), segs, i + 1);
        if (isList(current)) return this.apply(BigInt(current.length), segs, i + 1);
        if (typeof current === 'string') return this.apply(BigInt(Buffer.byteLength(current)), segs, i + 1);
        return fail(`length: invalid token target, got ${describe(current)}`);
      }
      case 'index': return this.apply(this.index(current, seg.index), segs, i + 1);
      case 'script': {
        const key = this.scriptKey(seg.expr, current);
        if (typeof key === 'number') return this.apply(this.index(current, key), segs, i + 1);
        if (!isMap(current) || !mapHas(current, key)) return fail(`script: '${key}' key not found`);
        return this.apply(current[key], segs, i + 1);
      }
      case 'wildcard': {
        const items = childrenOf(current);
        if (items === undefined) return fail(`wildcard: invalid token target, expected array or map got ${describe(current)}`);
        return this.each(items, segs, i + 1, false);
      }
      case 'union': {
        const items = seg.keys.map((k) => {
          const key = typeof k === 'object' ? this.scriptKey(k, current) : k;
          if (typeof key === 'string') {
            if (!isMap(current) || !mapHas(current, key)) return fail(`union: '${key}' key not found`);
            return current[key];
          }
          return this.index(current, key);
        });
        return this.each(items, segs, i + 1, true);
      }
      case 'range': return this.each(this.range(current, seg), segs, i + 1, true);
      case 'filter': {
        const items = childrenOf(current);
        if (items === undefined) return fail(`filter: invalid token target, expected array or map got ${describe(current)}`);
        const kept = items.filter((item) => {
          try {
            return truthy(seg.expr.run(this.scope(item)));
          } catch {
            return false;
          }
        });
        return this.each(kept, segs, i + 1, true);
      }
      case 'recursive': return this.descend(current, segs, i + 1);
    }
  }

  /** Applies the rest to each element, dropping misses and nils; an index right after a collection indexes the collection. */
  private each(items: unknown[], segs: readonly Seg[], i: number, indexable: boolean): unknown {
    const next = segs[i];
    if (next === undefined) return items;
    if (indexable && next.k === 'index') return this.apply(items, segs, i);
    const out: unknown[] = [];
    for (const item of items) {
      try {
        const r = this.apply(item, segs, i);
        if (!isNil(r)) out.push(r);
      } catch {
        // a miss below a wildcard just drops the element
      }
    }
    return out;
  }

  private descend(current: unknown, segs: readonly Seg[], i: number): unknown[] {
    const out: unknown[] = [];
    const walk = (v: unknown, depth: number): void => {
      if (isNil(v) || depth > 1000) return;
      if (segs[i] === undefined) out.push(v);
      else {
        try {
          const r = this.apply(v, segs, i);
          if (isList(r)) out.push(...r);
          else if (!isNil(r)) out.push(r);
        } catch {
          // not present at this level
        }
      }
      for (const c of childrenOf(v) ?? []) walk(c, depth + 1);
    };
    walk(current, 0);
    return out;
  }

  private scope(current: unknown): ScriptScope {
    return { root: this.root, current, query: (path, from) => this.apply(from, parseJsonPath(path), 0) };
  }

  private scriptKey(expr: ScriptNode, current: unknown): string | number {
    const v = expr.run(this.scope(current));
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'bigint') return Number(v);
    return fail('script: expected an integer index or a string key');
  }

  private index(current: unknown, index: number): unknown {
    if (!isList(current)) return fail(`index: invalid token target, expected array got ${describe(current)}`);
    const i = index < 0 ? current.length + index : index;
    if (i < 0 || i >= current.length) return fail('index: out of range');
    return current[i];
  }

  private range(current: unknown, seg: Extract<Seg, { k: 'range' }>): unknown[] {
    if (!isList(current)) return fail(`range: invalid token target, expected array got ${describe(current)}`);
    const n = current.length;
    const norm = (v: number | undefined, dflt: number): number => {
      if (v === undefined) return dflt;
      const x = v < 0 ? n + v : v;
      return Math.max(0, Math.min(n, x));
    };
    const step = seg.step ?? 1;
    if (step === 0) return fail('range: step cannot be 0');
    const start = norm(seg.start, 0);
    const end = norm(seg.end, n);
    const picked: unknown[] = [];
    for (let k = start; k < end; k += Math.abs(step)) picked.push(current[k]);
    return step < 0 ? picked.reverse() : picked;
  }
}

function describe(v: unknown): string {
  if (isNil(v)) return 'nil';
  if (isList(v)) return 'slice';
  return typeof v === 'number' ? 'float64' : typeof v;
}

function truthy(v: unknown): boolean {
  if (isNil(v)) return false;
  if (typeof v === 'boolean') return v;
  if (isList(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  if (typeof v === 'string') {
    const inner = v.length > 1 && (v[0] === "'" || v[0] === '"') && v[v.length - 1] === v[0] ? v.slice(1, -1) : v;
    return inner !== '';
  }
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  return true;
}

/** Runs a JSONPath query on a decoded JSON document. */
export function jsonPathQuery(selector: string, doc: unknown): unknown {
  return new JsonPathEvaluator(doc).apply(doc, parseJsonPath(selector), 0);
}

