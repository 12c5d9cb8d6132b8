// Argo executor plugins declared in a workflow (spec.executorPlugins): each sidecar runs as a
// daemon step of the run (through the local executor), and plugin templates are sent to the
// sidecars in order until one claims them. Sidecars end with the run.
import { connect } from 'node:net';
import type { Template, Workflow } from '../spec/index.js';
import { callTemplateExecute } from '../executors/plugin/index.js';
import { toAbortSignal, type StepExecutor, type StepOutcome, type StepRequest, type StepSignal } from '../executors/index.js';
import { parseDurationMs } from '../engine/index.js';

interface Sidecar {
  name: string;
  port: number;
  ready: Promise<void>;
  abort: AbortController;
}

interface PluginSpec {
  metadata?: { name?: string };
  spec?: { sidecar?: { container?: Record<string, unknown> } };
}

export class ExecutorPluginHost {
  private sidecars: Sidecar[] | undefined;

  constructor(
    private readonly plugins: PluginSpec[],
    private readonly local: StepExecutor | undefined,
    private readonly baseRequest: () => Omit<StepRequest, 'template' | 'node' | 'signal' | 'daemoned'>,
  ) {}

  get declared(): boolean {
    return this.plugins.length > 0;
  }

  async execute(workflow: Workflow, template: Template, stepSignal: StepSignal): Promise<StepOutcome> {
    const signal = toAbortSignal(stepSignal);
    const sidecars = this.start();
    if (sidecars.length === 0) return { phase: 'Error', message: `no executor plugin handles template ${template.name ?? ''}: declare one in spec.executorPlugins` };
    const meta = workflow.metadata ?? {};
    const call = { workflow: { metadata: { name: meta.name ?? '', namespace: meta.namespace ?? 'default', uid: meta.uid ?? '' } }, template };
    for (;;) {
      let requeue: number | undefined;
      for (const sc of sidecars) {
        await sc.ready;
        const reply = await callTemplateExecute(`http://127.0.0.1:${sc.port}`, call, signal);
        if (!reply.node) continue;
        const phase = reply.node.phase ?? '';
        if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Error') {
          return { phase, ...(reply.node.message ? { message: reply.node.message } : {}), ...(reply.node.outputs ? { outputs: reply.node.outputs } : {}) };
        }
        requeue = reply.requeue ? parseDurationMs(reply.requeue) : 1000;
        break;
      }
      if (requeue === undefined) return { phase: 'Error', message: `no executor plugin claimed template ${template.name ?? ''}` };
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, requeue);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new Error(String(signal.reason ?? 'aborted')));
        }, { once: true });
      });
    }
  }

  stop(): void {
    for (const sc of this.sidecars ?? []) sc.abort.abort('workflow finished');
  }

  private start(): Sidecar[] {
    if (this.sidecars) return this.sidecars;
    this.sidecars = [];
    if (!this.local) return this.sidecars;
    for (const plugin of this.plugins) {
      const container = plugin.spec?.sidecar?.container;
      if (!container) continue;
      const name = plugin.metadata?.name ?? String(container.name ?? 'plugin');
      const ports = (container.ports as { containerPort?: number }[] | undefined) ?? [];
      const port = ports[0]?.containerPort ?? 4355;
      const abort = new AbortController();
      const local = this.local;
      const base = this.baseRequest();
      const ready = new Promise<void>((resolve, reject) => {
        void local.execute({
          ...base,
          template: { name, daemon: true, container: container as Template['container'] } as Template,
          node: { id: `plugin-${name}`, name: `plugin-${name}`, displayName: name, podName: `plugin-${name}` },
          signal: abort.signal,
          daemoned: () => void waitForPort(port, abort.signal).then(resolve, reject),
        }).then((outcome) => reject(new Error(`executor plugin ${name} exited: ${outcome.message ?? outcome.phase}`)), reject);
      });
      ready.catch(() => undefined);
      this.sidecars.push({ name, port, ready, abort });
    }
    return this.sidecars;
  }
}

async function waitForPort(port: number, signal: AbortSignal, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!signal.aborted) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`executor plugin did not listen on port ${port} within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
