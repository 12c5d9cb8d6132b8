// `when` conditions as Argo's shouldExecute evaluates them with govaluate. Rows are the
// substituted conditions of Argo's examples and docs (conditionals.md, coinflip,
// fibonacci-seq-conditional-param.yaml, ...) plus govaluate's corner cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateWhen } from '../../core/expr/index.js';
import { expectError, table } from './expr-fixtures.js';

describe('when: Argo examples', () => {
  table<string, boolean>([
    { name: 'coinflip.yaml: {{steps.flip-coin.outputs.result}} == heads (heads)', input: 'heads == heads', want: true },
    { name: 'coinflip.yaml: {{steps.flip-coin.outputs.result}} == tails (heads)', input: 'heads == tails', want: false },
    { name: 'conditionals-complex.yaml: heads && tails || tails && tails', input: '( heads == heads &&\n  tails == tails\n) ||\n( heads == tails &&\n  tails == tails )', want: true },
    { name: 'conditionals-complex.yaml: =~ hea', input: 'heads =~ hea', want: true },
    { name: 'conditionals-complex.yaml: =~ tai', input: 'heads =~ tai', want: false },
    { name: 'conditionals.yaml: {{inputs.parameters.should-print}} == true', input: 'true == true', want: true },
    { name: 'conditionals.yaml: should-print=false', input: 'false == true', want: false },
    { name: 'conditionals.yaml: expr form already substituted to true', input: 'true', want: true },
    { name: 'fibonacci-seq-conditional-param.yaml: 5 != 1 && 5 != 2', input: '5 != 1 && 5 != 2', want: true },
    { name: 'fibonacci-seq-conditional-param.yaml: 2 != 1 && 2 != 2', input: '2 != 1 && 2 != 2', want: false },
    { name: 'loops-maps.yaml style: {{item.evenness}} == even', input: 'even == even', want: true },
    { name: 'retry-with-steps: {{steps.flakey-container.status}} == Failed', input: 'Succeeded == Failed', want: false },
    { name: 'exit-handlers.yaml: {{workflow.status}} != Succeeded', input: 'Failed != Succeeded', want: true },
    { name: 'suspend-template: {{steps.approval.outputs.parameters.approve}} == YES', input: 'YES == YES', want: true },
    { name: 'loops recursion: {{steps.iterate-counter.outputs.result}} < {{inputs.parameters.limit}}', input: '3 < 10', want: true },
    { name: 'numbers compare numerically, not as text', input: '10 > 9', want: true },
    { name: 'quoted strings: "{{...}}" != ""', input: '"abc" != ""', want: true },
    { name: 'empty quoted strings compare equal', input: "'' == \"\"", want: true },
    { name: 'quoted strings with spaces', input: '"hello world" == "hello world"', want: true },
    { name: 'string ordering with < on two strings', input: '"abc" < "abd"', want: true },
    { name: '! on a parenthesised clause', input: '!(a == b)', want: true },
    { name: 'in over a parenthesised list', input: 'foo in (bar, foo)', want: true },
    { name: 'in: no match', input: 'foo in (bar, baz)', want: false },
    { name: '!~ is the negated regexp match', input: 'heads !~ "^t"', want: true },
    { name: 'regexp with RE2 syntax: (?i) flag', input: "HEADS =~ '(?i)^heads$'", want: true },
    { name: 'ternary ? :', input: '(1 < 2 ? yes : no) == yes', want: true },
    { name: 'arithmetic is float64', input: '7 / 2 == 3.5', want: true },
    { name: '+ concatenates when a side is a string', input: 'a + 1 == a1', want: true },
    { name: 'negative numbers after a comparator are prefixes', input: '-5 < -3', want: true },
    { name: 'dates in quotes compare as times (govaluate TIME)', input: "'2021-01-01' < '2021-06-01'", want: true },
    { name: 'date and datetime forms of the same instant are equal', input: "'2021-01-01' == '2021-01-01 00:00'", want: true },
    { name: 'hex numbers', input: '0x10 == 16', want: true },
    { name: 'an empty condition executes', input: '', want: true },
    { name: 'backslash escapes the next character of a bare word', input: 'a\\ b == "a b"', want: true },
    { name: 'booleans are not strings', input: 'true == "true"', want: false },
    { name: '&& short-circuits before checking the right side', input: 'false && "x"', want: false },
    { name: 'bitwise operators on numbers', input: '(6 & 3) == 2', want: true },
  ], (input, want) => assert.equal(evaluateWhen(input), want));
});

describe('when: errors as Argo reports them', () => {
  table<string, RegExp>([
    { name: 'a hyphenated bare word is a subtraction (tails-head == tails-head)', input: 'tails-head == tails-head', want: /Failed to evaluate 'when' expression 'tails-head == tails-head': Value 'tails' cannot be used with the modifier '-', it is not a number/ },
    { name: 'a bare word with a dot is an accessor of an unexported field', input: 'example.com == example.com', want: /Invalid 'when' expression .*Unable to access unexported field 'com' in token 'example.com'/ },
    { name: 'an accessor with a capital letter needs a parameter', input: 'Foo.Bar == x', want: /Failed to evaluate .*No parameter 'Foo' found/ },
    { name: 'two bare words in a row', input: 'hello world == hello world', want: /Cannot transition token types from VARIABLE \[hello\] to VARIABLE \[world\] \(at 1:7\)/ },
    { name: 'an unsubstituted {{tag}} is an invalid token with Argo\'s hint', input: '{{x}} == y', want: /Invalid token: '\{\{'.*hint: try wrapping the affected expression in quotes/ },
    { name: 'a non-bool result', input: 'heads', want: /Expected boolean evaluation for 'heads'. Got heads/ },
    { name: '! before a bare word (Argo makes it a string, govaluate forbids that)', input: '!heads', want: /Failed to parse 'when' expression '!heads': Cannot transition token types from PREFIX \[!\] to STRING \[heads\]/ },
    { name: 'unbalanced parenthesis', input: '(a == a', want: /Unbalanced parenthesis/ },
    { name: 'unclosed string', input: "a == 'b", want: /Unclosed string literal/ },
    { name: 'comparing a string with a number using <', input: 'abc < 3', want: /Value 'abc' cannot be used with the comparator '<', it is not a number/ },
    { name: '&& on strings', input: 'a && b', want: /Value 'a' cannot be used with the logical operator '&&', it is not a bool/ },
    { name: 'an expression that ends with an operator', input: 'a ==', want: /Unexpected end of expression/ },
    { name: 'only white space', input: '   ', want: /Unexpected end of expression/ },
    { name: 'a function call', input: 'len(a) > 1', want: /Undefined function len/ },
    { name: 'in needs a list', input: 'a in (b)', want: /cannot be used with the comparator 'in'/ },
    { name: 'an invalid regexp', input: "a =~ '('", want: /missing closing \)|error parsing regexp/ },
  ], (input, want) => {
    expectError(() => evaluateWhen(input, 'spec.templates[0].steps[1][0].when'), 'WEFT_E_WHEN', want);
  });

  it('carries the field path', () => {
    const err = expectError(() => evaluateWhen('heads', 'spec.templates[0].steps[1][0].when'), 'WEFT_E_WHEN');
    assert.equal(err.path, 'spec.templates[0].steps[1][0].when');
  });
});
