// The commit serializer reuses the text of nodes a commit does not name as changed: its
// output must always equal JSON.stringify of the object, whatever the sequence of edits,
// as long as every edited node is named (which is the runtime's contract).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { actionJson, WorkflowSerializer } from '../../core/store/serialize.js';
import { applyEdit, edits, newEditedWorkflow } from './edits.js';

test('serialize equals JSON.stringify after any sequence of named edits', () => {
  fc.assert(
    fc.property(edits, (list) => {
      const s = new WorkflowSerializer();
      const wf = newEditedWorkflow();
      assert.equal(s.serialize(wf, undefined), JSON.stringify(wf));
      for (const e of list) {
        const changed = applyEdit(wf, e);
        assert.equal(s.serialize(wf, changed), JSON.stringify(wf));
      }
    }),
    { numRuns: 300 },
  );
});

test('undefined changedNodes re-serializes everything, a new spec object is serialized again', () => {
  const s = new WorkflowSerializer();
  const node = { id: 'a', phase: 'Running' };
  const wf = { spec: { a: 1 }, status: { nodes: { a: node } } };
  assert.equal(s.serialize(wf, []), JSON.stringify(wf));
  node.phase = 'Succeeded'; // edited without being named:
  assert.notEqual(s.serialize(wf, []), JSON.stringify(wf)); // the contract was broken, the old text stays
  assert.equal(s.serialize(wf, undefined), JSON.stringify(wf));
  const wf2 = { ...wf, spec: { a: 2 } };
  assert.equal(s.serialize(wf2, []), JSON.stringify(wf2));
  assert.equal(s.serialize({ kind: 'W', status: { phase: 'x' } }, undefined), JSON.stringify({ kind: 'W', status: { phase: 'x' } }));
});

test('actionJson equals JSON.stringify for small and large templates, shared or not', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 3000 }), fc.option(fc.string(), { nil: undefined }), (script, prefix) => {
      const template = { name: 't', script: { image: 'alpine', source: script } };
      for (let i = 0; i < 2; i++) {
        const action = { type: 'start', id: `start:n${i}`, nodeId: `n${i}`, template, artifactKeyPrefix: prefix, onExit: false };
        assert.equal(actionJson(action), JSON.stringify(action));
      }
    }),
  );
  const noTemplate = { type: 'kill', id: 'kill:n', nodeId: 'n', reason: 'x' };
  assert.equal(actionJson(noTemplate), JSON.stringify(noTemplate));
});
