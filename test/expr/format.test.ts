// Go's two ways of printing a value, as Argo uses them: json.Marshal for {{=...}} results
// (formatResult) and fmt %v for valueFrom.expression outputs and string() (formatGoValue).
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { formatGoValue, formatResult, GoDuration } from '../../core/expr/index.js';
import { expectError, table } from './expr-fixtures.js';
import { it } from 'node:test';

describe('formatResult (json.Marshal, string quotes dropped)', () => {
  table<unknown, string>([
    { name: 'int 3', input: 3n, want: '3' },
    { name: 'float 1.5', input: 1.5, want: '1.5' },
    { name: 'float 3.0 prints as 3', input: 3, want: '3' },
    { name: 'large float 1e6 in full', input: 1e6, want: '1000000' },
    { name: 'float from 1e21 in exponent form', input: 1e21, want: '1e+21' },
    { name: 'small float below 1e-6 in exponent form', input: 1e-7, want: '1e-7' },
    { name: 'negative zero', input: -0, want: '-0' },
    { name: 'true', input: true, want: 'true' },
    { name: 'a string as it is', input: 'a "quoted" <b>', want: 'a "quoted" <b>' },
    { name: 'a list', input: [1n, 'a', null], want: '[1,"a",null]' },
    { name: 'a map with sorted keys', input: { b: 1n, a: [] }, want: '{"a":[],"b":1}' },
    { name: 'HTML characters escaped inside structures', input: ['<&>'], want: '["\\u003c\\u0026\\u003e"]' },
    { name: 'a time as RFC3339Nano without quotes', input: new Date('2024-01-02T03:04:05.5Z'), want: '2024-01-02T03:04:05.5Z' },
    { name: 'a duration as nanoseconds', input: new GoDuration(1500n), want: '1500' },
  ], (input, want) => assert.equal(formatResult(input), want));

  it('nil, NaN and functions are errors', () => {
    expectError(() => formatResult(null), 'WEFT_E_EXPR', /nil/);
    expectError(() => formatResult(Number.NaN), 'WEFT_E_EXPR', /unsupported value: NaN/);
    expectError(() => formatResult(() => 1), 'WEFT_E_EXPR', /unsupported type/);
  });
});

describe('formatGoValue (fmt %v)', () => {
  table<unknown, string>([
    { name: 'int', input: 3n, want: '3' },
    { name: 'float 1.5', input: 1.5, want: '1.5' },
    { name: 'float 3.0', input: 3, want: '3' },
    { name: 'float 1e6 is 1e+06', input: 1e6, want: '1e+06' },
    { name: 'float 123456 stays fixed', input: 123456, want: '123456' },
    { name: 'float 1234567 is 1.234567e+06', input: 1234567, want: '1.234567e+06' },
    { name: 'float 0.0001 fixed, 0.00001 exponent', input: [0.0001, 0.00001], want: '[0.0001 1e-05]' },
    { name: 'infinities and NaN', input: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN], want: '[+Inf -Inf NaN]' },
    { name: 'nil', input: null, want: '<nil>' },
    { name: 'map', input: { b: 'x', a: 1n }, want: 'map[a:1 b:x]' },
    { name: 'time', input: new Date('2024-01-02T03:04:05Z'), want: '2024-01-02 03:04:05 +0000 UTC' },
    { name: 'duration', input: new GoDuration(3_723_500_000_000n), want: '1h2m3.5s' },
    { name: 'sub-second durations', input: [new GoDuration(1500n), new GoDuration(2_500_000n), new GoDuration(0n)], want: '[1.5µs 2.5ms 0s]' },
  ], (input, want) => assert.equal(formatGoValue(input), want));
});
