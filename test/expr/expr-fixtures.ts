// Shared helpers of the core/expr tests: run a table, assert a WeftError's code and message.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { WeftError } from '../../core/spec/errors.js';

export function expectError(fn: () => unknown, code: string, message?: RegExp): WeftError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof WeftError, `expected a WeftError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (message !== undefined) assert.match(err.message, message);
    return err;
  }
  return assert.fail(`expected ${code}, nothing was thrown`);
}

/** bigint-aware deep equality for expression values (ints are bigint, floats number). */
export function assertValue(actual: unknown, expected: unknown, name: string): void {
  assert.deepStrictEqual(actual, expected, name);
}

export interface Row<I, O> {
  name: string;
  input: I;
  want: O;
}

export function table<I, O>(rows: readonly Row<I, O>[], check: (input: I, want: O, name: string) => void): void {
  for (const row of rows) it(row.name, () => check(row.input, row.want, row.name));
}
