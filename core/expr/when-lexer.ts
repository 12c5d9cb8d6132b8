// govaluate's tokenizer and syntax check (github.com/Knetic/govaluate at the commit Argo v4
// pins), which decide what a substituted `when` means: bare words are VARIABLEs (Argo turns
// them into strings), `a.b` is an ACCESSOR, quoted text may become a TIME, `-` is a prefix
// only where an operand may start (so `tails-head` is `tails - head`), a backslash escapes
// the next character everywhere.
import { ExprRuntimeError } from './expr-error.js';
import { compileGoRegexp } from './go-regexp.js';
import { goSprint } from './format.js';
import { isGoSpace } from './lexer.js';
import { parseIsoTime } from './go-time.js';

export type Kind =
  | 'UNKNOWN' | 'PREFIX' | 'NUMERIC' | 'BOOLEAN' | 'STRING' | 'PATTERN' | 'TIME' | 'VARIABLE' | 'FUNCTION'
  | 'SEPARATOR' | 'ACCESSOR' | 'COMPARATOR' | 'LOGICALOP' | 'MODIFIER' | 'CLAUSE' | 'CLAUSE_CLOSE' | 'TERNARY';

export type TokenValue = number | boolean | string | string[] | RegExp;

export interface WhenToken {
  kind: Kind;
  value: TokenValue;
  pos: number;
}

export const PREFIX_SYMBOLS = new Set(['-', '!', '~']);
export const MODIFIER_SYMBOLS = new Set(['+', '-', '*', '/', '%', '**', '&', '|', '^', '>>', '<<']);
export const LOGICAL_SYMBOLS = new Set(['&&', '||']);
export const COMPARATOR_SYMBOLS = new Set(['==', '!=', '>', '>=', '<', '<=', '=~', '!~', 'in']);
export const TERNARY_SYMBOLS = new Set(['?', ':', '??']);

interface State {
  eof: boolean;
  next: readonly Kind[];
}

const OPERAND: Kind[] = ['PREFIX', 'NUMERIC', 'BOOLEAN', 'VARIABLE', 'PATTERN', 'FUNCTION', 'ACCESSOR', 'STRING', 'TIME', 'CLAUSE'];
const AFTER_VALUE: Kind[] = ['MODIFIER', 'COMPARATOR', 'LOGICALOP', 'CLAUSE_CLOSE', 'TERNARY', 'SEPARATOR'];

/** govaluate's validLexerStates: which token kind may follow which. */
const STATES: Record<Kind, State> = {
  UNKNOWN: { eof: false, next: OPERAND },
  CLAUSE: { eof: false, next: [...OPERAND, 'CLAUSE_CLOSE'] },
  CLAUSE_CLOSE: { eof: true, next: ['COMPARATOR', 'MODIFIER', 'NUMERIC', 'BOOLEAN', 'VARIABLE', 'STRING', 'PATTERN', 'TIME', 'CLAUSE', 'CLAUSE_CLOSE', 'LOGICALOP', 'TERNARY', 'SEPARATOR'] },
  NUMERIC: { eof: true, next: AFTER_VALUE },
  BOOLEAN: { eof: true, next: AFTER_VALUE },
  STRING: { eof: true, next: AFTER_VALUE },
  TIME: { eof: true, next: ['MODIFIER', 'COMPARATOR', 'LOGICALOP', 'CLAUSE_CLOSE', 'SEPARATOR'] },
  PATTERN: { eof: true, next: ['MODIFIER', 'COMPARATOR', 'LOGICALOP', 'CLAUSE_CLOSE', 'SEPARATOR'] },
  VARIABLE: { eof: true, next: AFTER_VALUE },
  MODIFIER: { eof: false, next: ['PREFIX', 'NUMERIC', 'VARIABLE', 'FUNCTION', 'ACCESSOR', 'STRING', 'BOOLEAN', 'CLAUSE', 'CLAUSE_CLOSE'] },
  COMPARATOR: { eof: false, next: ['PREFIX', 'NUMERIC', 'BOOLEAN', 'VARIABLE', 'FUNCTION', 'ACCESSOR', 'STRING', 'TIME', 'CLAUSE', 'CLAUSE_CLOSE', 'PATTERN'] },
  LOGICALOP: { eof: false, next: ['PREFIX', 'NUMERIC', 'BOOLEAN', 'VARIABLE', 'FUNCTION', 'ACCESSOR', 'STRING', 'TIME', 'CLAUSE', 'CLAUSE_CLOSE'] },
  PREFIX: { eof: false, next: ['NUMERIC', 'BOOLEAN', 'VARIABLE', 'FUNCTION', 'ACCESSOR', 'CLAUSE', 'CLAUSE_CLOSE'] },
  TERNARY: { eof: false, next: ['PREFIX', 'NUMERIC', 'BOOLEAN', 'STRING', 'TIME', 'VARIABLE', 'FUNCTION', 'ACCESSOR', 'CLAUSE', 'SEPARATOR'] },
  FUNCTION: { eof: false, next: ['CLAUSE'] },
  ACCESSOR: { eof: true, next: ['CLAUSE', 'MODIFIER', 'COMPARATOR', 'LOGICALOP', 'CLAUSE_CLOSE', 'TERNARY', 'SEPARATOR'] },
  SEPARATOR: { eof: false, next: ['PREFIX', 'NUMERIC', 'BOOLEAN', 'STRING', 'TIME', 'VARIABLE', 'FUNCTION', 'ACCESSOR', 'CLAUSE'] },
};

const isLetter = (c: string): boolean => /^\p{L}$/u.test(c);
const isDigit = (c: string): boolean => /^\p{Nd}$/u.test(c);
const isNumeric = (c: string): boolean => isDigit(c) || c === '.';
const isHex = (c: string): boolean => /^[0-9a-fA-F]$/.test(c) || isDigit(c);
const isQuote = (c: string): boolean => c === "'" || c === '"';
const isVariableName = (c: string): boolean => isLetter(c) || isDigit(c) || c === '_' || c === '.';
const isNotAlphanumeric = (c: string): boolean => !(isDigit(c) || isLetter(c) || '()[]'.includes(c) || isQuote(c));

/** A rune stream with UTF-16 offsets, like govaluate's lexerStream. */
class Stream {
  readonly runes: string[];
  readonly offsets: number[];
  pos = 0;

  constructor(src: string) {
    this.runes = [...src];
    this.offsets = [];
    let o = 0;
    for (const r of this.runes) {
      this.offsets.push(o);
      o += r.length;
    }
    this.offsets.push(o);
  }

  canRead(): boolean {
    return this.pos < this.runes.length;
  }

  read(): string {
    const r = this.runes[this.pos];
    if (r === undefined) throw new ExprRuntimeError('unexpected end of expression after escape character', this.offset());
    this.pos++;
    return r;
  }

  rewind(n: number): void {
    this.pos -= n;
  }

  offset(): number {
    return this.offsets[Math.min(this.pos, this.runes.length)] ?? 0;
  }
}

/** readUntilFalse: returns the text read and whether a terminator (not the end) stopped it. */
function readUntilFalse(s: Stream, includeWhitespace: boolean, breakWhitespace: boolean, escaping: boolean, cond: (c: string) => boolean): [string, boolean] {
  let buf = '';
  while (s.canRead()) {
    let c = s.read();
    if (escaping && c === '\\') {
      c = s.read();
      buf += c;
      continue;
    }
    if (isGoSpace(c)) {
      if (breakWhitespace && buf.length > 0) return [buf, true];
      if (!includeWhitespace) continue;
    }
    if (cond(c)) buf += c;
    else {
      s.rewind(1);
      return [buf, true];
    }
  }
  return [buf, false];
}

function readTokenUntilFalse(s: Stream, cond: (c: string) => boolean): string {
  s.rewind(1);
  return readUntilFalse(s, false, true, true, cond)[0];
}

function timeValue(text: string): number | undefined {
  const t = parseIsoTime(text);
  return t === undefined ? undefined : Math.floor(t.getTime() / 1000);
}

function readToken(s: Stream, state: Kind): WhenToken | undefined {
  while (s.canRead()) {
    const pos = s.offset();
    const c = s.read();
    if (isGoSpace(c)) continue;
    const err = (message: string): never => {
      throw new ExprRuntimeError(message, pos);
    };
    if (isNumeric(c)) {
      if (s.canRead() && c === '0') {
        const x = s.read();
        if (s.canRead() && x === 'x') {
          const [hex] = readUntilFalse(s, false, true, true, isHex);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length > 16) return err(`Unable to parse hex value '${hex}' to uint64`);
          return { kind: 'NUMERIC', value: Number(BigInt(`0x${hex}`)), pos };
        }
        s.rewind(1);
      }
      const text = readTokenUntilFalse(s, isNumeric);
      if (!/^(\d+\.?\d*|\.\d+)$/.test(text)) return err(`Unable to parse numeric value '${text}' to float64`);
      return { kind: 'NUMERIC', value: Number(text), pos };
    }
    if (c === ',') return { kind: 'SEPARATOR', value: ',', pos };
    if (c === '[') {
      const [name, completed] = readUntilFalse(s, true, false, true, (ch) => ch !== ']');
      if (!completed) return err('Unclosed parameter bracket');
      s.rewind(-1);
      return { kind: 'VARIABLE', value: name, pos };
    }
    if (isLetter(c)) {
      const word = readTokenUntilFalse(s, isVariableName);
      if (word === 'true' || word === 'false') return { kind: 'BOOLEAN', value: word === 'true', pos };
      if (word === 'in' || word === 'IN') return { kind: 'COMPARATOR', value: 'in', pos };
      if (word.indexOf('.') > 0) {
        if (word.endsWith('.')) return err(`Hanging accessor on token '${word}'`);
        const parts = word.split('.');
        for (const part of parts.slice(1)) {
          const first = [...part][0] ?? '';
          if (first.toUpperCase() !== first) return err(`Unable to access unexported field '${part}' in token '${word}'`);
        }
        return { kind: 'ACCESSOR', value: parts, pos };
      }
      return { kind: 'VARIABLE', value: word, pos };
    }
    if (isQuote(c)) {
      const [text, completed] = readUntilFalse(s, true, false, true, (ch) => !isQuote(ch));
      if (!completed) return err('Unclosed string literal');
      s.rewind(-1);
      const t = timeValue(text);
      return t === undefined ? { kind: 'STRING', value: text, pos } : { kind: 'TIME', value: t, pos };
    }
    if (c === '(') return { kind: 'CLAUSE', value: '(', pos };
    if (c === ')') return { kind: 'CLAUSE_CLOSE', value: ')', pos };
    const sym = readTokenUntilFalse(s, isNotAlphanumeric);
    if (STATES[state].next.includes('PREFIX') && PREFIX_SYMBOLS.has(sym)) return { kind: 'PREFIX', value: sym, pos };
    if (MODIFIER_SYMBOLS.has(sym)) return { kind: 'MODIFIER', value: sym, pos };
    if (LOGICAL_SYMBOLS.has(sym)) return { kind: 'LOGICALOP', value: sym, pos };
    if (COMPARATOR_SYMBOLS.has(sym)) return { kind: 'COMPARATOR', value: sym, pos };
    if (TERNARY_SYMBOLS.has(sym)) return { kind: 'TERNARY', value: sym, pos };
    return err(`Invalid token: '${sym}'`);
  }
  return undefined;
}

export function tokenize(src: string): WhenToken[] {
  const s = new Stream(src);
  const out: WhenToken[] = [];
  let state: Kind = 'UNKNOWN';
  for (;;) {
    const t = readToken(s, state);
    if (t === undefined) break;
    out.push(t);
    state = t.kind;
  }
  checkBalance(out);
  return out;
}

export function checkBalance(tokens: readonly WhenToken[]): void {
  let parens = 0;
  for (const t of tokens) {
    if (t.kind === 'CLAUSE') parens++;
    if (t.kind === 'CLAUSE_CLOSE') parens--;
  }
  if (parens !== 0) throw new ExprRuntimeError('Unbalanced parenthesis', tokens[tokens.length - 1]?.pos ?? 0);
}

function show(v: TokenValue | undefined): string {
  if (v === undefined) return '<nil>';
  if (v instanceof RegExp) return v.source;
  if (v === '(' || v === ')') return String(v.codePointAt(0)); // govaluate stores clauses as runes
  return goSprint(v);
}

/** checkExpressionSyntax. */
export function checkSyntax(tokens: readonly WhenToken[], end: number): void {
  let state: Kind = 'UNKNOWN';
  let last: WhenToken | undefined;
  for (const t of tokens) {
    if (!STATES[state].next.includes(t.kind)) {
      if (last?.kind === 'VARIABLE' && t.kind === 'CLAUSE') throw new ExprRuntimeError(`Undefined function ${show(last.value)}`, t.pos);
      throw new ExprRuntimeError(`Cannot transition token types from ${state} [${show(last?.value)}] to ${t.kind} [${show(t.value)}]`, t.pos);
    }
    state = t.kind;
    last = t;
  }
  if (!STATES[state].eof) throw new ExprRuntimeError('Unexpected end of expression', end);
}

/** optimizeTokens: a string right of =~ or !~ is compiled once, as a Go regexp. */
export function compilePatterns(tokens: WhenToken[]): void {
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    if (t.kind === 'COMPARATOR' && (t.value === '=~' || t.value === '!~') && next?.kind === 'STRING') {
      tokens[i + 1] = { kind: 'PATTERN', value: compileGoRegexp(String(next.value)).regex, pos: next.pos };
    }
  });
}
