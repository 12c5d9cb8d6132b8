// The lock table behind `synchronization`: mutexes and ConfigMap semaphores shared by
// every run this process drives. Waiters are served by priority, then in arrival order.
import type { LockRequest } from '../engine/index.js';

interface Waiter {
  runKey: string;
  holder: string;
  locks: LockRequest[];
  priority: number;
  seq: number;
}

export type GrantListener = (runKey: string, holder: string, locks: LockRequest[]) => void;

export class LockManager {
  private holders = new Map<string, Set<string>>(); // lock key -> `${runKey}\u0000${holder}`
  private limits = new Map<string, number>();
  private waiting: Waiter[] = [];
  private seq = 0;

  constructor(private readonly onGrant: GrantListener) {}

  /** Rebuilds holdings of a run after a restart, from its status. */
  restore(runKey: string, holder: string, key: string, limit: number): void {
    this.limits.set(key, limit);
    this.set(key).add(`${runKey}\u0000${holder}`);
  }

  request(runKey: string, holder: string, locks: LockRequest[], priority: number): void {
    for (const l of locks) this.limits.set(l.key, l.limit);
    if (this.holdsAll(runKey, holder, locks)) {
      this.onGrant(runKey, holder, locks);
      return;
    }
    if (!this.waiting.some((w) => w.runKey === runKey && w.holder === holder)) {
      this.waiting.push({ runKey, holder, locks, priority, seq: this.seq++ });
    }
    this.grantWaiting();
  }

  release(runKey: string, holder: string): void {
    const id = `${runKey}\u0000${holder}`;
    for (const set of this.holders.values()) set.delete(id);
    this.waiting = this.waiting.filter((w) => !(w.runKey === runKey && w.holder === holder));
    this.grantWaiting();
  }

  /** Drops everything a run holds or waits for (the run ended or was deleted). */
  releaseRun(runKey: string): void {
    const prefix = `${runKey}\u0000`;
    for (const set of this.holders.values()) for (const id of [...set]) if (id.startsWith(prefix)) set.delete(id);
    this.waiting = this.waiting.filter((w) => w.runKey !== runKey);
    this.grantWaiting();
  }

  private set(key: string): Set<string> {
    let s = this.holders.get(key);
    if (!s) {
      s = new Set();
      this.holders.set(key, s);
    }
    return s;
  }

  private holdsAll(runKey: string, holder: string, locks: LockRequest[]): boolean {
    const id = `${runKey}\u0000${holder}`;
    return locks.every((l) => this.set(l.key).has(id));
  }

  private grantWaiting(): void {
    this.waiting.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
    for (const w of [...this.waiting]) {
      const id = `${w.runKey}\u0000${w.holder}`;
      const free = w.locks.every((l) => {
        const s = this.set(l.key);
        return s.has(id) || s.size < (this.limits.get(l.key) ?? l.limit);
      });
      if (!free) continue;
      for (const l of w.locks) this.set(l.key).add(id);
      this.waiting = this.waiting.filter((x) => x !== w);
      this.onGrant(w.runKey, w.holder, w.locks);
    }
  }
}
