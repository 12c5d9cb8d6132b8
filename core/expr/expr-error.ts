// Errors of the expression layer. Inside the evaluators a failure is an ExprRuntimeError
// (cheap, carries an offset into the source once known); at the public API boundary every
// failure becomes a UserError with a stable code, the expression text, line:col and the
// field path, so a user can find and fix the offending tag.
import { InternalError, UserError, WeftError } from '../spec/index.js';

export const CODE_EXPR = 'WEFT_E_EXPR';
export const CODE_WHEN = 'WEFT_E_WHEN';
export const CODE_UNRESOLVED = 'WEFT_E_UNRESOLVED';
export const CODE_UNCLOSED_TAG = 'WEFT_E_EXPR_UNCLOSED_TAG';
export const CODE_INTERNAL = 'WEFT_E_EXPR_INTERNAL';

/** A failure while lexing, parsing or evaluating; `pos` is a UTF-16 offset into the source, -1 if not yet known. */
export class ExprRuntimeError extends Error {
  pos: number;
  constructor(message: string, pos = -1) {
    super(message);
    this.name = 'ExprRuntimeError';
    this.pos = pos;
  }
}

export function fail(message: string, pos = -1): never {
  throw new ExprRuntimeError(message, pos);
}

/** 1-based line and column of a UTF-16 offset. */
export function lineCol(source: string, pos: number): { line: number; col: number } {
  let line = 1;
  let col = 1;
  const end = Math.max(0, Math.min(pos, source.length));
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  return { line, col };
}

function quoteSource(source: string): string {
  const oneLine = source.length > 200 ? `${source.slice(0, 200)}…` : source;
  return JSON.stringify(oneLine);
}

/**
 * Converts anything thrown while handling `source` into a WeftError: our own runtime errors
 * become UserErrors with position; stack exhaustion on absurdly nested input becomes a
 * UserError too; anything else is a bug and becomes an InternalError.
 */
export function toWeftError(err: unknown, code: string, what: string, source: string, path: string | undefined): WeftError {
  if (err instanceof WeftError) return err;
  const opts = path === undefined ? {} : { path };
  if (err instanceof ExprRuntimeError) {
    const where = err.pos >= 0 ? (() => {
      const { line, col } = lineCol(source, err.pos);
      return ` at ${line}:${col}`;
    })() : '';
    return new UserError(code, `${what} ${quoteSource(source)}: ${err.message}${where}`, opts);
  }
  if (err instanceof RangeError) {
    return new UserError(code, `${what} ${quoteSource(source)}: too deeply nested (${err.message})`, opts);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new InternalError(CODE_INTERNAL, `${what} ${quoteSource(source)}: internal error: ${message}`, { ...opts, cause: err });
}
