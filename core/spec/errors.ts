// The one error hierarchy of Weft. Every error a user can see carries a stable code
// (WEFT_E_...), a message they can act on, and where known the file, line:col and the
// JSON path of the offending field. Split as n8n does: UserError (bad input),
// OperationalError (the world failed: a process, a socket, a disk), InternalError (a bug).

export interface SourcePosition {
  file?: string;
  line?: number; // 1-based
  col?: number; // 1-based
}

export interface Issue extends SourcePosition {
  code: string;
  path: string; // JSON path, e.g. spec.templates[2].dag.tasks[0].dependencies
  message: string;
  severity: 'error' | 'warning';
}

export class WeftError extends Error {
  readonly code: string;
  readonly path?: string;
  readonly issues: Issue[];

  constructor(code: string, message: string, options: { path?: string; issues?: Issue[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.path = options.path;
    this.issues = options.issues ?? [];
  }
}

/** Bad input from a user: a file, a flag, a parameter, an expression. Exit code 2. */
export class UserError extends WeftError {}

/** Something outside Weft failed: a process, a socket, a disk. */
export class OperationalError extends WeftError {}

/** A broken invariant inside Weft: always a bug to report. */
export class InternalError extends WeftError {}

export function formatIssue(issue: Issue): string {
  const pos = issue.line !== undefined && issue.line > 0 ? `:${issue.line}:${issue.col ?? 1}` : '';
  const where = issue.file ? `${issue.file}${pos} ` : '';
  const path = issue.path ? `${issue.path} ` : '';
  return `${where}${path}${issue.message} (${issue.code})`;
}
