// synchronization (mutex / semaphore, template or workflow level): the engine asks the
// runtime's lock manager for locks and records what it holds in status.synchronization,
// Argo-shaped, so a restarted runtime can rebuild its lock table from the runs.
import type { Synchronization, Template } from '../spec/index.js';
import type { Operation } from './context.js';
import type { LockRequest } from './types.js';

interface MutexHolding { mutex: string; holder: string }
interface SemaphoreHolding { semaphore: string; holders: string[] }
interface SyncStatus {
  mutex?: { holding?: MutexHolding[] };
  semaphore?: { holding?: SemaphoreHolding[] };
}

function syncStatus(op: Operation): SyncStatus {
  const status = op.status as { synchronization?: SyncStatus };
  status.synchronization ??= {};
  return status.synchronization;
}

export function lockRequests(op: Operation, sync: Synchronization): LockRequest[] {
  const ns = op.namespace;
  const out: LockRequest[] = [];
  const mutexes = sync.mutexes ?? [];
  for (const m of mutexes) {
    const mns = m.namespace ?? ns;
    out.push({ kind: 'mutex', key: m.database ? `${mns}/Database/Mutex/${m.name}` : `${mns}/Mutex/${m.name}`, limit: 1 });
  }
  const semaphores = sync.semaphores ?? [];
  for (const s of semaphores) {
    const ref = s.configMapKeyRef;
    if (ref) {
      const sns = s.namespace ?? ns;
      const raw = op.env.configMap?.(sns, ref.name ?? '', ref.key ?? '');
      if (raw === undefined) throw new Error(`failed to get semaphore limit: ConfigMap ${sns}/${ref.name} has no key ${ref.key}`);
      const limit = Number.parseInt(raw, 10);
      if (Number.isNaN(limit)) throw new Error(`semaphore limit in ConfigMap ${ref.name}/${ref.key} is not an integer: ${raw}`);
      out.push({ kind: 'semaphore', key: `${sns}/ConfigMap/${ref.name}/${ref.key}`, limit });
    } else if (s.database) {
      throw new Error('database semaphores need a lock database row (synchronization.semaphore.database): configure a ConfigMap semaphore instead');
    }
  }
  return out;
}

export function holds(op: Operation, holder: string): boolean {
  const s = syncStatus(op);
  return (s.mutex?.holding ?? []).some((h) => h.holder === holder)
    || (s.semaphore?.holding ?? []).some((h) => h.holders.includes(holder));
}

/** True when the holder has its locks; otherwise asks for them (once) and returns false. */
export function acquireLocks(op: Operation, holder: string, sync: Synchronization): boolean {
  if (holds(op, holder)) return true;
  const locks = lockRequests(op, sync);
  if (locks.length === 0) return true;
  op.emit({ type: 'acquire-lock', id: `lock:${holder}`, holder, locks, priority: op.wf.spec?.priority ?? 0 });
  return false;
}

export function recordGrant(op: Operation, holder: string, locks: LockRequest[]): void {
  const s = syncStatus(op);
  for (const lock of locks) {
    if (lock.kind === 'mutex') {
      s.mutex ??= {};
      s.mutex.holding ??= [];
      if (!s.mutex.holding.some((h) => h.mutex === lock.key && h.holder === holder)) s.mutex.holding.push({ mutex: lock.key, holder });
    } else {
      s.semaphore ??= {};
      s.semaphore.holding ??= [];
      let entry = s.semaphore.holding.find((h) => h.semaphore === lock.key);
      if (!entry) {
        entry = { semaphore: lock.key, holders: [] };
        s.semaphore.holding.push(entry);
      }
      if (!entry.holders.includes(holder)) entry.holders.push(holder);
    }
  }
}

export function releaseLocks(op: Operation, holder: string, tmpl: Template | undefined): void {
  if (!tmpl?.synchronization && !holds(op, holder)) return;
  releaseHolder(op, holder);
}

export function releaseHolder(op: Operation, holder: string): void {
  if (!holds(op, holder)) return;
  const s = syncStatus(op);
  if (s.mutex?.holding) s.mutex.holding = s.mutex.holding.filter((h) => h.holder !== holder);
  if (s.semaphore?.holding) {
    for (const h of s.semaphore.holding) h.holders = h.holders.filter((x) => x !== holder);
    s.semaphore.holding = s.semaphore.holding.filter((h) => h.holders.length > 0);
  }
  op.emit({ type: 'release-lock', id: `unlock:${holder}`, holder });
}
