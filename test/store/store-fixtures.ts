// Shared by the store tests: one factory per Store implementation (the contract suite and
// the equivalence property loop over them) and small builders for runs and commits.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WeftError } from '../../core/spec/errors.js';
import { createMemoryStore, openSqliteStore } from '../../core/store/index.js';
import type { RunCommit, Store, StoredRun } from '../../core/store/index.js';

export const FIXED_NOW = (): Date => new Date('2025-01-02T03:04:05.000Z');

export interface OpenedStore {
  store: Store;
  dispose(): void;
}

export interface StoreFactory {
  name: string;
  open(): OpenedStore;
}

export function tempDir(prefix = 'weft-store-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const storeFactories: StoreFactory[] = [
  {
    name: 'memory',
    open: () => {
      const store = createMemoryStore({ now: FIXED_NOW });
      return { store, dispose: () => store.close() };
    },
  },
  {
    name: 'sqlite',
    open: () => {
      const tmp = tempDir();
      const store = openSqliteStore(join(tmp.dir, 'weft.db'), { now: FIXED_NOW });
      return {
        store,
        dispose: () => {
          store.close();
          tmp.remove();
        },
      };
    },
  },
];

export function newRun(name: string, over: Partial<Omit<StoredRun, 'resourceVersion'>> = {}): Omit<StoredRun, 'resourceVersion'> {
  return {
    namespace: 'default',
    name,
    uid: `uid-${name}`,
    phase: '',
    labels: { app: 'demo' },
    workflow: { metadata: { name }, spec: { entrypoint: 'main' }, status: {} },
    createdAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

export function commit(over: Partial<RunCommit> = {}): RunCommit {
  return { workflow: { status: { phase: 'Running' } }, phase: 'Running', addActions: [], doneActionIds: [], ...over };
}

/** Asserts fn throws a WeftError of this class and code; returns it for more checks. */
export function expectWeftError(fn: () => unknown, cls: new (...args: never[]) => WeftError, code: string): WeftError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof cls, `expected ${cls.name} ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  return caught;
}
