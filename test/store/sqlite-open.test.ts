// Opening SQLite store files: missing directories, files that are not stores, read-only
// handles, and the versioned schema migrations.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { OperationalError } from '../../core/spec/errors.js';
import { SCHEMA_VERSION, openSqliteStore } from '../../core/store/index.js';
import { commit, expectWeftError, newRun, tempDir } from './store-fixtures.js';

const tmp = tempDir('weft-open-');
after(() => tmp.remove());
let counter = 0;
const fresh = (name: string): string => join(tmp.dir, `${counter++}`, name);

interface OpenCase {
  name: string;
  /** Creates whatever should be at the path before opening; returns the path. */
  prepare(): string;
  readonly?: boolean;
  expect: 'opens' | { code: string };
}

const GARBAGE = 'this is a text file, not a SQLite database\n'.repeat(200);

function withDir(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  return path;
}

function storeAtVersion(version: number): string {
  const path = fresh('weft.db');
  openSqliteStore(path).close();
  const db = new Database(path);
  db.prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'from the future', '')").run(version);
  db.close();
  return path;
}

const openCases: OpenCase[] = [
  { name: 'a new file in a directory that does not exist yet', prepare: () => fresh('nested/dirs/weft.db'), expect: 'opens' },
  { name: 'an empty file becomes a new store', prepare: () => { const p = withDir(fresh('empty.db')); writeFileSync(p, ''); return p; }, expect: 'opens' },
  { name: 'a text file is WEFT_E_STORE_OPEN', prepare: () => { const p = withDir(fresh('text.db')); writeFileSync(p, GARBAGE); return p; }, expect: { code: 'WEFT_E_STORE_OPEN' } },
  { name: 'a directory is WEFT_E_STORE_OPEN', prepare: () => { const p = fresh('dir.db'); mkdirSync(p, { recursive: true }); return p; }, expect: { code: 'WEFT_E_STORE_OPEN' } },
  { name: 'read-only on a missing file is WEFT_E_STORE_OPEN', prepare: () => fresh('missing.db'), readonly: true, expect: { code: 'WEFT_E_STORE_OPEN' } },
  { name: 'read-only on a plain SQLite file without the schema is WEFT_E_STORE_OPEN', prepare: () => { const p = withDir(fresh('plain.db')); new Database(p).exec('CREATE TABLE t (x)').close(); return p; }, readonly: true, expect: { code: 'WEFT_E_STORE_OPEN' } },
  { name: 'a store from a newer Weft is WEFT_E_STORE_VERSION', prepare: () => storeAtVersion(SCHEMA_VERSION + 1), expect: { code: 'WEFT_E_STORE_VERSION' } },
  { name: 'read-only, a store from a newer Weft is WEFT_E_STORE_VERSION', prepare: () => storeAtVersion(SCHEMA_VERSION + 1), readonly: true, expect: { code: 'WEFT_E_STORE_VERSION' } },
];

describe('openSqliteStore', () => {
  for (const c of openCases) {
    it(c.name, () => {
      const path = c.prepare();
      if (c.expect === 'opens') {
        const store = openSqliteStore(path, { readonly: c.readonly });
        store.createRun(newRun('w'));
        store.close();
        return;
      }
      const err = expectWeftError(() => openSqliteStore(path, { readonly: c.readonly }), OperationalError, c.expect.code);
      assert.ok(err.message.includes(path), `message names the path: ${err.message}`);
    });
  }

  it('leaves a file that is not a store untouched', () => {
    const path = withDir(fresh('precious.db'));
    writeFileSync(path, GARBAGE);
    expectWeftError(() => openSqliteStore(path), OperationalError, 'WEFT_E_STORE_OPEN');
    assert.equal(readFileSync(path, 'utf8'), GARBAGE);
  });

  it('read-only on a missing file does not create it', () => {
    const path = fresh('never.db');
    expectWeftError(() => openSqliteStore(path, { readonly: true }), OperationalError, 'WEFT_E_STORE_OPEN');
    assert.equal(existsSync(path), false);
  });

  it('uses WAL, records each migration once, and re-opening applies nothing again', () => {
    const path = fresh('weft.db');
    openSqliteStore(path).close();
    openSqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const versions = db.prepare<[], { version: number }>('SELECT version FROM schema_version ORDER BY version').all();
    assert.deepEqual(versions.map((v) => v.version), Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    assert.deepEqual(tables.map((t) => t.name), ['logs', 'objects', 'pending_actions', 'runs', 'schema_version']);
    db.close();
  });

  it('a read-only handle reads what a writer committed and refuses writes', () => {
    const path = fresh('weft.db');
    const writer = openSqliteStore(path);
    writer.createRun(newRun('w'), [{ id: 'a', action: {} }]);
    const reader = openSqliteStore(path, { readonly: true });
    writer.commitRun('default', 'w', commit({ phase: 'Succeeded' }));
    assert.equal(reader.getRun('default', 'w')?.phase, 'Succeeded');
    assert.deepEqual(reader.pendingActions('default', 'w').map((a) => a.id), ['a']);
    expectWeftError(() => reader.commitRun('default', 'w', commit()), OperationalError, 'WEFT_E_STORE_READONLY');
    expectWeftError(() => reader.putObject({ kind: 'K', namespace: '', name: 'n', labels: {}, body: {} }), OperationalError, 'WEFT_E_STORE_READONLY');
    reader.close();
    writer.close();
  });
});
