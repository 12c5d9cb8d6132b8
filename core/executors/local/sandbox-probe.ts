// Deciding, once per executor, whether steps get the bwrap sandbox: the tools must be
// there and a self-test container must show the properties steps rely on (writes to
// / and /tmp stay private and are readable afterwards, bind mounts show in
// /proc/mounts, the host is untouched).
import { lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomSuffix } from '../artifacts/archive.js';
import type { SandboxMode } from './config.js';
import { startProcess, within } from './process.js';
import { PROC_MASKED, PROC_READ_ONLY, SYSTEM_PATH, findTool, nestedHostMounts, sandboxLaunch } from './sandbox.js';
import type { SandboxTools } from './sandbox.js';
import { createViewLayout } from './view.js';

export type SandboxStatus =
  | { kind: 'bwrap'; tools: SandboxTools }
  | { kind: 'none'; reason: string }
  /** sandbox: bwrap was required but cannot be used: steps end in Error. */
  | { kind: 'unavailable'; reason: string };

const SELF_TEST_TIMEOUT_MS = 15_000;

export async function probeSandbox(mode: SandboxMode, workRoot: string): Promise<SandboxStatus> {
  if (mode === 'none') return { kind: 'none', reason: 'sandbox: none in weft.yaml' };
  const unusable = (reason: string): SandboxStatus => (mode === 'bwrap' ? { kind: 'unavailable', reason } : { kind: 'none', reason });
  const tools = await findSandboxTools(workRoot);
  if (typeof tools === 'string') return unusable(tools);
  // A second try before giving up: without the sandbox, steps write the host's own paths.
  const problem = (await selfTest(tools, workRoot)) && (await selfTest(tools, workRoot));
  return problem === undefined ? { kind: 'bwrap', tools } : unusable(problem);
}

async function findSandboxTools(workRoot: string): Promise<SandboxTools | string> {
  if (process.platform !== 'linux') return `bwrap sandboxes need Linux (this is ${process.platform})`;
  // From a user namespace the kernel refuses / as an overlay lower layer ("failed to
  // clone lowerpath": / has locked submounts there), so the view needs real root.
  if (process.getuid?.() !== 0) return 'the overlay root of the sandbox needs Weft to run as root';
  if (/[,:\\\n]/.test(workRoot)) return `the scratch root ${workRoot} contains a character overlay mount options cannot carry (, : \\)`;
  const [bwrap, unshare, mount, sh, setpriv] = await Promise.all(['bwrap', 'unshare', 'mount', 'sh', 'setpriv'].map(findTool));
  const missing = Object.entries({ bwrap, unshare, mount, sh }).filter(([, v]) => v === undefined).map(([k]) => k);
  if (!bwrap || !unshare || !mount || !sh) return `not found on this host: ${missing.join(', ')}`;
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const present = async (paths: string[]) =>
    (await Promise.all(paths.map(async (p) => ((await lstat(p).catch(() => undefined)) ? [p] : [])))).flat();
  return {
    procReadOnly: await present(PROC_READ_ONLY),
    procMasked: await present(PROC_MASKED),
    bwrap,
    unshare,
    mount,
    sh,
    ...(setpriv ? { setpriv } : {}),
    hostMounts: nestedHostMounts(mountinfo, [workRoot]),
  };
}

async function selfTest(tools: SandboxTools, workRoot: string): Promise<string | undefined> {
  const dir = path.join(workRoot, `.sandbox-self-test-${randomSuffix()}`);
  const marker = `/weft-sandbox-self-test-${randomSuffix()}`;
  try {
    const layout = createViewLayout(dir);
    const volume = path.join(dir, 'volume');
    await mkdir(volume);
    await writeFile(layout.outputList, `${marker}\n`);
    const script = `echo ok > ${marker} && echo ok > /tmp/t && grep -q ' /mnt/weft-self-test ' /proc/mounts`;
    let stderr = '';
    const proc = startProcess(
      sandboxLaunch(tools, {
        argv: ['sh', '-c', script],
        env: { PATH: SYSTEM_PATH },
        cwd: '/',
        hostname: 'weft-self-test',
        layout,
        binds: [
          { source: layout.tmp, dest: '/tmp', readOnly: false },
          { source: volume, dest: '/mnt/weft-self-test', readOnly: false },
        ],
        hide: [workRoot],
        copyOutputs: true,
      }),
      { stdout: () => {}, stderr: (chunk) => (stderr += chunk.toString('utf8')) },
    );
    const exit = await within(SELF_TEST_TIMEOUT_MS, proc.exited);
    if (!exit) {
      await proc.terminate(0);
      return 'the self-test container did not finish in time';
    }
    if (exit.exitCode !== 0) return `the self-test container failed (exit code ${exit.exitCode}): ${stderr.trim().slice(0, 300)}`;
    const copied = await readFile(path.join(layout.out, '1'), 'utf8').catch(() => '');
    const tmp = await readFile(path.join(layout.tmp, 't'), 'utf8').catch(() => '');
    const leaked = await lstat(marker).then(
      () => true,
      () => false,
    );
    if (leaked) return `the self-test wrote ${marker} on the host: the overlay root is not private`;
    if (copied.trim() !== 'ok' || tmp.trim() !== 'ok') return 'files written in the self-test container could not be read back';
    return undefined;
  } catch (err) {
    return `self-test error: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
