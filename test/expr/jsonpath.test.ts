// jsonpath(json, path) as Argo's env provides it (evilmonkeyinc/jsonpath v0.8.1): rows from
// Argo's examples and from that library's consensus table (test/README.md).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateExpr, expressionEnv } from '../../core/expr/index.js';
import { expectError, table } from './expr-fixtures.js';

const STORE = JSON.stringify({
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553', price: 8.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  'two.some': '42',
});

function query(json: string, path: string): unknown {
  return evaluateExpr('jsonpath(doc, path)', expressionEnv({ doc: json, path }));
}

describe('jsonpath', () => {
  table<{ json: string; path: string }, unknown>([
    { name: 'expression-destructure-json.yaml: $.a', input: { json: '{"a": 1, "b": 2}', path: '$.a' }, want: 1 },
    { name: "conditionals.yaml: $[0].value", input: { json: '[{"value": "true"}]', path: '$[0].value' }, want: 'true' },
    { name: 'child keys', input: { json: STORE, path: '$.store.bicycle.color' }, want: 'red' },
    { name: "bracket key with a dot: $['two.some']", input: { json: STORE, path: "$['two.some']" }, want: '42' },
    { name: 'index and negative index', input: { json: STORE, path: '$.store.book[-1].title' }, want: 'Moby Dick' },
    { name: 'wildcard maps the rest over the elements', input: { json: STORE, path: '$.store.book[*].author' }, want: ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville'] },
    { name: 'dot wildcard on a map (sorted keys)', input: { json: '{"b": 2, "a": 1}', path: '$.*' }, want: [1, 2] },
    { name: 'union of indices', input: { json: '["a", "b", "c"]', path: '$[0,2]' }, want: ['a', 'c'] },
    { name: 'union of keys', input: { json: '{"a": 1, "b": 2, "c": 3}', path: "$['a','c']" }, want: [1, 3] },
    { name: 'range with step', input: { json: '["first", "second", "third", "forth", "fifth"]', path: '$[0:3:2]' }, want: ['first', 'third'] },
    { name: 'range with negative start', input: { json: '["first", "second", "third"]', path: '$[-2:]' }, want: ['second', 'third'] },
    { name: 'filter with a comparison', input: { json: STORE, path: '$.store.book[?(@.price < 10)].title' }, want: ['Sayings', 'Moby Dick'] },
    { name: 'filter on existence', input: { json: STORE, path: '$.store.book[?(@.isbn)].title' }, want: ['Moby Dick'] },
    { name: 'filter with a regexp', input: { json: STORE, path: "$.store.book[?(@.author =~ 'M.*')].price" }, want: [8.99] },
    { name: 'filter compares against the root', input: { json: '{"limit": 10, "xs": [{"v": 5}, {"v": 15}]}', path: '$.xs[?(@.v > $.limit)].v' }, want: [15] },
    { name: 'an index after a filter indexes the filtered list', input: { json: STORE, path: "$.store.book[?(@.category == 'fiction')][0].title" }, want: 'Sword' },
    { name: 'script index: last element', input: { json: '[1, 2, 3]', path: '$[(@.length-1)]' }, want: 3 },
    { name: 'length', input: { json: '[1, 2, 3]', path: '$.length' }, want: 3n },
    { name: 'recursive descent', input: { json: STORE, path: '$..price' }, want: [19.95, 8.95, 12.99, 8.99] },
    { name: 'whole document', input: { json: '{"a": [1]}', path: '$' }, want: { a: [1] } },
  ], ({ json, path }, want, name) => assert.deepStrictEqual(query(json, path), want, name));

  it('a missing key or index is an error (Argo panics inside jsonpath)', () => {
    expectError(() => query('{"a": 1}', '$.b'), 'WEFT_E_EXPR', /'b' key not found/);
    expectError(() => query('[1]', '$[3]'), 'WEFT_E_EXPR', /out of range/);
    expectError(() => query('not json', '$'), 'WEFT_E_EXPR', /jsonpath/);
    expectError(() => query('{}', 'a.b'), 'WEFT_E_EXPR', /must start with \$/);
  });
});
