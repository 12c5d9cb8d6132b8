// One host process tree per container: spawned in its own process group (a new
// session), stdout/stderr handed over per chunk, stopped with SIGTERM to the
// workload's group and SIGKILL after a grace period. When the process ends by
// itself, whatever it left in its group is killed too, as a container's leftovers
// die with it. Inside the sandbox the workload is the group of bwrap's PID 1, whose
// host pid bwrap reports on its info fd.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { Readable, Writable } from 'node:stream';

export interface Launch {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Written to fd 4 and closed (bwrap --args 4: options that must not show in argv). */
  argsData?: Buffer;
  /** bwrap --info-fd 3: the sandbox's PID 1 on the host. */
  infoFd?: boolean;
}

export interface ProcessExit {
  /** The exit status, 128 + signal number when killed by a signal (as Kubernetes reports it). */
  exitCode: number;
  /** Set when the process could not be started at all. */
  spawnError?: Error;
}

export interface RunningProcess {
  readonly exited: Promise<ProcessExit>;
  /** SIGTERM the workload, SIGKILL everything after graceMs; resolves once it is gone. */
  terminate(graceMs: number): Promise<ProcessExit>;
  /** The sandbox PID 1's host pid, once bwrap has reported it. */
  sandboxPid(): number | undefined;
}

export interface OutputSinks {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

/** A daemon that escaped its group (setsid) may hold our pipes; do not wait for it forever. */
export const STREAM_DRAIN_MS = 3000;

/** Something that starts processes for us (launcher.ts); undefined from start: spawn here. */
export interface ProcessLauncher {
  start(launch: Launch, sinks: OutputSinks): RunningProcess | undefined;
}

export function startProcess(launch: Launch, sinks: OutputSinks, launcher?: ProcessLauncher): RunningProcess {
  const started = launcher?.start(launch, sinks);
  if (started) return started;
  const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'pipe', 'pipe', launch.infoFd ? 'pipe' : 'ignore', launch.argsData ? 'pipe' : 'ignore'];
  const child = spawn(launch.file, launch.args, { env: launch.env, cwd: launch.cwd, stdio, detached: true });
  let innerPid: number | undefined;
  let exitedFlag = false;

  const info = child.stdio[3];
  let infoText = '';
  if (info instanceof Readable) {
    info.setEncoding('utf8').on('data', (text: string) => {
      infoText += text;
      const match = /"child-pid"\s*:\s*(\d+)/.exec(infoText);
      if (match?.[1] !== undefined) innerPid = Number(match[1]);
    });
    info.on('error', () => {});
  }
  const argsPipe = child.stdio[4];
  if (argsPipe instanceof Writable && launch.argsData) {
    argsPipe.on('error', () => {}); // bwrap may die before reading; its exit tells why
    argsPipe.end(launch.argsData);
  }

  const drained = Promise.all([drain(child.stdout, sinks.stdout), drain(child.stderr, sinks.stderr)]);
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (err) => {
      if (child.pid === undefined) resolve({ exitCode: 127, spawnError: err });
    });
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      // Leftovers of the container (background jobs) die with it.
      if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
      const exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
      void within(STREAM_DRAIN_MS, drained).then(() => {
        // An escaped daemon still holding the pipes: stop reading, the step is over.
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve({ exitCode });
      });
    });
  });

  return {
    exited,
    sandboxPid: () => innerPid,
    async terminate(graceMs) {
      if (exitedFlag || child.pid === undefined) return exited;
      // The workload's group: bwrap's PID 1 and the command share it (bwrap --new-session).
      killGroup(innerPid ?? child.pid, 'SIGTERM');
      if (innerPid === undefined) killGroup(child.pid, 'SIGTERM');
      const done = (await within(graceMs, exited)) !== undefined;
      if (!done) {
        if (innerPid !== undefined) killPid(innerPid, 'SIGKILL'); // PID 1 gone: the kernel kills its namespace
        killGroup(child.pid, 'SIGKILL');
      }
      return exited;
    },
  };
}

function drain(stream: Readable | null, sink: (chunk: Buffer) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => sink(chunk));
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
}

export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function killPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH
  }
}

/**
 * The value of `until` if it settles within ms, else undefined. The timer is cleared
 * either way, so a finished race never keeps the process alive.
 */
export async function within<T>(ms: number, until: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([until, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after ms, or early when the signal aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return within(ms, new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }))).then(() => undefined);
}
