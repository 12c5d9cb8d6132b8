// Live progress while `weft run` waits: on a terminal the whole tree is redrawn in place
// (like `argo submit --watch`); elsewhere one line per node phase change.
import type { Workflow } from '../../core/spec/index.js';
import type { RunEvent } from '../../core/runtime/index.js';
import { renderRun } from './tree.js';

export class LiveView {
  private timer: NodeJS.Timeout | undefined;
  private lastLines = 0;
  private latest: Workflow | undefined;
  private readonly tty: boolean;

  constructor(private readonly out: NodeJS.WriteStream, private readonly mode: 'quiet' | 'progress', private readonly wide: boolean) {
    this.tty = Boolean(out.isTTY);
    if (this.tty && mode === 'progress') {
      this.timer = setInterval(() => this.redraw(), 250);
      this.timer.unref();
    }
  }

  onEvent(event: RunEvent, current: Workflow): void {
    this.latest = current;
    if (this.mode === 'quiet' || this.tty) return;
    if (event.type === 'node' && event.node.type !== 'StepGroup' && event.node.type !== 'TaskGroup') {
      const n = event.node;
      const msg = n.message ? `: ${n.message}` : '';
      this.out.write(`${n.phase?.padEnd(9)} ${n.displayName ?? n.name}${msg}\n`);
    }
  }

  private redraw(): void {
    if (!this.latest) return;
    const text = renderRun(this.latest, Date.now(), this.wide);
    const clear = this.lastLines ? `\x1b[${this.lastLines}A\x1b[J` : '';
    this.out.write(clear + text);
    this.lastLines = text.split('\n').length - 1;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.tty && this.lastLines) this.out.write(`\x1b[${this.lastLines}A\x1b[J`);
    this.lastLines = 0;
  }
}
