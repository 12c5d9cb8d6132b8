// Finding the command before starting it, as Argo's emissary does (exec.LookPath):
// a clear "not found" message naming the command instead of bwrap's execvp error.
import path from 'node:path';
import { UserError } from '../../spec/index.js';
import type { PodRuntime } from './pod.js';
import type { ContainerView } from './view.js';

export const LOCAL_START_ERROR = 'WEFT_E_LOCAL_START';

/** A command that cannot run: the container fails the way Argo's emissary reports it. */
export class CommandNotFoundError extends UserError {}

/**
 * Argo's emissary looks the command up before running it; doing the same here turns
 * "bwrap: execvp foo: No such file or directory" into a message naming the command.
 * An absolute path the host lacks falls back to the same name on PATH (images keep
 * tools in /usr/local/bin, hosts elsewhere), with a warning.
 */
export async function checkExecutable(argv: string[], pathVar: string, view: ContainerView, pod: PodRuntime, name: string): Promise<string[]> {
  const [first, ...rest] = argv;
  if (first === undefined) return argv;
  const onPath = async (cmd: string) => {
    for (const dir of pathVar.split(':')) {
      if (dir !== '' && (await view.isExecutable(path.posix.join(dir, cmd)))) return true;
    }
    return false;
  };
  if (first.includes('/')) {
    if (await view.isExecutable(first)) return argv;
    const base = path.posix.basename(first);
    if (path.posix.isAbsolute(first) && (await onPath(base))) {
      pod.logger.warn({ container: name, command: first, using: base }, 'command not found at its absolute path; using the one on PATH');
      return [base, ...rest];
    }
    throw new CommandNotFoundError(LOCAL_START_ERROR, `${name}: failed to find name in PATH: exec: "${first}": stat ${first}: no such file or directory`);
  }
  if (await onPath(first)) return argv;
  throw new CommandNotFoundError(LOCAL_START_ERROR, `${name}: failed to find name in PATH: exec: "${first}": executable file not found in $PATH`);
}

