// Control-flow outcomes of executeTemplate that are not node failures (Argo's
// ErrParallelismReached, ErrDeadlineExceeded, ErrTimeout): callers decide what to do.
export class ParallelismReached extends Error {
  constructor() {
    super('parallelism reached');
  }
}

/** Thrown on every pass for every node that must wait: one instance, no stack to capture. */
export const PARALLELISM_REACHED = (() => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const e = new ParallelismReached();
  Error.stackTraceLimit = limit;
  return e;
})();

export class TemplateTimeout extends Error {}

export class MaxDepthExceeded extends Error {
  constructor() {
    super('Maximum recursion depth exceeded. See https://argo-workflows.readthedocs.io/en/latest/scaling/#maximum-recursion-depth');
  }
}
