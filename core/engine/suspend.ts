// suspend templates: a Suspend node that waits for a duration, or for `resume` (with
// output parameters supplied by the resumer), as Argo's executeSuspend.
import type { Template } from '../spec/index.js';
import { isFulfilled, timeMs, type Operation } from './context.js';
import { parseDurationMs } from './durations.js';
import { refOf, type ExecuteOptions } from './execute.js';
import type { TemplateHolder } from './templates.js';
import type { NodeStatus } from './types.js';

interface SuspendOptions extends ExecuteOptions {
  holder: TemplateHolder;
  scope: string;
}

export function executeSuspend(op: Operation, nodeName: string, tmpl: Template, opts: SuspendOptions): NodeStatus {
  let node = op.node(nodeName);
  if (!node) {
    node = op.initNode(nodeName, {
      type: 'Suspend', phase: 'Pending', boundaryID: opts.boundaryID, templateName: opts.holder.template, templateRef: refOf(opts.holder),
      templateScope: opts.scope, hooked: opts.hooked, retried: opts.retried,
    });
    if (tmpl.inputs?.parameters?.length) node.inputs = structuredClone(tmpl.inputs);
    const supplied = (tmpl.outputs?.parameters ?? []).filter((p) => p.valueFrom?.supplied !== undefined);
    if (supplied.length) {
      node.outputs = {
        parameters: supplied.map((p) => {
          const def = p.valueFrom?.default ?? tmpl.inputs?.parameters?.find((i) => i.name === p.name)?.default;
          return { ...p, valueFrom: { ...p.valueFrom, ...(def !== undefined ? { default: def } : {}) } };
        }),
      };
    }
  }
  if (isFulfilled(node)) return node;
  if (op.shuttingDown && !opts.onExit) return op.markNode(node, 'Failed', `workflow shutdown with strategy: ${op.state.shutdown}`);
  if (tmpl.suspend?.duration) {
    const until = (timeMs(node.startedAt) || op.now) + parseDurationMs(tmpl.suspend.duration);
    if (op.now >= until) {
      applyDefaults(node);
      return op.markNode(node, 'Succeeded');
    }
    op.wakeAtLeastBy(until);
  }
  return op.markNode(node, 'Running');
}

/** Resuming: supplied output parameters take the resumer's values, else their defaults. */
export function resumeSuspendNode(op: Operation, node: NodeStatus, values: Record<string, string> | undefined): void {
  for (const p of node.outputs?.parameters ?? []) {
    const given = values?.[p.name];
    if (given !== undefined) {
      p.value = given;
      delete p.valueFrom;
    }
  }
  applyDefaults(node);
  op.markNode(node, 'Succeeded', '');
}

function applyDefaults(node: NodeStatus): void {
  for (const p of node.outputs?.parameters ?? []) {
    if (p.value === undefined && p.valueFrom?.default !== undefined) p.value = p.valueFrom.default;
    if (p.value !== undefined) delete p.valueFrom;
  }
}
