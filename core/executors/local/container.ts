// One container of a step: its view prepared (volumes bound, script and input
// artifacts staged, output paths declared), its command resolved, then launched as
// a process whose output streams to the step's log. A prepared container can be
// launched again in the same view (containerSet retries re-run the command in place,
// as Argo's emissary does).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { materializeInputArtifact } from '../artifacts/index.js';
import { resolveArgv } from './command.js';
import { checkExecutable } from './command-lookup.js';
import { buildContainerEnv } from './env.js';
import type { ContainerSpec, PodRuntime } from './pod.js';
import { startProcess } from './process.js';
import type { Launch, RunningProcess } from './process.js';
import { podHostname, sandboxLaunch } from './sandbox.js';
import { StdoutCapture } from './stdout-capture.js';
import { logWriter } from './log-writer.js';
import { ContainerView, createViewLayout } from './view.js';

export const SCRIPT_PATH = '/argo/staging/script';

export interface PreparedContainer {
  spec: ContainerSpec;
  view: ContainerView;
  env: Record<string, string>;
  argv: string[];
  launch(): LaunchedContainer;
  /** Runs a command inside the running container's view (readiness exec probes). */
  exec(argv: string[], timeoutMs: number): Promise<number>;
}

export interface LaunchedContainer {
  process: RunningProcess;
  stdout: StdoutCapture;
  startedAt: string;
  /** stdout and stderr interleaved, when the spec asks to keep the log (archiveLogs). */
  logFile?: string;
  /** The first bytes of stderr: bwrap and the wrapper report setup failures there. */
  stderrHead(): string;
  /** Resolves once the log files are complete (after exit). */
  flushed: Promise<void>;
}

export async function prepareContainer(pod: PodRuntime, spec: ContainerSpec): Promise<PreparedContainer> {
  const { request, config } = pod;
  // Role in the name: an init container may be called `main` too, and must not share its view.
  const sandboxed = pod.sandbox !== undefined;
  const layout = createViewLayout(path.join(pod.stepDir, `${spec.role}-${spec.name.replace(/[^A-Za-z0-9_-]/g, '_')}`), sandboxed);
  const env = buildContainerEnv(spec.container, { request, containerName: spec.name, path: config.path });
  const cwd = spec.container.workingDir ?? (sandboxed ? '/' : layout.tmp);
  if (!sandboxed && cwd !== layout.tmp) await mkdir(cwd, { recursive: true });
  const view = new ContainerView(sandboxed, layout, cwd);
  const mounts = await pod.volumes.mounts(spec.volumeMounts, env);
  for (const mount of mounts) view.mount(mount);
  if (!sandboxed && mounts.length > 0) {
    pod.logger.warn({ node: request.node.id, container: spec.name }, 'no sandbox: volumes are not mounted; mountPaths are used as host paths');
  }

  let scriptPath: string | undefined;
  if (spec.script !== undefined) {
    const host = sandboxed ? view.stage(SCRIPT_PATH, 'script', true) : path.join(layout.dir, 'script');
    await mkdir(path.dirname(host), { recursive: true });
    await writeFile(host, spec.script);
    await chmod(host, 0o755); // as Argo stages it; writeFile's mode would be subject to the umask
    scriptPath = sandboxed ? SCRIPT_PATH : host;
  }
  for (const [index, artifact] of spec.inputs.entries()) {
    if (!artifact.path) continue;
    const target = view.stage(artifact.path, `artifact-${index}`);
    const placed = await materializeInputArtifact(artifact, target, {
      repository: request.artifacts,
      values: request.values,
      signal: request.signal,
      httpPolicy: config.httpPolicy,
    });
    if (placed === 'skipped') view.unstage(artifact.path);
  }
  for (const p of spec.outputPaths) view.requestOutput(p);
  if (view.copiesOutputs) await view.writeOutputList();

  const resolved = resolveArgv(spec.container, { images: config.images, alias: config.alias, env, scriptPath });
  const argv = await checkExecutable(resolved, env.PATH ?? '', view, pod, spec.name);
  const plan = { argv, env, cwd, view };
  let current: LaunchedContainer | undefined;
  return {
    spec,
    view,
    env,
    argv,
    launch: () => (current = launchContainer(pod, spec, plan)),
    exec: (probeArgv, timeoutMs) => execInContainer(pod, plan, current, probeArgv, timeoutMs),
  };
}

interface LaunchPlan {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  view: ContainerView;
}

function launchContainer(pod: PodRuntime, spec: ContainerSpec, plan: LaunchPlan): LaunchedContainer {
  const { request } = pod;
  const launch = buildLaunch(pod, plan);
  const attempt = Date.now().toString(36);
  const stdout = new StdoutCapture();
  const logFile = spec.keepLog ? path.join(plan.view.layout.dir, `log-${attempt}.log`) : undefined;
  const logStream = logFile ? createWriteStream(logFile) : undefined;
  logStream?.on('error', () => {});
  const write = logWriter(request.log.bind(request), spec.role === 'main' ? undefined : spec.name);
  let stderrHead = '';
  const process = startProcess(launch, {
    stdout(chunk) {
      stdout.push(chunk);
      logStream?.write(chunk);
      write('stdout', chunk);
    },
    stderr(chunk) {
      if (stderrHead.length < 4096) stderrHead += chunk.toString('utf8');
      logStream?.write(chunk);
      write('stderr', chunk);
    },
  }, pod.launcher);
  const closed = process.exited.then(() =>
    new Promise<void>((resolve) => (logStream ? logStream.end(() => resolve()) : resolve())),
  );
  return {
    process,
    stdout,
    startedAt: new Date().toISOString(),
    ...(logFile ? { logFile } : {}),
    stderrHead: () => stderrHead,
    flushed: closed.then(() => undefined),
  };
}

function buildLaunch(pod: PodRuntime, plan: LaunchPlan): Launch {
  const { view } = plan;
  if (pod.sandbox) {
    return sandboxLaunch(pod.sandbox, {
      argv: plan.argv,
      env: plan.env,
      cwd: view.normalize(plan.cwd),
      hostname: podHostname(pod.request.node.podName),
      layout: view.layout,
      binds: view.binds,
      hide: hiddenScratch(pod),
      copyOutputs: view.copiesOutputs,
    });
  }
  // setpriv's --pdeathsig kills a step whose Weft died; the launcher does that for the steps
  // it starts (it kills their groups when Weft goes), so they skip the extra exec.
  const [file, ...args] = pod.setpriv && !pod.launcher ? [pod.setpriv, '--pdeathsig', 'KILL', '--', ...plan.argv] : plan.argv;
  return { file: file ?? '', args, env: plan.env, cwd: plan.cwd };
}

/**
 * Other steps' scratch directories are hidden from the view, unless that would also
 * hide the configured tool directories (a scratch root above them).
 */
function hiddenScratch(pod: PodRuntime): string[] {
  const root = pod.config.workRoot;
  const inside = (p: string) => p === root || p.startsWith(root === '/' ? '/' : `${root}/`);
  const tools = [...pod.config.path, ...Object.values(pod.config.alias).filter((a) => a.startsWith('/'))];
  return tools.some(inside) ? [] : [root];
}

/** Clears the copies a previous attempt left, so a relaunch reports its own outputs. */
export async function resetOutputs(view: ContainerView): Promise<void> {
  const entries = await readdir(view.layout.out).catch(() => [] as string[]); // none without the sandbox
  for (const entry of entries) await rm(path.join(view.layout.out, entry), { recursive: true, force: true });
}

async function execInContainer(
  pod: PodRuntime,
  plan: LaunchPlan,
  running: LaunchedContainer | undefined,
  argv: string[],
  timeoutMs: number,
): Promise<number> {
  const pid = running?.process.sandboxPid();
  let file: string;
  let args: string[];
  if (pod.sandbox && pod.nsenter && pid !== undefined) {
    [file, args] = [pod.nsenter, ['--target', String(pid), '--mount', '--uts', '--pid', '--root', '--wd', '--', ...argv]];
  } else if (pod.sandbox) {
    return 1; // not started yet (or nsenter missing): not ready
  } else {
    [file, args] = [argv[0] ?? '', argv.slice(1)];
  }
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: plan.env, cwd: pod.sandbox ? undefined : plan.cwd, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', () => resolve(1));
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}
