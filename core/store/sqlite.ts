// The SQLite Store (better-sqlite3): one file holds runs, their pending actions, logs and
// every other stored object. Synchronous by design: a commit is a few tens of microseconds
// and the runtime must not interleave other work between "persist" and "perform".
//
// Durability. WAL mode, so readers (CLI, server) never block the writer nor see half a
// commit. Every transaction is atomic under a process crash (SIGKILL, OOM) whatever the
// synchronous setting, because committed WAL frames are already in the OS page cache. The
// setting only decides what an OS crash or power loss may roll back:
// - commitRun and appendLogs run with synchronous=NORMAL (no fsync per commit; the WAL is
//   fsynced at checkpoints). Power loss may undo the last few transitions, never corrupt
//   the file nor split one. That is safe because losing them is indistinguishable from the
//   process dying just before them, which the runtime must survive anyway: the engine
//   re-derives the same actions with the same deterministic ids, i.e. actions are already
//   at-least-once. fsync per node transition would cost 10-100x for nothing stronger.
// - createRun, deleteRun, putObject and deleteObject run with synchronous=FULL (WAL fsynced
//   at commit): they acknowledge a user or a webhook (201 to `weft submit`, 2xx to GitHub,
//   `weft apply`), and nothing can re-derive a submission lost after it was acknowledged.
//   Syncing the WAL also makes every earlier NORMAL commit durable, so durability stays a
//   prefix of the history.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InternalError, OperationalError, WeftError } from '../spec/index.js';
import { checkSchemaVersion, migrate } from './sqlite-schema.js';
import { actionJson, RunSerializers } from './serialize.js';
import { isStream, parseRecord, prepareStatements, toObject, toRun, type Statements } from './sqlite-statements.js';
import {
  runAlreadyExists,
  runNotFound,
  runUidNotFound,
  storeClosed,
  uidAlreadyExists,
  versionConflict,
} from './store-errors.js';
import type { LogLine, PendingAction, RunCommit, RunQuery, Store, StoredObject, StoredRun } from './types.js';

export interface SqliteStoreOptions {
  /** Open an existing store for reading only (no migration, writes throw WEFT_E_STORE_READONLY). */
  readonly?: boolean;
  /** Clock for objects' updatedAt; tests pin it to compare stores. */
  now?: () => Date;
}

// Long enough to ride out a checkpoint or another process's migration, short enough that
// a wedged writer surfaces as WEFT_E_STORE_IO instead of a hung server.
const BUSY_TIMEOUT_MS = 5000;
// Keeps the -wal file from staying at its high-water mark after a burst of commits.
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
const ACTION_SEQ_STRIDE = 2 ** 20; // see pending_actions in sqlite-schema.ts

type Sync = 'NORMAL' | 'FULL';
const SYNCHRONOUS_LEVEL: Record<Sync, number> = { NORMAL: 1, FULL: 2 }; // what PRAGMA synchronous reads back

export function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): Store {
  const readonly = opts.readonly ?? false;
  const now = opts.now ?? (() => new Date());
  let db: Database.Database | undefined;
  try {
    if (!readonly && path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
    // journal_mode is stored in the file; a read-only handle inherits it (and may not set it).
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    if (readonly) checkSchemaVersion(db, path);
    else migrate(db, path);
    return new SqliteStore(db, path, readonly, now);
  } catch (err) {
    db?.close();
    if (err instanceof WeftError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new OperationalError(
      'WEFT_E_STORE_OPEN',
      `cannot open store ${path}: ${reason}; check the path (weft.yaml store.path) or move the file aside to start a new store`,
      { cause: err },
    );
  }
}

class SqliteStore implements Store {
  private readonly s: Statements;
  // better-sqlite3 transactions are wrapped once; IMMEDIATE (at call sites) takes the write
  // lock up front so a concurrent writer makes us wait (busy_timeout) instead of failing
  // with SQLITE_BUSY half-way through when a read would have to upgrade to a write.
  private readonly transactions;
  private sync: Sync = 'NORMAL';
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly readonly: boolean,
    private readonly now: () => Date,
  ) {
    this.s = prepareStatements(db);
    this.transactions = {
      create: db.transaction(this.createTx),
      commit: db.transaction(this.commitTx),
      append: db.transaction(this.appendTx),
    };
  }

  private readonly createTx = (run: Omit<StoredRun, 'resourceVersion'>, actions: PendingAction[]): void => {
    const labels = JSON.stringify(run.labels);
    const workflow = JSON.stringify(run.workflow);
    const actionTexts = actions.map((a) => actionJson(a.action));
    const inserted = this.s.insertRun.run(
      run.uid, run.namespace, run.name, run.phase, labels, workflow, run.createdAt, run.finishedAt ?? null,
    );
    if (inserted.changes === 0) {
      if (this.s.runExists.get(run.namespace, run.name)) throw runAlreadyExists(run.namespace, run.name);
      throw uidAlreadyExists(run.uid);
    }
    actions.forEach((a, i) => this.s.insertAction.run(run.uid, a.id, actionTexts[i], ACTION_SEQ_STRIDE + i));
  };

  private readonly serializers = new RunSerializers();

  private readonly commitTx = (namespace: string, name: string, commit: RunCommit): StoredRun => {
    // Serialise everything first: a value JSON cannot encode fails before anything is written.
    const workflow = this.serializers.serialize(namespace, name, commit);
    const labels = commit.labels === undefined ? null : JSON.stringify(commit.labels);
    const actionTexts = commit.addActions.map((a) => actionJson(a.action));
    const current = this.s.runForCommit.get(namespace, name);
    if (current === undefined) throw runNotFound(namespace, name);
    if (commit.expectedVersion !== undefined && commit.expectedVersion !== current.resource_version) {
      throw versionConflict(namespace, name, commit.expectedVersion, current.resource_version);
    }
    const version = current.resource_version + 1;
    this.s.updateRun.run({ id: current.id, phase: commit.phase, workflow, labels, finishedAt: commit.finishedAt ?? null, version });
    const base = version * ACTION_SEQ_STRIDE;
    commit.addActions.forEach((a, i) => this.s.insertAction.run(current.uid, a.id, actionTexts[i], base + i));
    for (const id of commit.doneActionIds) this.s.deleteAction.run(current.uid, id);
    return {
      namespace,
      name,
      uid: current.uid,
      phase: commit.phase,
      labels: commit.labels === undefined ? parseRecord<Record<string, string>>(current.labels) : { ...commit.labels },
      workflow: commit.workflow,
      resourceVersion: version,
      createdAt: current.created_at,
      ...(commit.finishedAt === undefined ? {} : { finishedAt: commit.finishedAt }),
    };
  };

  private readonly appendTx = (runUid: string, lines: LogLine[]): void => {
    if (!this.s.runUidExists.get(runUid)) throw runUidNotFound(runUid);
    for (const l of lines) this.s.insertLog.run(runUid, l.nodeId, l.stream, l.text, l.at);
  };

  /** Runs a write at the given durability and turns SQLite failures into Weft errors. */
  private write<T>(sync: Sync, fn: () => T): T {
    this.assertOpen();
    if (this.readonly) {
      throw new OperationalError('WEFT_E_STORE_READONLY', `store ${this.path} is open read-only; open it without readonly to write`);
    }
    if (this.sync !== sync) this.setSynchronous(sync);
    try {
      return fn();
    } catch (err) {
      throw this.translate(err);
    }
  }

  /**
   * The pragma is per connection and applies from the next commit; we flip it only on
   * change, so a stream of commitRun calls pays nothing. It cannot be a cached statement:
   * SQLite applies `PRAGMA synchronous = X` when the statement is *prepared*, and running a
   * prepared one later does nothing (that silently left every write at FULL once). So it is
   * issued afresh and read back.
   */
  private setSynchronous(sync: Sync): void {
    this.db.pragma(`synchronous = ${sync}`);
    const level = this.db.pragma('synchronous', { simple: true });
    if (level !== SYNCHRONOUS_LEVEL[sync]) {
      throw new InternalError('WEFT_E_STORE_SYNC', `store ${this.path}: PRAGMA synchronous = ${sync} left level ${String(level)}`);
    }
    this.sync = sync;
  }

  private read<T>(fn: () => T): T {
    this.assertOpen();
    try {
      return fn();
    } catch (err) {
      throw this.translate(err);
    }
  }

  private translate(err: unknown): unknown {
    if (!(err instanceof Database.SqliteError)) return err; // WeftErrors, and JSON TypeErrors
    return new OperationalError('WEFT_E_STORE_IO', `store ${this.path}: ${err.message} (${err.code})`, { cause: err });
  }

  private assertOpen(): void {
    if (this.closed) throw storeClosed();
  }

  createRun(run: Omit<StoredRun, 'resourceVersion'>, actions: PendingAction[] = []): StoredRun {
    this.write('FULL', () => this.transactions.create.immediate(run, actions));
    return {
      namespace: run.namespace,
      name: run.name,
      uid: run.uid,
      phase: run.phase,
      labels: { ...run.labels },
      workflow: run.workflow,
      resourceVersion: 1,
      createdAt: run.createdAt,
      ...(run.finishedAt === undefined ? {} : { finishedAt: run.finishedAt }),
    };
  }

  getRun(namespace: string, name: string): StoredRun | undefined {
    return this.read(() => {
      const row = this.s.getRun.get(namespace, name);
      return row === undefined ? undefined : toRun(row);
    });
  }

  listRuns(query: RunQuery = {}): StoredRun[] {
    return this.read(() => {
      const rows = query.namespace === undefined ? this.s.listRuns.iterate() : this.s.listRunsIn.iterate(query.namespace);
      const phases = query.phases === undefined ? undefined : new Set(query.phases);
      const out: StoredRun[] = [];
      // Iterating lets SQLite stop early at the limit, and the workflow JSON, the bulk of a
      // row, is parsed only for rows that pass the filters.
      for (const row of rows) {
        if (query.limit !== undefined && out.length >= query.limit) break;
        if (phases !== undefined && !phases.has(row.phase)) continue;
        if (query.labels !== undefined && !query.labels(parseRecord<Record<string, string>>(row.labels))) continue;
        out.push(toRun(row));
      }
      return out;
    });
  }

  unfinishedRuns(): StoredRun[] {
    return this.read(() => this.s.unfinishedRuns.all().map(toRun));
  }

  deleteRun(namespace: string, name: string): boolean {
    // ON DELETE CASCADE removes pending actions and logs in the same statement.
    this.serializers.forget(namespace, name);
    return this.write('FULL', () => this.s.deleteRun.run(namespace, name).changes > 0);
  }

  commitRun(namespace: string, name: string, commit: RunCommit): StoredRun {
    return this.write('NORMAL', () => this.transactions.commit.immediate(namespace, name, commit));
  }

  pendingActions(namespace: string, name: string): PendingAction[] {
    return this.read(() =>
      this.s.pendingActions.all(namespace, name).map((r) => ({ id: r.id, action: parseRecord<Record<string, unknown>>(r.action) })),
    );
  }

  appendLogs(runUid: string, lines: LogLine[]): void {
    this.write('NORMAL', () => this.transactions.append.immediate(runUid, lines));
  }

  readLogs(runUid: string, nodeId?: string): LogLine[] {
    return this.read(() => {
      const rows = nodeId === undefined ? this.s.readLogs.all(runUid) : this.s.readNodeLogs.all(runUid, nodeId);
      return rows.map((r) => ({ nodeId: r.node_id, stream: isStream(r.stream) ? r.stream : 'stdout', text: r.text, at: r.at }));
    });
  }

  putObject(obj: Omit<StoredObject, 'resourceVersion' | 'updatedAt'>): StoredObject {
    const labels = JSON.stringify(obj.labels);
    const body = JSON.stringify(obj.body);
    let updatedAt = '';
    const row = this.write('FULL', () => {
      updatedAt = this.now().toISOString(); // read the clock only for a write that happens
      return this.s.putObject.get(obj.kind, obj.namespace, obj.name, labels, body, updatedAt);
    });
    return {
      kind: obj.kind,
      namespace: obj.namespace,
      name: obj.name,
      labels: { ...obj.labels },
      body: obj.body,
      // RETURNING always yields the inserted or updated row.
      resourceVersion: row?.resource_version ?? 1,
      updatedAt,
    };
  }

  getObject(kind: string, namespace: string, name: string): StoredObject | undefined {
    return this.read(() => {
      const row = this.s.getObject.get(kind, namespace, name);
      return row === undefined ? undefined : toObject(row);
    });
  }

  listObjects(kind: string, namespace?: string): StoredObject[] {
    return this.read(() =>
      (namespace === undefined ? this.s.listObjects.all(kind) : this.s.listObjectsIn.all(kind, namespace)).map(toObject),
    );
  }

  deleteObject(kind: string, namespace: string, name: string): boolean {
    return this.write('FULL', () => this.s.deleteObject.run(kind, namespace, name).changes > 0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Recommended by SQLite on close: refreshes planner statistics cheaply. Best effort.
    if (!this.readonly) {
      try {
        this.db.pragma('optimize');
      } catch {
        // a failing optimisation must not prevent closing the file
      }
    }
    this.db.close();
  }
}
