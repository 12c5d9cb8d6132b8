// The Store contract (core/store/types.ts), one table run against every implementation:
// memory and SQLite must be interchangeable for the runtime, the server and the CLI.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OperationalError, UserError } from '../../core/spec/errors.js';
import type { Store } from '../../core/store/index.js';
import { FIXED_NOW, commit, expectWeftError, newRun, storeFactories } from './store-fixtures.js';

interface ContractCase {
  name: string;
  run(store: Store): void;
}

const cases: ContractCase[] = [
  {
    name: 'createRun stores the run at resourceVersion 1 with its first actions',
    run(store) {
      const created = store.createRun(newRun('hello', { finishedAt: undefined }), [{ id: 'start:a', action: { kind: 'start' } }]);
      assert.equal(created.resourceVersion, 1);
      assert.equal('finishedAt' in created, false);
      assert.deepEqual(store.getRun('default', 'hello'), { ...newRun('hello'), resourceVersion: 1 });
      assert.deepEqual(store.pendingActions('default', 'hello'), [{ id: 'start:a', action: { kind: 'start' } }]);
    },
  },
  {
    name: 'createRun with a taken namespace/name is WEFT_E_ALREADY_EXISTS; other namespaces are free',
    run(store) {
      store.createRun(newRun('a'));
      const err = expectWeftError(() => store.createRun(newRun('a', { uid: 'other' })), UserError, 'WEFT_E_ALREADY_EXISTS');
      assert.match(err.message, /default\/a/);
      store.createRun(newRun('a', { namespace: 'team', uid: 'other' }));
      assert.equal(store.listRuns().length, 2);
    },
  },
  {
    name: 'createRun with a taken uid is WEFT_E_ALREADY_EXISTS and stores nothing',
    run(store) {
      store.createRun(newRun('a'));
      expectWeftError(() => store.createRun(newRun('b', { uid: 'uid-a' }), [{ id: 'x', action: {} }]), UserError, 'WEFT_E_ALREADY_EXISTS');
      assert.equal(store.getRun('default', 'b'), undefined);
    },
  },
  {
    name: 'getRun and pendingActions of an unknown run are undefined and []',
    run(store) {
      assert.equal(store.getRun('default', 'nope'), undefined);
      assert.deepEqual(store.pendingActions('default', 'nope'), []);
    },
  },
  {
    name: 'commitRun replaces status, bumps the version, adds and completes actions in one step',
    run(store) {
      store.createRun(newRun('w'), [{ id: 'start:a', action: { node: 'a' } }]);
      const wf = { status: { phase: 'Running', nodes: { a: { phase: 'Succeeded' } } } };
      const next = store.commitRun('default', 'w', commit({
        workflow: wf,
        addActions: [{ id: 'start:b', action: { node: 'b' } }],
        doneActionIds: ['start:a'],
        expectedVersion: 1,
      }));
      assert.equal(next.resourceVersion, 2);
      assert.equal(next.workflow, wf, 'a write returns the caller\'s workflow object');
      const stored = store.getRun('default', 'w');
      assert.deepEqual(stored?.workflow, wf);
      assert.equal(stored?.phase, 'Running');
      assert.equal(stored?.resourceVersion, 2);
      assert.deepEqual(store.pendingActions('default', 'w'), [{ id: 'start:b', action: { node: 'b' } }]);
    },
  },
  {
    name: 'commitRun with a stale expectedVersion is WEFT_E_CONFLICT and changes nothing',
    run(store) {
      store.createRun(newRun('w'), [{ id: 'a', action: {} }]);
      store.commitRun('default', 'w', commit({ expectedVersion: 1 }));
      const err = expectWeftError(
        () => store.commitRun('default', 'w', commit({ phase: 'Failed', addActions: [{ id: 'b', action: {} }], doneActionIds: ['a'], expectedVersion: 1 })),
        OperationalError,
        'WEFT_E_CONFLICT',
      );
      assert.match(err.message, /expected resourceVersion 1, found 2/);
      assert.equal(store.getRun('default', 'w')?.phase, 'Running');
      assert.deepEqual(store.pendingActions('default', 'w').map((a) => a.id), ['a']);
    },
  },
  {
    name: 'commitRun without expectedVersion always applies',
    run(store) {
      store.createRun(newRun('w'));
      store.commitRun('default', 'w', commit());
      assert.equal(store.commitRun('default', 'w', commit()).resourceVersion, 3);
    },
  },
  {
    name: 'commitRun on an unknown run is WEFT_E_NOT_FOUND',
    run(store) {
      expectWeftError(() => store.commitRun('default', 'ghost', commit()), UserError, 'WEFT_E_NOT_FOUND');
    },
  },
  {
    name: 'a commit that cannot be serialised throws before writing anything',
    run(store) {
      store.createRun(newRun('w'), [{ id: 'a', action: {} }]);
      assert.throws(() =>
        store.commitRun('default', 'w', commit({ addActions: [{ id: 'b', action: { n: 1n } }], doneActionIds: ['a'] })),
      );
      assert.equal(store.getRun('default', 'w')?.resourceVersion, 1);
      assert.deepEqual(store.pendingActions('default', 'w').map((a) => a.id), ['a']);
    },
  },
  {
    name: 'incremental commits (changedNodes) store what was committed; a failed one loses nothing',
    run(store) {
      store.createRun(newRun('w'));
      const a = { id: 'a', phase: 'Pending' };
      const nodes: Record<string, unknown> = { a };
      const status: Record<string, unknown> = { phase: 'Running', nodes };
      const workflow = { metadata: { name: 'w' }, spec: { entrypoint: 'main' }, status };
      const at = (changedNodes?: string[], expectedVersion?: number) => commit({ workflow, changedNodes, expectedVersion });
      store.commitRun('default', 'w', at(undefined));
      a.phase = 'Running';
      nodes.b = { id: 'b', phase: 'Pending' };
      store.commitRun('default', 'w', at(['a', 'b']));
      assert.deepEqual(store.getRun('default', 'w')?.workflow, JSON.parse(JSON.stringify(workflow)));
      a.phase = 'Succeeded'; // mutated after the commit: the store keeps what it was given
      assert.equal((store.getRun('default', 'w')?.workflow.status as { nodes: Record<string, { phase: string }> }).nodes.a.phase, 'Running');
      // A node that cannot be serialized fails the commit and changes nothing...
      nodes.c = { id: 'c', big: 1n };
      assert.throws(() => store.commitRun('default', 'w', at(['a', 'c'])), TypeError);
      assert.equal(store.getRun('default', 'w')?.resourceVersion, 3);
      // ...as does a stale version; the next commit, naming only what changed since, has it all.
      nodes.c = { id: 'c', phase: 'Pending' };
      expectWeftError(() => store.commitRun('default', 'w', at(['a', 'c'], 1)), OperationalError, 'WEFT_E_CONFLICT');
      status.message = 'later';
      store.commitRun('default', 'w', at([]));
      const stored = store.getRun('default', 'w');
      assert.equal(stored?.resourceVersion, 4);
      assert.deepEqual(stored?.workflow, JSON.parse(JSON.stringify(workflow)));
    },
  },
  {
    name: 'a duplicate action id keeps the first action and its place',
    run(store) {
      store.createRun(newRun('w'), [{ id: 'a', action: { v: 1 } }, { id: 'b', action: {} }]);
      store.commitRun('default', 'w', commit({ addActions: [{ id: 'a', action: { v: 2 } }, { id: 'c', action: {} }, { id: 'c', action: { v: 3 } }] }));
      assert.deepEqual(store.pendingActions('default', 'w'), [
        { id: 'a', action: { v: 1 } },
        { id: 'b', action: {} },
        { id: 'c', action: {} },
      ]);
    },
  },
  {
    name: 'pending actions keep the order they were added across commits; a re-added id goes last',
    run(store) {
      store.createRun(newRun('w'), [{ id: 'x', action: {} }]);
      store.commitRun('default', 'w', commit({ addActions: [{ id: 'y', action: {} }, { id: 'z', action: {} }] }));
      store.commitRun('default', 'w', commit({ doneActionIds: ['x', 'never-added'] }));
      store.commitRun('default', 'w', commit({ addActions: [{ id: 'x', action: { again: true } }] }));
      assert.deepEqual(store.pendingActions('default', 'w').map((a) => a.id), ['y', 'z', 'x']);
    },
  },
  {
    name: 'an id both added and done in one commit ends up done (adds apply before completions)',
    run(store) {
      store.createRun(newRun('w'));
      store.commitRun('default', 'w', commit({ addActions: [{ id: 'a', action: {} }], doneActionIds: ['a'] }));
      assert.deepEqual(store.pendingActions('default', 'w'), []);
    },
  },
  {
    name: 'commitRun sets or clears finishedAt and keeps labels unless given',
    run(store) {
      store.createRun(newRun('w'));
      store.commitRun('default', 'w', commit({ phase: 'Failed', finishedAt: '2025-01-01T00:01:00.000Z' }));
      assert.equal(store.getRun('default', 'w')?.finishedAt, '2025-01-01T00:01:00.000Z');
      assert.deepEqual(store.getRun('default', 'w')?.labels, { app: 'demo' });
      const retried = store.commitRun('default', 'w', commit({ labels: { app: 'demo', retried: 'true' } }));
      assert.equal('finishedAt' in retried, false);
      assert.deepEqual(retried.labels, { app: 'demo', retried: 'true' });
      const stored = store.getRun('default', 'w');
      assert.equal(stored?.finishedAt, undefined);
      assert.deepEqual(stored?.labels, { app: 'demo', retried: 'true' });
    },
  },
  {
    name: 'listRuns: newest first, creation order breaks ties, filters by namespace, phase, labels, limit',
    run(store) {
      store.createRun(newRun('old', { createdAt: '2025-01-01T00:00:00.000Z', phase: 'Succeeded' }));
      store.createRun(newRun('tie1', { createdAt: '2025-01-02T00:00:00.000Z', phase: 'Running', labels: { team: 'x' } }));
      store.createRun(newRun('tie2', { createdAt: '2025-01-02T00:00:00.000Z', phase: 'Failed' }));
      store.createRun(newRun('other', { namespace: 'ops', createdAt: '2025-01-03T00:00:00.000Z' }));
      const names = (q?: Parameters<Store['listRuns']>[0]) => store.listRuns(q).map((r) => r.name);
      assert.deepEqual(names(), ['other', 'tie2', 'tie1', 'old']);
      assert.deepEqual(names({ namespace: 'default' }), ['tie2', 'tie1', 'old']);
      assert.deepEqual(names({ phases: ['Succeeded', 'Failed'] }), ['tie2', 'old']);
      assert.deepEqual(names({ labels: (l) => l.team === 'x' }), ['tie1']);
      assert.deepEqual(names({ limit: 2 }), ['other', 'tie2']);
      assert.deepEqual(names({ namespace: 'default', phases: ['Running', 'Succeeded'], limit: 1 }), ['tie1']);
      assert.deepEqual(names({ limit: 0 }), []);
    },
  },
  {
    name: 'unfinishedRuns: every phase but Succeeded/Failed/Error, oldest first',
    run(store) {
      const phases = ['', 'Pending', 'Running', 'Succeeded', 'Failed', 'Error'];
      phases.forEach((phase, i) => store.createRun(newRun(`r${i}`, { phase, createdAt: `2025-01-0${9 - i}T00:00:00.000Z` })));
      assert.deepEqual(store.unfinishedRuns().map((r) => r.phase), ['Running', 'Pending', '']);
      store.commitRun('default', 'r2', commit({ phase: 'Succeeded' }));
      assert.deepEqual(store.unfinishedRuns().map((r) => r.name), ['r1', 'r0']);
    },
  },
  {
    name: 'deleteRun removes the run, its actions and logs; a second delete is false',
    run(store) {
      store.createRun(newRun('w'), [{ id: 'a', action: {} }]);
      store.appendLogs('uid-w', [{ nodeId: 'n', stream: 'stdout', text: 'hi', at: 't' }]);
      assert.equal(store.deleteRun('default', 'w'), true);
      assert.equal(store.deleteRun('default', 'w'), false);
      assert.equal(store.getRun('default', 'w'), undefined);
      assert.deepEqual(store.readLogs('uid-w'), []);
      // The name and uid are free again, with nothing left over from the old run.
      store.createRun(newRun('w'));
      assert.deepEqual(store.pendingActions('default', 'w'), []);
      assert.deepEqual(store.readLogs('uid-w'), []);
    },
  },
  {
    name: 'logs come back in append order, optionally for one node',
    run(store) {
      store.createRun(newRun('w'));
      store.appendLogs('uid-w', [
        { nodeId: 'a', stream: 'stdout', text: '1', at: 't1' },
        { nodeId: 'b', stream: 'stderr', text: '2', at: 't2' },
      ]);
      store.appendLogs('uid-w', [{ nodeId: 'a', stream: 'stderr', text: '3', at: 't3' }]);
      store.appendLogs('uid-w', []);
      assert.deepEqual(store.readLogs('uid-w').map((l) => l.text), ['1', '2', '3']);
      assert.deepEqual(store.readLogs('uid-w', 'a'), [
        { nodeId: 'a', stream: 'stdout', text: '1', at: 't1' },
        { nodeId: 'a', stream: 'stderr', text: '3', at: 't3' },
      ]);
      assert.deepEqual(store.readLogs('uid-unknown'), []);
    },
  },
  {
    name: 'appendLogs for an unknown run uid is WEFT_E_NOT_FOUND',
    run(store) {
      expectWeftError(() => store.appendLogs('ghost', [{ nodeId: 'a', stream: 'stdout', text: 'x', at: 't' }]), UserError, 'WEFT_E_NOT_FOUND');
    },
  },
  {
    name: 'objects: put creates then bumps the version; get, list by kind and namespace, delete',
    run(store) {
      const first = store.putObject({ kind: 'WorkflowTemplate', namespace: 'b', name: 't', labels: {}, body: { v: 1 } });
      assert.equal(first.resourceVersion, 1);
      assert.equal(first.updatedAt, FIXED_NOW().toISOString());
      assert.equal(store.putObject({ kind: 'WorkflowTemplate', namespace: 'b', name: 't', labels: { x: 'y' }, body: { v: 2 } }).resourceVersion, 2);
      store.putObject({ kind: 'WorkflowTemplate', namespace: 'a', name: 'z', labels: {}, body: {} });
      store.putObject({ kind: 'WorkflowTemplate', namespace: 'b', name: 'a', labels: {}, body: {} });
      store.putObject({ kind: 'ClusterWorkflowTemplate', namespace: '', name: 't', labels: {}, body: {} });
      assert.deepEqual(store.getObject('WorkflowTemplate', 'b', 't'), {
        kind: 'WorkflowTemplate', namespace: 'b', name: 't', labels: { x: 'y' }, body: { v: 2 }, resourceVersion: 2, updatedAt: FIXED_NOW().toISOString(),
      });
      const list = (ns?: string) => store.listObjects('WorkflowTemplate', ns).map((o) => `${o.namespace}/${o.name}`);
      assert.deepEqual(list(), ['a/z', 'b/a', 'b/t']);
      assert.deepEqual(list('b'), ['b/a', 'b/t']);
      assert.equal(store.getObject('ClusterWorkflowTemplate', '', 't')?.name, 't');
      assert.equal(store.deleteObject('WorkflowTemplate', 'b', 't'), true);
      assert.equal(store.deleteObject('WorkflowTemplate', 'b', 't'), false);
      assert.equal(store.getObject('WorkflowTemplate', 'b', 't'), undefined);
    },
  },
  {
    name: 'stored state is a copy: mutating inputs or outputs never changes it',
    run(store) {
      const input = newRun('w');
      const created = store.createRun(input);
      (input.workflow as { spec: { entrypoint: string } }).spec.entrypoint = 'mutated';
      input.labels.app = 'mutated';
      created.labels.app = 'mutated';
      const read = store.getRun('default', 'w');
      assert.ok(read);
      read.labels.app = 'mutated';
      read.workflow.spec = 'mutated';
      const again = store.getRun('default', 'w');
      assert.deepEqual(again?.labels, { app: 'demo' });
      assert.deepEqual(again?.workflow.spec, { entrypoint: 'main' });
      const body = { nested: { v: 1 } };
      store.putObject({ kind: 'K', namespace: '', name: 'o', labels: {}, body });
      body.nested.v = 2;
      const got = store.getObject('K', '', 'o');
      assert.deepEqual(got?.body, { nested: { v: 1 } });
    },
  },
  {
    name: 'values round-trip as JSON: undefined fields vanish, Dates become strings',
    run(store) {
      store.createRun(newRun('w', { workflow: { a: undefined, at: new Date('2025-01-01T00:00:00.000Z'), n: [1, undefined] } }));
      assert.deepEqual(store.getRun('default', 'w')?.workflow, { at: '2025-01-01T00:00:00.000Z', n: [1, null] });
    },
  },
  {
    name: 'after close every call is WEFT_E_STORE_CLOSED and close is idempotent',
    run(store) {
      store.createRun(newRun('w'));
      store.close();
      store.close();
      expectWeftError(() => store.getRun('default', 'w'), OperationalError, 'WEFT_E_STORE_CLOSED');
      expectWeftError(() => store.commitRun('default', 'w', commit()), OperationalError, 'WEFT_E_STORE_CLOSED');
      expectWeftError(() => store.listObjects('K'), OperationalError, 'WEFT_E_STORE_CLOSED');
    },
  },
];

for (const factory of storeFactories) {
  describe(`Store contract: ${factory.name}`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const { store, dispose } = factory.open();
        try {
          c.run(store);
        } finally {
          dispose();
        }
      });
    }
  });
}
