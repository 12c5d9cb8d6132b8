// One reconcile pass: the workflow, a private copy of its status, the clock value handed
// in, and the actions collected so far. Every other engine module works through this.
import type { Template, Workflow } from '../spec/index.js';
import { nodeIdFor } from './names.js';
import type {
  EngineAction, EngineEnvironment, NodePhase, NodeStatus, NodeType, WorkflowStatus,
} from './types.js';
import type { Vars } from '../expr/index.js';
import { EngineMemory } from './progress.js';
import { isUnfinishedLeaf } from './parallelism.js';

export interface EngineState {
  shutdown?: 'Stop' | 'Terminate';
  shutdownMessage?: string;
  suspended?: boolean;
}

export type MutableStatus = WorkflowStatus & { nodes: Record<string, NodeStatus>; weft?: EngineState };

const FULFILLED: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Error', 'Skipped', 'Omitted']);

export function isFulfilled(node: NodeStatus | undefined): boolean {
  return node !== undefined && FULFILLED.has(node.phase ?? '');
}

export function isCompleted(node: NodeStatus | undefined): boolean {
  return isFulfilled(node) && node?.phase !== 'Skipped' && node?.phase !== 'Omitted';
}

export function failedOrError(phase: string | undefined): boolean {
  return phase === 'Failed' || phase === 'Error';
}

let lastSecond = NaN;
let lastText = '';

/** Argo's time format for status: RFC 3339 with whole seconds (one string per second). */
export function formatTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
}

// Status times are whole seconds, so the nodes of a run share few distinct texts: parsed
// once each (Date.parse costs about a microsecond, and deadlines parse on every visit).
const parsedTimes = new Map<string, number>();

/** Date.parse of a status time (NaN when absent or invalid), memoized. */
export function timeMs(text: string | undefined): number {
  if (!text) return NaN;
  let ms = parsedTimes.get(text);
  if (ms === undefined) {
    ms = Date.parse(text);
    if (parsedTimes.size >= 256) parsedTimes.clear();
    parsedTimes.set(text, ms);
  }
  return ms;
}

export function parseTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A finished node's run time in whole seconds, as Argo's lastRetry.duration. */
export function durationSeconds(node: NodeStatus): number {
  const start = timeMs(node.startedAt);
  const end = timeMs(node.finishedAt);
  if (Number.isNaN(start) || Number.isNaN(end)) return 0;
  return Math.max(0, Math.round((end - start) / 1000));
}

export interface InitNodeOptions {
  type: NodeType;
  phase: NodePhase;
  boundaryID?: string;
  templateName?: string;
  templateRef?: { name: string; template: string; clusterScope?: boolean };
  templateScope: string;
  message?: string;
  displayName?: string;
  hooked?: boolean;
  retried?: boolean;
}

export class Operation {
  readonly wf: Workflow;
  readonly name: string;
  readonly namespace: string;
  readonly status: MutableStatus;
  readonly now: number;
  readonly env: EngineEnvironment;
  readonly actions: EngineAction[] = [];
  wakeAt: number | undefined;
  /** Nodes created or changed in phase during this pass: 0 means a further pass is useless. */
  changes = 0;
  /** Recursion depth of executeTemplate in this pass. */
  depth = 0;
  /** Pods (leaf nodes) Pending or Running: counted once per pass for workflow parallelism. */
  activePods = 0;
  /** Workflow-level variables: workflow.*, set once per pass. */
  globals: Vars = {};
  /** Deadline of the workflow (activeDeadlineSeconds), epoch ms. */
  deadline: number | undefined;
  /** Templates of the steps/DAG nodes executed this pass, by node id (for parallelism). */
  readonly boundaryTemplates = new Map<string, Template>();
  /** Derived state kept between reconciles (see progress.ts). */
  readonly memory: EngineMemory;
  /** Phase before this reconcile of every node created or moved (undefined: new node). */
  readonly transitions: Map<string, string | undefined>;
  /** Every node handed out for writing this reconcile: a superset of the nodes changed. */
  readonly touched: Set<string>;
  private actionIds = new Set<string>();
  private members: Map<string, string[]> | undefined;

  constructor(
    wf: Workflow, status: MutableStatus, now: number, env: EngineEnvironment,
    memory = new EngineMemory(wf.spec), transitions = new Map<string, string | undefined>(), touched = new Set<string>(),
  ) {
    this.wf = wf;
    this.memory = memory;
    this.transitions = transitions;
    this.touched = touched;
    this.name = wf.metadata?.name ?? 'workflow';
    this.namespace = wf.metadata?.namespace ?? 'default';
    this.status = status;
    this.now = now;
    this.env = env;
  }

  /** IDs of the nodes whose boundaryID is the given node. */
  boundaryMembers(boundaryID: string): string[] {
    if (!this.members) {
      this.members = new Map();
      for (const node of Object.values(this.status.nodes)) {
        if (!node.boundaryID) continue;
        const list = this.members.get(node.boundaryID);
        if (list) list.push(node.id);
        else this.members.set(node.boundaryID, [node.id]);
      }
    }
    return this.members.get(boundaryID) ?? [];
  }

  get state(): EngineState {
    this.status.weft ??= {};
    return this.status.weft;
  }

  get shuttingDown(): boolean {
    return this.state.shutdown !== undefined;
  }

  nodeId(name: string): string {
    const ids = this.memory.idsOf(this.name);
    let id = ids.get(name);
    if (id === undefined) {
      id = nodeIdFor(this.name, name);
      ids.set(name, id);
    }
    return id;
  }

  node(name: string): NodeStatus | undefined {
    return this.nodeById(this.nodeId(name));
  }

  /** A node to read only: not reported as changed (writers use node/nodeById/initNode). */
  peek(id: string): Readonly<NodeStatus> | undefined {
    return this.status.nodes[id];
  }

  /** Engine modules write to nodes only through what this (or node/initNode) returns. */
  nodeById(id: string): NodeStatus | undefined {
    const node = this.status.nodes[id];
    if (node !== undefined) this.touched.add(id);
    return node;
  }

  initNode(name: string, opts: InitNodeOptions): NodeStatus {
    const id = this.nodeId(name);
    const existing = this.status.nodes[id];
    if (existing) return existing;
    const node: NodeStatus = {
      id,
      name,
      displayName: opts.displayName ?? displayNameOf(name, opts.boundaryID ? this.status.nodes[opts.boundaryID]?.name : undefined),
      type: opts.type,
      phase: opts.phase,
      templateScope: opts.templateScope,
      startedAt: formatTime(this.now),
    };
    if (opts.templateName) node.templateName = opts.templateName;
    if (opts.templateRef) node.templateRef = opts.templateRef;
    if (opts.boundaryID) node.boundaryID = opts.boundaryID;
    if (opts.message) node.message = opts.message;
    if (opts.hooked || opts.retried) {
      node.nodeFlag = {};
      if (opts.hooked) node.nodeFlag.hooked = true;
      if (opts.retried) node.nodeFlag.retried = true;
    }
    if (FULFILLED.has(opts.phase)) node.finishedAt = formatTime(this.now);
    this.status.nodes[id] = node;
    this.touched.add(id);
    if (this.memory.unfinishedLeaves && isUnfinishedLeaf(node)) this.memory.unfinishedLeaves.add(id);
    this.changes++;
    if (!this.transitions.has(id)) this.transitions.set(id, undefined);
    if (this.members && opts.boundaryID) {
      const list = this.members.get(opts.boundaryID);
      if (list) list.push(id);
      else this.members.set(opts.boundaryID, [id]);
    }
    return node;
  }

  markPhase(name: string, phase: NodePhase, message?: string): NodeStatus {
    const node = this.node(name);
    if (!node) throw new Error(`engine: no node named ${name}`);
    return this.markNode(node, phase, message);
  }

  markNode(node: NodeStatus, phase: NodePhase, message?: string): NodeStatus {
    this.touched.add(node.id);
    if (node.phase !== phase) {
      this.changes++;
      if (!this.transitions.has(node.id)) this.transitions.set(node.id, node.phase);
      node.phase = phase;
      if (FULFILLED.has(phase)) node.finishedAt ??= formatTime(this.now);
      else delete node.finishedAt;
    }
    if (message !== undefined) {
      if (message === '') delete node.message;
      else node.message = message;
    }
    return node;
  }

  markError(name: string, err: unknown): NodeStatus {
    return this.markPhase(name, 'Error', errorMessage(err));
  }

  addChild(parentName: string, childName: string): void {
    const parent = this.node(parentName);
    if (!parent) return;
    const childId = this.nodeId(childName);
    const children = (parent.children ??= []);
    if (children[children.length - 1] === childId) return;
    if (children.length < 32) {
      if (!children.includes(childId)) children.push(childId);
      return;
    }
    // Wide groups add to long lists on every pass: membership through a set kept with them.
    let set = this.memory.children.get(parent.id);
    if (!set || set.size !== children.length) {
      set = new Set(children);
      this.memory.children.set(parent.id, set);
    }
    if (set.has(childId)) return;
    children.push(childId);
    set.add(childId);
  }

  emit(action: EngineAction): void {
    if (this.actionIds.has(action.id)) return;
    this.actionIds.add(action.id);
    this.actions.push(action);
  }

  wakeAtLeastBy(ms: number): void {
    if (this.wakeAt === undefined || ms < this.wakeAt) this.wakeAt = ms;
  }
}

const STEPS_OR_DAG_SEPARATOR = /^(\[\d+\])?\./;

/** Argo: the node name minus its boundary node's name, minus a leading `[n].` or `.`. */
export function displayNameOf(nodeName: string, boundaryName: string | undefined): string {
  if (boundaryName === undefined) return nodeName;
  const trimmed = nodeName.startsWith(boundaryName) ? nodeName.slice(boundaryName.length) : nodeName;
  return trimmed.replace(STEPS_OR_DAG_SEPARATOR, '');
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export type { Template };
