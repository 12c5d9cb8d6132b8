// Drives the pure engine with no I/O: every start action is answered by a function of
// the action (a stand-in executor), time advances virtually to the engine's wake-ups.
// Used by the engine's table tests and by the scheduler benchmark.
import { reconcile, type EngineAction, type EngineEnvironment, type EngineEvent, type NodeOutcome, type StartNodeAction } from '../../core/engine/index.js';
import type { Workflow, WorkflowStatus } from '../../core/spec/index.js';

export type Answer = (action: StartNodeAction, now: number) => NodeOutcome | { after: number; outcome: NodeOutcome } | 'never';

export interface SimulationResult {
  status: WorkflowStatus;
  actions: EngineAction[];
  reconciles: number;
  now: number;
}

export function simulate(workflow: Workflow, answer: Answer, opts: { start?: number; env?: EngineEnvironment; maxSteps?: number; events?: (now: number) => EngineEvent[]; inPlace?: boolean; forget?: boolean } = {}): SimulationResult {
  let now = opts.start ?? Date.UTC(2026, 0, 1);
  let status: WorkflowStatus | undefined;
  const all: EngineAction[] = [];
  const pending: { at: number; event: EngineEvent }[] = [];
  let events: EngineEvent[] = [{ type: 'tick' }];
  let reconciles = 0;
  const maxSteps = opts.maxSteps ?? 100_000;
  while (reconciles < maxSteps) {
    // forget: a copy the engine never saw, so every reconcile rebuilds its memory (progress.ts)
    const given = opts.forget && status ? structuredClone(status) : status;
    const result = reconcile(workflow, given, events, now, opts.env ?? {}, { inPlace: opts.inPlace });
    reconciles++;
    status = result.status;
    all.push(...result.actions);
    for (const a of result.actions) {
      if (a.type === 'start') {
        const r = answer(a, now);
        if (r === 'never') continue;
        if ('after' in r) pending.push({ at: now + r.after, event: { type: 'node-finished', nodeId: a.nodeId, outcome: r.outcome } });
        else pending.push({ at: now, event: { type: 'node-finished', nodeId: a.nodeId, outcome: r } });
      } else if (a.type === 'acquire-lock') {
        pending.push({ at: now, event: { type: 'lock-granted', holder: a.holder, locks: a.locks } });
      } else if (a.type === 'kill') {
        const i = pending.findIndex((p) => p.event.type === 'node-finished' && p.event.nodeId === a.nodeId);
        if (i >= 0) pending[i] = { at: now, event: { type: 'node-finished', nodeId: a.nodeId, outcome: { phase: 'Failed', message: a.reason } } };
      }
    }
    if (result.done) break;
    const extra = opts.events?.(now) ?? [];
    if (pending.length === 0 && extra.length === 0) {
      if (result.wakeAt === undefined) break;
      now = Math.max(now, result.wakeAt);
      events = [{ type: 'tick' }];
      continue;
    }
    pending.sort((a, b) => a.at - b.at);
    const nextAt = pending.length ? pending[0].at : now;
    if (result.wakeAt !== undefined && result.wakeAt < nextAt) {
      now = Math.max(now, result.wakeAt);
      events = [{ type: 'tick' }, ...extra];
      continue;
    }
    now = Math.max(now, nextAt);
    events = [...extra];
    while (pending.length && pending[0].at <= now) events.push((pending.shift() as { event: EngineEvent }).event);
    if (events.length === 0) events.push({ type: 'tick' });
  }
  return { status: status ?? {}, actions: all, reconciles, now };
}
