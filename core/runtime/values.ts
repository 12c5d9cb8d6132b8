// Secret and ConfigMap values for steps, read from the store (objects loaded with
// --load, applied through the API, or synced from Git). Secret data is base64 as in
// Kubernetes; stringData is plain.
import type { ValueSources } from '../executors/index.js';
import type { Store } from '../store/index.js';

export function storeValueSources(store: Store, namespace: string): ValueSources {
  return {
    secret(name, key) {
      const obj = store.getObject('Secret', namespace, name)?.body;
      if (!obj) return undefined;
      const stringData = obj.stringData as Record<string, string> | undefined;
      if (stringData && key in stringData) return String(stringData[key]);
      const data = obj.data as Record<string, string> | undefined;
      if (data && key in data) return Buffer.from(String(data[key]), 'base64').toString('utf8');
      return undefined;
    },
    configMap(name, key) {
      return configMapValue(store, namespace, name, key);
    },
    secretKeys(name) {
      const obj = store.getObject('Secret', namespace, name)?.body;
      if (!obj) return undefined;
      return [...new Set([...Object.keys((obj.data as object | undefined) ?? {}), ...Object.keys((obj.stringData as object | undefined) ?? {})])];
    },
    configMapKeys(name) {
      const obj = store.getObject('ConfigMap', namespace, name)?.body;
      if (!obj) return undefined;
      return Object.keys((obj.data as object | undefined) ?? {});
    },
  };
}

export function configMapValue(store: Store, namespace: string, name: string, key: string): string | undefined {
  const obj = store.getObject('ConfigMap', namespace, name)?.body;
  const data = obj?.data as Record<string, unknown> | undefined;
  if (!data || !(key in data)) return undefined;
  return String(data[key]);
}
