// The errors both Store implementations raise, built in one place so that the memory and
// SQLite stores fail with the same code and the same message for the same mistake (the
// equivalence property test compares them).
import { OperationalError, UserError } from '../spec/index.js';

export function runAlreadyExists(namespace: string, name: string): UserError {
  return new UserError('WEFT_E_ALREADY_EXISTS', `workflow ${namespace}/${name} already exists: pick another name or delete it first`);
}

export function uidAlreadyExists(uid: string): UserError {
  return new UserError('WEFT_E_ALREADY_EXISTS', `a workflow with uid ${uid} already exists`);
}

export function runNotFound(namespace: string, name: string): UserError {
  return new UserError('WEFT_E_NOT_FOUND', `workflow ${namespace}/${name} not found`);
}

export function runUidNotFound(uid: string): UserError {
  return new UserError('WEFT_E_NOT_FOUND', `no workflow with uid ${uid}: it may have been deleted`);
}

export function versionConflict(namespace: string, name: string, expected: number, found: number): OperationalError {
  return new OperationalError(
    'WEFT_E_CONFLICT',
    `workflow ${namespace}/${name} was modified concurrently: expected resourceVersion ${expected}, found ${found}; re-read and retry`,
  );
}

export function storeClosed(): OperationalError {
  return new OperationalError('WEFT_E_STORE_CLOSED', 'the store is closed');
}

/** Phases after which a run never changes by itself again. */
export const FINISHED_PHASES: readonly string[] = ['Succeeded', 'Failed', 'Error'];
