// Saving one output artifact after its step exits, as Argo's executor saveArtifact
// does: tar.gz by default (`archive: none` keeps the file or tree as is), under the
// key the template gave or `${artifactKeyPrefix}/<name>[.tgz]`, and the artifact as
// recorded in status names where it went; http/artifactory outputs are uploaded.
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OperationalError, UserError } from '../../spec/index.js';
import type { Artifact } from '../../spec/index.js';
import type { HttpPolicyConfig } from '../http/index.js';
import type { ArtifactRepository, StoredArtifact, ValueSources } from '../types.js';
import { isErrno, randomSuffix, writeTgz } from './archive.js';
import { uploadHttpArtifact } from './http.js';
import { repositoryKeyOf, unsupportedLocation } from './location.js';

export const OUTPUT_ARTIFACT_ERROR = 'WEFT_E_OUTPUT_ARTIFACT';
export const OUTPUT_NOT_FOUND = 'WEFT_E_OUTPUT_NOT_FOUND';

export interface OutputArtifactContext {
  repository: ArtifactRepository;
  /** `${workflow}/${podName}`: where artifacts without their own key go. */
  artifactKeyPrefix: string;
  /** Needed only for http/artifactory outputs (credentials, cancellation, allow/deny rules). */
  values?: ValueSources;
  signal?: AbortSignal;
  httpPolicy?: HttpPolicyConfig;
}

/**
 * Saves the artifact found at hostSrcPath and returns it as status records it, or
 * undefined for an optional artifact that the step did not produce.
 */
export async function collectOutputArtifact(
  artifact: Artifact,
  hostSrcPath: string,
  ctx: OutputArtifactContext,
): Promise<StoredArtifact | undefined> {
  const unsupported = unsupportedLocation(artifact);
  if (unsupported) throw new UserError(OUTPUT_ARTIFACT_ERROR, unsupported);
  const present = await stat(hostSrcPath).then(
    () => true,
    (err: unknown) => (isErrno(err, 'ENOENT') || isErrno(err, 'ENOTDIR') ? false : Promise.reject(err)),
  );
  if (!present) {
    if (artifact.optional) return undefined;
    throw new OperationalError(
      OUTPUT_NOT_FOUND,
      `failed to save output artifact '${artifact.name}': open ${artifact.path ?? hostSrcPath}: no such file or directory`,
    );
  }
  // Zip is not written by the local store: a tar.gz is saved instead, and loading detects it.
  const archive = artifact.archive?.none ? 'none' : 'tar';
  if (artifact.http || artifact.artifactory) {
    await uploadOutputArtifact(artifact, hostSrcPath, archive, ctx);
    return { ...artifact };
  }
  const given = repositoryKeyOf(artifact);
  const key = given?.key ?? defaultArtifactKey(artifact, ctx.artifactKeyPrefix, archive);
  await ctx.repository.save(key, hostSrcPath, archive);
  if (given) return { ...artifact };
  return { ...artifact, fs: { key } };
}

/**
 * The key of an artifact without one: `<prefix>/<name>.tgz`, or `<prefix>/<name>` when
 * not archived. (Argo uses the path's basename for the latter, so two unarchived
 * outputs ending in the same file name overwrite each other; the name is unique.)
 */
export function defaultArtifactKey(artifact: Artifact, prefix: string, archive: 'tar' | 'none'): string {
  const fileName = archive === 'tar' ? `${artifact.name}.tgz` : artifact.name;
  return prefix === '' ? fileName : `${prefix.replace(/\/+$/, '')}/${fileName}`;
}

async function uploadOutputArtifact(
  artifact: Artifact,
  hostSrcPath: string,
  archive: 'tar' | 'none',
  ctx: OutputArtifactContext,
): Promise<void> {
  const http = { values: ctx.values ?? noValues, signal: ctx.signal ?? new AbortController().signal, policy: ctx.httpPolicy };
  if (archive === 'none') return uploadHttpArtifact(artifact, hostSrcPath, http);
  const tgz = path.join(tmpdir(), `weft-upload-${randomSuffix()}.tgz`);
  try {
    await writeTgz(hostSrcPath, tgz);
    await uploadHttpArtifact(artifact, tgz, http);
  } finally {
    await rm(tgz, { force: true });
  }
}

const noValues: ValueSources = { secret: () => undefined, configMap: () => undefined };
