// Properties of core/expr over generated input: the parsers and evaluators fail only with
// UserErrors, text without tags is untouched, substitution inserts values verbatim, and
// numbers survive formatting the way Go prints them.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { evaluateExpr, evaluateWhen, expressionEnv, formatGoValue, formatResult, substitute } from '../../core/expr/index.js';
import { UserError } from '../../core/spec/errors.js';

const ENV = expressionEnv({ 'inputs.parameters.x': '3', 'steps.a.outputs.result': '[1,2]', item: 'i' });

const EXPR_PIECES = [
  '1', '2.5', '"s"', "'t'", 'nil', 'true', 'inputs', '.', 'parameters', 'x', '[', ']', '(', ')', '{', '}', ',', ':', '?', '??', '?.',
  '+', '-', '*', '/', '%', '**', '==', '!=', '<', '>=', '&&', '||', '!', 'not', 'in', 'matches', '..', '#', 'let', '=', ';', 'map', 'filter',
  'asInt', 'sprig', 'trim', 'len', 'steps', 'a', 'outputs', 'result', 'fromJSON', ' ', '|', 'upper', '`', '\\', '#index', 'if', 'else',
];

const exprLike = fc.array(fc.constantFrom(...EXPR_PIECES), { maxLength: 25 }).map((parts) => parts.join(' '));
const anyText = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), exprLike);

function onlyUserErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UserError, `not a UserError: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
}

it('evaluateExpr fails only with a UserError, whatever the input', () => {
  fc.assert(fc.property(anyText, (src) => onlyUserErrors(() => evaluateExpr(src, ENV))), { numRuns: 3000 });
});

it('evaluateWhen fails only with a UserError, whatever the input', () => {
  const whenPieces = fc.array(fc.constantFrom('a', 'heads', '1', '2.5', '"q"', "'x'", '(', ')', '==', '!=', '<', '&&', '||', '!', '-', '+', '=~', 'in', ',', '?', ':', '??', 'true', 'A.B', '[v]', '0x1', '\\'), { maxLength: 20 });
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 40 }), whenPieces.map((p) => p.join(' '))), (src) => onlyUserErrors(() => evaluateWhen(src))), { numRuns: 3000 });
});

it('substitute fails only with a UserError, whatever the input', () => {
  const tagged = fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constant('{{'), fc.constant('}}'), fc.constant('{{='), exprLike), { maxLength: 8 }).map((p) => p.join(''));
  fc.assert(fc.property(tagged, fc.boolean(), (text, allowUnresolved) => onlyUserErrors(() => substitute(text, { 'inputs.parameters.x': '3' }, { allowUnresolved }))), { numRuns: 2000 });
});

it('substitute is the identity on text without {{', () => {
  fc.assert(fc.property(fc.string(), (s) => {
    fc.pre(!s.includes('{{'));
    return substitute(s, {}) === s;
  }));
});

it('a simple tag is replaced by its value, verbatim', () => {
  fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (before, value, after) => {
    fc.pre(!before.includes('{') && !after.includes('{{'));
    return substitute(`${before}{{ v }}${after}`, { v: value }) === `${before}${value}${after}`;
  }));
});

it('floats round-trip through formatResult (json.Marshal) and formatGoValue (%v), like Go', () => {
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
    assert.ok(Object.is(Number(formatResult(d)), d), formatResult(d));
    assert.ok(Object.is(Number(formatGoValue(d)), d), formatGoValue(d));
  }));
});

it('ints round-trip through formatResult and evaluate back to themselves', () => {
  fc.assert(fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (i) => {
    assert.equal(BigInt(formatResult(i)), i);
    if (i >= 0n) assert.equal(evaluateExpr(formatResult(i), {}), i);
  }));
});

it('integer arithmetic matches 64-bit two\'s complement', () => {
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }), (a, b) => {
    assert.equal(evaluateExpr(`${a} + ${b}`, {}), BigInt.asIntN(64, a + b));
    assert.equal(evaluateExpr(`${a} * ${b}`, {}), BigInt.asIntN(64, a * b));
  }));
});
