// Starting step processes through one long-lived helper (launcher-script.ts) instead of
// forking Node for each: a fork copies the page tables of this large process on the main
// thread (over a millisecond a step), posix_spawn from a small one costs a fraction of it
// and runs beside the event loop. The helper relays output and exit status; signals are
// still sent from here, straight to the step's process group. Without python3 (3.8+) the
// executor spawns directly, as before.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { LAUNCHER_SOURCE } from './launcher-script.js';
import type { Launch, OutputSinks, ProcessExit, ProcessLauncher, RunningProcess } from './process.js';
import { killGroup, within, STREAM_DRAIN_MS } from './process.js';
import { SYSTEM_PATH } from './sandbox.js';

interface Entry {
  sinks: OutputSinks;
  pid?: number;
  exit?: ProcessExit;
  resolveExit: (exit: ProcessExit) => void;
  resolveDrained: () => void;
  /** terminate() came before the pid: send the signal when it arrives. */
  termPending?: boolean;
}

const HEADER = 9;

export class Launcher implements ProcessLauncher {
  private child: ChildProcess | undefined;
  private next = 1;
  private readonly entries = new Map<number, Entry>();
  private buffered: Buffer = Buffer.alloc(0);

  private constructor(private readonly python: string) {}

  /**
   * A launcher when python3 (3.8 or later, for posix_spawn's setsid) is on PATH and the
   * helper works here: it must report that it started `true`, else steps are spawned
   * directly (a helper that failed at every step would fail every step).
   */
  static async find(): Promise<Launcher | undefined> {
    const request = `${JSON.stringify({ id: 1, file: 'true', args: [], env: { PATH: SYSTEM_PATH }, cwd: '/' })}\n`;
    const out = await new Promise<Buffer | undefined>((resolve) => {
      const chunks: Buffer[] = [];
      const child = spawn('python3', ['-u', '-c', LAUNCHER_SOURCE], { stdio: ['pipe', 'pipe', 'ignore'] });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('error', () => resolve(undefined));
      child.stdout?.on('data', (c: Buffer) => chunks.push(c));
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve(code === 0 ? Buffer.concat(chunks) : undefined);
      });
      child.stdin?.on('error', () => {});
      child.stdin?.end(request);
    });
    if (!out) return undefined;
    for (let at = 0; at + HEADER <= out.length; at += HEADER + out.readUInt32BE(at + 5)) {
      if (out[at] === 0x53) return new Launcher('python3'); // 'S': it started the process
    }
    return undefined;
  }

  /** undefined for a launch it cannot take (bwrap's info and args fds): spawn it directly. */
  start(launch: Launch, sinks: OutputSinks): RunningProcess | undefined {
    if (launch.infoFd || launch.argsData) return undefined;
    const id = this.next++;
    let resolveExit!: (exit: ProcessExit) => void;
    let resolveDrained!: () => void;
    const exitReported = new Promise<ProcessExit>((r) => (resolveExit = r));
    const drained = new Promise<void>((r) => (resolveDrained = r));
    const entry: Entry = { sinks, resolveExit, resolveDrained };
    this.entries.set(id, entry);
    const stdin = this.ensure().stdin as Writable;
    this.ref();
    stdin.write(`${JSON.stringify({ id, file: launch.file, args: launch.args, env: launch.env, cwd: launch.cwd ?? '' })}\n`);

    const exited = exitReported.then(async (exit) => {
      // Leftovers of the container (background jobs) die with it, as with a direct spawn.
      if (entry.pid !== undefined) killGroup(entry.pid, 'SIGKILL');
      if (!exit.spawnError) await within(STREAM_DRAIN_MS, drained);
      this.entries.delete(id);
      this.unrefWhenIdle();
      return exit;
    });
    return {
      exited,
      sandboxPid: () => undefined,
      async terminate(graceMs) {
        if (entry.exit) return exited;
        if (entry.pid === undefined) entry.termPending = true;
        else killGroup(entry.pid, 'SIGTERM');
        if ((await within(graceMs, exited)) === undefined && entry.pid !== undefined) killGroup(entry.pid, 'SIGKILL');
        return exited;
      },
    };
  }

  /** Stops the helper; processes it started are killed by it (their group) on the way. */
  close(): void {
    const child = this.child;
    this.child = undefined;
    child?.stdin?.end();
  }

  private ensure(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn(this.python, ['-u', '-c', LAUNCHER_SOURCE], { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
    this.child = child;
    this.buffered = Buffer.alloc(0);
    (child.stdout as Readable).on('data', (chunk: Buffer) => this.onData(chunk));
    child.stdin?.on('error', () => {}); // a dead helper shows as its exit below
    child.once('error', (err) => this.lost(child, err.message));
    child.once('exit', (code, signal) => this.lost(child, `launcher exited (${signal ?? code})`));
    return child;
  }

  /** The helper is gone: what it was running is reported as killed; the next start makes a new one. */
  private lost(child: ChildProcess, reason: string): void {
    if (this.child === child) this.child = undefined;
    for (const [, entry] of this.entries) {
      if (entry.pid !== undefined) killGroup(entry.pid, 'SIGKILL');
      entry.resolveDrained();
      if (!entry.exit) {
        entry.exit = { exitCode: 137, spawnError: new Error(reason) };
        entry.resolveExit(entry.exit);
      }
    }
  }

  private onData(chunk: Buffer): void {
    let buf = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    let at = 0;
    while (buf.length - at >= HEADER) {
      const len = buf.readUInt32BE(at + 5);
      if (buf.length - at < HEADER + len) break;
      const kind = String.fromCharCode(buf[at] ?? 0);
      const id = buf.readUInt32BE(at + 1);
      const payload = buf.subarray(at + HEADER, at + HEADER + len);
      at += HEADER + len;
      this.dispatch(kind, id, payload);
    }
    buf = buf.subarray(at);
    // Keep only the unparsed tail, copied so the large chunk it came from can be freed.
    this.buffered = buf.length ? Buffer.from(buf) : Buffer.alloc(0);
  }

  private dispatch(kind: string, id: number, payload: Buffer): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    switch (kind) {
      case 'S':
        entry.pid = Number(payload.toString());
        if (entry.termPending) killGroup(entry.pid, 'SIGTERM');
        return;
      case 'E':
        entry.exit = { exitCode: 127, spawnError: new Error(payload.toString()) };
        entry.resolveDrained();
        entry.resolveExit(entry.exit);
        return;
      case 'O':
        entry.sinks.stdout(Buffer.from(payload));
        return;
      case 'R':
        entry.sinks.stderr(Buffer.from(payload));
        return;
      case 'D':
        entry.resolveDrained();
        return;
      case 'X': {
        const { code, signal } = JSON.parse(payload.toString()) as { code: number | null; signal: number | null };
        entry.exit = { exitCode: code ?? 128 + (signal ?? 0) };
        entry.resolveExit(entry.exit);
        return;
      }
      default:
        return;
    }
  }

  private ref(): void {
    this.child?.ref();
    (this.child?.stdout as (Readable & { ref?: () => void }) | null)?.ref?.();
  }

  private unrefWhenIdle(): void {
    if (this.entries.size > 0) return;
    this.child?.unref();
    (this.child?.stdout as (Readable & { unref?: () => void }) | null)?.unref?.();
    (this.child?.stdin as (Writable & { unref?: () => void }) | null)?.unref?.();
  }
}

