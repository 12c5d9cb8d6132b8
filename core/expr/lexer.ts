// The expr-lang lexer (github.com/expr-lang/expr parser/lexer, v1.17 as Argo v4 pins it):
// same token kinds, keyword operators, number and string syntax, escapes and comments.
import { ExprRuntimeError } from './expr-error.js';

export type TokenKind = 'Identifier' | 'Number' | 'String' | 'Operator' | 'Bracket' | 'EOF';

export interface Token {
  kind: TokenKind;
  value: string;
  /** UTF-16 offset of the first character. */
  pos: number;
}

export function tokenString(t: Token): string {
  return t.kind === 'EOF' ? 'EOF' : `${t.kind}(${JSON.stringify(t.value)})`;
}

/** Go's unicode.IsSpace. */
export function isGoSpace(c: string): boolean {
  switch (c) {
    case ' ': case '\t': case '\n': case '\v': case '\f': case '\r': case '\u0085': case '\u00a0':
      return true;
    default:
      return c.length > 0 && c > '\u00ff' && /^[\p{Zs}\u2028\u2029\u1680]$/u.test(c);
  }
}

const LETTER = /^[\p{L}]$/u;
const DIGIT = /^[\p{Nd}]$/u;

export function isAlphabetic(c: string): boolean {
  return c === '_' || c === '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c > '\u007f' && LETTER.test(c));
}

export function isAlphaNumeric(c: string): boolean {
  return isAlphabetic(c) || (c >= '0' && c <= '9') || (c > '\u007f' && DIGIT.test(c));
}

const KEYWORD_OPERATORS = new Set(['in', 'or', 'and', 'matches', 'contains', 'startsWith', 'endsWith', 'let', 'if', 'else']);
const NEGATABLE = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith']);

function charAt(s: string, i: number): string {
  const cp = s.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

function hexVal(c: string | undefined): number {
  if (c === undefined) return -1;
  const v = parseInt(c, 16);
  return Number.isNaN(v) || !/^[0-9a-fA-F]$/.test(c) ? -1 : v;
}

/** Reads a quoted string starting at the quote; returns the decoded value and the offset after the closing quote. */
function scanString(src: string, start: number): { value: string; end: number } {
  const quote = src[start] ?? '';
  let i = start + 1;
  let out = '';
  for (;;) {
    const c = src[i];
    if (c === undefined || c === '\n') throw new ExprRuntimeError('literal not terminated', i);
    if (c === quote) return { value: out.replace(/\r\n?/g, '\n'), end: i + 1 };
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = src[i + 1];
    const escPos = i;
    i += 2;
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
    if (e !== undefined && simple[e] !== undefined) {
      out += simple[e];
    } else if (e === quote) {
      out += quote;
    } else if (e !== undefined && e >= '0' && e <= '7') {
      const digits = src.slice(i - 1, i + 2);
      if (!/^[0-3][0-7]{2}$/.test(digits)) throw new ExprRuntimeError('invalid char escape', escPos);
      out += String.fromCodePoint(parseInt(digits, 8));
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      let cp = 0;
      if (e === 'u' && src[i] === '{') {
        const close = src.indexOf('}', i);
        const hex = close < 0 ? '' : src.slice(i + 1, close);
        if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) throw new ExprRuntimeError('invalid char escape', escPos);
        cp = parseInt(hex, 16);
        i = close + 1;
      } else {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        for (let k = 0; k < n; k++) {
          const v = hexVal(src[i + k]);
          if (v < 0) throw new ExprRuntimeError('invalid char escape', escPos);
          cp = cp * 16 + v;
        }
        i += n;
      }
      if (cp > 0x10ffff) throw new ExprRuntimeError('unable to unescape string', escPos);
      out += cp >= 0xd800 && cp <= 0xdfff ? '\ufffd' : String.fromCodePoint(cp);
    } else {
      throw new ExprRuntimeError('invalid char escape', escPos);
    }
  }
}

function scanNumber(src: string, start: number): number {
  let i = start;
  let digits = '0123456789_';
  const accept = (valid: string): boolean => {
    const c = src[i];
    if (c !== undefined && valid.includes(c)) {
      i++;
      return true;
    }
    return false;
  };
  const acceptRun = (valid: string): void => {
    while (accept(valid));
  };
  if (accept('0')) {
    if (accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (accept('oO')) digits = '01234567_';
    else if (accept('bB')) digits = '01_';
  }
  acceptRun(digits);
  const beforeDot = i;
  if (accept('.')) {
    if (src[i] === '.') return beforeDot; // 1..2 is a range
    acceptRun(digits);
  }
  if (accept('eE')) {
    accept('+-');
    acceptRun(digits);
  }
  const next = charAt(src, i);
  if (next !== '' && isAlphaNumeric(next)) throw new ExprRuntimeError(`bad number syntax: ${JSON.stringify(src.slice(start, i + next.length))}`, i);
  return i;
}

export function lex(src: string): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, value: string, pos: number): void => {
    tokens.push({ kind, value, pos });
  };
  let i = 0;
  while (i < src.length) {
    const c = charAt(src, i);
    const start = i;
    const next = src[i + 1];
    if (isGoSpace(c)) {
      i += c.length;
    } else if (c === '"' || c === "'") {
      const s = scanString(src, i);
      push('String', s.value, start);
      i = s.end;
    } else if (c === '`') {
      let j = i + 1;
      let value = '';
      for (;;) {
        const close = src.indexOf('`', j);
        if (close < 0) throw new ExprRuntimeError('literal not terminated', src.length);
        value += src.slice(j, close);
        if (src[close + 1] === '`') {
          value += '`';
          j = close + 2;
        } else {
          j = close + 1;
          break;
        }
      }
      push('String', value, start);
      i = j;
    } else if ((c === 'b' || c === 'B') && (next === '"' || next === "'")) {
      throw new ExprRuntimeError('bytes literals are not supported', i);
    } else if (c >= '0' && c <= '9') {
      i = scanNumber(src, i);
      push('Number', src.slice(start, i), start);
    } else if (c === '.' && next !== undefined && next >= '0' && next <= '9') {
      i = scanNumber(src, i + 1);
      push('Number', src.slice(start, i), start);
    } else if (c === '.') {
      i += next === '.' ? 2 : 1;
      push('Operator', src.slice(start, i), start);
    } else if (c === '?') {
      i += next === '.' || next === '?' ? 2 : 1;
      push('Operator', src.slice(start, i), start);
    } else if (c === '/' && next === '/') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl + 1;
    } else if (c === '/' && next === '*') {
      const close = src.indexOf('*/', i + 2);
      if (close < 0) throw new ExprRuntimeError('unclosed comment', src.length);
      i = close + 2;
    } else if (c === '#') {
      i += next === '#' ? 2 : 1;
      push('Operator', src.slice(start, i), start);
      const nameStart = i;
      while (i < src.length && isAlphaNumeric(charAt(src, i))) i += charAt(src, i).length;
      if (i > nameStart) push('Identifier', src.slice(nameStart, i), nameStart);
    } else if (c === '|' || c === ':') {
      i += next === c ? 2 : 1;
      push('Operator', src.slice(start, i), start);
    } else if ('([{)]}'.includes(c)) {
      i++;
      push('Bracket', c, start);
    } else if (',;%+-^/'.includes(c)) {
      i++;
      push('Operator', c, start);
    } else if ('&!=*<>'.includes(c)) {
      i += next !== undefined && '&=*'.includes(next) ? 2 : 1;
      push('Operator', src.slice(start, i), start);
    } else if (isAlphaNumeric(c)) {
      while (i < src.length && isAlphaNumeric(charAt(src, i))) i += charAt(src, i).length;
      const word = src.slice(start, i);
      if (word === 'not') {
        push('Operator', 'not', start);
        // "not in", "not matches", ...: the negated operator is a token of its own.
        let j = i;
        while (src[j] === ' ') j++;
        let k = j;
        while (k < src.length && isAlphaNumeric(charAt(src, k))) k += charAt(src, k).length;
        const after = src.slice(j, k);
        if (NEGATABLE.has(after)) {
          push('Operator', after, j);
          i = k;
        }
      } else {
        push(KEYWORD_OPERATORS.has(word) ? 'Operator' : 'Identifier', word, start);
      }
    } else {
      const cp = c.codePointAt(0) ?? 0;
      throw new ExprRuntimeError(`unrecognized character: U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`, i);
    }
  }
  push('EOF', '', src.length);
  return tokens;
}
