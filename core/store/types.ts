// The Store contract shared by the runtime, the server and the CLI. Every write that
// advances a run (new status + the actions it asks for + the actions it completed) is
// one call and one transaction, so a crash between any two calls resumes cleanly.

/** Objects Weft keeps besides runs: WorkflowTemplate, ClusterWorkflowTemplate,
 * CronWorkflow, ConfigMap, Secret, GitSource, GitTrigger, PersistentVolumeClaim... */
export interface StoredObject {
  kind: string;
  namespace: string; // '' for cluster-scoped kinds
  name: string;
  labels: Record<string, string>;
  body: Record<string, unknown>; // the whole object as JSON
  resourceVersion: number; // bumped on every write
  updatedAt: string; // RFC 3339
}

export interface StoredRun {
  namespace: string;
  name: string;
  uid: string;
  phase: string; // status.phase, '' until the first reconcile
  labels: Record<string, string>;
  /** The whole Workflow object: metadata, spec, status (incl. storedTemplates). */
  workflow: Record<string, unknown>;
  resourceVersion: number;
  createdAt: string;
  finishedAt?: string;
}

export interface PendingAction {
  id: string; // unique within the run, deterministic (e.g. `start:${nodeId}:${attempt}`)
  action: Record<string, unknown>; // an engine action as JSON
}

export interface RunCommit {
  workflow: Record<string, unknown>; // new Workflow object (status included)
  phase: string;
  finishedAt?: string;
  addActions: PendingAction[];
  doneActionIds: string[];
  /** Optimistic concurrency: the resourceVersion the writer read; mismatch throws WEFT_E_CONFLICT. */
  expectedVersion?: number;
}

export interface LogLine {
  nodeId: string;
  stream: 'stdout' | 'stderr';
  text: string;
  at: string;
}

export interface RunQuery {
  namespace?: string;
  phases?: string[];
  /** Kubernetes-style equality/set selector already parsed by the caller. */
  labels?: (labels: Record<string, string>) => boolean;
  limit?: number;
}

export interface Store {
  createRun(run: Omit<StoredRun, 'resourceVersion'>, actions?: PendingAction[]): StoredRun;
  getRun(namespace: string, name: string): StoredRun | undefined;
  listRuns(query?: RunQuery): StoredRun[];
  /** Runs not yet Succeeded/Failed/Error: picked up again after a restart. */
  unfinishedRuns(): StoredRun[];
  deleteRun(namespace: string, name: string): boolean;
  /** One transaction: new status, new pending actions, completed actions removed. */
  commitRun(namespace: string, name: string, commit: RunCommit): StoredRun;
  pendingActions(namespace: string, name: string): PendingAction[];

  appendLogs(runUid: string, lines: LogLine[]): void;
  readLogs(runUid: string, nodeId?: string): LogLine[];

  putObject(obj: Omit<StoredObject, 'resourceVersion' | 'updatedAt'>): StoredObject;
  getObject(kind: string, namespace: string, name: string): StoredObject | undefined;
  listObjects(kind: string, namespace?: string): StoredObject[];
  deleteObject(kind: string, namespace: string, name: string): boolean;

  close(): void;
}
