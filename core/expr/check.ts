// What expr-lang's checker rejects before anything runs (expr.Compile with expr.Env(env)):
// unknown names and functions, and operations whose operand types are known to mismatch.
// Like expr, only literals, `let` values and the top-level values of the environment have
// known types (nested map members are `interface{}`), so `item == 1` fails when item is a
// string, while `inputs.parameters.x == 1` is simply false at run time.
import { forEachChild, type Node } from './ast.js';
import { fail } from './expr-error.js';
import { isList, isMap, mapGet, mapHas, type GoMap } from './values.js';

type Kind = 'unknown' | 'nil' | 'bool' | 'int' | 'float' | 'string' | 'array' | 'map';

const GO_NAMES: Record<Kind, string> = {
  unknown: 'interface {}', nil: 'nil', bool: 'bool', int: 'int', float: 'float64', string: 'string', array: '[]interface {}', map: 'map[string]interface {}',
};

const BUILTIN_KINDS: Record<string, Kind> = {
  len: 'int', count: 'int', findIndex: 'int', findLastIndex: 'int', indexOf: 'int', lastIndexOf: 'int', int: 'int',
  float: 'float', mean: 'float', median: 'float', ceil: 'float', floor: 'float', round: 'float',
  string: 'string', trim: 'string', trimPrefix: 'string', trimSuffix: 'string', upper: 'string', lower: 'string', replace: 'string',
  repeat: 'string', join: 'string', toJSON: 'string', toBase64: 'string', fromBase64: 'string', type: 'string',
  all: 'bool', any: 'bool', none: 'bool', one: 'bool', hasPrefix: 'bool', hasSuffix: 'bool',
  filter: 'array', map: 'array', split: 'array', splitAfter: 'array', keys: 'array', values: 'array', sort: 'array', sortBy: 'array',
  reverse: 'array', uniq: 'array', concat: 'array', flatten: 'array', toPairs: 'array', take: 'array',
};

function kindOfValue(v: unknown): Kind {
  if (v === null || v === undefined) return 'nil';
  switch (typeof v) {
    case 'string': return 'string';
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float';
    default: return isList(v) ? 'array' : isMap(v) ? 'map' : 'unknown';
  }
}

const isNumberKind = (k: Kind): boolean => k === 'int' || k === 'float';

function comparable(a: Kind, b: Kind): boolean {
  return a === 'unknown' || b === 'unknown' || a === 'nil' || b === 'nil' || (isNumberKind(a) && isNumberKind(b)) || a === b;
}

type Scope = ReadonlyMap<string, Kind>;

/** Rejects what expr's checker would: unknown names/functions, mismatched == and non-bool conditions. */
export function checkProgram(root: Node, env: GoMap): void {
  const visit = (node: Node, scope: Scope): Kind => {
    switch (node.k) {
      case 'nil': return 'nil';
      case 'bool': return 'bool';
      case 'int': return 'int';
      case 'float': return 'float';
      case 'string': return 'string';
      case 'array': node.items.forEach((n) => visit(n, scope)); return 'array';
      case 'map': forEachChild(node, (c) => visit(c, scope)); return 'map';
      case 'ident': {
        const bound = scope.get(node.name);
        if (bound !== undefined) return bound;
        if (node.name === '$env') return 'map';
        if (!mapHas(env, node.name)) fail(`unknown name ${node.name}`, node.pos);
        return kindOfValue(mapGet(env, node.name));
      }
      case 'call': {
        if (node.callee.k === 'ident') {
          if (!scope.has(node.callee.name) && !mapHas(env, node.callee.name)) fail(`unknown function ${node.callee.name}`, node.callee.pos);
        } else visit(node.callee, scope);
        node.args.forEach((a) => visit(a, scope));
        return 'unknown';
      }
      case 'let': {
        const kind = visit(node.value, scope);
        return visit(node.body, new Map([...scope, [node.name, kind]]));
      }
      case 'builtin':
        node.args.forEach((a) => visit(a.k === 'predicate' ? a.body : a, scope));
        return BUILTIN_KINDS[node.name] ?? 'unknown';
      case 'unary': {
        const k = visit(node.node, scope);
        if (node.op === '!' || node.op === 'not') {
          if (k !== 'bool' && k !== 'unknown') fail(`invalid operation: ${node.op} (mismatched type ${GO_NAMES[k]})`, node.pos);
          return 'bool';
        }
        return isNumberKind(k) ? k : 'unknown';
      }
      case 'cond': {
        const c = visit(node.cond, scope);
        if (c !== 'bool' && c !== 'unknown') fail(`non-bool expression (type ${GO_NAMES[c]}) used as condition`, node.cond.pos);
        const a = visit(node.then, scope);
        const b = visit(node.else, scope);
        return a === b ? a : 'unknown';
      }
      case 'binary': return binary(node.op, visit(node.left, scope), visit(node.right, scope), node.pos);
      default:
        forEachChild(node, (c) => visit(c, scope));
        return 'unknown';
    }
  };
  visit(root, new Map());
}

function binary(op: string, l: Kind, r: Kind, pos: number): Kind {
  const mismatch = (): never => fail(`invalid operation: ${op} (mismatched types ${GO_NAMES[l]} and ${GO_NAMES[r]})`, pos);
  switch (op) {
    case '==': case '!=':
      if (!comparable(l, r)) mismatch();
      return 'bool';
    case '&&': case '||': case 'and': case 'or':
      if ((l !== 'bool' && l !== 'unknown') || (r !== 'bool' && r !== 'unknown')) mismatch();
      return 'bool';
    case '<': case '>': case '<=': case '>=': case 'in': case 'matches': case 'contains': case 'startsWith': case 'endsWith':
      return 'bool';
    case '+':
      if (l === 'string' && r === 'string') return 'string';
      return isNumberKind(l) && isNumberKind(r) ? (l === 'int' && r === 'int' ? 'int' : 'float') : 'unknown';
    case '-': case '*':
      return isNumberKind(l) && isNumberKind(r) ? (l === 'int' && r === 'int' ? 'int' : 'float') : 'unknown';
    case '/': case '**': case '^':
      return 'float';
    case '%':
      return 'int';
    case '..':
      return 'array';
    default:
      return 'unknown';
  }
}
