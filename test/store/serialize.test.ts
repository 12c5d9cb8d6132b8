// The commit serializer reuses the text of nodes a commit does not name as changed: its
// output must always equal JSON.stringify of the object, whatever the sequence of edits,
// as long as every edited node is named (which is the runtime's contract).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { actionJson, WorkflowSerializer } from '../../core/store/serialize.js';

type Edit = { kind: 'add' | 'edit' | 'status' | 'replace-nodes'; node: number; value: string };

const edit = fc.record({
  kind: fc.constantFrom<Edit['kind']>('add', 'add', 'edit', 'edit', 'edit', 'status', 'replace-nodes'),
  node: fc.nat(300),
  value: fc.string({ maxLength: 6 }),
});

test('serialize equals JSON.stringify after any sequence of named edits', () => {
  fc.assert(
    fc.property(fc.array(edit, { maxLength: 80 }), (edits) => {
      const s = new WorkflowSerializer();
      const spec = { entrypoint: 'main', templates: [{ name: 'main' }] };
      const wf: Record<string, unknown> = { apiVersion: 'v1', metadata: { name: 'x' }, spec, status: { phase: 'Running', nodes: {} as Record<string, unknown> } };
      const status = wf.status as { phase: string; nodes: Record<string, { id: string; phase: string; children?: string[] }>; message?: string };
      assert.equal(s.serialize(wf, undefined), JSON.stringify(wf));
      for (const e of edits) {
        const ids = Object.keys(status.nodes);
        const changed: string[] = [];
        if (e.kind === 'add' || ids.length === 0) {
          const id = `n${e.node}`;
          status.nodes[id] ??= { id, phase: 'Pending' };
          changed.push(id);
        } else if (e.kind === 'edit') {
          const id = ids[e.node % ids.length];
          const n = status.nodes[id];
          n.phase = e.value;
          (n.children ??= []).push(e.value);
          changed.push(id);
        } else if (e.kind === 'status') {
          status.message = e.value;
        } else {
          status.nodes = { ...status.nodes }; // a new nodes object: the serializer starts over
        }
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
