// Step scratch directories removed by one worker thread (scratch-worker.ts), so the main
// thread spends a message on each instead of the syscalls. The worker starts on first use
// and keeps the process alive only while removals are pending; if it dies, the next
// request starts a new one and the requests it held fail with the reason.
import { Worker } from 'node:worker_threads';
import type { ScratchReply, ScratchRequest } from './scratch-worker.js';

type Pending = { resolve: () => void; reject: (err: Error) => void };

export class ScratchDirs {
  private worker: Worker | undefined;
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  /** Removes a directory tree (rm -rf): resolves when it is gone. */
  remove(dir: string): Promise<void> {
    return this.send({ dir });
  }

  /** Stops the worker; requests still pending fail. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private send(req: Omit<ScratchRequest, 'id'>): Promise<void> {
    const worker = this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref(); // hold the process only while work is pending
      worker.postMessage({ ...req, id });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./scratch-worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (reply: ScratchReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) p.resolve();
      else p.reject(new Error(reply.error));
    });
    const fail = (err: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      const waiting = [...this.pending.values()];
      this.pending.clear();
      for (const p of waiting) p.reject(new Error(`scratch worker stopped: ${err.message}`));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
