// The per-container filesystem view. bwrap 0.8 has no overlay options, so the view
// is built in two layers: `unshare --mount` gives a private mount namespace in which
// a small sh wrapper mounts an overlay (lower: the host's /, upper: a host directory
// of this container) and then runs bwrap with that overlay as its root. Writes
// anywhere (/tmp, /mnt/out, /result.txt) land in the container's own directories;
// the host's files are only ever read. Volumes, input artifacts and the script are
// bind mounts on top, so they show in /proc/mounts as in a pod. After the command
// exits, still inside the namespace, the wrapper copies the paths the template
// reads outputs from out of the overlay (a later reader could not see whiteouts
// or opaque directories the way the kernel does).
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Launch } from './process.js';

export interface SandboxTools {
  bwrap: string;
  unshare: string;
  mount: string;
  sh: string;
  /** util-linux setpriv, for --pdeathsig: the tree dies with Weft even if Weft is SIGKILLed. */
  setpriv?: string;
  /** Host mount points below / that an overlay of / would not show; bound read-only. */
  hostMounts: string[];
  /** The entries of PROC_READ_ONLY / PROC_MASKED this kernel has (bwrap needs the target to exist). */
  procReadOnly: string[];
  procMasked: string[];
}

export interface Bind {
  source: string;
  dest: string;
  readOnly: boolean;
}

/** Host directories of one container's view. */
export interface ViewLayout {
  dir: string;
  upper: string;
  work: string;
  merged: string;
  tmp: string;
  /** Copies of output paths, numbered in request order from 1. */
  out: string;
  inputs: string;
  /** The list of output paths the wrapper copies (one per line). */
  outputList: string;
}

export interface SandboxPlan {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  hostname: string;
  layout: ViewLayout;
  binds: Bind[];
  /** Host paths hidden under an empty tmpfs (the scratch root of other steps). */
  hide: string[];
  /** Whether the wrapper has output paths to copy (layout.outputList is written). */
  copyOutputs: boolean;
}

/** The environment of the wrapper itself; the container's own env goes through bwrap --setenv. */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// As Docker does: /proc entries that reach the host kernel are read-only or masked.
// The view's root is the host's real root, and bwrap 0.8 run as root leaves /proc/sys
// writable: a step could set host sysctls (seen with vm.swappiness) without this.
export const PROC_READ_ONLY = ['/proc/sys', '/proc/sysrq-trigger', '/proc/bus', '/proc/fs', '/proc/irq'];
export const PROC_MASKED = ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/proc/sched_debug', '/proc/latency_stats'];

// Docker's default capability set: root in the view, without CAP_SYS_ADMIN and friends.
const CONTAINER_CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

const WRAPPER = [
  'm=$1 upper=$2 work=$3 merged=$4 outdir=$5 list=$6',
  'shift 6',
  '"$m" -t overlay weft -o "lowerdir=/,upperdir=$upper,workdir=$work" "$merged" ||',
  '  { echo "weft: cannot mount the overlay root of the step" >&2; exit 125; }',
  '[ -n "$list" ] || exec "$@"',
  '"$@"',
  'rc=$?',
  'i=0',
  'while IFS= read -r p; do',
  '  i=$((i+1))',
  '  if [ -e "$merged$p" ] || [ -L "$merged$p" ]; then cp -a -- "$merged$p" "$outdir/$i"; fi',
  'done < "$list"',
  'exit $rc',
].join('\n');

export function sandboxLaunch(tools: SandboxTools, plan: SandboxPlan): Launch {
  const { layout } = plan;
  const options: string[] = ['--bind', layout.merged, '/', '--proc', '/proc', '--dev', '/dev', '--ro-bind', '/sys', '/sys'];
  for (const p of tools.procReadOnly) options.push('--ro-bind', p, p);
  for (const p of tools.procMasked) options.push('--ro-bind', '/dev/null', p);
  for (const mount of tools.hostMounts) options.push('--ro-bind-try', mount, mount);
  for (const hidden of plan.hide) options.push('--tmpfs', hidden);
  const binds = [...plan.binds].sort((a, b) => depth(a.dest) - depth(b.dest));
  for (const bind of binds) options.push(bind.readOnly ? '--ro-bind' : '--bind', bind.source, bind.dest);
  options.push('--dir', plan.cwd, '--chdir', plan.cwd);
  options.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--hostname', plan.hostname);
  options.push('--die-with-parent', '--new-session', '--info-fd', '3');
  options.push('--cap-drop', 'ALL');
  for (const cap of CONTAINER_CAPS) options.push('--cap-add', cap);
  options.push('--clearenv');
  for (const [name, value] of Object.entries(plan.env)) options.push('--setenv', name, value);

  const unshare = [tools.unshare, '--mount', '--propagation', 'private'];
  const wrapper = [tools.sh, '-c', WRAPPER, 'weft-sandbox', tools.mount, layout.upper, layout.work, layout.merged, layout.out];
  const command = [...unshare, '--', ...wrapper, plan.copyOutputs ? layout.outputList : '', tools.bwrap, '--args', '4', '--', ...plan.argv];
  const [file, ...args] = tools.setpriv ? [tools.setpriv, '--pdeathsig', 'KILL', '--', ...command] : command;
  return {
    file: file ?? tools.unshare,
    args,
    env: { PATH: SYSTEM_PATH },
    argsData: Buffer.from(options.map((o) => `${o}\0`).join(''), 'utf8'),
    infoFd: true,
  };
}

function depth(p: string): number {
  return p.split('/').filter((s) => s !== '').length;
}

/** A hostname Kubernetes would accept: the pod name cut to 63 characters. */
export function podHostname(podName: string): string {
  const cleaned = podName.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'weft' : cleaned;
}

export async function findTool(name: string): Promise<string | undefined> {
  const dirs = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin', ...(process.env.PATH ?? '').split(':')];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    const ok = await access(candidate, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (ok) return candidate;
  }
  return undefined;
}

const DISK_FILESYSTEMS = /^(ext[234]|xfs|btrfs|zfs|f2fs|overlay|9p|virtiofs|nfs4?|cifs|smb3|vfat|exfat|ntfs3?|squashfs|fuse(\..+)?|fuseblk)$/;

/**
 * Mount points an overlay of / cannot show (the overlay sees only the root
 * filesystem): other disks, Docker's bind-mounted /etc/hosts, a tmpfs /run.
 */
export function nestedHostMounts(mountinfo: string, skip: string[]): string[] {
  const out: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const mountPoint = unescapeMountPath(left.split(' ')[4] ?? '');
    const fsType = right.split(' ')[0] ?? '';
    if (mountPoint === '' || mountPoint === '/') continue;
    if (/^\/(proc|sys|dev|tmp)(\/|$)/.test(mountPoint)) continue;
    if (skip.some((s) => mountPoint === s || mountPoint.startsWith(`${s}/`))) continue;
    if (DISK_FILESYSTEMS.test(fsType) || (fsType === 'tmpfs' && mountPoint === '/run')) out.push(mountPoint);
  }
  // A mount below another one is covered by binding its parent; keep the list short.
  return [...new Set(out)].filter((m, _, all) => !all.some((o) => o !== m && m.startsWith(`${o}/`)));
}

function unescapeMountPath(raw: string): string {
  return raw.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}
