// The engine's vocabulary: what comes in (events), what goes out (actions), and the
// Argo-shaped status it keeps. The engine never performs an action itself.
import type { Outputs, Template, Workflow, WorkflowStatus, NodeStatus } from '../spec/index.js';

export type { NodeStatus, WorkflowStatus };

export type NodePhase = 'Pending' | 'Running' | 'Succeeded' | 'Skipped' | 'Failed' | 'Error' | 'Omitted';
export type WorkflowPhase = '' | 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error';
export type NodeType =
  | 'Pod' | 'Container' | 'Steps' | 'StepGroup' | 'DAG' | 'TaskGroup' | 'Retry' | 'Skipped' | 'Suspend' | 'HTTP' | 'Plugin';

/** What happened outside the engine since the last reconcile. */
export type EngineEvent =
  | { type: 'tick' }
  | { type: 'node-running'; nodeId: string }
  | { type: 'node-daemoned'; nodeId: string }
  | { type: 'node-finished'; nodeId: string; outcome: NodeOutcome }
  | { type: 'lock-granted'; holder: string; locks: LockRequest[] }
  | { type: 'resume'; nodeFieldSelector?: string; outputParameters?: Record<string, string> }
  | { type: 'suspend' }
  | { type: 'stop'; message?: string }
  | { type: 'terminate'; message?: string };

export interface NodeOutcome {
  phase: 'Succeeded' | 'Failed' | 'Error';
  message?: string;
  exitCode?: number;
  outputs?: Outputs;
  containers?: { name: string; phase: string; exitCode?: number; message?: string; startedAt?: string; finishedAt?: string }[];
  /** The outcome came from a memoization cache instead of running the step. */
  memoHit?: boolean;
}

export interface StartNodeAction {
  type: 'start';
  id: string;
  nodeId: string;
  nodeName: string;
  displayName: string;
  podName: string;
  /** Fully substituted template to run. */
  template: Template;
  /** Where Argo would put this pod's artifacts: `${workflow}/${podName}`. */
  artifactKeyPrefix: string;
  /** Absolute epoch ms after which the runtime must kill the step. */
  deadline?: number;
  memoize?: { key: string; cache: string; maxAge?: string };
  onExit: boolean;
}

export interface KillNodeAction {
  type: 'kill';
  id: string;
  nodeId: string;
  reason: string;
}

export interface LockRequest {
  kind: 'mutex' | 'semaphore';
  /** Argo's lock key: `${namespace}/Mutex/${name}` or `${namespace}/ConfigMap/${name}/${key}` */
  key: string;
  /** For semaphores: the limit read from the ConfigMap at request time. */
  limit: number;
}

export interface AcquireLockAction {
  type: 'acquire-lock';
  id: string;
  holder: string; // node id, or the workflow name for workflow-level locks
  locks: LockRequest[];
  priority: number;
}

export interface ReleaseLockAction {
  type: 'release-lock';
  id: string;
  holder: string;
}

/** A steps/DAG template with `memoize` succeeded: store its outputs under the key. */
export interface SaveMemoAction {
  type: 'save-memo';
  id: string;
  nodeId: string;
  cache: string;
  key: string;
  outputs?: Outputs;
}

export type EngineAction = StartNodeAction | KillNodeAction | AcquireLockAction | ReleaseLockAction | SaveMemoAction;

/** Read-only world facts the engine may consult: snapshots taken by the runtime. */
export interface EngineEnvironment {
  configMap?(namespace: string, name: string, key: string): string | undefined;
  /** A memoization cache entry's outputs (steps/DAG templates), undefined on a miss. */
  memoized?(namespace: string, cache: string, key: string, maxAge?: string): Outputs | undefined;
}

export interface ReconcileResult {
  status: WorkflowStatus;
  actions: EngineAction[];
  /** Earliest time (epoch ms) the engine wants to be called again with a tick. */
  wakeAt?: number;
  /** True once the workflow reached Succeeded/Failed/Error and nothing is left to run. */
  done: boolean;
  /** Nodes created or moved to another phase by this reconcile, with the phase they had. */
  transitions: { id: string; previousPhase: string | undefined }[];
  /** Every node this reconcile may have changed in any field (a superset; for the store). */
  changedNodes: string[];
}

export type { Workflow };
