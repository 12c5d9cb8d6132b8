// expr-lang's operator table (parser/operator), its predicate builtins with their argument
// shapes (parser.go's predicates), and the names that parse as builtins (builtin.Index).
export const UNARY: Record<string, number> = { not: 50, '!': 50, '-': 90, '+': 90 };
export const BINARY: Record<string, { prec: number; right: boolean }> = {
  '|': { prec: 0, right: false },
  or: { prec: 10, right: false }, '||': { prec: 10, right: false },
  and: { prec: 15, right: false }, '&&': { prec: 15, right: false },
  '==': { prec: 20, right: false }, '!=': { prec: 20, right: false }, '<': { prec: 20, right: false },
  '>': { prec: 20, right: false }, '>=': { prec: 20, right: false }, '<=': { prec: 20, right: false },
  in: { prec: 20, right: false }, matches: { prec: 20, right: false }, contains: { prec: 20, right: false },
  startsWith: { prec: 20, right: false }, endsWith: { prec: 20, right: false },
  '..': { prec: 25, right: false },
  '+': { prec: 30, right: false }, '-': { prec: 30, right: false },
  '*': { prec: 60, right: false }, '/': { prec: 60, right: false }, '%': { prec: 60, right: false },
  '**': { prec: 100, right: true }, '^': { prec: 100, right: true },
  '??': { prec: 500, right: false },
};
export const NEGATABLE = new Set(['contains', 'matches', 'startsWith', 'endsWith', 'in']);
export const COMPARISON = new Set(['<', '>', '>=', '<=']);

export type ArgKind = 'expr' | 'predicate' | 'optPredicate' | 'optExpr';
export const PREDICATES: Record<string, ArgKind[]> = {
  all: ['expr', 'predicate'], none: ['expr', 'predicate'], any: ['expr', 'predicate'], one: ['expr', 'predicate'],
  filter: ['expr', 'predicate'], map: ['expr', 'predicate'], count: ['expr', 'optPredicate'], sum: ['expr', 'optPredicate'],
  find: ['expr', 'predicate'], findIndex: ['expr', 'predicate'], findLast: ['expr', 'predicate'],
  findLastIndex: ['expr', 'predicate'], groupBy: ['expr', 'predicate'], sortBy: ['expr', 'predicate', 'optExpr'],
  reduce: ['expr', 'predicate', 'optExpr'],
};

/** expr's builtin.Index: calls to these names are BuiltinNodes, not calls into the environment. */
export const BUILTIN_NAMES = new Set([
  ...Object.keys(PREDICATES),
  'len', 'type', 'abs', 'ceil', 'floor', 'round', 'int', 'float', 'string', 'trim', 'trimPrefix', 'trimSuffix',
  'upper', 'lower', 'split', 'splitAfter', 'replace', 'repeat', 'join', 'indexOf', 'lastIndexOf', 'hasPrefix',
  'hasSuffix', 'max', 'min', 'mean', 'median', 'toJSON', 'fromJSON', 'toBase64', 'fromBase64', 'now', 'duration',
  'date', 'timezone', 'first', 'last', 'get', 'take', 'keys', 'values', 'toPairs', 'fromPairs', 'reverse', 'uniq',
  'concat', 'flatten', 'sort', 'bitand', 'bitor', 'bitxor', 'bitnand', 'bitnot', 'bitshl', 'bitshr', 'bitushr',
]);


/** A Number token's value as expr's parser reads it: int (bigint) unless it has . or e; an error message if invalid. */
export function numberLiteral(raw: string): bigint | number | string {
  const lower = raw.replace(/_/g, '').toLowerCase();
  const int = (digits: string, radix: 2 | 8 | 10 | 16, what: string): bigint | string => {
    const valid = { 16: /^[0-9a-f]+$/, 8: /^[0-7]+$/, 2: /^[01]+$/, 10: /^[0-9]+$/ }[radix];
    if (!valid.test(digits)) return `invalid ${what} literal: ${JSON.stringify(raw)}`;
    const value = BigInt(`${{ 16: '0x', 8: '0o', 2: '0b', 10: '' }[radix]}${digits}`);
    return value > (1n << 63n) - 1n ? 'integer literal is too large' : value;
  };
  if (lower.startsWith('0x')) return int(lower.slice(2), 16, 'hex');
  if (/[.e]/.test(lower)) {
    if (!/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(lower)) return `invalid float literal: ${JSON.stringify(raw)}`;
    const value = Number(lower);
    return Number.isFinite(value) ? value : 'float literal is too large';
  }
  if (lower.startsWith('0b')) return int(lower.slice(2), 2, 'binary');
  if (lower.startsWith('0o')) return int(lower.slice(2), 8, 'octal');
  return int(lower, 10, 'integer');
}
