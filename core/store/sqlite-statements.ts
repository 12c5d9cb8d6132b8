// The SQL of the SQLite store: every statement prepared once per connection (preparing
// costs more than running), the row shapes they return, and rows back to Store records.
import type Database from 'better-sqlite3';
import type { LogLine, StoredObject, StoredRun } from './types.js';

export interface RunRow {
  uid: string;
  namespace: string;
  name: string;
  phase: string;
  labels: string;
  workflow: string;
  resource_version: number;
  created_at: string;
  finished_at: string | null;
}

export interface ObjectRow {
  kind: string;
  namespace: string;
  name: string;
  labels: string;
  body: string;
  resource_version: number;
  updated_at: string;
}

export interface LogRow {
  node_id: string;
  stream: string;
  text: string;
  at: string;
}

export interface UpdateRunParams {
  id: number;
  phase: string;
  workflow: string;
  labels: string | null; // null keeps the stored labels
  finishedAt: string | null;
  version: number;
}

const RUN_COLUMNS = 'uid, namespace, name, phase, labels, resource_version, created_at, finished_at, workflow';
const OBJECT_COLUMNS = 'kind, namespace, name, labels, resource_version, updated_at, body';
const UNFINISHED = "phase NOT IN ('Succeeded', 'Failed', 'Error')"; // same text as the partial index

export function parseRecord<T>(json: string): T {
  return JSON.parse(json) as T; // written by this module from a value of type T
}

export function toRun(row: RunRow): StoredRun {
  return {
    namespace: row.namespace,
    name: row.name,
    uid: row.uid,
    phase: row.phase,
    labels: parseRecord<Record<string, string>>(row.labels),
    workflow: parseRecord<Record<string, unknown>>(row.workflow),
    resourceVersion: row.resource_version,
    createdAt: row.created_at,
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
  };
}

export function toObject(row: ObjectRow): StoredObject {
  return {
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    labels: parseRecord<Record<string, string>>(row.labels),
    body: parseRecord<Record<string, unknown>>(row.body),
    resourceVersion: row.resource_version,
    updatedAt: row.updated_at,
  };
}

export function isStream(s: string): s is LogLine['stream'] {
  return s === 'stdout' || s === 'stderr';
}

export type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Database.Database) {
  return {
    insertRun: db.prepare<[string, string, string, string, string, string, string, string | null]>(
      `INSERT INTO runs (uid, namespace, name, phase, labels, workflow, resource_version, created_at, finished_at)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    runExists: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM runs WHERE namespace = ? AND name = ?'),
    runUidExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM runs WHERE uid = ?'),
    getRun: db.prepare<[string, string], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE namespace = ? AND name = ?`),
    listRuns: db.prepare<[], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY created_at DESC, id DESC`),
    listRunsIn: db.prepare<[string], RunRow>(
      `SELECT ${RUN_COLUMNS} FROM runs WHERE namespace = ? ORDER BY created_at DESC, id DESC`,
    ),
    unfinishedRuns: db.prepare<[], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE ${UNFINISHED} ORDER BY created_at, id`),
    deleteRun: db.prepare<[string, string]>('DELETE FROM runs WHERE namespace = ? AND name = ?'),
    // commitRun reads these small columns (all before the workflow column) and then
    // updates by rowid, inside its IMMEDIATE transaction so nobody writes in between.
    // Measured: UPDATE ... RETURNING costs ~100 µs more per commit than this read.
    runForCommit: db.prepare<[string, string], { id: number; uid: string; labels: string; resource_version: number; created_at: string }>(
      'SELECT id, uid, labels, resource_version, created_at FROM runs WHERE namespace = ? AND name = ?',
    ),
    updateRun: db.prepare<UpdateRunParams>(
      `UPDATE runs SET phase = @phase, workflow = @workflow, labels = coalesce(@labels, labels),
         finished_at = @finishedAt, resource_version = @version
       WHERE id = @id`,
    ),
    insertAction: db.prepare<[string, string, string, number]>(
      'INSERT INTO pending_actions (run_uid, id, action, seq) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    deleteAction: db.prepare<[string, string]>('DELETE FROM pending_actions WHERE run_uid = ? AND id = ?'),
    pendingActions: db.prepare<[string, string], { id: string; action: string }>(
      `SELECT p.id, p.action FROM pending_actions p JOIN runs r ON r.uid = p.run_uid
       WHERE r.namespace = ? AND r.name = ? ORDER BY p.seq`,
    ),
    insertLog: db.prepare<[string, string, string, string, string]>(
      'INSERT INTO logs (run_uid, node_id, stream, text, at) VALUES (?, ?, ?, ?, ?)',
    ),
    readLogs: db.prepare<[string], LogRow>('SELECT node_id, stream, text, at FROM logs WHERE run_uid = ? ORDER BY seq'),
    readNodeLogs: db.prepare<[string, string], LogRow>(
      'SELECT node_id, stream, text, at FROM logs WHERE run_uid = ? AND node_id = ? ORDER BY seq',
    ),
    putObject: db.prepare<[string, string, string, string, string, string], { resource_version: number }>(
      `INSERT INTO objects (kind, namespace, name, labels, body, resource_version, updated_at)
       VALUES (?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (kind, namespace, name) DO UPDATE SET labels = excluded.labels, body = excluded.body,
         resource_version = objects.resource_version + 1, updated_at = excluded.updated_at
       RETURNING resource_version`,
    ),
    getObject: db.prepare<[string, string, string], ObjectRow>(
      `SELECT ${OBJECT_COLUMNS} FROM objects WHERE kind = ? AND namespace = ? AND name = ?`,
    ),
    listObjects: db.prepare<[string], ObjectRow>(
      `SELECT ${OBJECT_COLUMNS} FROM objects WHERE kind = ? ORDER BY namespace, name`,
    ),
    listObjectsIn: db.prepare<[string, string], ObjectRow>(
      `SELECT ${OBJECT_COLUMNS} FROM objects WHERE kind = ? AND namespace = ? ORDER BY name`,
    ),
    deleteObject: db.prepare<[string, string, string]>('DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ?'),
  };
}

