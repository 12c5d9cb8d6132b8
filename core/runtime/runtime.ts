// The runtime a CLI run and a server share: submits runs, drives each with a
// RunController, owns the lock table and the memo caches, resumes unfinished runs after a
// restart, and fans run events out to subscribers.
import type { Workflow, WorkflowSpec } from '../spec/index.js';
import { UserError } from '../spec/index.js';
import type { EngineEvent } from '../engine/index.js';
import type { ArtifactRepository } from '../executors/index.js';
import type { Store } from '../store/index.js';
import { LockManager } from './locks.js';
import { MemoCache } from './memo.js';
import { RunController, stringMap, type ExecutorResolver } from './run-controller.js';
import { prepareRun } from './submit.js';
import type { RunEvent, RunEventListener } from './events.js';

export interface RuntimeOptions {
  store: Store;
  executorFor: ExecutorResolver;
  artifacts: ArtifactRepository;
  /** Host directory for per-run scratch data (volumes, step sandboxes). */
  runRoot: string;
  now?: () => number;
  logger?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

export class Runtime {
  private readonly runs = new Map<string, RunController>();
  private readonly listeners = new Set<RunEventListener>();
  readonly locks: LockManager;
  private readonly memo: MemoCache;
  private readonly now: () => number;

  constructor(private readonly opts: RuntimeOptions) {
    this.now = opts.now ?? Date.now;
    this.locks = new LockManager((runKey, holder, locks) => this.runs.get(runKey)?.lockGranted(holder, locks));
    this.memo = new MemoCache(opts.store, this.now);
  }

  subscribe(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit = (event: RunEvent): void => {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.opts.logger?.warn({ err }, 'run event listener failed');
      }
    }
  };

  /** Stores the workflow as a new run and starts it. Resolves to the controller. */
  submit(workflow: Workflow): RunController {
    const { workflow: prepared, execSpec } = prepareRun(this.opts.store, workflow);
    const meta = prepared.metadata ?? {};
    this.opts.store.createRun({
      namespace: meta.namespace ?? 'default',
      name: meta.name ?? '',
      uid: meta.uid ?? '',
      phase: '',
      labels: stringMap(meta.labels),
      workflow: prepared as unknown as Record<string, unknown>,
      createdAt: meta.creationTimestamp ?? new Date(this.now()).toISOString(),
    });
    return this.startController(prepared, execSpec, []);
  }

  /** Picks up every run that was not finished when the process stopped. */
  resumeUnfinished(): RunController[] {
    const out: RunController[] = [];
    for (const run of this.opts.store.unfinishedRuns()) {
      const key = `${run.namespace}/${run.name}`;
      if (this.runs.has(key)) continue;
      const wf = run.workflow as unknown as Workflow;
      const status = (wf.status ?? {}) as { storedWorkflowTemplateSpec?: WorkflowSpec; synchronization?: SyncStatus };
      const execSpec = status.storedWorkflowTemplateSpec ?? wf.spec ?? {};
      this.restoreLocks(key, status.synchronization);
      out.push(this.startController(wf, execSpec, this.opts.store.pendingActions(run.namespace, run.name)));
    }
    return out;
  }

  get(namespace: string, name: string): RunController | undefined {
    return this.runs.get(`${namespace}/${name}`);
  }

  /** stop / terminate / suspend / resume a running workflow. */
  signal(namespace: string, name: string, event: EngineEvent): void {
    const run = this.runs.get(`${namespace}/${name}`);
    if (!run) throw new UserError('WEFT_E_NOT_RUNNING', `workflow ${namespace}/${name} is not running in this process`);
    run.post(event);
  }

  close(): void {
    for (const run of this.runs.values()) run.close();
    this.runs.clear();
  }

  private startController(wf: Workflow, execSpec: WorkflowSpec, pending: Parameters<RunController['start']>[0]): RunController {
    const controller = new RunController({
      store: this.opts.store,
      executorFor: this.opts.executorFor,
      artifacts: this.opts.artifacts,
      locks: this.locks,
      memo: this.memo,
      runRoot: this.opts.runRoot,
      now: this.now,
      emit: this.emit,
      logger: this.opts.logger,
    }, wf, execSpec);
    this.runs.set(controller.key, controller);
    controller.finished.then(() => this.runs.delete(controller.key), () => this.runs.delete(controller.key));
    controller.start(pending);
    return controller;
  }

  private restoreLocks(key: string, sync: SyncStatus | undefined): void {
    for (const h of sync?.mutex?.holding ?? []) this.locks.restore(key, h.holder, h.mutex, 1);
    for (const h of sync?.semaphore?.holding ?? []) for (const holder of h.holders) this.locks.restore(key, holder, h.semaphore, Number.MAX_SAFE_INTEGER);
  }
}

interface SyncStatus {
  mutex?: { holding?: { mutex: string; holder: string }[] };
  semaphore?: { holding?: { semaphore: string; holders: string[] }[] };
}
