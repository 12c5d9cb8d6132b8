// Header names as Go shows them to successCondition (textproto.CanonicalMIMEHeaderKey).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalHeaderKey, templateRequestHeaders, toGoHeader } from '../../../core/executors/http/index.js';

const canonical: Array<[string, string]> = [
  ['x-kit', 'X-Kit'],
  ['content-type', 'Content-Type'],
  ['CONTENT-TYPE', 'Content-Type'],
  ['etag', 'Etag'],
  ['www-authenticate', 'Www-Authenticate'],
  ['x-amz-meta-a1', 'X-Amz-Meta-A1'],
  ['x--double', 'X--Double'],
  ['-leading', '-Leading'],
  ['already-Canonical', 'Already-Canonical'],
  ['with space', 'with space'], // Go leaves names with non-token bytes alone
  ['bad:colon', 'bad:colon'],
  ['ünicode', 'ünicode'],
];

for (const [input, want] of canonical) {
  test(`canonicalHeaderKey(${JSON.stringify(input)}) is ${JSON.stringify(want)}`, () => {
    assert.equal(canonicalHeaderKey(input), want);
  });
}

test('toGoHeader: lower-case names become canonical, every value a list, repeats kept in order', () => {
  assert.deepEqual(
    { ...toGoHeader({
      'x-kit': 'conformance',
      'set-cookie': ['a=1', 'b=2'],
      'content-type': 'application/json',
      'transfer-encoding': 'chunked', // Go keeps it out of Response.Header
      skipped: undefined,
    }) },
    { 'X-Kit': ['conformance'], 'Set-Cookie': ['a=1', 'b=2'], 'Content-Type': ['application/json'] },
  );
});

test('templateRequestHeaders: as Argo ToHeader, secret-sourced headers are left out', () => {
  const headers = templateRequestHeaders([
    { name: 'x-header-name', value: 'test-value' },
    { name: 'Authorization', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
  ]);
  assert.deepEqual({ ...headers }, { 'x-header-name': ['test-value'], 'X-Header-Name': ['test-value'] });
});

test('templateRequestHeaders: the last header of a name wins, one value each (Argo assigns, not appends)', () => {
  assert.deepEqual({ ...templateRequestHeaders([{ name: 'X-A', value: '1' }, { name: 'X-A', value: '2' }]) }, { 'X-A': ['2'] });
});

test('toGoHeader: a __proto__ header is a key, not a prototype', () => {
  const headers = toGoHeader(Object.fromEntries([['__proto__', 'x'], ['x-a', '1']])); // own __proto__ key, as parsed off the wire
  assert.equal(Object.getPrototypeOf(headers), null);
  assert.deepEqual(Object.keys(headers).sort(), ['X-A', '__proto__']);
});
