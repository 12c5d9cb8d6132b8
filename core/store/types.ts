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
  /** The run's finish time; omitted means not finished (a retried run loses its old one). */
  finishedAt?: string;
  /** New labels (e.g. Argo's workflows.argoproj.io/completed); omitted keeps the current ones. */
  labels?: Record<string, string>;
  /** Inserted in order after the run update; an id already pending keeps its first action and place. */
  addActions: PendingAction[];
  /** Removed after addActions are inserted; unknown ids are ignored (completion is idempotent). */
  doneActionIds: string[];
  /**
   * Ids of the status.nodes entries that may have changed since this run's previous
   * commitRun, when status.nodes is the same object as then (the runtime updates one status
   * in place). The store then reuses its serialization of the others; omit it when unsure.
   * Likewise a `workflow.spec` object already committed must not be mutated afterwards.
   */
  changedNodes?: string[];
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

/**
 * Semantics shared by every implementation (test/store/contract.test.ts runs the same table
 * against each):
 * - Values are stored as JSON: what a read returns is what JSON.parse(JSON.stringify(x)) gives,
 *   always a fresh copy, so callers can neither see nor cause aliasing of stored state.
 * - Writes return the stored record; its JSON payload (`workflow`, `body`) is the caller's own
 *   object, not a copy, which spares the runtime a parse per node transition. Mutating it later
 *   never changes what is stored; everything else in the result is fresh.
 * - resourceVersion starts at 1 and goes up by one on every write of that run/object.
 * - Errors: UserError WEFT_E_ALREADY_EXISTS (createRun: same namespace/name or uid),
 *   UserError WEFT_E_NOT_FOUND (commitRun/appendLogs on a missing run), OperationalError
 *   WEFT_E_CONFLICT (stale expectedVersion), OperationalError WEFT_E_STORE_CLOSED (use after
 *   close), WEFT_E_STORE_OPEN / WEFT_E_STORE_VERSION / WEFT_E_STORE_READONLY / WEFT_E_STORE_IO
 *   (SQLite only). A write that throws has changed nothing.
 * - Orders: listRuns newest createdAt first (ties: newest created first); unfinishedRuns oldest
 *   first (the order to resume in); pendingActions in the order they were added; readLogs in
 *   append order; listObjects by namespace then name.
 */
export interface Store {
  createRun(run: Omit<StoredRun, 'resourceVersion'>, actions?: PendingAction[]): StoredRun;
  getRun(namespace: string, name: string): StoredRun | undefined;
  listRuns(query?: RunQuery): StoredRun[];
  /** Runs not yet Succeeded/Failed/Error: picked up again after a restart. */
  unfinishedRuns(): StoredRun[];
  /** Also removes the run's pending actions and logs. */
  deleteRun(namespace: string, name: string): boolean;
  /** One transaction: new status, new pending actions, completed actions removed. */
  commitRun(namespace: string, name: string, commit: RunCommit): StoredRun;
  /** [] for a run that does not exist. */
  pendingActions(namespace: string, name: string): PendingAction[];

  /** All lines or none; throws WEFT_E_NOT_FOUND if no run has this uid. */
  appendLogs(runUid: string, lines: LogLine[]): void;
  readLogs(runUid: string, nodeId?: string): LogLine[];

  /** Creates or replaces; resourceVersion = previous + 1, updatedAt = the store's clock. */
  putObject(obj: Omit<StoredObject, 'resourceVersion' | 'updatedAt'>): StoredObject;
  getObject(kind: string, namespace: string, name: string): StoredObject | undefined;
  listObjects(kind: string, namespace?: string): StoredObject[];
  deleteObject(kind: string, namespace: string, name: string): boolean;

  /** Idempotent; any later call throws WEFT_E_STORE_CLOSED. */
  close(): void;
}
