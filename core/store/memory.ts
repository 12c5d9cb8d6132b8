// The in-memory Store: the same semantics as the SQLite store (the same contract suite and
// an equivalence property test hold both to it) for tests and `weft run` without a file.
// Runs and actions are kept as snapshots (./snapshot.ts: deep copies that serialize to the
// JSON text SQLite would have kept), other values as JSON text; a read is always a parse of
// that text, so callers can never alias stored state, and JSON's lossy cases (undefined,
// NaN, Dates) behave the same in both stores. A commit copies instead of serializing: most
// runs are committed thousands of times and read rarely.
import {
  FINISHED_PHASES,
  runAlreadyExists,
  runNotFound,
  runUidNotFound,
  storeClosed,
  uidAlreadyExists,
  versionConflict,
} from './store-errors.js';
import { actionSnapshot, materialize, WorkflowSnapshot } from './snapshot.js';
import type { LogLine, PendingAction, RunCommit, RunQuery, Store, StoredObject, StoredRun } from './types.js';

export interface MemoryStoreOptions {
  /** Clock for updatedAt; tests pin it to compare stores. */
  now?: () => Date;
}

interface RunRecord {
  order: number; // insertion order, the tie-break SQLite gets from its rowid
  uid: string;
  namespace: string;
  name: string;
  phase: string;
  labels: string;
  workflow: WorkflowSnapshot;
  resourceVersion: number;
  createdAt: string;
  finishedAt?: string;
}

interface ObjectRecord {
  kind: string;
  namespace: string;
  name: string;
  labels: string;
  body: string;
  resourceVersion: number;
  updatedAt: string;
}

// NUL cannot occur in Kubernetes names, so joined keys cannot collide.
const key = (...parts: string[]): string => parts.join('\u0000');

function parseRecord<T>(json: string): T {
  return JSON.parse(json) as T; // written by this module from a value of type T
}

/** A fresh copy of the record; `workflow` given when the caller already holds it (writes). */
function toRun(r: RunRecord, workflow?: Record<string, unknown>): StoredRun {
  return {
    namespace: r.namespace,
    name: r.name,
    uid: r.uid,
    phase: r.phase,
    labels: parseRecord<Record<string, string>>(r.labels),
    workflow: workflow ?? parseRecord<Record<string, unknown>>(r.workflow.json()),
    resourceVersion: r.resourceVersion,
    createdAt: r.createdAt,
    ...(r.finishedAt === undefined ? {} : { finishedAt: r.finishedAt }),
  };
}

function toObject(o: ObjectRecord): StoredObject {
  return {
    kind: o.kind,
    namespace: o.namespace,
    name: o.name,
    labels: parseRecord<Record<string, string>>(o.labels),
    body: parseRecord<Record<string, unknown>>(o.body),
    resourceVersion: o.resourceVersion,
    updatedAt: o.updatedAt,
  };
}

// Code-unit order, as SQLite's BINARY collation orders ASCII (names and RFC 3339 times).
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function createMemoryStore(opts: MemoryStoreOptions = {}): Store {
  const now = opts.now ?? (() => new Date());
  const runs = new Map<string, RunRecord>(); // key(namespace, name)
  const uids = new Set<string>();
  // Map iteration order is insertion order: re-adding a done id puts it last, as SQLite's
  // seq (always above every pending seq) does.
  const actions = new Map<string, Map<string, unknown>>(); // uid -> id -> action snapshot
  const logs = new Map<string, LogLine[]>(); // uid -> lines
  const objects = new Map<string, ObjectRecord>(); // key(kind, namespace, name)
  let nextOrder = 0;
  let closed = false;

  function open(): void {
    if (closed) throw storeClosed();
  }

  function addActions(pending: Map<string, unknown>, list: PendingAction[], snapshots: unknown[]): void {
    list.forEach((a, i) => {
      if (!pending.has(a.id)) pending.set(a.id, snapshots[i]);
    });
  }

  const store: Store = {
    createRun(run, initial = []) {
      open();
      const labels = JSON.stringify(run.labels);
      const workflow = new WorkflowSnapshot();
      const applyWorkflow = workflow.prepare(run.workflow, undefined);
      const actionCopies = initial.map((a) => actionSnapshot(a.action));
      if (runs.has(key(run.namespace, run.name))) throw runAlreadyExists(run.namespace, run.name);
      if (uids.has(run.uid)) throw uidAlreadyExists(run.uid);
      applyWorkflow();
      const record: RunRecord = {
        order: nextOrder++,
        uid: run.uid,
        namespace: run.namespace,
        name: run.name,
        phase: run.phase,
        labels,
        workflow,
        resourceVersion: 1,
        createdAt: run.createdAt,
        ...(run.finishedAt === undefined ? {} : { finishedAt: run.finishedAt }),
      };
      runs.set(key(run.namespace, run.name), record);
      uids.add(run.uid);
      const pending = new Map<string, unknown>();
      addActions(pending, initial, actionCopies);
      actions.set(run.uid, pending);
      logs.set(run.uid, []);
      return toRun(record, run.workflow);
    },

    getRun(namespace, name) {
      open();
      const r = runs.get(key(namespace, name));
      return r === undefined ? undefined : toRun(r);
    },

    listRuns(query: RunQuery = {}) {
      open();
      const phases = query.phases === undefined ? undefined : new Set(query.phases);
      const sorted = [...runs.values()].sort((a, b) => compare(b.createdAt, a.createdAt) || b.order - a.order);
      const out: StoredRun[] = [];
      for (const r of sorted) {
        if (query.limit !== undefined && out.length >= query.limit) break;
        if (query.namespace !== undefined && r.namespace !== query.namespace) continue;
        if (phases !== undefined && !phases.has(r.phase)) continue;
        if (query.labels !== undefined && !query.labels(parseRecord<Record<string, string>>(r.labels))) continue;
        out.push(toRun(r));
      }
      return out;
    },

    unfinishedRuns() {
      open();
      return [...runs.values()]
        .filter((r) => !FINISHED_PHASES.includes(r.phase))
        .sort((a, b) => compare(a.createdAt, b.createdAt) || a.order - b.order)
        .map((r) => toRun(r));
    },

    deleteRun(namespace, name) {
      open();
      const r = runs.get(key(namespace, name));
      if (r === undefined) return false;
      runs.delete(key(namespace, name));
      uids.delete(r.uid);
      actions.delete(r.uid);
      logs.delete(r.uid);
      return true;
    },

    commitRun(namespace, name, commit: RunCommit) {
      open();
      // Same order of failure as SQLite: serialisation, then existence, then version. After a
      // failed commit the next one copies the whole status again (its changedNodes count
      // from this one).
      const r = runs.get(key(namespace, name));
      let applyWorkflow: () => void;
      let labels: string | undefined;
      let actionCopies: unknown[];
      try {
        applyWorkflow = (r?.workflow ?? new WorkflowSnapshot()).prepare(commit.workflow, commit.changedNodes);
        labels = commit.labels === undefined ? undefined : JSON.stringify(commit.labels);
        actionCopies = commit.addActions.map((a) => actionSnapshot(a.action));
        if (r === undefined) throw runNotFound(namespace, name);
        if (commit.expectedVersion !== undefined && commit.expectedVersion !== r.resourceVersion) {
          throw versionConflict(namespace, name, commit.expectedVersion, r.resourceVersion);
        }
      } catch (err) {
        r?.workflow.invalidate();
        throw err;
      }
      r.phase = commit.phase;
      applyWorkflow();
      if (labels !== undefined) r.labels = labels;
      if (commit.finishedAt === undefined) delete r.finishedAt;
      else r.finishedAt = commit.finishedAt;
      r.resourceVersion += 1;
      const pending = actions.get(r.uid) ?? new Map<string, unknown>();
      actions.set(r.uid, pending);
      addActions(pending, commit.addActions, actionCopies);
      for (const id of commit.doneActionIds) pending.delete(id);
      return toRun(r, commit.workflow);
    },

    pendingActions(namespace, name) {
      open();
      const r = runs.get(key(namespace, name));
      const pending = r === undefined ? undefined : actions.get(r.uid);
      if (pending === undefined) return [];
      return [...pending].map(([id, snapshot]) => ({ id, action: materialize<Record<string, unknown>>(snapshot) }));
    },

    appendLogs(runUid, lines) {
      open();
      const list = logs.get(runUid);
      if (list === undefined) throw runUidNotFound(runUid);
      for (const l of lines) list.push({ nodeId: l.nodeId, stream: l.stream, text: l.text, at: l.at });
    },

    readLogs(runUid, nodeId) {
      open();
      return (logs.get(runUid) ?? []).filter((l) => nodeId === undefined || l.nodeId === nodeId).map((l) => ({ ...l }));
    },

    putObject(obj) {
      open();
      const labels = JSON.stringify(obj.labels);
      const body = JSON.stringify(obj.body);
      const k = key(obj.kind, obj.namespace, obj.name);
      const record: ObjectRecord = {
        kind: obj.kind,
        namespace: obj.namespace,
        name: obj.name,
        labels,
        body,
        resourceVersion: (objects.get(k)?.resourceVersion ?? 0) + 1,
        updatedAt: now().toISOString(),
      };
      objects.set(k, record);
      return { ...toObject(record), body: obj.body };
    },

    getObject(kind, namespace, name) {
      open();
      const o = objects.get(key(kind, namespace, name));
      return o === undefined ? undefined : toObject(o);
    },

    listObjects(kind, namespace) {
      open();
      return [...objects.values()]
        .filter((o) => o.kind === kind && (namespace === undefined || o.namespace === namespace))
        .sort((a, b) => compare(a.namespace, b.namespace) || compare(a.name, b.name))
        .map(toObject);
    },

    deleteObject(kind, namespace, name) {
      open();
      return objects.delete(key(kind, namespace, name));
    },

    close() {
      closed = true;
    },
  };
  return store;
}
