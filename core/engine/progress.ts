// What the engine remembers between reconciles so a pass costs what changed, not the
// whole workflow: per running DAG, which tasks are settled (finished, nothing left to do
// on them), how many dependencies each waiting task still waits for, and the candidates
// a pass must visit. It is derived data: dropping it only costs a rebuild from the status,
// which is what happens for a status the engine did not produce itself.
import type { Workflow, WorkflowStatus, WorkflowStep } from '../spec/index.js';

/** A DAG node's progress over its tasks; tasks are named by their index in the visit order. */
export interface DagProgress {
  /** The visit order it was built for (one per template and targets): another rebuilds it. */
  readonly order: object;
  /** Finished and releasing its dependents (hooks done). */
  readonly released: Set<number>;
  /** Dependencies not yet released, per task. */
  readonly waiting: Int32Array;
  /** Tasks a pass visits: not settled, and ready or already started. */
  readonly candidates: Set<number>;
}

/**
 * Which children of a running step group (or items of a DAG loop task) are finished, kept
 * while it expands to the same steps (loop expansions are cached: the same objects).
 */
export interface GroupProgress<T = WorkflowStep> {
  readonly steps: T[];
  readonly names: string[];
  readonly ids: string[];
  readonly settled: Uint8Array;
  /** Items before this index are all settled: a pass starts here. */
  firstOpen: number;
  /** Highest index of an item with a node (-1: none). Items start in order, so none after it has one. */
  maxStarted: number;
  /** Some item has a `when` (a skipped item gets its node even at the parallelism limit). */
  readonly anyWhen: boolean;
}

/** Marks item i finished and moves firstOpen past the settled prefix. */
export function settleItem(progress: GroupProgress<unknown>, i: number): void {
  progress.settled[i] = 1;
  while (progress.firstOpen < progress.settled.length && progress.settled[progress.firstOpen]) progress.firstOpen++;
}

export class EngineMemory {
  readonly dags = new Map<string, DagProgress>();
  /** Per running step group or DAG loop task: its expanded items and which finished. */
  readonly groups = new Map<string, GroupProgress<unknown>>();
  /** Node children as sets, for addChild on wide nodes (checked against the list's length). */
  readonly children = new Map<string, Set<string>>();
  /** The run's fixed workflow.* variables (globals.ts), for the startedAt they were made with. */
  globals: { startedAt: string; vars: Record<string, string> } | undefined;
  /** Leaf nodes (Pod, HTTP, Plugin) not finished yet, once counted (workflow parallelism). */
  unfinishedLeaves: Set<string> | undefined;
  /**
   * Per template (by context and name): nothing in it acts while its node runs (loops.ts
   * busyLeaf). Depends on the spec only, so kept across clear().
   */
  readonly quietTemplates = new Map<string, boolean>();
  /** Node IDs by node name (a hash each; names are asked for many times a pass). */
  private ids = new Map<string, string>();
  private idsWorkflow = '';
  constructor(readonly spec: unknown) {}

  /** The ID cache of the workflow with this name (kept across clear(): IDs never change). */
  idsOf(workflowName: string): Map<string, string> {
    if (workflowName !== this.idsWorkflow) {
      this.ids = new Map();
      this.idsWorkflow = workflowName;
    }
    return this.ids;
  }

  clear(): void {
    this.dags.clear();
    this.groups.clear();
    this.children.clear();
    this.unfinishedLeaves = undefined;
    this.globals = undefined;
  }
}

const memories = new WeakMap<object, EngineMemory>();

/**
 * The memory left by the reconcile that produced this status, taken over by the next one
 * (a status reconciled twice gets a fresh memory the second time, so branches never share).
 */
export function takeMemory(status: WorkflowStatus | undefined, workflow: Workflow): EngineMemory {
  const found = status ? memories.get(status) : undefined;
  if (status) memories.delete(status);
  if (found && found.spec === workflow.spec) return found;
  return new EngineMemory(workflow.spec);
}

export function keepMemory(status: WorkflowStatus, memory: EngineMemory): void {
  memories.set(status, memory);
}
