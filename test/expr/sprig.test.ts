// sprig.* in expressions (Masterminds/sprig v3.3 as Argo's env exposes it): sprig's argument
// order (subject last), its lenient conversions (cast), and its list/dict/regexp helpers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateExpr, expressionEnv } from '../../core/expr/index.js';
import { expectError, table } from './expr-fixtures.js';

const ENV = expressionEnv({ 'inputs.parameters.my-string-param': '  padded  ', 'inputs.parameters.csv': 'a,b,c' }, { $now: new Date('2024-02-29T13:04:05Z') });
const ev = (source: string): unknown => evaluateExpr(source, ENV);

describe('sprig strings', () => {
  table<string, unknown>([
    { name: "variables.md: sprig.trim(inputs.parameters['my-string-param'])", input: "sprig.trim(inputs.parameters['my-string-param'])", want: 'padded' },
    { name: 'upper, lower, title, untitle', input: '[sprig.upper("a"), sprig.lower("A"), sprig.title("hello world"), sprig.untitle("Hello")]', want: ['A', 'a', 'Hello World', 'hello'] },
    { name: 'replace(old, new, src)', input: 'sprig.replace("a", "o", "banana")', want: 'bonono' },
    { name: 'trimSuffix(suffix, s), trimPrefix(prefix, s), trimAll(cut, s)', input: '[sprig.trimSuffix("-x", "name-x"), sprig.trimPrefix("v", "v1.2"), sprig.trimAll("$", "$5.00$")]', want: ['name', '1.2', '5.00'] },
    { name: 'contains(substr, s), hasPrefix, hasSuffix', input: '[sprig.contains("ell", "hello"), sprig.hasPrefix("he", "hello"), sprig.hasSuffix("lo", "hello")]', want: [true, true, true] },
    { name: 'trunc, substr, repeat, nospace', input: '[sprig.trunc(3, "hello"), sprig.trunc(-2, "hello"), sprig.substr(1, 3, "hello"), sprig.repeat(2, "ab"), sprig.nospace("a b\\tc")]', want: ['hel', 'lo', 'el', 'abab', 'abc'] },
    { name: 'quote, squote, cat', input: '[sprig.quote("a", "b"), sprig.squote("a"), sprig.cat("a", 1, nil, "b")]', want: ['"a" "b"', "'a'", 'a 1 b'] },
    { name: 'indent, nindent', input: '[sprig.indent(2, "a\\nb"), sprig.nindent(2, "a")]', want: ['  a\n  b', '\n  a'] },
    { name: 'split gives _0.._n, splitList a list, splitn a limit', input: '[sprig.split(",", inputs.parameters.csv)._1, sprig.splitList(",", "a,b"), sprig.splitn(",", 2, "a,b,c")._1]', want: ['b', ['a', 'b'], 'b,c'] },
    { name: 'join(sep, list) with non-strings', input: 'sprig.join("-", [1, "a", 2.5])', want: '1-a-2.5' },
    { name: 'b64enc / b64dec / b32enc / b32dec', input: '[sprig.b64enc("hi"), sprig.b64dec("aGk="), sprig.b32enc("hi"), sprig.b32dec("NBUQ====")]', want: ['aGk=', 'hi', 'NBUQ====', 'hi'] },
    { name: 'b64dec of invalid data returns the error text, as sprig does', input: 'sprig.b64dec("%%%")', want: 'illegal base64 data at input byte 0' },
    { name: 'toString formats like %v', input: '[sprig.toString(1.5), sprig.toString(1000000.0), sprig.toString([1, 2])]', want: ['1.5', '1e+06', '[1 2]'] },
    { name: 'plural', input: '[sprig.plural("one", "many", 1), sprig.plural("one", "many", 2)]', want: ['one', 'many'] },
  ], (input, want, name) => assert.deepStrictEqual(ev(input), want, name));
});

describe('sprig numbers and defaults', () => {
  table<string, unknown>([
    { name: 'add takes anything cast can read, returns int64', input: 'sprig.add(1, 2.7, "3", true)', want: 7n },
    { name: 'sub, mul, div (int64 division), mod, add1', input: '[sprig.sub(5, 2), sprig.mul(2, 3, 4), sprig.div(7, 2), sprig.mod(7, 2), sprig.add1(1)]', want: [3n, 24n, 3n, 1n, 2n] },
    { name: 'max, min, biggest over mixed inputs', input: '[sprig.max(1, 5.5, "3"), sprig.min(4, 2), sprig.biggest(1, 9)]', want: [5n, 2n, 9n] },
    { name: 'addf/subf/mulf/divf are decimal-exact', input: '[sprig.addf(0.1, 0.2), sprig.subf(1, 0.9), sprig.mulf(1.1, 3), sprig.divf(1, 3)]', want: [0.3, 0.1, 3.3, 0.3333333333333333] },
    { name: 'maxf, minf, ceil, floor, round', input: '[sprig.maxf(1, 2.5), sprig.minf(1, 2.5), sprig.ceil(1.2), sprig.floor("1.8"), sprig.round(1.2345, 2)]', want: [2.5, 1, 2, 1, 1.23] },
    { name: 'int, int64, float64, atoi are lenient (cast): errors are 0', input: '[sprig.int("12"), sprig.int("3.7"), sprig.int("0x10"), sprig.int("x"), sprig.int64(3.9), sprig.float64("1.5"), sprig.atoi("x")]', want: [12n, 3n, 16n, 0n, 3n, 1.5, 0n] },
    { name: 'seq, until, untilStep', input: '[sprig.seq(3), sprig.seq(2, 4), sprig.until(3), sprig.untilStep(0, 10, 4)]', want: ['1 2 3', '2 3 4', [0n, 1n, 2n], [0n, 4n, 8n]] },
    { name: 'default, empty, coalesce, ternary', input: '[sprig.default("d", ""), sprig.default("d", "v"), sprig.empty(0), sprig.coalesce("", nil, "x"), sprig.ternary("a", "b", false)]', want: ['d', 'v', true, 'x', 'b'] },
    { name: 'all, any', input: '[sprig.all(1, "a"), sprig.all(1, ""), sprig.any(0, "", "x")]', want: [true, false, true] },
    { name: 'fromJson, toJson, toPrettyJson, toRawJson', input: '[sprig.fromJson("{\\"a\\": 1}").a, sprig.toJson({a: "<"}), sprig.toRawJson({a: "<"}), sprig.fromJson("bad")]', want: [1, '{"a":"\\u003c"}', '{"a":"<"}', null] },
    { name: 'typeOf, kindOf, typeIs, kindIs, deepEqual', input: '[sprig.typeOf(1), sprig.typeOf("a"), sprig.kindOf([1]), sprig.typeIs("string", "a"), sprig.kindIs("map", {}), sprig.deepEqual([1], [1])]', want: ['int', 'string', 'slice', true, true, true] },
  ], (input, want, name) => assert.deepStrictEqual(ev(input), want, name));

  it('div by zero is an error, as the Go panic', () => {
    expectError(() => ev('sprig.div(1, 0)'), 'WEFT_E_EXPR', /divide by zero/);
  });
});

describe('sprig lists, dicts, regexps, paths, dates', () => {
  table<string, unknown>([
    { name: 'list, first, last, rest, initial, reverse', input: 'let l = sprig.list(1, 2, 3); [sprig.first(l), sprig.last(l), sprig.rest(l), sprig.initial(l), sprig.reverse(l)]', want: [1n, 3n, [2n, 3n], [1n, 2n], [3n, 2n, 1n]] },
    { name: 'append, prepend, concat, uniq, without, has, compact, slice', input: '[sprig.append([1], 2), sprig.prepend([1], 0), sprig.concat([1], [2]), sprig.uniq([1, 1, 2]), sprig.without([1, 2, 3], 2), sprig.has(2, [1, 2]), sprig.compact([0, 1, "", "a"]), sprig.slice([1, 2, 3], 1)]', want: [[1n, 2n], [0n, 1n], [1n, 2n], [1n, 2n], [1n, 3n], true, [1n, 'a'], [2n, 3n]] },
    { name: 'chunk, sortAlpha', input: '[sprig.chunk(2, [1, 2, 3]), sprig.sortAlpha(["b", "a", 10])]', want: [[[1n, 2n], [3n]], ['10', 'a', 'b']] },
    { name: 'dict, get (missing is ""), hasKey, keys, values, pick, omit', input: 'let d = sprig.dict("a", 1, "b", 2); [sprig.get(d, "a"), sprig.get(d, "z"), sprig.hasKey(d, "b"), sprig.keys(d), sprig.values(d), sprig.pick(d, "a"), sprig.omit(d, "a")]', want: [1n, '', true, ['a', 'b'], [1n, 2n], { a: 1n }, { b: 2n }] },
    { name: 'set, unset, merge, mergeOverwrite, dig, pluck', input: '[sprig.set({}, "a", 1), sprig.unset({a: 1, b: 2}, "a"), sprig.merge({a: 1}, {a: 2, b: 3}), sprig.mergeOverwrite({a: 1}, {a: 2}), sprig.dig("x", "y", "d", {x: {y: 5}}), sprig.dig("x", "z", "d", {x: {}}), sprig.pluck("a", {a: 1}, {b: 2})]', want: [{ a: 1n }, { b: 2n }, { a: 1n, b: 3n }, { a: 2n }, 5n, 'd', [1n]] },
    { name: 'regexMatch, regexFind, regexFindAll, regexReplaceAll ($1 and ${name}), literal, split, quoteMeta', input: '[sprig.regexMatch("^[a-z]+\\\\d$", "abc1"), sprig.regexFind("l+", "hello"), sprig.regexFindAll("[0-9]", "a1b2c3", 2), sprig.regexReplaceAll("a(?P<x>b)", "abab", "${x}-$1"), sprig.regexReplaceAllLiteral("b", "abab", "$1"), sprig.regexSplit(",", "a,b,c", -1), sprig.regexQuoteMeta("a.b")]', want: [true, 'll', ['1', '2'], 'b-bb-b', 'a$1a$1', ['a', 'b', 'c'], 'a\\.b'] },
    { name: 'regexMatch with an invalid pattern is false, mustRegexMatch an error', input: 'sprig.regexMatch("(", "x")', want: false },
    { name: 'base, dir, clean, ext, isAbs (path package)', input: '[sprig.base("/a/b.txt"), sprig.dir("/a/b.txt"), sprig.clean("/a/../b//c/."), sprig.ext("x.tar.gz"), sprig.isAbs("/a")]', want: ['b.txt', '/a', '/b/c', '.gz', true] },
    { name: 'date with a Go layout, from the caller clock', input: '[sprig.date("2006-01-02 15:04:05 Mon Jan", now()), sprig.htmlDate(now()), sprig.date("06/1/2 3:04PM", 0)]', want: ['2024-02-29 13:04:05 Thu Feb', '2024-02-29', '70/1/1 12:00AM'] },
    { name: 'duration(seconds) and unixEpoch', input: '[sprig.duration("95"), sprig.unixEpoch(now())]', want: ['1m35s', '1709211845'] },
  ], (input, want, name) => assert.deepStrictEqual(ev(input), want, name));

  it('first of a non-list panics like sprig (an error)', () => {
    expectError(() => ev('sprig.first(1)'), 'WEFT_E_EXPR', /Cannot find first on type int/);
    expectError(() => ev('sprig.mustRegexMatch("(", "x")'), 'WEFT_E_EXPR', /error parsing regexp/);
  });

  it('omitted functions say so rather than guessing', () => {
    expectError(() => ev('sprig.uuidv4()'), 'WEFT_E_EXPR', /unknown function sprig.uuidv4/);
  });
});
