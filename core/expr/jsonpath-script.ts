// The script language of JSONPath filters and scripts ([?(@.age > 42 && @.name == 'x')],
// [(@.length-1)]), as evilmonkeyinc/jsonpath's standard engine: || && ! == != < <= > >=
// =~ in, not in, + - * / % **, literals, and @/$ selectors evaluated by the caller.
import { fail } from './expr-error.js';
import { goMatch } from './go-regexp.js';
import { goEqual, isList, isMap, isNil, isNumber, toFloat } from './values.js';

export interface ScriptScope {
  root: unknown;
  current: unknown;
  /** Evaluates a selector starting with @ (from current) or $ (from root). */
  query(selector: string, from: unknown): unknown;
}

export interface ScriptNode {
  run(scope: ScriptScope): unknown;
}

interface Tok {
  t: 'num' | 'str' | 'op' | 'path' | 'word' | 'eof';
  v: string;
}

const OPS = ['||', '&&', '==', '!=', '<=', '>=', '=~', '**', '<', '>', '!', '+', '-', '*', '/', '%', '(', ')', ','];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') j++;
        v += src[j] ?? '';
        j++;
      }
      if (j >= src.length) fail('script: unclosed string');
      out.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    if (c === '@' || c === '$') {
      // A selector runs until whitespace or an operator outside brackets.
      let j = i + 1;
      let depth = 0;
      let quote = '';
      while (j < src.length) {
        const ch = src[j] ?? '';
        if (quote !== '') {
          if (ch === quote) quote = '';
        } else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '[') depth++;
        else if (ch === ']') depth--;
        else if (depth === 0 && (/\s/.test(ch) || '=!<>&|+-*/%(),'.includes(ch))) break;
        j++;
      }
      out.push({ t: 'path', v: src.slice(i, j) });
      i = j;
      continue;
    }
    const num = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num !== null) {
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (word !== null) {
      out.push({ t: 'word', v: word[0] });
      i += word[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op === undefined) return fail(`script: unexpected '${c}'`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  out.push({ t: 'eof', v: '' });
  return out;
}

function num(v: unknown): number {
  if (isNumber(v)) return toFloat(v);
  return fail('script: expected a number');
}

function node(f: (s: ScriptScope) => unknown): ScriptNode {
  return { run: f };
}

function binary(op: string, l: ScriptNode, r: ScriptNode): ScriptNode {
  return node((s) => {
    if (op === '||') return truth(l.run(s)) || truth(r.run(s));
    if (op === '&&') return truth(l.run(s)) && truth(r.run(s));
    const a = l.run(s);
    const b = r.run(s);
    switch (op) {
      case '==': return goEqual(a, b);
      case '!=': return !goEqual(a, b);
      case '<': return num(a) < num(b);
      case '<=': return num(a) <= num(b);
      case '>': return num(a) > num(b);
      case '>=': return num(a) >= num(b);
      case '=~': return typeof a === 'string' && typeof b === 'string' && goMatch(b, a);
      case 'in': case 'not in': {
        const items = isList(b) ? b : isMap(b) ? Object.values(b) : fail('script: in needs a collection');
        const found = items.some((x) => goEqual(a, x));
        return op === 'in' ? found : !found;
      }
      case '+': return num(a) + num(b);
      case '-': return num(a) - num(b);
      case '*': return num(a) * num(b);
      case '/': return num(a) / num(b);
      case '%': return num(a) % num(b);
      case '**': return num(a) ** num(b);
      default: return fail(`script: unknown operator ${op}`);
    }
  });
}

function truth(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  return !isNil(v) && v !== '' && v !== 0;
}

const LEVELS: string[][] = [['||'], ['&&'], ['==', '!=', '<', '<=', '>', '>=', '=~', 'in', 'not in'], ['+', '-'], ['*', '/', '%'], ['**']];

/** Parses a filter or script expression. */
export function parseScript(src: string): ScriptNode {
  const toks = tokenize(src);
  let i = 0;
  const peek = (): Tok => toks[i] ?? { t: 'eof', v: '' };
  const opAt = (): string => {
    const t = peek();
    if (t.t === 'op') return t.v;
    if (t.t === 'word' && t.v === 'in') return 'in';
    if (t.t === 'word' && t.v === 'not' && toks[i + 1]?.v === 'in') return 'not in';
    return '';
  };
  const level = (n: number): ScriptNode => {
    const ops = LEVELS[n];
    if (ops === undefined) return unary();
    let left = level(n + 1);
    for (;;) {
      const op = opAt();
      if (!ops.includes(op)) return left;
      i += op === 'not in' ? 2 : 1;
      left = binary(op, left, level(n + 1));
    }
  };
  const unary = (): ScriptNode => {
    const t = peek();
    if (t.t === 'op' && t.v === '!') {
      i++;
      const inner = unary();
      return node((s) => !truth(inner.run(s)));
    }
    if (t.t === 'op' && t.v === '-') {
      i++;
      const inner = unary();
      return node((s) => -num(inner.run(s)));
    }
    return primary();
  };
  const primary = (): ScriptNode => {
    const t = peek();
    i++;
    switch (t.t) {
      case 'num': {
        const v = Number(t.v);
        return node(() => v);
      }
      case 'str': return node(() => t.v);
      case 'path': return node((s) => s.query(t.v, t.v.startsWith('$') ? s.root : s.current));
      case 'word':
        if (t.v === 'true' || t.v === 'false') return node(() => t.v === 'true');
        if (t.v === 'null' || t.v === 'nil') return node(() => null);
        return fail(`script: unexpected '${t.v}'`);
      case 'op':
        if (t.v === '(') {
          const inner = level(0);
          if (peek().v !== ')') fail('script: missing )');
          i++;
          return inner;
        }
        return fail(`script: unexpected '${t.v}'`);
      default:
        return fail('script: unexpected end of expression');
    }
  };
  const root = level(0);
  if (peek().t !== 'eof') fail(`script: unexpected '${peek().v}'`);
  return root;
}
