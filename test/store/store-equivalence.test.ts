// Property: any sequence of writes gives the memory store and the SQLite store the same
// observable behaviour: the same result or the same error (class, code, message) for every
// call, and the same state afterwards through every read of the Store interface.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { WeftError } from '../../core/spec/errors.js';
import type { LogLine, PendingAction, Store } from '../../core/store/index.js';
import { storeFactories } from './store-fixtures.js';

// Small pools make collisions (duplicate names, uids, action ids, stale versions) common.
const NAMESPACES = ['default', 'ops'];
const NAMES = ['a', 'b', 'c'];
const UIDS = ['u1', 'u2', 'u3', 'u4'];
const PHASES = ['', 'Pending', 'Running', 'Succeeded', 'Failed', 'Error'];
const TIMES = ['2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z'];
const ACTION_IDS = ['start:a', 'start:b', 'poll:a', 'exit'];
const KINDS = ['WorkflowTemplate', 'CronWorkflow'];

const json = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const labels = fc.dictionary(fc.constantFrom('app', 'team', 'tier'), fc.string({ maxLength: 4 }), { maxKeys: 3 });
const action: fc.Arbitrary<PendingAction> = fc.record({ id: fc.constantFrom(...ACTION_IDS), action: json });
const actions = fc.array(action, { maxLength: 3 });
const where = { namespace: fc.constantFrom(...NAMESPACES), name: fc.constantFrom(...NAMES) };
const line: fc.Arbitrary<LogLine> = fc.record({
  nodeId: fc.constantFrom('n1', 'n2'),
  stream: fc.constantFrom<LogLine['stream']>('stdout', 'stderr'),
  text: fc.string({ maxLength: 10 }),
  at: fc.constantFrom(...TIMES),
});

const op = fc.oneof(
  fc.record({ op: fc.constant('create' as const), ...where, uid: fc.constantFrom(...UIDS), phase: fc.constantFrom(...PHASES), labels, createdAt: fc.constantFrom(...TIMES), workflow: json, actions }),
  fc.record({
    op: fc.constant('commit' as const),
    ...where,
    phase: fc.constantFrom(...PHASES),
    workflow: json,
    finishedAt: fc.option(fc.constantFrom(...TIMES), { nil: undefined }),
    labels: fc.option(labels, { nil: undefined }),
    addActions: actions,
    doneActionIds: fc.array(fc.constantFrom(...ACTION_IDS), { maxLength: 3 }),
    expectedVersion: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  }),
  fc.record({ op: fc.constant('delete' as const), ...where }),
  fc.record({ op: fc.constant('logs' as const), uid: fc.constantFrom(...UIDS), lines: fc.array(line, { maxLength: 3 }) }),
  fc.record({ op: fc.constant('put' as const), kind: fc.constantFrom(...KINDS), ...where, labels, body: json }),
  fc.record({ op: fc.constant('deleteObject' as const), kind: fc.constantFrom(...KINDS), ...where }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(store: Store, o: Op): unknown {
  switch (o.op) {
    case 'create':
      return store.createRun({ namespace: o.namespace, name: o.name, uid: o.uid, phase: o.phase, labels: o.labels, workflow: o.workflow, createdAt: o.createdAt }, o.actions);
    case 'commit':
      return store.commitRun(o.namespace, o.name, {
        workflow: o.workflow, phase: o.phase, finishedAt: o.finishedAt, labels: o.labels,
        addActions: o.addActions, doneActionIds: o.doneActionIds, expectedVersion: o.expectedVersion,
      });
    case 'delete':
      return store.deleteRun(o.namespace, o.name);
    case 'logs':
      return store.appendLogs(o.uid, o.lines);
    case 'put':
      return store.putObject({ kind: o.kind, namespace: o.namespace, name: o.name, labels: o.labels, body: o.body });
    case 'deleteObject':
      return store.deleteObject(o.kind, o.namespace, o.name);
  }
}

/** A call's outcome as plain data: results go through JSON as the stores' own reads do. */
function outcome(fn: () => unknown): unknown {
  try {
    const value = fn();
    return { ok: value === undefined ? null : JSON.parse(JSON.stringify(value)) };
  } catch (err) {
    if (!(err instanceof WeftError)) throw err;
    return { error: [err.name, err.code, err.message] };
  }
}

/** Everything the Store interface lets a reader observe. */
function observe(store: Store): unknown {
  return {
    runs: store.listRuns(),
    opsRuns: store.listRuns({ namespace: 'ops', phases: ['', 'Running', 'Failed'], limit: 2 }),
    team: store.listRuns({ labels: (l) => 'team' in l }),
    unfinished: store.unfinishedRuns(),
    actions: NAMESPACES.flatMap((ns) => NAMES.map((n) => store.pendingActions(ns, n))),
    logs: UIDS.map((uid) => [store.readLogs(uid), store.readLogs(uid, 'n1')]),
    objects: KINDS.map((k) => [store.listObjects(k), store.listObjects(k, 'ops')]),
    gets: NAMESPACES.flatMap((ns) => NAMES.map((n) => [store.getRun(ns, n), store.getObject(KINDS[0] ?? '', ns, n)])),
  };
}

it('memory and SQLite stores behave identically for random sequences of writes', () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
      const opened = storeFactories.map((f) => f.open());
      try {
        const [memory, sqlite] = opened.map((o) => o.store);
        assert.ok(memory && sqlite);
        ops.forEach((o, i) => {
          assert.deepEqual(outcome(() => apply(sqlite, o)), outcome(() => apply(memory, o)), `op ${i}: ${o.op}`);
        });
        assert.deepEqual(observe(sqlite), observe(memory));
      } finally {
        opened.forEach((o) => o.dispose());
      }
    }),
    { numRuns: 150 },
  );
});
