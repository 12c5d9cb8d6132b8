// Control-flow outcomes of executeTemplate that are not node failures (Argo's
// ErrParallelismReached, ErrDeadlineExceeded, ErrTimeout): callers decide what to do.
export class ParallelismReached extends Error {
  constructor() {
    super('parallelism reached');
  }
}

export class TemplateTimeout extends Error {}

export class MaxDepthExceeded extends Error {
  constructor() {
    super('Maximum recursion depth exceeded. See https://argo-workflows.readthedocs.io/en/latest/scaling/#maximum-recursion-depth');
  }
}
