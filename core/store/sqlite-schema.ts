// The SQLite schema of the store and how a database file is brought up to it. Each
// migration is applied once, in order, inside one IMMEDIATE transaction together with the
// rows recording it in `schema_version`, so a crash or a second process opening the same
// file at the same moment leaves the file at either the old version or the new one.
import type Database from 'better-sqlite3';
import { OperationalError } from '../spec/index.js';

interface Migration {
  version: number;
  description: string;
  sql: string;
}

// Append only: never edit a migration that has shipped, add the next version instead.
// A migration that must rebuild a table with foreign keys needs `PRAGMA foreign_keys=OFF`,
// which SQLite ignores inside a transaction: give such a migration its own runner then.
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, pending actions, logs, objects',
    sql: `
      -- id is the insertion order: the tie-break when two runs share created_at. Workflow
      -- JSON can be large, so this stays a rowid table (WITHOUT ROWID suits small rows only),
      -- and it is the last column: reading the small columns before it (as commitRun does on
      -- every transition) never walks the row's overflow pages.
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        phase TEXT NOT NULL,
        labels TEXT NOT NULL,
        resource_version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        finished_at TEXT,
        workflow TEXT NOT NULL,
        UNIQUE (namespace, name)
      ) STRICT;
      CREATE INDEX runs_by_created ON runs (created_at, id);
      CREATE INDEX runs_by_namespace_created ON runs (namespace, created_at, id);
      -- Restart recovery reads only unfinished runs; finished ones drop out of this index.
      CREATE INDEX runs_unfinished ON runs (created_at, id)
        WHERE phase NOT IN ('Succeeded', 'Failed', 'Error');

      -- seq = resource_version of the commit that added the action * 2^20 + its position in
      -- that commit: ordered without reading the table first. No index on seq: a run has a
      -- handful of pending actions and they are read back only on restart.
      CREATE TABLE pending_actions (
        run_uid TEXT NOT NULL REFERENCES runs (uid) ON DELETE CASCADE,
        id TEXT NOT NULL,
        action TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (run_uid, id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE logs (
        seq INTEGER PRIMARY KEY,
        run_uid TEXT NOT NULL REFERENCES runs (uid) ON DELETE CASCADE,
        node_id TEXT NOT NULL,
        stream TEXT NOT NULL,
        text TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      -- Serves readLogs(uid), readLogs(uid, node) and the cascade on deleteRun.
      CREATE INDEX logs_by_run_node ON logs (run_uid, node_id);

      CREATE TABLE objects (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        labels TEXT NOT NULL,
        resource_version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        body TEXT NOT NULL, -- last, for the same reason as runs.workflow
        UNIQUE (kind, namespace, name)
      ) STRICT;
    `,
  },
];

/** The version a database has once every migration this build knows is applied. */
export const SCHEMA_VERSION: number = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

function currentVersion(db: Database.Database): number | undefined {
  const table = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .get();
  if (table === undefined) return undefined;
  const row = db.prepare<[], { version: number | null }>('SELECT max(version) AS version FROM schema_version').get();
  return row?.version ?? 0;
}

function tooNew(path: string, found: number): OperationalError {
  return new OperationalError(
    'WEFT_E_STORE_VERSION',
    `store ${path} has schema version ${found} but this Weft knows up to ${SCHEMA_VERSION}: it was written by a newer Weft; upgrade Weft or use another store path`,
  );
}

/** Brings a writable database up to SCHEMA_VERSION; refuses files from a newer Weft. */
export function migrate(db: Database.Database, path: string): void {
  const upgrade = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
      version INTEGER PRIMARY KEY,
      description TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT`);
    const from = currentVersion(db) ?? 0;
    if (from > SCHEMA_VERSION) throw tooNew(path, from);
    const record = db.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)');
    for (const m of MIGRATIONS) {
      if (m.version <= from) continue;
      db.exec(m.sql);
      record.run(m.version, m.description, new Date().toISOString());
    }
  });
  // IMMEDIATE takes the write lock before reading the version, so two processes opening a
  // new file together cannot both decide to apply migration 1.
  upgrade.immediate();
}

/** A read-only handle cannot migrate: it needs a file already at exactly this version. */
export function checkSchemaVersion(db: Database.Database, path: string): void {
  const found = currentVersion(db);
  if (found === undefined) {
    throw new OperationalError(
      'WEFT_E_STORE_OPEN',
      `store ${path} has no Weft schema: open it read-write once (e.g. start the server) before opening it read-only`,
    );
  }
  if (found > SCHEMA_VERSION) throw tooNew(path, found);
  if (found < SCHEMA_VERSION) {
    throw new OperationalError(
      'WEFT_E_STORE_VERSION',
      `store ${path} has schema version ${found}, this Weft needs ${SCHEMA_VERSION}: open it read-write once to upgrade it`,
    );
  }
}
