// What every container of one step shares, as the containers of one pod do: the
// request, the resolved config, the sandbox (or none), the step's scratch directory
// and its volumes. Also the small helpers the pod runners share: waiting for a
// container while honouring the step's abort signal, and Argo's failure messages.
import type { Artifact, Container, VolumeMount } from '../../spec/index.js';
import type { StepRequest } from '../types.js';
import type { LocalExecutorConfig, LocalLogger } from './config.js';
import type { LaunchedContainer } from './container.js';
import type { ProcessExit, RunningProcess } from './process.js';
import type { SandboxTools } from './sandbox.js';
import type { PodVolumes } from './volumes.js';

import type { ProcessLauncher } from './process.js';

/** A step request as the local executor passes it on: its signal a real AbortSignal. */
export type LocalRequest = Omit<StepRequest, 'signal'> & { signal: AbortSignal };

export interface PodRuntime {
  request: LocalRequest;
  config: LocalExecutorConfig;
  /** undefined: plain host processes. */
  sandbox: SandboxTools | undefined;
  /** setpriv, for --pdeathsig on plain processes too. */
  setpriv: string | undefined;
  nsenter: string | undefined;
  stepDir: string;
  /** Starts plain (unsandboxed) processes cheaply, when python3 is there. */
  launcher: ProcessLauncher | undefined;
  volumes: PodVolumes;
  logger: LocalLogger;
  graceMs: number;
}

export type ContainerRole = 'main' | 'init' | 'sidecar' | 'set';

/** The Container fields the local executor reads (container, script, sidecar, init, containerSet node). */
export type ContainerFields = Pick<
  Container,
  'name' | 'image' | 'command' | 'args' | 'env' | 'envFrom' | 'workingDir' | 'readinessProbe' | 'ports'
>;

export interface ContainerSpec {
  name: string;
  role: ContainerRole;
  container: ContainerFields;
  volumeMounts: VolumeMount[];
  /** Script templates: the source, written to a file passed as the last argument. */
  script?: string;
  /** Input artifacts placed in this container's view (Argo places them in `main` only). */
  inputs: Artifact[];
  /** View paths the template reads outputs from after exit. */
  outputPaths: string[];
  /** Keep stdout+stderr in a file (archiveLocation.archiveLogs). */
  keepLog?: boolean;
}

export interface WaitResult {
  exit: ProcessExit;
  aborted: boolean;
}

/** Waits for the process; on abort, SIGTERM then SIGKILL after the grace period. */
export async function waitOrAbort(proc: RunningProcess, signal: AbortSignal, graceMs: number): Promise<WaitResult> {
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    void proc.terminate(graceMs);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    return { exit: await proc.exited, aborted };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Argo's (v3.6+) node message for a container that exited non-zero: `main: Error (exit code 1)`. */
export function exitMessage(containerName: string, exitCode: number): string {
  return `${containerName}: Error (exit code ${exitCode})`;
}

/** The message of a stopped step: the abort reason when it is a string. */
export function abortMessage(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === 'string' && reason !== '') return reason;
  return 'Stopped: the step was aborted';
}

/** Sidecars killed at the end (SIGKILL 137, SIGTERM 143) are not failures, as in Argo. */
export function sidecarFailed(exitCode: number): boolean {
  return exitCode !== 0 && exitCode !== 137 && exitCode !== 143;
}

/** A failure of Weft's own setup (sandbox, spawn) rather than of the user's command. */
export function setupFailure(pod: PodRuntime, launched: LaunchedContainer, exit: ProcessExit): string | undefined {
  if (exit.spawnError) return `cannot start the process: ${exit.spawnError.message}`;
  if (!pod.sandbox) return undefined;
  const head = launched.stderrHead();
  if (exit.exitCode === 125 && head.includes('weft: cannot mount')) return head.trim();
  if (exit.exitCode === 1 && head.startsWith('bwrap: ')) return `sandbox setup failed: ${head.split('\n')[0] ?? head}`;
  return undefined;
}
