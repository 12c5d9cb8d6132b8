// The expr-lang parser, a port of github.com/expr-lang/expr/parser (v1.17): operator
// precedence and associativity, chained comparisons (a < b < c), `not in`, the pipe,
// `let`, `if {} else {}`, ternaries including `a ?: b`, predicates with `#`/`.field`,
// optional chaining, slices, and the rule that `??` may not be mixed without parentheses.
import type { Node } from './ast.js';
import { ExprRuntimeError } from './expr-error.js';
import { BINARY, BUILTIN_NAMES, COMPARISON, NEGATABLE, numberLiteral, PREDICATES, UNARY } from './grammar.js';
import { isAlphabetic, isAlphaNumeric, lex, tokenString, type Token } from './lexer.js';

const MAX_NODES = 10_000;
const MAX_DEPTH = 200;

class Parser {
  private i = 0;
  private depth = 0; // predicate nesting, enables # and .field
  private nesting = 0;
  private nodes = 0;

  constructor(private readonly tokens: Token[]) {}

  private get cur(): Token {
    return this.tokens[this.i] ?? this.tokens[this.tokens.length - 1] ?? { kind: 'EOF', value: '', pos: 0 };
  }

  private is(kind: Token['kind'], value?: string): boolean {
    const t = this.cur;
    return t.kind === kind && (value === undefined || t.value === value);
  }

  private next(): void {
    if (this.i < this.tokens.length - 1) this.i++;
  }

  private error(message: string, token: Token = this.cur): never {
    throw new ExprRuntimeError(message, token.pos);
  }

  private expect(kind: Token['kind'], value?: string): void {
    if (this.is(kind, value)) this.next();
    else this.error(`unexpected token ${tokenString(this.cur)}`);
  }

  private node<T extends Node>(n: T): T {
    if (++this.nodes > MAX_NODES) this.error('compilation failed: expression exceeds maximum allowed nodes');
    return n;
  }

  parseProgram(): Node {
    const node = this.parseSequence();
    if (!this.is('EOF')) this.error(`unexpected token ${tokenString(this.cur)}`);
    return node;
  }

  private parseSequence(): Node {
    const first = this.parseExpression(0);
    const nodes = [first];
    while (this.is('Operator', ';')) {
      this.next();
      if (this.is('EOF')) break;
      nodes.push(this.parseExpression(0));
    }
    return nodes.length === 1 ? first : this.node({ k: 'seq', nodes, pos: first.pos });
  }

  private parseExpression(precedence: number): Node {
    if (++this.nesting > MAX_DEPTH) this.error('expression is nested too deeply');
    try {
      return this.parseExpressionInner(precedence);
    } finally {
      this.nesting--;
    }
  }

  private parseExpressionInner(precedence: number): Node {
    if (precedence === 0 && this.is('Operator', 'let')) return this.parseLet();
    if (precedence === 0 && this.is('Operator', 'if')) return this.parseIf();
    let left = this.parsePrimary();
    let prev = '';
    let op = this.cur;
    while (op.kind === 'Operator') {
      let negate = false;
      if (op.value === 'not') {
        const save = this.i;
        this.next();
        const after = this.cur;
        if (!NEGATABLE.has(after.value)) this.error(`unexpected token ${tokenString(after)}`);
        if ((BINARY[after.value]?.prec ?? -1) < precedence) {
          this.i = save;
          break;
        }
        negate = true;
        op = after;
      }
      const info = BINARY[op.value];
      if (info === undefined || info.prec < precedence) break;
      this.next();
      if (op.value === '|') {
        const ident = this.cur;
        this.expect('Identifier');
        left = this.parseCall(ident, [left]);
      } else {
        if (prev === '??' && op.value !== '??') {
          this.error(`Operator (${op.value}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.`, op);
        }
        if (COMPARISON.has(op.value)) {
          left = this.parseComparison(left, op, info.prec);
        } else {
          const right = this.parseExpression(info.right ? info.prec : info.prec + 1);
          left = this.node({ k: 'binary', op: op.value, left, right, pos: op.pos });
          if (negate) left = this.node({ k: 'unary', op: 'not', node: left, pos: op.pos });
        }
      }
      prev = op.value;
      op = this.cur;
    }
    return precedence === 0 ? this.parseConditional(left) : left;
  }

  private parseComparison(first: Node, firstOp: Token, precedence: number): Node {
    let root: Node | undefined;
    let left = first;
    let op = firstOp;
    for (;;) {
      const right = this.parseExpression(precedence + 1);
      const cmp: Node = this.node({ k: 'binary', op: op.value, left, right, pos: op.pos });
      root = root === undefined ? cmp : this.node({ k: 'binary', op: '&&', left: root, right: cmp, pos: op.pos });
      left = right;
      op = this.cur;
      if (!(op.kind === 'Operator' && COMPARISON.has(op.value))) break;
      this.next();
    }
    return root;
  }

  private parseLet(): Node {
    this.expect('Operator', 'let');
    const name = this.cur;
    this.expect('Identifier');
    this.expect('Operator', '=');
    const value = this.parseExpression(0);
    this.expect('Operator', ';');
    const body = this.parseSequence();
    return this.node({ k: 'let', name: name.value, value, body, pos: name.pos });
  }

  private parseIf(): Node {
    const start = this.cur;
    this.next();
    const cond = this.parseExpression(0);
    this.expect('Bracket', '{');
    const then = this.parseSequence();
    this.expect('Bracket', '}');
    this.expect('Operator', 'else');
    let otherwise: Node;
    if (this.is('Operator', 'if')) {
      otherwise = this.parseIf();
    } else {
      this.expect('Bracket', '{');
      otherwise = this.parseSequence();
      this.expect('Bracket', '}');
    }
    return this.node({ k: 'cond', cond, then, else: otherwise, pos: start.pos });
  }

  private parseConditional(node: Node): Node {
    let result = node;
    while (this.is('Operator', '?')) {
      const q = this.cur;
      this.next();
      let then: Node;
      let otherwise: Node;
      if (!this.is('Operator', ':')) {
        then = this.parseExpression(0);
        this.expect('Operator', ':');
        otherwise = this.parseExpression(0);
      } else {
        this.next();
        then = result;
        otherwise = this.parseExpression(0);
      }
      result = this.node({ k: 'cond', cond: result, then, else: otherwise, pos: q.pos });
    }
    return result;
  }

  private parsePrimary(): Node {
    const token = this.cur;
    if (token.kind === 'Operator') {
      const prec = UNARY[token.value];
      if (prec !== undefined) {
        this.next();
        const operand = this.parseExpression(prec);
        return this.parsePostfix(this.node({ k: 'unary', op: token.value, node: operand, pos: token.pos }));
      }
    }
    if (this.is('Bracket', '(')) {
      this.next();
      const inner = this.parseSequence();
      this.expect('Bracket', ')');
      return this.parsePostfix(inner);
    }
    if (this.depth > 0 && token.kind === 'Operator' && (token.value === '#' || token.value === '.')) {
      let name = '';
      if (token.value === '#') {
        this.next();
        if (this.is('Identifier')) {
          name = this.cur.value;
          this.next();
        }
      }
      return this.parsePostfix(this.node({ k: 'pointer', name, pos: token.pos }));
    }
    if (this.is('Operator', '::')) {
      this.next();
      const ident = this.cur;
      this.expect('Identifier');
      return this.parsePostfix(this.parseCall(ident, []));
    }
    return this.parseSecondary();
  }

  private parseSecondary(): Node {
    const token = this.cur;
    let node: Node;
    switch (token.kind) {
      case 'Identifier':
        this.next();
        if (token.value === 'true' || token.value === 'false') return this.node({ k: 'bool', value: token.value === 'true', pos: token.pos });
        if (token.value === 'nil') return this.node({ k: 'nil', pos: token.pos });
        node = this.is('Bracket', '(') ? this.parseCall(token, []) : this.node({ k: 'ident', name: token.value, pos: token.pos });
        break;
      case 'Number':
        this.next();
        return this.parseNumber(token);
      case 'String':
        this.next();
        node = this.node({ k: 'string', value: token.value, pos: token.pos });
        break;
      default:
        if (this.is('Bracket', '[')) node = this.parseArray();
        else if (this.is('Bracket', '{')) node = this.parseMap();
        else return this.error(`unexpected token ${tokenString(token)}`);
    }
    return this.parsePostfix(node);
  }

  private parseNumber(token: Token): Node {
    const lit = numberLiteral(token.value);
    if (typeof lit === 'string') return this.error(lit, token);
    return this.node(typeof lit === 'bigint' ? { k: 'int', value: lit, pos: token.pos } : { k: 'float', value: lit, pos: token.pos });
  }

  private parseCall(token: Token, leading: Node[]): Node {
    const spec = PREDICATES[token.value];
    if (spec !== undefined) {
      this.expect('Bracket', '(');
      const args = [...leading];
      const rest = spec.slice(leading.length);
      for (let n = 0; n < rest.length; n++) {
        const kind = rest[n] ?? 'expr';
        const optional = kind === 'optPredicate' || kind === 'optExpr';
        if (this.is('Bracket', ')')) {
          if (optional) break;
          this.error(`expected at least ${rest.length} arguments`);
        }
        if (n > 0) this.expect('Operator', ',');
        args.push(kind === 'predicate' || kind === 'optPredicate' ? this.parsePredicate() : this.parseExpression(0));
      }
      if (this.is('Operator', ',')) this.next();
      this.expect('Bracket', ')');
      return this.node({ k: 'builtin', name: token.value, args, pos: token.pos });
    }
    const args = this.parseArguments(leading);
    if (BUILTIN_NAMES.has(token.value)) return this.node({ k: 'builtin', name: token.value, args, pos: token.pos });
    const callee: Node = this.node({ k: 'ident', name: token.value, pos: token.pos });
    return this.node({ k: 'call', callee, args, pos: token.pos });
  }

  private parseArguments(leading: Node[]): Node[] {
    const args = [...leading];
    this.expect('Bracket', '(');
    while (!this.is('Bracket', ')')) {
      if (args.length > leading.length) this.expect('Operator', ',');
      if (this.is('Bracket', ')')) break;
      args.push(this.parseExpression(0));
    }
    this.expect('Bracket', ')');
    return args;
  }

  private parsePredicate(): Node {
    const start = this.cur;
    const braces = this.is('Bracket', '{');
    if (braces) this.next();
    this.depth++;
    let body: Node;
    if (braces) {
      body = this.parseSequence();
    } else {
      body = this.parseExpression(0);
      if (this.is('Operator', ';')) this.error('wrap predicate with brackets { and }');
    }
    this.depth--;
    if (braces) this.expect('Bracket', '}');
    return this.node({ k: 'predicate', body, pos: start.pos });
  }

  private parseArray(): Node {
    const start = this.cur;
    this.expect('Bracket', '[');
    const items: Node[] = [];
    while (!this.is('Bracket', ']')) {
      if (items.length > 0) {
        this.expect('Operator', ',');
        if (this.is('Bracket', ']')) break;
      }
      items.push(this.parseExpression(0));
    }
    this.expect('Bracket', ']');
    return this.node({ k: 'array', items, pos: start.pos });
  }

  private parseMap(): Node {
    const start = this.cur;
    this.expect('Bracket', '{');
    const pairs: { key: Node; value: Node }[] = [];
    while (!this.is('Bracket', '}')) {
      if (pairs.length > 0) {
        this.expect('Operator', ',');
        if (this.is('Bracket', '}')) break;
        if (this.is('Operator', ',')) this.error(`unexpected token ${tokenString(this.cur)}`);
      }
      let key: Node;
      const t = this.cur;
      if (t.kind === 'Number' || t.kind === 'String' || t.kind === 'Identifier') {
        key = this.node({ k: 'string', value: t.value, pos: t.pos });
        this.next();
      } else if (this.is('Bracket', '(')) {
        key = this.parseExpression(0);
      } else {
        return this.error(`a map key must be a quoted string, a number, a identifier, or an expression enclosed in parentheses (unexpected token ${tokenString(t)})`);
      }
      this.expect('Operator', ':');
      pairs.push({ key, value: this.parseExpression(0) });
    }
    this.expect('Bracket', '}');
    return this.node({ k: 'map', pairs, pos: start.pos });
  }

  private parsePostfix(start: Node): Node {
    let node = start;
    for (;;) {
      const t = this.cur;
      if (t.kind !== 'Operator' && t.kind !== 'Bracket') return node;
      let optional = t.value === '?.';
      if (t.value === '.' || t.value === '?.') {
        this.next();
        const prop = this.cur;
        if (optional && this.is('Bracket', '[')) {
          node = this.parseIndex(node, true);
          continue;
        }
        this.next();
        if (prop.kind !== 'Identifier' && !(prop.kind === 'Operator' && isValidIdentifier(prop.value))) this.error('expected name', prop);
        const property: Node = this.node({ k: 'string', value: prop.value, pos: prop.pos });
        const isChain = node.k === 'chain';
        const base = node.k === 'chain' ? node.node : node;
        const method = this.is('Bracket', '(');
        const member: Node = this.node({ k: 'member', node: base, property, optional, method, pos: prop.pos });
        if (method) {
          node = this.node({ k: 'call', callee: member, args: this.parseArguments([]), pos: prop.pos });
        } else {
          node = member;
        }
        if (isChain || optional) node = this.node({ k: 'chain', node, pos: prop.pos });
      } else if (t.value === '[') {
        optional = false;
        node = this.parseIndex(node, optional);
      } else {
        return node;
      }
    }
  }

  /** At `[`: an index (member) or a slice. */
  private parseIndex(node: Node, optional: boolean): Node {
    const open = this.cur;
    this.next();
    if (this.is('Operator', ':')) {
      this.next();
      const to = this.is('Bracket', ']') ? undefined : this.parseExpression(0);
      this.expect('Bracket', ']');
      return this.node({ k: 'slice', node, from: undefined, to, pos: open.pos });
    }
    const from = this.parseExpression(0);
    if (this.is('Operator', ':')) {
      this.next();
      const to = this.is('Bracket', ']') ? undefined : this.parseExpression(0);
      this.expect('Bracket', ']');
      return this.node({ k: 'slice', node, from, to, pos: open.pos });
    }
    this.expect('Bracket', ']');
    const member: Node = this.node({ k: 'member', node, property: from, optional, method: false, pos: open.pos });
    return optional ? this.node({ k: 'chain', node: member, pos: open.pos }) : member;
  }
}

function isValidIdentifier(s: string): boolean {
  const chars = [...s];
  const first = chars[0];
  return first !== undefined && isAlphabetic(first) && chars.every(isAlphaNumeric);
}

/** Parses an expr-lang program; throws ExprRuntimeError with the offending offset. */
export function parseExpr(source: string): Node {
  return new Parser(lex(source)).parseProgram();
}
