// The memory store's snapshots (core/store/snapshot.ts) must serialize to exactly the text
// JSON.stringify gave for the original when the copy was made, whatever the value, and be
// untouched by later changes to the original.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { actionSnapshot, jsonSnapshot, materialize, WorkflowSnapshot } from '../../core/store/snapshot.js';
import { applyEdit, edits, newEditedWorkflow } from './edits.js';

/** JSON.stringify's outcome: its text, or the class of what it threw. */
function outcome(fn: () => unknown): string {
  try {
    return `text:${JSON.stringify(fn())}`;
  } catch (err) {
    return `throws:${(err as Error).constructor.name}`;
  }
}

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
  key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'toJSON', 'constructor', '0', '1', '-1')),
});

test('jsonSnapshot serializes as JSON.stringify does, or throws as it does, for any value', () => {
  fc.assert(
    fc.property(anything, (value) => {
      const expected = outcome(() => value);
      assert.equal(outcome(() => jsonSnapshot(value)), expected);
    }),
    { numRuns: 2000 },
  );
});

test('jsonSnapshot: the cases JSON treats specially', () => {
  const parsedProto = JSON.parse('{"__proto__":{"x":1},"a":[1,2]}') as unknown;
  const withGetter = { get g() { return 'got'; }, v: 1 };
  const keyed = { inner: { toJSON: (key: string) => `key=${key}` }, list: [{ toJSON: (key: string) => `key=${key}` }] };
  const cases: Array<[string, unknown]> = [
    ['NaN, Infinity, -0', { a: NaN, b: -Infinity, c: -0, d: [NaN] }],
    ['undefined, functions, symbols', { a: undefined, f: () => 1, s: Symbol('s'), list: [undefined, () => 1, Symbol('t')] }],
    ['holes', [1, , 3]], // eslint-disable-line no-sparse-arrays
    ['Dates', { at: new Date('2025-01-01T00:00:00.000Z'), bad: new Date(Number.NaN) }],
    ['an own __proto__ key', parsedProto],
    ['getters', withGetter],
    ['toJSON gets its key', keyed],
    ['boxed primitives', { n: Object(1), s: Object('x'), b: Object(false) }],
    ['Map, Set, class instance', { m: new Map([[1, 2]]), s: new Set([1]), c: new (class { x = 1; })() }],
    ['null prototype', Object.assign(Object.create(null) as object, { a: 1 })],
    ['integer-like keys reorder', { b: 1, 2: 'two', a: 3, 1: 'one' }],
    ['deep (past the copy depth)', Array.from({ length: 400 }).reduce<unknown>((inner) => ({ inner }), 'leaf')],
  ];
  for (const [name, value] of cases) assert.equal(JSON.stringify(jsonSnapshot(value)), JSON.stringify(value), name);
  const own = jsonSnapshot(parsedProto) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(own), Object.prototype, 'an own __proto__ key does not become the prototype');
  assert.ok(Object.prototype.hasOwnProperty.call(own, '__proto__'));

  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = { back: cyclic };
  assert.throws(() => jsonSnapshot(cyclic), TypeError);
  assert.throws(() => jsonSnapshot({ n: 10n }), TypeError);
});

test('a snapshot does not change when the original does', () => {
  const original = { phase: 'Running', children: ['a'], outputs: { parameters: [{ name: 'p', value: '1' }] } };
  const snapshot = jsonSnapshot(original);
  const text = JSON.stringify(snapshot);
  original.phase = 'Succeeded';
  original.children.push('b');
  original.outputs.parameters[0].value = '2';
  assert.equal(JSON.stringify(snapshot), text);
  const read = materialize<typeof original>(snapshot);
  read.children.push('c'); // a read is a fresh value too
  assert.equal(JSON.stringify(snapshot), text);
});

test('WorkflowSnapshot.json equals JSON.stringify of the workflow after any sequence of named edits', () => {
  fc.assert(
    fc.property(edits, (list) => {
      const s = new WorkflowSnapshot();
      const wf = newEditedWorkflow();
      s.prepare(wf, undefined)();
      assert.equal(s.json(), JSON.stringify(wf));
      for (const e of list) {
        const changed = applyEdit(wf, e);
        const before = s.json();
        const apply = s.prepare(wf, changed);
        assert.equal(s.json(), before, 'prepare changes nothing');
        apply();
        assert.equal(s.json(), JSON.stringify(wf));
      }
    }),
    { numRuns: 300 },
  );
});

test('WorkflowSnapshot: a prepare that throws changes nothing; invalidate makes the next copy whole', () => {
  const s = new WorkflowSnapshot();
  const node: Record<string, unknown> = { id: 'a', phase: 'Running' };
  const wf = { spec: { a: 1 }, status: { nodes: { a: node } } };
  s.prepare(wf, undefined)();
  const stored = s.json();
  node.bad = 1n;
  assert.throws(() => s.prepare(wf, ['a']), TypeError);
  assert.equal(s.json(), stored);
  delete node.bad;
  node.phase = 'Succeeded'; // edited without being named:
  s.prepare(wf, [])();
  assert.equal(s.json(), stored, 'the contract was broken, the old copy stays');
  s.invalidate();
  s.prepare(wf, [])();
  assert.equal(s.json(), JSON.stringify(wf));
  // Not the usual shape: copied as a whole, every time.
  for (const odd of [{ kind: 'W', status: { phase: 'x' } }, { status: { nodes: [1, 2] } }, { status: null }, { status: { nodes: new Map() } }]) {
    s.prepare(odd, [])();
    assert.equal(s.json(), JSON.stringify(odd));
  }
});

test('actionSnapshot equals JSON for small and large templates, shared or not', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 3000 }), fc.option(fc.string(), { nil: undefined }), (script, prefix) => {
      const template = { name: 't', script: { image: 'alpine', source: script } };
      for (let i = 0; i < 2; i++) {
        const action = { type: 'start', id: `start:n${i}`, nodeId: `n${i}`, template, artifactKeyPrefix: prefix, onExit: false };
        assert.equal(JSON.stringify(actionSnapshot(action)), JSON.stringify(action));
      }
    }),
  );
  const noTemplate = { type: 'kill', id: 'kill:n', nodeId: 'n', reason: 'x' };
  assert.equal(JSON.stringify(actionSnapshot(noTemplate)), JSON.stringify(noTemplate));
});
