// How paths inside one container's view map to host paths: bind mounts (/tmp,
// volumes, staged input artifacts, the script), and everything else in the overlay,
// whose output paths the sandbox wrapper copies out after exit. Without the sandbox
// the view is the host itself and every path is taken as written.
import { constants, mkdirSync } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Bind, ViewLayout } from './sandbox.js';
import type { HostMount } from './volumes.js';

/** The directories a view needs: all of them for the sandbox's overlay, only tmp without it. */
/**
 * Synchronous on purpose: a few mkdirs in a fresh scratch directory cost less on the main
 * thread than the round trips of async ones, which wait behind other steps' file work.
 */
export function createViewLayout(dir: string, sandboxed = true): ViewLayout {
  const layout: ViewLayout = {
    dir,
    upper: path.join(dir, 'upper'),
    work: path.join(dir, 'work'),
    merged: path.join(dir, 'merged'),
    tmp: path.join(dir, 'tmp'),
    out: path.join(dir, 'out'),
    inputs: path.join(dir, 'inputs'),
    outputList: path.join(dir, 'outputs.list'),
  };
  const dirs = sandboxed ? [layout.upper, layout.work, layout.merged, layout.tmp, layout.out, layout.inputs] : [layout.tmp];
  for (const d of dirs) mkdirSync(d, { recursive: true });
  return layout;
}

/** Host paths looked up lately: whether each is an executable file, and until when that holds. */
const hostExecutables = new Map<string, { executable: boolean; until: number }>();
const EXECUTABLE_CACHE_MS = 5000;

export class ContainerView {
  readonly binds: Bind[] = [];
  private readonly outputs: string[] = [];

  constructor(
    readonly sandboxed: boolean,
    readonly layout: ViewLayout,
    readonly cwd: string,
  ) {
    if (sandboxed) this.binds.push({ source: layout.tmp, dest: '/tmp', readOnly: false });
  }

  /** An absolute, normalised view path (relative ones are taken from the working directory). */
  normalize(viewPath: string): string {
    return path.posix.resolve(this.cwd, viewPath);
  }

  mount(mount: HostMount): void {
    if (this.sandboxed) this.binds.push({ source: mount.source, dest: this.normalize(mount.dest), readOnly: mount.readOnly });
  }

  /** The host path behind a view path that lies on a bind mount, or undefined. */
  private onBind(viewPath: string): string | undefined {
    const p = this.normalize(viewPath);
    let best: Bind | undefined;
    for (const bind of this.binds) {
      const inside = p === bind.dest || p.startsWith(bind.dest === '/' ? '/' : `${bind.dest}/`);
      if (inside && (!best || bind.dest.length > best.dest.length)) best = bind;
    }
    return best ? path.join(best.source, path.posix.relative(best.dest, p)) : undefined;
  }

  /**
   * Where to put an input artifact (or the script) on the host so that it shows at
   * viewPath: inside the bind it falls on, else a staging path bound there.
   */
  stage(viewPath: string, stagingName: string, readOnly = false): string {
    if (!this.sandboxed) return this.normalize(viewPath);
    const onBind = this.onBind(viewPath);
    if (onBind) return onBind;
    const staged = path.join(this.layout.inputs, stagingName, path.posix.basename(this.normalize(viewPath)) || 'root');
    this.binds.push({ source: staged, dest: this.normalize(viewPath), readOnly });
    return staged;
  }

  /** Drops the bind of a staged path that ended up with nothing in it (a skipped optional artifact). */
  unstage(viewPath: string): void {
    const dest = this.normalize(viewPath);
    const index = this.binds.findIndex((b) => b.dest === dest && b.source.startsWith(`${this.layout.inputs}/`));
    if (index !== -1) this.binds.splice(index, 1);
  }

  /** Declares, before the start, a path the template reads an output from. */
  requestOutput(viewPath: string): void {
    const p = this.normalize(viewPath);
    if (this.sandboxed && !this.onBind(p) && !this.outputs.includes(p)) this.outputs.push(p);
  }

  get copiesOutputs(): boolean {
    return this.outputs.length > 0;
  }

  async writeOutputList(): Promise<void> {
    if (this.outputs.some((p) => p.includes('\n'))) throw new Error('output paths must not contain newlines');
    await writeFile(this.layout.outputList, this.outputs.map((p) => `${p}\n`).join(''));
  }

  /** After exit: the host path holding what the container left at viewPath. */
  outputHostPath(viewPath: string): string {
    const p = this.normalize(viewPath);
    if (!this.sandboxed) return p;
    const onBind = this.onBind(p);
    if (onBind) return onBind;
    const index = this.outputs.indexOf(p);
    return index === -1 ? path.join(this.layout.out, 'unrequested') : path.join(this.layout.out, String(index + 1));
  }

  /**
   * Before the start: whether an executable exists at viewPath (binds, else the host's
   * own file, which the overlay shows unchanged). Used for a clear "not found" message.
   */
  async isExecutable(viewPath: string): Promise<boolean> {
    const bound = this.sandboxed ? this.onBind(viewPath) : undefined;
    const host = bound ?? this.normalize(viewPath);
    // The host's own tools are looked up for every step (PATH, dir by dir): the answer is
    // remembered briefly, so a tool installed or removed meanwhile is noticed within seconds.
    const cacheable = bound === undefined;
    const known = cacheable ? hostExecutables.get(host) : undefined;
    if (known && known.until > Date.now()) return known.executable;
    let executable: boolean;
    try {
      await access(host, constants.X_OK);
      executable = (await stat(host)).isFile();
    } catch {
      executable = false;
    }
    if (cacheable) {
      if (hostExecutables.size > 4096) hostExecutables.clear();
      hostExecutables.set(host, { executable, until: Date.now() + EXECUTABLE_CACHE_MS });
    }
    return executable;
  }
}
