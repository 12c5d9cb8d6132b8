// Placing one input artifact at a host path before its step starts, as Argo's
// executor loadArtifact does: raw data written out, a key of the default repository
// loaded (tarballs unpacked), http/artifactory downloaded (through ./http.js), git
// cloned; an optional artifact with no source, or whose key is missing, is skipped.
import { chmod, lstat, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { OperationalError, UserError } from '../../spec/index.js';
import type { Artifact } from '../../spec/index.js';
import type { ArtifactRepository, ValueSources } from '../types.js';
import type { HttpPolicyConfig } from '../http/index.js';
import { isErrno, isTarball, placePath, randomSuffix, unpackTgz } from './archive.js';
import { ARTIFACT_NOT_FOUND } from './fs-repository.js';
import { cloneGitArtifact } from './git.js';
import { downloadHttpArtifact } from './http.js';
import { repositoryKeyOf, unsupportedLocation } from './location.js';

export const INPUT_ARTIFACT_ERROR = 'WEFT_E_INPUT_ARTIFACT';

export interface InputArtifactContext {
  repository: ArtifactRepository;
  values: ValueSources;
  signal: AbortSignal;
  /** executor.http allow/deny rules for http and artifactory sources. */
  httpPolicy?: HttpPolicyConfig;
  gitBinary?: string;
}

export type MaterializeResult = 'placed' | 'skipped';

export async function materializeInputArtifact(
  artifact: Artifact,
  hostDestPath: string,
  ctx: InputArtifactContext,
): Promise<MaterializeResult> {
  const unsupported = unsupportedLocation(artifact);
  if (unsupported) throw new UserError(INPUT_ARTIFACT_ERROR, unsupported);
  const key = repositoryKeyOf(artifact);
  if (artifact.raw) {
    await mkdir(path.dirname(hostDestPath), { recursive: true });
    await writeFile(hostDestPath, artifact.raw.data);
  } else if (key) {
    try {
      await loadKey(ctx.repository, key.key, artifact.subPath, hostDestPath);
    } catch (err) {
      if (artifact.optional && err instanceof OperationalError && err.code === ARTIFACT_NOT_FOUND) return 'skipped';
      throw err;
    }
  } else if (artifact.http || artifact.artifactory) {
    const download = `${hostDestPath}.${randomSuffix()}.download`;
    try {
      await downloadHttpArtifact(artifact, download, { values: ctx.values, signal: ctx.signal, policy: ctx.httpPolicy });
      // Argo auto-detects tarballs on every driver's download, not only its own repository's.
      if (await isTarball(download)) await unpackTgz(download, hostDestPath);
      else await placePath(download, hostDestPath);
    } finally {
      await rm(download, { force: true });
    }
  } else if (artifact.git) {
    await ensureAbsentOrEmpty(hostDestPath, artifact.name);
    await cloneGitArtifact(artifact, hostDestPath, { values: ctx.values, signal: ctx.signal, gitBinary: ctx.gitBinary });
  } else if (artifact.optional) {
    return 'skipped';
  } else {
    throw new UserError(INPUT_ARTIFACT_ERROR, `required artifact '${artifact.name}' not supplied`);
  }
  if (artifact.mode !== undefined) await applyMode(hostDestPath, artifact.mode, artifact.recurseMode === true);
  return 'placed';
}

/**
 * Loads a repository key, or with subPath only that part of it: directly when the
 * artifact was stored unarchived (a tree under the key), else from the unpacked whole.
 */
async function loadKey(repository: ArtifactRepository, key: string, subPath: string | undefined, dest: string): Promise<void> {
  const sub = (subPath ?? '').split('/').filter((s) => s !== '' && s !== '.');
  if (sub.length === 0) return repository.load(key, dest);
  if (sub.includes('..')) throw new UserError(INPUT_ARTIFACT_ERROR, `subPath '${subPath}' must not contain '..'`);
  const direct = `${key.replace(/\/+$/, '')}/${sub.join('/')}`;
  if (await repository.has(direct)) return repository.load(direct, dest);
  const whole = `${dest}.${randomSuffix()}.whole`;
  try {
    await repository.load(key, whole);
    const part = path.join(whole, ...sub);
    if (!(await lstat(part).catch(() => undefined))) {
      throw new OperationalError(ARTIFACT_NOT_FOUND, `artifact key '${key}' has no subPath '${subPath}'`);
    }
    await placePath(part, dest);
  } finally {
    await rm(whole, { recursive: true, force: true });
  }
}

async function ensureAbsentOrEmpty(dest: string, name: string): Promise<void> {
  const entries = await readdir(dest).catch((err: unknown) => (isErrno(err, 'ENOENT') ? [] : Promise.reject(err)));
  if (entries.length > 0) {
    throw new UserError(INPUT_ARTIFACT_ERROR, `artifact '${name}': cannot clone into ${dest}: the directory is not empty`);
  }
  await rm(dest, { recursive: true, force: true });
}

/** Argo's chmod: the path itself, and with recurseMode everything below it. */
async function applyMode(target: string, mode: number, recurse: boolean): Promise<void> {
  await chmod(target, mode);
  if (!recurse || !(await lstat(target)).isDirectory()) return;
  for (const entry of await readdir(target, { recursive: true })) {
    const file = path.join(target, entry);
    if (!(await lstat(file)).isSymbolicLink()) await chmod(file, mode);
  }
}
