// Memoization caches, kept as ConfigMaps as Argo does: one ConfigMap per cache name,
// one data entry per key holding {nodeID, outputs, creationTimestamp, lastHitTimestamp}.
import type { Outputs } from '../spec/index.js';
import type { Store } from '../store/index.js';
import { parseDurationMs } from '../engine/index.js';

interface Entry {
  nodeID: string;
  outputs?: Outputs;
  creationTimestamp: string;
  lastHitTimestamp?: string;
}

export class MemoCache {
  constructor(private readonly store: Store, private readonly now: () => number) {}

  load(namespace: string, cache: string, key: string, maxAge?: string): Outputs | undefined {
    const obj = this.store.getObject('ConfigMap', namespace, cache);
    const raw = (obj?.body.data as Record<string, string> | undefined)?.[key];
    if (!raw) return undefined;
    let entry: Entry;
    try {
      entry = JSON.parse(raw) as Entry;
    } catch {
      return undefined;
    }
    if (maxAge) {
      const created = Date.parse(entry.creationTimestamp);
      if (Number.isNaN(created) || this.now() - created > parseDurationMs(maxAge)) return undefined;
    }
    return entry.outputs ?? {};
  }

  save(namespace: string, cache: string, key: string, nodeID: string, outputs: Outputs | undefined): void {
    const existing = this.store.getObject('ConfigMap', namespace, cache);
    const body = existing?.body ?? {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: cache, namespace, labels: { 'workflows.argoproj.io/configmap-type': 'Cache' } },
    };
    const data = { ...((body.data as Record<string, string> | undefined) ?? {}) };
    const at = new Date(this.now()).toISOString();
    data[key] = JSON.stringify({ nodeID, outputs, creationTimestamp: at, lastHitTimestamp: at } satisfies Entry);
    this.store.putObject({
      kind: 'ConfigMap', namespace, name: cache,
      labels: { 'workflows.argoproj.io/configmap-type': 'Cache' },
      body: { ...body, data },
    });
  }
}
