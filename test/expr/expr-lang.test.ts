// The expr-lang subset (v1.17, as Argo v4 pins it): literals, operators with Go's int/float
// rules, member and index access, optional chaining, predicates, let, builtins, and the
// errors expr raises. Values are Go-typed: ints are bigint, floats number.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateExpr, evaluateExprBool, expressionEnv, GoDuration, NOW_KEY } from '../../core/expr/index.js';
import { expectError, table } from './expr-fixtures.js';

const ENV = expressionEnv(
  {
    'inputs.parameters.x': 'hello',
    'inputs.parameters.my-int': '42',
    'steps.gen.outputs.parameters.x': 'p',
    'steps.gen.outputs.result': '[1, 2, 3]',
    'tasks.flip-coin.outputs.result': 'heads',
    'workflow.parameters.count': '3',
    retries: '2',
    'lastRetry.exitCode': '2',
    'lastRetry.status': 'Failed',
    'lastRetry.message': 'pod deleted',
  },
  { [NOW_KEY]: new Date('2024-03-01T10:00:00Z'), 'cronworkflow.lastScheduledTime': new Date('2024-03-01T09:50:00Z'), response: { statusCode: 200n, body: '{"ok": true}' } },
);

const ev = (source: string): unknown => evaluateExpr(source, ENV);

describe('expr-lang values and operators', () => {
  table<string, unknown>([
    { name: 'int + int stays int', input: '1 + 2', want: 3n },
    { name: 'int + float is float', input: '1 + 2.0', want: 3 },
    { name: 'int / int is float (expr-lang)', input: '7 / 2', want: 3.5 },
    { name: '% on ints', input: '7 % 3', want: 1n },
    { name: '** and ^ are float powers', input: '2 ** 10 + 2 ^ 1', want: 1026 },
    { name: 'unary minus binds looser than **', input: '-2 ** 2', want: -4 },
    { name: 'ints wrap at 64 bits', input: '9223372036854775807 + 1', want: -9223372036854775808n },
    { name: 'hex, octal, binary and _ literals', input: '0x10 + 0o10 + 0b10 + 1_000', want: 1026n },
    { name: 'string concatenation', input: '"a" + \'b\' + `c`', want: 'abc' },
    { name: 'escapes in strings', input: '"tab\\there\\u0021"', want: 'tab\there!' },
    { name: 'chained comparison', input: '1 < 2 < 3', want: true },
    { name: '== across int and float', input: '1 == 1.0', want: true },
    { name: '== on values whose type is only known at run time is false when kinds differ', input: 'inputs.parameters.x == 1', want: false },
    { name: '== on lists and maps', input: '[1, {a: "x"}] == [1, {a: "x"}]', want: true },
    { name: 'logical words', input: 'not false and (true or false)', want: true },
    { name: '&& short-circuits', input: 'false && [1][5] == 1', want: false },
    { name: 'ternary', input: '2 > 1 ? "yes" : "no"', want: 'yes' },
    { name: 'elvis ?:', input: 'true ?: false', want: true },
    { name: 'nil coalescing', input: 'nil ?? "d"', want: 'd' },
    { name: 'in on lists and maps', input: '2 in [1, 2] && "a" in {a: 1}', want: true },
    { name: 'not in', input: '3 not in [1, 2]', want: true },
    { name: 'contains / startsWith / endsWith / matches', input: '"hello" contains "ell" && "hello" startsWith "he" && "hello" endsWith "lo" && "hello" matches "^h.+o$"', want: true },
    { name: 'ranges', input: '1..4', want: [1n, 2n, 3n, 4n] },
    { name: 'slices', input: '[1, 2, 3, 4][1:3]', want: [2n, 3n] },
    { name: 'negative index', input: '[1, 2, 3][-1]', want: 3n },
    { name: 'string slice is by byte', input: '"hello"[1:3]', want: 'el' },
    { name: 'map literal with identifier, string and number keys', input: '{a: 1, "b": 2, 3: 3}', want: { a: 1n, b: 2n, 3: 3n } },
    { name: 'let binding', input: 'let x = 2; let y = x * 3; x + y', want: 8n },
    { name: 'if/else expression', input: 'if 1 > 2 { "a" } else if 2 > 1 { "b" } else { "c" }', want: 'b' },
    { name: 'pipe', input: '"a,b" | split(",") | map(upper(#))', want: ['A', 'B'] },
    { name: 'comments', input: '1 /* one */ + // rest\n 2', want: 3n },
  ], (input, want, name) => assert.deepStrictEqual(ev(input), want, name));
});

describe('Argo variables in expressions', () => {
  table<string, unknown>([
    { name: 'variables.md: inputs.parameters.x member access', input: 'inputs.parameters.x', want: 'hello' },
    { name: "variables.md: inputs.parameters['my-int'] index access", input: "inputs.parameters['my-int']", want: '42' },
    { name: 'variables.md: asInt(inputs.parameters[...])', input: "asInt(inputs.parameters['my-int']) + 1", want: 43n },
    { name: 'variables.md: asFloat', input: "asFloat(inputs.parameters['my-int']) / 8", want: 5.25 },
    { name: "steps['gen'].outputs.parameters['x']", input: "steps['gen'].outputs.parameters['x']", want: 'p' },
    { name: "tasks['flip-coin'].outputs.result", input: "tasks['flip-coin'].outputs.result == 'heads'", want: true },
    { name: 'fromJSON of a step result', input: 'fromJSON(steps.gen.outputs.result)[1]', want: 2 },
    { name: 'retries is a string in Argo', input: 'asInt(retries) < 3', want: true },
    { name: "retry-conditional.yaml: lastRetry expression", input: "asInt(lastRetry.exitCode) > 1 && lastRetry.status != 'Error' && !(lastRetry.message matches 'imminent node shutdown|pod deleted')", want: false },
    { name: 'a missing parameter is nil', input: 'inputs.parameters.missing', want: null },
    { name: 'optional chaining over a missing branch', input: 'inputs.nothing?.deeper.still ?? "d"', want: 'd' },
    { name: 'cron-when.yaml: (now() - lastScheduledTime).Seconds() > 360 with the caller clock', input: 'cronworkflow.lastScheduledTime == nil || (now() - cronworkflow.lastScheduledTime).Seconds() > 360', want: true },
    { name: 'durations', input: 'duration("1h30m").Minutes()', want: 90 },
    { name: 'http template successCondition', input: 'response.statusCode == 200 && fromJSON(response.body).ok', want: true },
    { name: '$env', input: "$env['retries']", want: '2' },
  ], (input, want, name) => assert.deepStrictEqual(ev(input), want, name));

  it('now() without a clock is an error, not a read of the system clock', () => {
    expectError(() => evaluateExpr('now()', {}), 'WEFT_E_EXPR', /needs a clock/);
  });

  it('duration values are GoDuration', () => {
    assert.deepStrictEqual(ev('duration("90s")'), new GoDuration(90_000_000_000n));
  });
});

describe('builtins and predicates', () => {
  table<string, unknown>([
    { name: 'variables.md: filter([1, 2], { # > 1})', input: 'filter([1, 2], { # > 1})', want: [2n] },
    { name: 'variables.md: map([1, 2], { # * 2 })', input: 'map([1, 2], { # * 2 })', want: [2n, 4n] },
    { name: 'data-transformations.yaml: filter(data, {# endsWith "main.log"})', input: 'filter(["a/main.log", "b.txt"], {# endsWith "main.log"})', want: ['a/main.log'] },
    { name: '.field shorthand on #', input: 'map(filter([{n: "a", v: 1}, {n: "b", v: 2}], .v > 1), .n)', want: ['b'] },
    { name: 'all / any / none / one', input: '[all([1, 2], # > 0), any([1, 2], # > 1), none([1], # > 1), one([1, 2], # > 1)]', want: [true, true, true, true] },
    { name: 'count, find, findIndex, findLast, findLastIndex', input: '[count([1, 2, 3], # > 1), find([1, 2, 3], # > 1), findIndex([1, 2], # > 5), findLast([1, 2, 3], # < 3), findLastIndex([1, 2, 3], # < 3)]', want: [2n, 2n, -1n, 2n, 1n] },
    { name: 'sum with and without predicate', input: '[sum([1, 2, 3]), sum([1, 2], # * 1.5)]', want: [6n, 4.5] },
    { name: 'reduce with #acc and #index', input: 'reduce([1, 2, 3], #acc + # * #index, 0)', want: 8n },
    { name: 'sortBy and groupBy', input: '[sortBy([3, 1, 2], #), groupBy([1, 2, 3], # % 2 == 0)]', want: [[1n, 2n, 3n], { false: [1n, 3n], true: [2n] }] },
    { name: 'len counts runes, lists and maps', input: '[len("héllo"), len([1]), len({a: 1, b: 2})]', want: [5n, 1n, 2n] },
    { name: 'int, float, string, type', input: '[int("42"), int(3.9), float("1.5"), string(1.0), string([1, 2]), type(1.5)]', want: [42n, 3n, 1.5, '1', '[1 2]', 'float'] },
    { name: 'abs, ceil, floor, round (half away from zero)', input: '[abs(-3), ceil(1.2), floor(1.8), round(-2.5)]', want: [3n, 2, 1, -3] },
    { name: 'trim, trimPrefix, trimSuffix, upper, lower', input: '[trim("  a "), trim("__a__", "_"), trimPrefix("HelloWorld", "Hello"), trimSuffix("HelloWorld", "World"), upper("a"), lower("A")]', want: ['a', 'a', 'World', 'Hello', 'A', 'a'] },
    { name: 'split, splitAfter with n', input: '[split("a,b,c", ",", 2), splitAfter("a,b", ",")]', want: [['a', 'b,c'], ['a,', 'b']] },
    { name: 'replace, repeat, join, indexOf, lastIndexOf', input: '[replace("Hello World", "World", "Universe"), repeat("Hi", 3), join(["a", "b"], "-"), indexOf("apple pie", "pie"), lastIndexOf("apple pie apple", "apple")]', want: ['Hello Universe', 'HiHiHi', 'a-b', 6n, 10n] },
    { name: 'hasPrefix, hasSuffix', input: '[hasPrefix("HelloWorld", "Hello"), hasSuffix("HelloWorld", "World")]', want: [true, true] },
    { name: 'toJSON indents, toJson does not', input: '[toJSON({b: 1, a: [1]}), toJson({b: 1, a: [1]})]', want: ['{\n  "a": [\n    1\n  ],\n  "b": 1\n}', '{"a":[1],"b":1}'] },
    { name: 'fromBase64 / toBase64', input: '[toBase64("Hello World"), fromBase64("SGVsbG8gV29ybGQ=")]', want: ['SGVsbG8gV29ybGQ=', 'Hello World'] },
    { name: 'keys and values (sorted keys)', input: '[keys({b: 1, a: 2}), values({b: 1, a: 2})]', want: [['a', 'b'], [2n, 1n]] },
    { name: 'first, last, get, take', input: '[first([1, 2]), last([1, 2]), get([1, 2], 5), get({a: 1}, "a"), take([1, 2, 3], 2), first([])]', want: [1n, 2n, null, 1n, [1n, 2n], null] },
    { name: 'max, min, mean, median', input: '[max(1, 2.5, 2), min([3, 1, 2]), mean([1, 2, 3]), median([1, 3, 2, 4])]', want: [2.5, 1n, 2, 2.5] },
    { name: 'reverse, uniq, concat, flatten, sort', input: '[reverse([1, 2]), uniq([1, 2, 1]), concat([1], [2]), flatten([1, [2, [3]]]), sort([3, 1, 2], "desc")]', want: [[2n, 1n], [1n, 2n], [1n, 2n], [1n, 2n, 3n], [3n, 2n, 1n]] },
    { name: 'toPairs / fromPairs', input: '[toPairs({a: 1}), fromPairs([["b", 2]])]', want: [[['a', 1n]], { b: 2n }] },
    { name: 'bit functions', input: '[bitand(6, 3), bitor(6, 3), bitxor(6, 3), bitnot(0), bitshl(1, 4), bitshr(16, 2)]', want: [2n, 7n, 5n, -1n, 16n, 4n] },
  ], (input, want, name) => assert.deepStrictEqual(ev(input), want, name));
});

describe('expr-lang errors carry the expression and its position', () => {
  table<string, RegExp>([
    { name: 'syntax error', input: '1 +', want: /invalid expression "1 \+": unexpected token EOF at 1:4/ },
    { name: 'unknown name, even in a branch not taken (expr checks names at compile time)', input: 'true ? 1 : nosuch', want: /unknown name nosuch at 1:12/ },
    { name: 'unknown function', input: 'nosuch(1)', want: /unknown function nosuch at 1:1/ },
    { name: 'unknown sprig function', input: 'sprig.nosuch(1)', want: /unknown function sprig.nosuch/ },
    { name: 'type error in +', input: '1 + "a"', want: /invalid operation: int \+ string at 1:3/ },
    { name: '% needs ints', input: '5 % 2.0', want: /invalid operation: int % float64/ },
    { name: 'index out of range', input: '[1][5]', want: /index out of range: 5 \(array length is 1\)/ },
    { name: 'member of nil', input: 'inputs.parameters.missing.x', want: /cannot fetch x from <nil> at 1:27/ },
    { name: 'asInt of a non-number', input: 'asInt(inputs.parameters.x)', want: /invalid operation: int\(hello\)/ },
    { name: 'sprig argument types are checked as reflect.Call does', input: 'sprig.trim(1)', want: /cannot use int as type string in argument 1/ },
    { name: '?? cannot be mixed without parentheses', input: 'a ?? b + 1', want: /cannot be mixed/ },
    { name: 'predicate needs an array', input: 'filter(1, # > 1)', want: /takes only array/ },
    { name: 'bad escape', input: '"\\q"', want: /invalid char escape/ },
    { name: 'unrecognized character', input: '1 @ 2', want: /unrecognized character: U\+0040 '@'/ },
    { name: '# outside a predicate', input: '# + 1', want: /unexpected token/ },
    { name: '== between known mismatched types fails like expr\'s checker', input: '"1" == 1', want: /invalid operation: == \(mismatched types string and int\)/ },
    { name: 'retries is a string: compare asInt(retries), not retries', input: 'retries == 0', want: /mismatched types string and int/ },
    { name: 'a non-bool condition', input: '"a" ? 1 : 2', want: /non-bool expression \(type string\) used as condition/ },
  ], (input, want) => {
    expectError(() => ev(input), 'WEFT_E_EXPR', want);
  });

  it('evaluateExprBool needs a bool, as argoexpr.EvalBool', () => {
    assert.equal(evaluateExprBool('asInt(retries) > 1', ENV), true);
    expectError(() => evaluateExprBool('retries', ENV, 'retryStrategy.expression'), 'WEFT_E_EXPR', /unable to cast expression result '2' to bool/);
  });

  it('runaway ranges and predicates hit a memory budget, as in expr', () => {
    expectError(() => ev('len(map(1..1000000, 1..1000000))'), 'WEFT_E_EXPR', /memory budget exceeded/);
  });

  it('deep nesting is a user error, not a crash', () => {
    expectError(() => ev(`${'('.repeat(5000)}1${')'.repeat(5000)}`), 'WEFT_E_EXPR', /nested too deeply/);
  });
});
