// The abort signal a step is given. Node's AbortSignal is built on EventTarget, and making
// one costs about 2 µs (plus its share of GC): more than the rest of the runtime's work for
// an http node. StepSignal is the part of it executors use; StepAbort is a controller and
// signal in one, with a list of listeners. An AbortSignal is a StepSignal too, so tests
// and callers may pass one. Code that hands the signal to an API wanting a real
// AbortSignal (child processes, timers/promises) converts it once with toAbortSignal.

export interface StepSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export class StepAbort implements StepSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] | undefined;
  private linked: AbortController | undefined;

  /** As EventTarget: a listener added twice is called once, one added after the abort never. */
  addEventListener(_type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    if (this.aborted) return;
    const listeners = (this.listeners ??= []);
    if (!listeners.includes(listener)) listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.listeners?.indexOf(listener) ?? -1;
    if (at >= 0) this.listeners?.splice(at, 1);
  }

  /** Aborts once; later calls do nothing. The default reason is AbortSignal's own. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) {
      try {
        listener();
      } catch (err) {
        // As EventTarget does: the other listeners still run, the error is not swallowed.
        process.nextTick(() => {
          throw err;
        });
      }
    }
    this.linked?.abort(this.reason);
  }

  /** A real AbortSignal that aborts with this one (made on first use). */
  asAbortSignal(): AbortSignal {
    if (!this.linked) {
      this.linked = new AbortController();
      if (this.aborted) this.linked.abort(this.reason);
    }
    return this.linked.signal;
  }
}

/** The signal as an AbortSignal, for APIs that check for one. */
export function toAbortSignal(signal: StepSignal): AbortSignal {
  if (signal instanceof AbortSignal) return signal;
  if (signal instanceof StepAbort) return signal.asAbortSignal();
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller.signal;
}
