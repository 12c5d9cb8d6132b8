// Snapshots for the in-memory store: a commit copies the values it is given instead of
// serializing them, and the JSON text is made only when something reads the run. A
// snapshot is a deep copy whose JSON.stringify equals what JSON.stringify of the original
// gave at the time of the copy, so a read (a parse of that text) returns exactly what the
// SQLite store, which keeps the text, returns. Copying a node costs about a third of
// stringifying it, and a StepGroup with 1,000 children a tenth; a run of 1,000 http nodes
// commits 2,000 node versions and 1,000 actions, and reads its state once or never.

type Json = Record<string, unknown>;

// Beyond this depth a subtree is copied through JSON, which throws JSON's own TypeError on a
// cycle (a copy would recurse forever) and handles a deep but finite value as stringify does.
const MAX_DEPTH = 256;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The value as a record whose keys JSON writes one by one, or undefined (arrays, Dates...). */
function plainRecord(value: unknown): Json | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !isPlainObject(value)) return undefined;
  return typeof (value as Json).toJSON === 'function' ? undefined : (value as Json);
}

/** What JSON.stringify would make of `value` found under `key`, parsed back. */
function viaJson(value: unknown, key: string): unknown {
  const text = JSON.stringify({ [key]: value });
  return (JSON.parse(text) as Json)[key];
}

/** Sets an own data property, also for the key `__proto__` (which `=` would not define). */
function setOwn(target: Json, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function copy(value: unknown, key: string, depth: number): unknown {
  if (value === null) return value;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'undefined' || type === 'symbol') return value;
  // bigint (throws, as stringify does, unless BigInt.prototype.toJSON exists), functions
  // (dropped, or their toJSON), objects with toJSON (Date), boxed primitives, Maps and
  // class instances: JSON decides, once, at the time of the copy.
  if (type !== 'object' || depth >= MAX_DEPTH) return viaJson(value, key);
  const object = value as Json;
  if (typeof object.toJSON === 'function') return viaJson(value, key);
  if (Array.isArray(object)) {
    const array = object as unknown[];
    const n = array.length;
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const item = array[i];
      const type = typeof item;
      out[i] = item === null || type === 'string' || type === 'number' || type === 'boolean' ? item : copy(item, String(i), depth + 1);
    }
    return out;
  }
  if (!isPlainObject(object)) return viaJson(value, key);
  // A spread (V8 clones the shape at once; it defines `__proto__` as an own key, as JSON.parse
  // does), then the values that are not primitives copied in place.
  const out: Json = { ...object };
  const keys = Object.keys(out);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const item = out[k];
    const type = typeof item;
    if (item !== null && type !== 'string' && type !== 'number' && type !== 'boolean' && type !== 'undefined') out[k] = copy(item, k, depth + 1);
  }
  return out;
}

/**
 * A deep copy of `value` that JSON.stringify turns into the same text as `value` now: the
 * same keys in the same order, undefined/functions/symbols where stringify drops them,
 * NaN and Infinity where it writes null, a Date's or any toJSON's result, and the same
 * TypeError for a cycle or a BigInt. `key` is what a toJSON method is given ('' at the top).
 */
export function jsonSnapshot(value: unknown, key = ''): unknown {
  return copy(value, key, 0);
}

/** The parse of a snapshot's JSON: a fresh value, as a read from the SQLite store is. */
export function materialize<T>(snapshot: unknown): T {
  return JSON.parse(JSON.stringify(snapshot) ?? 'null') as T;
}

// An action's template is, for every node a literal template starts, the same object; its
// snapshot is made once (templates in actions are never mutated, as for actionJson).
const templateSnapshots = new WeakMap<object, unknown>();

/** A snapshot of a pending action, its `template` field's snapshot shared across actions. */
export function actionSnapshot(action: Json): unknown {
  const template = action.template;
  if (template === null || typeof template !== 'object' || !isPlainObject(action)) return jsonSnapshot(action);
  let known = templateSnapshots.get(template);
  if (known === undefined) {
    known = jsonSnapshot(template, 'template');
    templateSnapshots.set(template, known);
  }
  const out: Json = {};
  for (const k of Object.keys(action)) setOwn(out, k, k === 'template' ? known : jsonSnapshot(action[k], k));
  return out;
}

const REMOVED = Symbol('removed');

/**
 * The stored state of one run's Workflow in the memory store. prepare() copies what a
 * commit gives, reusing the copies of the spec (per object) and of the status.nodes entries
 * the commit does not name as changed; it may throw (a cycle, a BigInt) and changes nothing
 * until the function it returns is called. json() makes the text, kept until the next apply.
 */
export class WorkflowSnapshot {
  private root: unknown = undefined;
  private spec: unknown = undefined;
  private specSnapshot: unknown = undefined;
  private nodesObject: object | undefined;
  private nodes: Json = {};
  private text: string | undefined;

  /**
   * `changedNodes`: the status.nodes entries that may differ since the last applied
   * commit, which holds only while status.nodes is the same object; undefined means any may.
   */
  prepare(workflow: Json, changedNodes: readonly string[] | undefined): () => void {
    if (plainRecord(workflow) === undefined) {
      const root = jsonSnapshot(workflow);
      return () => this.set(root, undefined, undefined, undefined, {});
    }
    const status = plainRecord(workflow.status);
    const nodes = status === undefined ? undefined : plainRecord(status.nodes);

    let freshNodes: Json | undefined; // a whole new copy of status.nodes
    let changed: readonly string[] | undefined; // or the entries to replace in the kept one,
    let copies: unknown[] | undefined; // with their copies (REMOVED: delete the entry)
    if (nodes !== undefined) {
      if (changedNodes === undefined || nodes !== this.nodesObject) freshNodes = jsonSnapshot(nodes, 'nodes') as Json;
      else {
        changed = changedNodes;
        copies = new Array<unknown>(changedNodes.length);
        for (let i = 0; i < changedNodes.length; i++) {
          const id = changedNodes[i];
          copies[i] = Object.prototype.hasOwnProperty.call(nodes, id) ? jsonSnapshot(nodes[id], id) : REMOVED;
        }
      }
    }
    const nodesCopy = freshNodes ?? this.nodes;

    const spec = workflow.spec;
    const specSnapshot = spec === this.spec && spec !== undefined ? this.specSnapshot : jsonSnapshot(spec, 'spec');
    const root: Json = {};
    for (const k of Object.keys(workflow)) {
      if (k === 'spec') setOwn(root, k, specSnapshot);
      else if (k === 'status' && status !== undefined && nodes !== undefined) {
        const statusCopy: Json = {};
        for (const s of Object.keys(status)) setOwn(statusCopy, s, s === 'nodes' ? nodesCopy : jsonSnapshot(status[s], s));
        setOwn(root, k, statusCopy);
      } else setOwn(root, k, jsonSnapshot(workflow[k], k));
    }
    return () => {
      if (changed !== undefined && copies !== undefined) {
        for (let i = 0; i < changed.length; i++) {
          const copy = copies[i];
          if (copy === REMOVED) delete this.nodes[changed[i]];
          else setOwn(this.nodes, changed[i], copy);
        }
      }
      this.set(root, spec, specSnapshot, nodes, nodes === undefined ? {} : nodesCopy);
    };
  }

  /** Forget what the copies were made from: the next prepare copies everything again. */
  invalidate(): void {
    this.nodesObject = undefined;
  }

  /** The stored Workflow as JSON text. */
  json(): string {
    this.text ??= JSON.stringify(this.root) ?? 'null';
    return this.text;
  }

  private set(root: unknown, spec: unknown, specSnapshot: unknown, nodesObject: object | undefined, nodes: Json): void {
    this.root = root;
    this.spec = spec;
    this.specSnapshot = specSnapshot;
    this.nodesObject = nodesObject;
    this.nodes = nodes;
    this.text = undefined;
  }
}
