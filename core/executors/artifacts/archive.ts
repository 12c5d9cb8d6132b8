// Moving artifact bytes on the host: gzipped tars written the way Argo's
// util/archive writes them (one top-level entry named after the source's basename),
// tarball detection and unpacking the way Argo's executor untar/unpack does (a tar
// holding a single entry becomes that file or directory at the destination; several
// entries become a directory), and plain tree copies for `archive: none`.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { cp, lstat, mkdir, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import * as tar from 'tar';
import { OperationalError } from '../../spec/index.js';

export const ARCHIVE_ERROR = 'WEFT_E_ARTIFACT_ARCHIVE';

/** Writes sourcePath (a file or a directory) as a gzipped tar at destFile. */
export async function writeTgz(sourcePath: string, destFile: string): Promise<void> {
  const info = await statSource(sourcePath);
  if (!info.symlink) {
    await tar.create({ gzip: true, file: destFile, cwd: path.dirname(sourcePath), portable: true }, [
      path.basename(sourcePath),
    ]);
    return;
  }
  // Argo stats (follows) the top-level path but archives nested symlinks as links, and
  // the entry carries the artifact path's own name: stage the target under that name.
  const work = `${destFile}.${randomSuffix()}.d`;
  try {
    await copyTree(await realpath(sourcePath), path.join(work, path.basename(sourcePath)));
    await tar.create({ gzip: true, file: destFile, cwd: work, portable: true }, [path.basename(sourcePath)]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function statSource(sourcePath: string): Promise<{ symlink: boolean }> {
  const link = await lstat(sourcePath);
  const info = link.isSymbolicLink() ? await stat(sourcePath) : link;
  if (!info.isFile() && !info.isDirectory()) {
    throw new OperationalError(ARCHIVE_ERROR, `${sourcePath} is not a regular file or directory`);
  }
  return { symlink: link.isSymbolicLink() };
}

/**
 * True when the file is gzip whose first tar header is valid, as Argo's isTarball
 * (gzip.NewReader + tar.Reader.Next) decides.
 */
export async function isTarball(file: string): Promise<boolean> {
  const handle = await open(file, fsConstants.O_RDONLY);
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head.length < 18 || head[0] !== 0x1f || head[1] !== 0x8b) return false;
  let plain: Buffer;
  try {
    plain = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return false;
  }
  return plain.length >= 512 && isTarHeader(plain.subarray(0, 512));
}

function isTarHeader(block: Buffer): boolean {
  if (block.every((b) => b === 0)) return false; // end-of-archive marker: Next() returns EOF
  const recorded = Number.parseInt(block.subarray(148, 156).toString('latin1').replace(/[\0 ]+/g, ' ').trim(), 8);
  if (!Number.isFinite(recorded)) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return recorded === unsigned || recorded === signed;
}

/** Argo's untar + unpack: extract beside destPath, then move the single entry (or the whole set) to destPath. */
export async function unpackTgz(tgzFile: string, destPath: string): Promise<void> {
  const work = `${destPath}.${randomSuffix()}.tmpdir`;
  await mkdir(work, { recursive: true });
  try {
    // preservePaths false: absolute names and `..` entries are refused, as Argo's untar refuses them.
    await tar.extract({ file: tgzFile, cwd: work, preserveOwner: false, preservePaths: false });
    const entries = await readdir(work);
    const only = entries.length === 1 ? entries[0] : undefined;
    if (only !== undefined) await placePath(path.join(work, only), destPath);
    else await placePath(work, destPath);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Moves src to dest (creating dest's parent). An existing file or empty directory at
 * dest is replaced; a non-empty directory receives src's entries (a volume mount
 * point that already holds files stays intact).
 */
export async function placePath(src: string, dest: string): Promise<void> {
  await mkdir(path.dirname(dest), { recursive: true });
  const existing = await lstat(dest).catch(() => undefined);
  if (existing?.isDirectory() && (await readdir(dest)).length > 0) {
    await copyTree(src, dest);
    await rm(src, { recursive: true, force: true });
    return;
  }
  if (existing) await rm(dest, { recursive: true, force: true });
  try {
    await rename(src, dest);
  } catch (err) {
    if (!isErrno(err, 'EXDEV')) throw err;
    await copyTree(src, dest);
    await rm(src, { recursive: true, force: true });
  }
}

/** Copies a file or directory tree; symlinks stay symlinks, modes and times are kept. */
export async function copyTree(src: string, dest: string): Promise<void> {
  await mkdir(path.dirname(dest), { recursive: true });
  await cp(src, dest, { recursive: true, force: true, verbatimSymlinks: true, preserveTimestamps: true });
}

export function randomSuffix(): string {
  return randomBytes(4).toString('hex');
}

export function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && 'code' in err && err.code === code;
}
