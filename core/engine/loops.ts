// withItems / withParam / withSequence: one step or task per item, named
// `name(index:description)` exactly as Argo's generateNodeName, with `{{item}}` and
// `{{item.key}}` substituted into a copy of the step.
import { substituteDeep, type Vars } from '../expr/index.js';
import { loopNodeName } from './names.js';
import { isFulfilled, type Operation } from './context.js';
import type { GroupProgress } from './progress.js';
import { resolveTemplate, type TemplateContext, type TemplateHolder } from './templates.js';
import type { NodeStatus } from './types.js';

export interface Loopable {
  name?: string;
  template?: string;
  when?: string;
  withItems?: unknown[];
  withParam?: string;
  withSequence?: { count?: string | number; start?: string | number; end?: string | number; format?: string };
}

export function shouldExpand(step: Loopable): boolean {
  return (step.withItems !== undefined && step.withItems.length > 0) || Boolean(step.withParam) || step.withSequence !== undefined;
}

/** Go's fmt %v for JSON values, as Argo prints items into node names and item.key values. */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatGoFloat(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, v]) => `${k}:${goFormat(v)}`).join(' ')}]`;
}

function formatGoFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) {
    const [mant, exp] = n.toExponential().split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(n);
}

/** JSON with sorted keys, as Go's json.Marshal of a map. */
export function goJSON(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(goJSON).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${goJSON(v)}`).join(',')}}`;
}

export function loopItems(step: Loopable, what: string): unknown[] {
  if (step.withItems !== undefined && step.withItems.length > 0) return step.withItems;
  if (step.withParam) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(step.withParam);
    } catch (err) {
      throw new Error(`withParam value could not be parsed as a JSON list: ${step.withParam.trim()}: ${(err as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new Error(`withParam value could not be parsed as a JSON list: ${step.withParam.trim()}`);
    return parsed;
  }
  if (step.withSequence) return expandSequence(step.withSequence);
  throw new Error(`${what}: no loop to expand`);
}

export function expandSequence(seq: NonNullable<Loopable['withSequence']>): string[] {
  const int = (v: string | number | undefined, field: string): number => {
    const n = typeof v === 'number' ? v : Number.parseInt(String(v), 10);
    if (!Number.isInteger(n) || (typeof v === 'string' && !/^-?\d+$/.test(v.trim()))) throw new Error(`withSequence.${field}: "${v}" is not an integer`);
    return n;
  };
  const start = seq.start !== undefined ? int(seq.start, 'start') : 0;
  let end: number;
  if (seq.end !== undefined) end = int(seq.end, 'end');
  else if (seq.count !== undefined) {
    const count = int(seq.count, 'count');
    if (count === 0) return [];
    end = start + count - 1;
  } else throw new Error('neither end nor count was specified in withSequence');
  const format = seq.format ?? '%d';
  const out: string[] = [];
  if (start <= end) for (let i = start; i <= end; i++) out.push(sprintfInt(format, i));
  else for (let i = start; i >= end; i--) out.push(sprintfInt(format, i));
  return out;
}

/** printf for one integer: %d %5d %05d %x %X %o %s and literal text, as withSequence.format uses. */
export function sprintfInt(format: string, n: number): string {
  return format.replace(/%(-?)(0?)(\d*)([dxXosv%])/g, (_m, left: string, zero: string, width: string, verb: string) => {
    if (verb === '%') return '%';
    let body = verb === 'x' ? Math.abs(n).toString(16) : verb === 'X' ? Math.abs(n).toString(16).toUpperCase() : verb === 'o' ? Math.abs(n).toString(8) : String(Math.abs(n));
    const sign = n < 0 ? '-' : '';
    const w = width ? Number(width) : 0;
    if (zero && !left) body = sign + body.padStart(Math.max(0, w - sign.length), '0');
    else body = sign + body;
    return left ? body.padEnd(w) : body.padStart(w);
  });
}

export interface ExpandedItem<T> {
  step: T;
  itemEnv: Record<string, unknown>;
}

// Expansions are recomputed on every pass for every looped step; the result depends only on
// the (resolved) step and the values of the variables it still names, so it is cached.
const expansions = new Map<string, unknown[]>();
const MAX_EXPANSIONS = 512;

/** One copy of `step` per item with item variables substituted (strictly unless `when` is false). */
export function expandLoop<T extends Loopable>(step: T, vars: Vars, whenFalse: (when: string | undefined) => boolean, what: string): T[] {
  const { text, names } = loopText(step);
  if (names === undefined) return expandLoopUncached(step, vars, whenFalse, what);
  const key = `${what}\u0000${text}\u0000${JSON.stringify(names.map((n) => vars[n] ?? null))}`;
  const hit = expansions.get(key);
  if (hit) return hit as T[];
  const out = expandLoopUncached(step, vars, whenFalse, what);
  if (expansions.size >= MAX_EXPANSIONS) expansions.clear();
  expansions.set(key, out);
  return out;
}

const texts = new WeakMap<object, { text: string; names: string[] | undefined }>();

/** The step's JSON and the variables it names (undefined: it has expressions), per step object. */
function loopText(step: object): { text: string; names: string[] | undefined } {
  let t = texts.get(step);
  if (!t) {
    const text = JSON.stringify(step);
    const names = text.includes('{{=')
      ? undefined
      : [...text.matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)].map((m) => m[1]).filter((n) => n !== 'item' && !n.startsWith('item.'));
    t = { text, names };
    texts.set(step, t);
  }
  return t;
}

function expandLoopUncached<T extends Loopable>(step: T, vars: Vars, whenFalse: (when: string | undefined) => boolean, what: string): T[] {
  const items = loopItems(step, what);
  const { withItems: _i, withParam: _p, withSequence: _s, ...rest } = step;
  const out: T[] = [];
  items.forEach((item, index) => {
    const local: Vars = { ...vars };
    let description: string;
    const extraEnv: Record<string, unknown> = {};
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const entries = Object.entries(item as Record<string, unknown>);
      const parts: string[] = [];
      for (const [k, v] of entries) {
        local[`item.${k}`] = typeof v === 'object' && v !== null ? goJSON(v) : goFormat(v);
        parts.push(`${k}:${goFormat(v)}`);
      }
      local.item = goJSON(item);
      parts.sort();
      description = parts.join(',');
      extraEnv.item = item;
    } else if (Array.isArray(item)) {
      local.item = goJSON(item);
      description = goFormat(item);
      extraEnv.item = item;
    } else if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
      local.item = goFormat(item);
      description = goFormat(item);
    } else {
      throw new Error(`${what}.withItems[${index}] expected string, number, list, or map. received: ${goFormat(item)}`);
    }
    const lenient = whenFalse(step.when);
    const copy = substituteDeep(rest, local, { allowUnresolved: lenient, env: extraEnv, path: `${what}(${index})` }) as T;
    copy.name = loopNodeName(step.name ?? '', index, description);
    copy.template = step.template;
    out.push(copy);
  });
  return out;
}

/**
 * Which items of a running loop (a step group, or a DAG task's expansion) are finished,
 * kept in the engine memory under the node holding them while it expands to the same
 * items (expansions are cached, so they are the same objects). Items are `${prefix}.${name}`.
 */
export function loopProgress<T extends { name?: string; when?: string }>(op: Operation, holderId: string, prefix: string, expanded: T[]): GroupProgress<T> {
  const kept = op.memory.groups.get(holderId) as GroupProgress<T> | undefined;
  if (kept && (kept.steps === expanded || (kept.steps.length === expanded.length && kept.steps.every((t, i) => t === expanded[i])))) return kept;
  const names = expanded.map((t) => `${prefix}.${t.name ?? ''}`);
  const ids = names.map((name) => op.nodeId(name));
  const settled = new Uint8Array(expanded.length);
  let maxStarted = -1;
  ids.forEach((id, i) => {
    const node = op.status.nodes[id];
    if (node) maxStarted = i;
    if (isFulfilled(node)) settled[i] = 1;
  });
  let firstOpen = 0;
  while (firstOpen < settled.length && settled[firstOpen]) firstOpen++;
  const progress: GroupProgress<T> = { steps: expanded, names, ids, settled, firstOpen, maxStarted, anyWhen: expanded.some((t) => Boolean(t.when)) };
  op.memory.groups.set(holderId, progress as GroupProgress<unknown>);
  return progress;
}

/**
 * Whether a node is a leaf still at work that a visit would leave as it is: a Pod, HTTP or
 * Plugin node Pending or Running, not waiting for a lock, not a daemon; its template has
 * nothing that acts while it runs (deadline, timeout, retries, locks, memoization, daemon,
 * display name); the workflow has no deadline and is not shutting down. Its outcome comes
 * as an event. Loops and DAGs skip such visits: one would only read the node again, and a
 * node read counts as changed for the store (serialized once more). The template verdict
 * is kept in the engine memory.
 */
export function busyLeaf(op: Operation, node: NodeStatus | undefined, holder: TemplateHolder, ctx: TemplateContext): boolean {
  if (!node || (node.phase !== 'Pending' && node.phase !== 'Running')) return false;
  if (node.type !== 'Pod' && node.type !== 'HTTP' && node.type !== 'Plugin') return false;
  if (node.synchronizationStatus || node.daemoned || op.deadline !== undefined || op.shuttingDown) return false;
  if (holder.template === undefined || holder.templateRef || holder.inline) return false;
  // One workflow per memory: a local template's name is key enough.
  const key = ctx.kind === 'local' ? holder.template : `${ctx.kind}/${ctx.name}/${holder.template}`;
  const quiet = op.memory.quietTemplates;
  let known = quiet.get(key);
  if (known === undefined) {
    known = quietTemplate(op, holder, ctx);
    quiet.set(key, known);
  }
  return known;
}

function quietTemplate(op: Operation, holder: TemplateHolder, ctx: TemplateContext): boolean {
  let t;
  try {
    t = resolveTemplate(op, ctx, holder).template;
  } catch {
    return false;
  }
  const kind = Boolean(t.container || t.script || t.http || t.plugin) && !t.containerSet && !t.resource && !t.data;
  return kind && t.retryStrategy === undefined && t.synchronization === undefined && t.memoize === undefined
    && t.timeout === undefined && t.activeDeadlineSeconds === undefined && !t.daemon
    && t.annotations?.['workflows.argoproj.io/display-name'] === undefined;
}
