// Serializing a run's Workflow on every commit without paying for what did not change: the
// spec is serialized once per object, and status.nodes entry by entry, again only for the
// nodes the commit names as changed. Entries are grouped in chunks whose text is kept, so a
// commit re-joins only the chunks holding a changed node; the rest is string concatenation,
// which V8 does without copying. The text is the JSON JSON.stringify gives for the object
// (same keys; nodes in the order they were first seen, which is their insertion order).

type Json = Record<string, unknown>;

const CHUNK = 64;

export class WorkflowSerializer {
  private spec: unknown;
  private specJson = '';
  private nodesObject: unknown;
  private position = new Map<string, number>();
  private entries: string[] = [];
  private chunks: (string | undefined)[] = [];

  /**
   * `changedNodes`: the status.nodes entries that may differ since the last call, which
   * holds only while status.nodes is the same object; undefined means any may differ.
   */
  serialize(workflow: Json, changedNodes: readonly string[] | undefined): string {
    const status = workflow.status as Json | undefined;
    const nodes = status?.nodes as Record<string, unknown> | undefined;
    if (changedNodes === undefined || nodes !== this.nodesObject || !nodes) this.reset(nodes);
    else this.update(nodes, changedNodes);
    this.nodesObject = nodes;
    let out = '';
    for (const [key, value] of Object.entries(workflow)) {
      if (value === undefined || typeof value === 'function') continue;
      let text: string;
      if (key === 'spec' && value !== null && typeof value === 'object') text = this.specText(value);
      else if (key === 'status' && nodes !== null && typeof nodes === 'object' && !Array.isArray(nodes)) text = this.statusText(value as Json);
      else text = JSON.stringify(value);
      out += `${out ? ',' : ''}${JSON.stringify(key)}:${text}`;
    }
    return `{${out}}`;
  }

  private reset(nodes: Record<string, unknown> | undefined): void {
    this.position = new Map();
    this.entries = [];
    this.chunks = [];
    if (!nodes || typeof nodes !== 'object') return;
    for (const [id, node] of Object.entries(nodes)) this.add(id, node);
  }

  private add(id: string, node: unknown): void {
    if (node === undefined || typeof node === 'function') return;
    this.position.set(id, this.entries.length);
    this.entries.push(`${JSON.stringify(id)}:${JSON.stringify(node)}`);
    this.chunks[Math.floor((this.entries.length - 1) / CHUNK)] = undefined;
  }

  private update(nodes: Record<string, unknown>, changed: readonly string[]): void {
    for (const id of changed) {
      const at = this.position.get(id);
      const node = nodes[id];
      if (at === undefined) {
        this.add(id, node);
        continue;
      }
      if (node === undefined || typeof node === 'function') {
        this.reset(nodes); // a node was removed: rare, start over
        return;
      }
      this.entries[at] = `${JSON.stringify(id)}:${JSON.stringify(node)}`;
      this.chunks[Math.floor(at / CHUNK)] = undefined;
    }
  }

  private specText(spec: unknown): string {
    if (spec !== this.spec) {
      this.specJson = JSON.stringify(spec);
      this.spec = spec;
    }
    return this.specJson;
  }

  private statusText(status: Json): string {
    let out = '';
    for (const [key, value] of Object.entries(status)) {
      if (value === undefined || typeof value === 'function') continue;
      const text = key === 'nodes' ? this.nodesText() : JSON.stringify(value);
      out += `${out ? ',' : ''}${JSON.stringify(key)}:${text}`;
    }
    return `{${out}}`;
  }

  private nodesText(): string {
    let out = '';
    for (let c = 0; c * CHUNK < this.entries.length; c++) {
      let chunk = this.chunks[c];
      if (chunk === undefined) {
        chunk = this.entries.slice(c * CHUNK, (c + 1) * CHUNK).join(',');
        this.chunks[c] = chunk;
      }
      out += c === 0 ? chunk : `,${chunk}`;
    }
    return `{${out}}`;
  }
}

/**
 * One serializer per run, as the SQLite store keeps them: made on a run's first commit,
 * dropped when it finishes or is deleted, and bounded, so runs that stop mid-way are
 * forgotten too. A commit that cannot be serialized drops it: the next one starts over
 * (its changedNodes count from the failed commit). The memory store keeps snapshots
 * instead (./snapshot.ts).
 */
export class RunSerializers {
  private readonly byRun = new Map<string, WorkflowSerializer>();

  serialize(namespace: string, name: string, commit: { workflow: Json; changedNodes?: string[]; finishedAt?: string }): string {
    const key = `${namespace}/${name}`;
    let serializer = this.byRun.get(key);
    if (!serializer) {
      if (this.byRun.size >= 1024) this.byRun.clear();
      serializer = new WorkflowSerializer();
      this.byRun.set(key, serializer);
    }
    let text: string;
    try {
      text = serializer.serialize(commit.workflow, commit.changedNodes);
    } catch (err) {
      this.byRun.delete(key);
      throw err;
    }
    if (commit.finishedAt !== undefined) this.byRun.delete(key);
    return text;
  }

  forget(namespace: string, name: string): void {
    this.byRun.delete(`${namespace}/${name}`);
  }
}

// An action's template is, for every node a literal template starts, the same object: a
// large one's text is made once. The action JSON is what JSON.stringify gives (same keys,
// same order); small templates are cheaper to stringify again than to splice.
const templateTexts = new WeakMap<object, string>();
const SPLICED_TEMPLATE_CHARS = 1024;

/** JSON of a pending action, a large `template` field's text reused across actions. */
export function actionJson(action: Json): string {
  const template = action.template;
  if (template === null || typeof template !== 'object') return JSON.stringify(action);
  let known = templateTexts.get(template);
  if (known === undefined) {
    known = JSON.stringify(template);
    templateTexts.set(template, known);
  }
  if (known.length < SPLICED_TEMPLATE_CHARS) return JSON.stringify(action);
  let out = '';
  for (const [key, value] of Object.entries(action)) {
    if (value === undefined || typeof value === 'function') continue;
    const text = key === 'template' ? known : JSON.stringify(value);
    out += `${out ? ',' : ''}${JSON.stringify(key)}:${text}`;
  }
  return `{${out}}`;
}
