// A step's or task's `when`, evaluated as Argo's shouldExecute does (workflow/controller/
// steps.go): the already substituted text is tokenized by govaluate, every bare word
// (VARIABLE) becomes a string so `heads == heads` compares strings, then the expression is
// planned and run with govaluate's precedence, short-circuiting and type checks. Numbers
// are float64, `+` concatenates when either side is a string, < > on two strings compares
// them, =~ !~ are Go regexps, `in` takes a parenthesised list. The result must be a bool.
import { CODE_WHEN, ExprRuntimeError, lineCol } from './expr-error.js';
import { goSprint } from './format.js';
import { compileGoRegexp } from './go-regexp.js';
import { floatToInt, compareStrings, deepEqual } from './values.js';
import { checkBalance, checkSyntax, compilePatterns, tokenize, type WhenToken } from './when-lexer.js';
import { UserError } from '../spec/index.js';

type Value = number | boolean | string | RegExp | Value[] | null;

type Stage =
  | { k: 'literal'; value: Value; pos: number }
  | { k: 'parameter'; name: string; pos: number }
  | { k: 'group'; inner: Stage | undefined; pos: number }
  | { k: 'op'; sym: string; format: string; left: Stage | undefined; right: Stage | undefined; pos: number };

const LEVELS: { kind: WhenToken['kind']; symbols: ReadonlySet<string>; format: string }[] = [
  { kind: 'SEPARATOR', symbols: new Set([',']), format: '' },
  { kind: 'TERNARY', symbols: new Set(['?', ':', '??']), format: "Value '%v' cannot be used with the ternary operator '%s', it is not a bool" },
  { kind: 'LOGICALOP', symbols: new Set(['||']), format: "Value '%v' cannot be used with the logical operator '%s', it is not a bool" },
  { kind: 'LOGICALOP', symbols: new Set(['&&']), format: "Value '%v' cannot be used with the logical operator '%s', it is not a bool" },
  { kind: 'COMPARATOR', symbols: new Set(['==', '!=', '>', '>=', '<', '<=', '=~', '!~', 'in']), format: "Value '%v' cannot be used with the comparator '%s', it is not a number" },
  { kind: 'MODIFIER', symbols: new Set(['&', '|', '^']), format: "Value '%v' cannot be used with the modifier '%s', it is not a number" },
  { kind: 'MODIFIER', symbols: new Set(['<<', '>>']), format: "Value '%v' cannot be used with the modifier '%s', it is not a number" },
  { kind: 'MODIFIER', symbols: new Set(['+', '-']), format: "Value '%v' cannot be used with the modifier '%s', it is not a number" },
  { kind: 'MODIFIER', symbols: new Set(['*', '/', '%']), format: "Value '%v' cannot be used with the modifier '%s', it is not a number" },
  { kind: 'MODIFIER', symbols: new Set(['**']), format: "Value '%v' cannot be used with the modifier '%s', it is not a number" },
];
const PREFIX_FORMAT = "Value '%v' cannot be used with the prefix '%s'";

/** Plans tokens into a tree with govaluate's precedence levels; same-level operators associate left (its reorderStages). */
function plan(tokens: readonly WhenToken[]): Stage | undefined {
  let i = 0;
  const level = (n: number): Stage | undefined => {
    const spec = LEVELS[n];
    if (spec === undefined) return accessor();
    let left = level(n + 1);
    for (;;) {
      const t = tokens[i];
      if (t === undefined || t.kind !== spec.kind || typeof t.value !== 'string' || !spec.symbols.has(t.value)) return left;
      i++;
      left = { k: 'op', sym: t.value, format: spec.format, left, right: level(n + 1), pos: t.pos };
    }
  };
  const accessor = (): Stage | undefined => {
    const t = tokens[i];
    if (t?.kind !== 'ACCESSOR') return value();
    i++;
    if (tokens[i]?.kind === 'CLAUSE') value(); // method arguments; the call fails anyway without parameters
    return { k: 'parameter', name: Array.isArray(t.value) ? t.value.join('.') : String(t.value), pos: t.pos };
  };
  const value = (): Stage | undefined => {
    const t = tokens[i];
    if (t === undefined || t.kind === 'CLAUSE_CLOSE') return undefined;
    i++;
    switch (t.kind) {
      case 'CLAUSE': {
        const inner = level(0);
        i++; // the matching CLAUSE_CLOSE: balance and syntax were checked
        return { k: 'group', inner, pos: t.pos };
      }
      case 'PREFIX': {
        const operand = accessor();
        return { k: 'op', sym: `prefix${String(t.value)}`, format: PREFIX_FORMAT, left: undefined, right: operand, pos: t.pos };
      }
      case 'VARIABLE': return { k: 'parameter', name: String(t.value), pos: t.pos };
      case 'NUMERIC': case 'STRING': case 'BOOLEAN': case 'TIME': case 'PATTERN':
        return { k: 'literal', value: t.value, pos: t.pos };
      default:
        throw new ExprRuntimeError(`Unable to plan token kind: '${t.kind}', value: '${goSprint(t.value)}'`, t.pos);
    }
  };
  return level(0);
}

const SKIPPED = Symbol('short-circuit');

function show(v: Value | typeof SKIPPED): string {
  if (v === SKIPPED) return '-1';
  if (v instanceof RegExp) return v.source;
  return goSprint(v);
}

function typeError(format: string, v: Value | typeof SKIPPED, sym: string, pos: number): never {
  const symbol = sym.startsWith('prefix') ? sym.slice(6) : sym === '==' ? '=' : sym;
  throw new ExprRuntimeError(format.replace('%v', show(v)).replace('%s', symbol), pos);
}

const isNum = (v: unknown): v is number => typeof v === 'number';
const isStr = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

function int64(f: number): bigint {
  return floatToInt(f);
}

function regexMatch(left: string, right: string | RegExp, pos: number): boolean {
  let re: RegExp;
  if (typeof right === 'string') {
    try {
      re = compileGoRegexp(right).regex;
    } catch (err) {
      throw new ExprRuntimeError(`Unable to compile regexp pattern '${right}': ${err instanceof Error ? err.message : String(err)}`, pos);
    }
  } else re = right;
  re.lastIndex = 0;
  return re.test(left);
}

function evaluate(stage: Stage | undefined): Value {
  if (stage === undefined) return null;
  switch (stage.k) {
    case 'literal': return stage.value;
    case 'parameter': throw new ExprRuntimeError(`No parameter '${stage.name.split('.')[0] ?? ''}' found.`, stage.pos);
    case 'group': return evaluate(stage.inner);
    case 'op': break;
  }
  const { sym, format, pos } = stage;
  const left = stage.left === undefined ? null : evaluate(stage.left);
  let skip = false;
  if (sym === '&&' && left === false) return false;
  if (sym === '||' && left === true) return true;
  if (sym === '??' && left !== null) return left;
  if (sym === '?' && left === false) skip = true;
  if (sym === ':' && left !== null) skip = true;
  const right: Value | typeof SKIPPED = skip ? SKIPPED : stage.right === undefined ? null : evaluate(stage.right);
  const need = (ok: boolean, v: Value | typeof SKIPPED): void => {
    if (!ok) typeError(format, v, sym, pos);
  };
  switch (sym) {
    case '==': return deepEqual(left, right);
    case '!=': return !deepEqual(left, right);
    case '>': case '<': case '>=': case '<=': {
      if (isStr(left) && isStr(right)) {
        const c = compareStrings(left, right);
        return sym === '>' ? c > 0 : sym === '<' ? c < 0 : sym === '>=' ? c >= 0 : c <= 0;
      }
      need(isNum(left) && isNum(right), left);
      const [a, b] = [Number(left), Number(right)];
      return sym === '>' ? a > b : sym === '<' ? a < b : sym === '>=' ? a >= b : a <= b;
    }
    case '=~': case '!~': {
      need(isStr(left), left);
      need(isStr(right) || right instanceof RegExp, right);
      const m = regexMatch(String(left), right instanceof RegExp ? right : String(right), pos);
      return sym === '=~' ? m : !m;
    }
    case '&&': case '||':
      need(isBool(left), left);
      need(isBool(right), right);
      return sym === '&&' ? left === true && right === true : left === true || right === true;
    case 'in': {
      if (!Array.isArray(right)) return typeError(format, right, sym, pos);
      return right.some((v) => v === left);
    }
    case '+':
      if (isStr(left) || isStr(right)) return show(left) + show(right);
      need(isNum(left) && isNum(right), left);
      return Number(left) + Number(right);
    case '-': case '*': case '/': case '%': case '**': case '&': case '|': case '^': case '<<': case '>>': {
      need(isNum(left), left);
      need(isNum(right), right);
      const [a, b] = [Number(left), Number(right)];
      switch (sym) {
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '%': return a % b;
        case '**': return a ** b;
        case '&': return Number(BigInt.asIntN(64, int64(a) & int64(b)));
        case '|': return Number(BigInt.asIntN(64, int64(a) | int64(b)));
        case '^': return Number(BigInt.asIntN(64, int64(a) ^ int64(b)));
        case '<<': return Number(BigInt.asUintN(64, BigInt.asUintN(64, int64(a)) << BigInt.asUintN(64, int64(b))));
        default: return Number(BigInt.asUintN(64, int64(a)) >> BigInt.asUintN(64, int64(b)));
      }
    }
    case 'prefix-': need(isNum(right), right); return -Number(right);
    case 'prefix!': need(isBool(right), right); return right !== true;
    case 'prefix~': need(isNum(right), right); return Number(BigInt.asIntN(64, ~int64(Number(right))));
    case '?':
      need(isBool(left), left);
      return left === true && right !== SKIPPED ? right : null;
    case ':': return left !== null ? left : right === SKIPPED ? null : right;
    case ',': {
      const r = right === SKIPPED ? null : right;
      return Array.isArray(left) ? [...left, r] : [left, r];
    }
    default:
      throw new ExprRuntimeError(`unknown operator ${sym}`, pos);
  }
}

function whenError(kind: string, condition: string, err: unknown, path: string | undefined): UserError {
  const opts = path === undefined ? {} : { path };
  if (!(err instanceof ExprRuntimeError)) {
    const message = err instanceof RangeError ? 'too deeply nested' : err instanceof Error ? err.message : String(err);
    return new UserError(CODE_WHEN, `${kind} 'when' expression '${condition}': ${message}`, opts);
  }
  const where = err.pos >= 0 ? ` (at ${lineCol(condition, err.pos).line}:${lineCol(condition, err.pos).col})` : '';
  const hint = err.message.startsWith('Invalid token') ? ' (hint: try wrapping the affected expression in quotes ("))' : '';
  return new UserError(CODE_WHEN, `${kind} 'when' expression '${condition}': ${err.message}${where}${hint}`, opts);
}

/** govaluate `when` semantics as Argo uses them; the condition is already substituted. Throws UserError WEFT_E_WHEN. */
export function evaluateWhen(condition: string, path?: string): boolean {
  if (condition === '') return true;
  let tokens: WhenToken[];
  try {
    tokens = tokenize(condition);
    checkSyntax(tokens, condition.length);
    compilePatterns(tokens.map((t) => ({ ...t })));
  } catch (err) {
    throw whenError('Invalid', condition, err, path);
  }
  let stage: Stage | undefined;
  try {
    // Argo's shouldExecute: govaluate variables are not used, they are strings.
    tokens = tokens.map((t) => (t.kind === 'VARIABLE' ? { ...t, kind: 'STRING' } : t));
    checkBalance(tokens);
    checkSyntax(tokens, condition.length);
    compilePatterns(tokens);
    stage = plan(tokens);
  } catch (err) {
    throw whenError('Failed to parse', condition, err, path);
  }
  let result: Value;
  try {
    result = evaluate(stage);
  } catch (err) {
    throw whenError('Failed to evaluate', condition, err, path);
  }
  if (typeof result !== 'boolean') {
    throw new UserError(CODE_WHEN, `Expected boolean evaluation for '${condition}'. Got ${show(result)}`, path === undefined ? {} : { path });
  }
  return result;
}
