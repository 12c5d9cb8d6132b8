// Drives one run: feeds events to the pure engine, commits the new status together with
// the actions it asked for (one store transaction), then performs those actions. Events
// that arrive while a step is being committed are batched into the next reconcile.
import type { Template, Workflow, WorkflowSpec } from '../spec/index.js';
import { findTags } from '../expr/index.js';
import {
  reconcile, type EngineAction, type EngineEvent, type NodeOutcome, type NodeStatus, type StartNodeAction, type WorkflowStatus,
} from '../engine/index.js';
import { StepAbort, type ArtifactRepository, type StepExecutor, type StepOutcome, type StepSignal } from '../executors/index.js';
import type { PendingAction, Store } from '../store/index.js';
import type { LockManager } from './locks.js';
import type { MemoCache } from './memo.js';
import { configMapValue, storeValueSources } from './values.js';
import { ExecutorPluginHost } from './executor-plugins.js';
import type { RunEvent, RunEventListener } from './events.js';

export type ExecutorResolver = (template: Template) => StepExecutor | undefined;

export interface RunDeps {
  store: Store;
  executorFor: ExecutorResolver;
  artifacts: ArtifactRepository;
  locks: LockManager;
  memo: MemoCache;
  runRoot: string;
  now: () => number;
  emit: (event: RunEvent) => void;
  logger?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

const TAG_PREFIXES = /^(inputs|outputs|steps|tasks|workflow|item|pod|node|retries|lastRetry)(\.|$)/;

export class RunController {
  readonly key: string;
  private workflow: Workflow;
  private readonly execSpec: WorkflowSpec;
  private queue: EngineEvent[] = [];
  private scheduled = false;
  private stepping = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt: number | undefined;
  private readonly inflight = new Map<string, StepAbort>();
  private performed: string[] = [];
  private finishedStarts: string[] = [];
  private done = false;
  private closed = false;
  private readonly plugins: ExecutorPluginHost;
  private resolveDone!: (wf: Workflow) => void;
  private rejectDone!: (err: unknown) => void;
  readonly finished: Promise<Workflow>;

  constructor(private readonly deps: RunDeps, workflow: Workflow, execSpec: WorkflowSpec) {
    this.workflow = workflow;
    this.execSpec = execSpec;
    this.key = `${workflow.metadata?.namespace ?? 'default'}/${workflow.metadata?.name ?? ''}`;
    this.plugins = new ExecutorPluginHost(
      (execSpec.executorPlugins ?? []) as ConstructorParameters<typeof ExecutorPluginHost>[0],
      deps.executorFor({ container: { image: '' } } as Template),
      () => this.baseRequest(),
    );
    this.finished = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
  }

  get namespace(): string {
    return this.workflow.metadata?.namespace ?? 'default';
  }

  get name(): string {
    return this.workflow.metadata?.name ?? '';
  }

  get current(): Workflow {
    return this.workflow;
  }

  /** Starts the loop; pending actions of a resumed run are performed again first. */
  start(pending: PendingAction[] = []): void {
    for (const p of pending) this.perform(p.action as unknown as EngineAction, true);
    this.post({ type: 'tick' });
  }

  post(event: EngineEvent): void {
    if (this.closed) return;
    this.queue.push(event);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.step());
    }
  }

  /** Stops timers and aborts running steps without recording anything (process exit). */
  close(): void {
    this.flushLogs();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.logTimer) clearTimeout(this.logTimer);
    for (const ac of this.inflight.values()) ac.abort('runtime closing');
    this.plugins.stop();
  }

  private base: ReturnType<RunController['makeBaseRequest']> | undefined;

  /** What every StepRequest of this run shares (metadata and spec do not change in a run). */
  private baseRequest(): ReturnType<RunController['makeBaseRequest']> {
    this.base ??= this.makeBaseRequest();
    return this.base;
  }

  /** Log lines of running steps, stored in batches (every 500 ms, and when a step ends). */
  private readonly logs: { nodeId: string; stream: 'stdout' | 'stderr'; text: string; at: string }[] = [];
  private logTimer: NodeJS.Timeout | undefined;

  private scheduleLogFlush(): void {
    if (this.logTimer) return;
    this.logTimer = setTimeout(() => {
      this.logTimer = undefined;
      this.flushLogs();
    }, 500);
  }

  private flushLogs(): void {
    if (this.logTimer) clearTimeout(this.logTimer);
    this.logTimer = undefined;
    if (!this.logs.length || this.closed) return;
    this.deps.store.appendLogs(this.workflow.metadata?.uid ?? this.key, this.logs.splice(0));
  }

  private makeBaseRequest(): Omit<Parameters<StepExecutor['execute']>[0], 'template' | 'node' | 'signal' | 'daemoned'> {
    const meta = this.workflow.metadata ?? {};
    return {
      workflow: {
        name: this.name, namespace: this.namespace, uid: meta.uid ?? '',
        labels: stringMap(meta.labels), annotations: stringMap(meta.annotations),
      },
      artifactKeyPrefix: `${this.name}/plugins`,
      artifacts: this.deps.artifacts,
      values: storeValueSources(this.deps.store, this.namespace),
      runDir: `${this.deps.runRoot}/${meta.uid ?? this.name}`,
      volumes: this.execSpec.volumes ?? [],
      volumeClaims: this.execSpec.volumeClaimTemplates ?? [],
      log: () => undefined,
    };
  }

  private step(): void {
    this.scheduled = false;
    if (this.stepping || this.closed) return;
    this.stepping = true;
    try {
      this.stepOnce();
    } catch (err) {
      this.deps.logger?.error({ err, run: this.key }, 'reconcile failed');
      this.rejectDone(err);
      this.closed = true;
    } finally {
      this.stepping = false;
    }
    if (this.queue.length && !this.scheduled && !this.closed) {
      this.scheduled = true;
      setImmediate(() => this.step());
    }
  }

  private stepOnce(): void {
    const events = this.queue.splice(0);
    if (events.length === 0) events.push({ type: 'tick' });
    const now = this.deps.now();
    const ns = this.namespace;
    const before = this.workflow.status as WorkflowStatus | undefined;
    const previousPhase = before?.phase;
    const execWf = { ...this.workflow, spec: this.execSpec } as Workflow;
    // The status is handed over (updated in place): nothing else holds it between steps,
    // and the store keeps its own serialized copy.
    const result = reconcile(execWf, before, events, now, {
      configMap: (namespace, name, key) => configMapValue(this.deps.store, namespace, name, key),
      memoized: (namespace, cache, key, maxAge) => this.deps.memo.load(namespace, cache, key, maxAge),
    }, { inPlace: true });
    for (const e of events) if (e.type === 'node-finished') this.finishedStarts.push(`start:${e.nodeId}`);
    const status = result.status;
    this.workflow = { ...this.workflow, status };
    const phase = status.phase ?? '';
    const finishedAt = result.done ? status.finishedAt : undefined;
    const addActions: PendingAction[] = result.actions
      .filter((a) => a.type === 'start')
      .map((a) => ({ id: a.id, action: a as unknown as Record<string, unknown> }));
    this.deps.store.commitRun(ns, this.name, {
      workflow: this.workflow as unknown as Record<string, unknown>,
      phase,
      ...(finishedAt ? { finishedAt } : {}),
      addActions,
      doneActionIds: [...this.finishedStarts, ...this.performed],
      changedNodes: result.changedNodes,
    });
    this.finishedStarts = [];
    this.performed = [];
    this.announce(result.transitions, previousPhase, status);
    for (const action of result.actions) this.perform(action, false);
    this.setTimer(result.wakeAt);
    if (result.done) this.maybeFinish();
  }

  private announce(transitions: { id: string; previousPhase: string | undefined }[], previousPhase: string | undefined, after: WorkflowStatus): void {
    const nodes = after.nodes ?? {};
    for (const t of transitions) {
      const node = nodes[t.id];
      if (node && node.phase !== t.previousPhase) this.deps.emit({ type: 'node', run: this.key, node, previousPhase: t.previousPhase });
    }
    if (previousPhase !== after.phase) this.deps.emit({ type: 'workflow', run: this.key, workflow: this.workflow, previousPhase });
  }

  private maybeFinish(): void {
    if (this.done || this.inflight.size > 0) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.plugins.stop();
    this.deps.locks.releaseRun(this.key);
    this.resolveDone(this.workflow);
  }

  private setTimer(at: number | undefined): void {
    if (at === undefined) return;
    if (this.timer && this.timerAt !== undefined && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    const delay = Math.max(0, at - this.deps.now()) + 5;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = undefined;
      this.post({ type: 'tick' });
    }, Math.min(delay, 2 ** 31 - 1));
  }

  private perform(action: EngineAction, resumed: boolean): void {
    switch (action.type) {
      case 'start': {
        const node = this.workflow.status?.nodes?.[action.nodeId];
        if (resumed && node && ['Succeeded', 'Failed', 'Error', 'Skipped', 'Omitted'].includes(node.phase ?? '')) {
          this.finishedStarts.push(action.id);
          return;
        }
        void this.runNode(action);
        return;
      }
      case 'kill':
        this.inflight.get(action.nodeId)?.abort(action.reason);
        this.performed.push(action.id);
        return;
      case 'acquire-lock':
        this.deps.locks.request(this.key, action.holder, action.locks, action.priority);
        return;
      case 'release-lock':
        this.deps.locks.release(this.key, action.holder);
        return;
      case 'save-memo':
        this.deps.memo.save(this.namespace, action.cache, action.key, action.nodeId, action.outputs);
        return;
      default:
        return;
    }
  }

  private async runNode(action: StartNodeAction): Promise<void> {
    if (this.inflight.has(action.nodeId)) return;
    // Not an AbortController: making its signal costs more than the rest of an http node's
    // runtime work (see core/executors/signal.ts).
    const ac = new StepAbort();
    this.inflight.set(action.nodeId, ac);
    let outcome: NodeOutcome;
    try {
      outcome = await this.execute(action, ac);
    } catch (err) {
      outcome = { phase: 'Error', message: err instanceof Error ? err.message : String(err) };
    }
    this.inflight.delete(action.nodeId);
    if (this.closed) return;
    this.post({ type: 'node-finished', nodeId: action.nodeId, outcome });
  }

  private async execute(action: StartNodeAction, signal: StepSignal): Promise<NodeOutcome> {
    const ns = this.namespace;
    const unresolved = leftoverTag(action.template);
    if (unresolved) return { phase: 'Error', message: `failed to resolve {{${unresolved}}} in template ${action.template.name ?? ''}` };
    if (action.memoize) {
      const hit = this.deps.memo.load(ns, action.memoize.cache, action.memoize.key, action.memoize.maxAge);
      if (hit) return { phase: 'Succeeded', outputs: hit, memoHit: true };
    }
    // As Argo's agent, http and plugin nodes stay Pending until their result: no Running
    // phase (a pass and a commit saved per call).
    if (action.template.plugin) return this.plugins.execute(this.workflow, action.template, signal);
    const executor = this.deps.executorFor(action.template);
    if (!executor) return { phase: 'Error', message: `no executor can run template ${action.template.name ?? ''} here` };
    if (!action.template.http) this.post({ type: 'node-running', nodeId: action.nodeId });
    let result: StepOutcome;
    try {
      const base = this.baseRequest();
      // Field by field: a spread plus the fields below is a slow generic copy, per step.
      result = await executor.execute({
        workflow: base.workflow,
        artifacts: base.artifacts,
        values: base.values,
        runDir: base.runDir,
        volumes: base.volumes,
        volumeClaims: base.volumeClaims,
        node: { id: action.nodeId, name: action.nodeName, displayName: action.displayName, podName: action.podName },
        template: action.template,
        artifactKeyPrefix: action.artifactKeyPrefix,
        signal,
        log: (stream, text) => {
          this.logs.push({ nodeId: action.nodeId, stream, text, at: new Date(this.deps.now()).toISOString() });
          this.scheduleLogFlush();
          this.deps.emit({ type: 'log', run: this.key, nodeId: action.nodeId, stream, text });
        },
        daemoned: () => this.post({ type: 'node-daemoned', nodeId: action.nodeId }),
      });
    } finally {
      this.flushLogs(); // a step's lines are stored before its outcome is
    }
    if (action.memoize && result.phase === 'Succeeded') {
      this.deps.memo.save(ns, action.memoize.cache, action.memoize.key, action.nodeId, result.outputs);
    }
    // Assigned, not spread: conditional spreads of small objects are a slow generic copy.
    const outcome: NodeOutcome = { phase: result.phase };
    if (result.message !== undefined) outcome.message = result.message;
    if (result.exitCode !== undefined) outcome.exitCode = result.exitCode;
    if (result.outputs) outcome.outputs = result.outputs;
    if (result.containers) outcome.containers = result.containers;
    return outcome;
  }

  /** Called by the lock manager when this run's holder got its locks. */
  lockGranted(holder: string, locks: Parameters<LockManager['request']>[2]): void {
    this.post({ type: 'lock-granted', holder, locks });
  }
}

export function stringMap(m: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m ?? {})) out[k] = String(v);
  return out;
}

// Templates bound without substitution are the same object for every node that runs them.
const leftovers = new WeakMap<Template, { tag: string | undefined }>();

/** A `{{...}}` Weft knows that survived substitution: the step would run with it literally. */
function leftoverTag(template: Template): string | undefined {
  let known = leftovers.get(template);
  if (!known) {
    known = { tag: findLeftoverTag(template) };
    leftovers.set(template, known);
  }
  return known.tag;
}

function findLeftoverTag(template: Template): string | undefined {
  let found: string | undefined;
  const visit = (v: unknown): void => {
    if (found) return;
    if (typeof v === 'string') {
      if (!v.includes('{{')) return;
      for (const tag of findTags(v)) {
        if (tag.kind === 'simple' && TAG_PREFIXES.test(tag.name)) {
          found = tag.name;
          return;
        }
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  // metrics are evaluated after the step ({{status}}, {{duration}}, outputs), never by it
  const { steps: _s, dag: _d, metrics: _m, ...rest } = template;
  visit(rest);
  return found;
}

export type { NodeStatus };
