// Removing step scratch directories in a worker thread: a tree removal is dozens of
// metadata syscalls per step, which on the main thread (or as chains of libuv requests)
// cost more than a short step's own process.
import { rmSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

export interface ScratchRequest {
  id: number;
  dir: string;
}

export type ScratchReply = { id: number; ok: true } | { id: number; ok: false; error: string };

function remove(req: ScratchRequest): ScratchReply {
  try {
    rmSync(req.dir, { recursive: true, force: true, maxRetries: 3 });
    return { id: req.id, ok: true };
  } catch (err) {
    return { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (req: ScratchRequest) => parentPort?.postMessage(remove(req)));
