// Weft's default artifact repository: a directory on the host where each key is a
// relative path. Archived artifacts are stored as .tgz files, `archive: none` ones as
// the plain file or directory tree; load() restores either, detecting tarballs by
// content as Argo's executor does.
import { copyFile, lstat, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { OperationalError, UserError } from '../../spec/index.js';
import type { ArtifactRepository } from '../types.js';
import { copyTree, isErrno, isTarball, placePath, randomSuffix, unpackTgz, writeTgz } from './archive.js';

export const ARTIFACT_KEY_ERROR = 'WEFT_E_ARTIFACT_KEY';
export const ARTIFACT_NOT_FOUND = 'WEFT_E_ARTIFACT_NOT_FOUND';

export function createFsArtifactRepository(root: string): ArtifactRepository {
  const base = path.resolve(root);
  const locate = (key: string): string => path.join(base, ...checkArtifactKey(key));

  return {
    async save(key, hostPath, archive) {
      const dest = locate(key);
      await mkdir(path.dirname(dest), { recursive: true });
      // Write beside the destination and rename, so a reader never sees half an artifact.
      const staged = `${dest}.${randomSuffix()}.partial`;
      try {
        if (archive === 'tar') await writeTgz(hostPath, staged);
        else if ((await stat(hostPath)).isDirectory()) await copyTree(hostPath, staged);
        else await copyFile(hostPath, staged);
        await rm(dest, { recursive: true, force: true });
        await rename(staged, dest);
      } catch (err) {
        await rm(staged, { recursive: true, force: true });
        throw err;
      }
    },

    async load(key, hostPath) {
      const src = locate(key);
      const info = await lstat(src).catch((err: unknown) => {
        if (isErrno(err, 'ENOENT')) throw new OperationalError(ARTIFACT_NOT_FOUND, `artifact key '${key}' does not exist`);
        throw err;
      });
      if (info.isFile() && (await isTarball(src))) {
        await unpackTgz(src, hostPath);
        return;
      }
      const staged = `${hostPath}.${randomSuffix()}.partial`;
      try {
        if (info.isDirectory()) await copyTree(src, staged);
        else {
          await mkdir(path.dirname(staged), { recursive: true });
          await copyFile(src, staged);
        }
        await placePath(staged, hostPath);
      } finally {
        await rm(staged, { recursive: true, force: true });
      }
    },

    async has(key) {
      return lstat(locate(key)).then(
        () => true,
        () => false,
      );
    },
  };
}

/**
 * The path segments of a repository key. Keys are relative paths inside the
 * repository: absolute keys and `..` segments are refused, so no key reaches outside.
 */
export function checkArtifactKey(key: string): string[] {
  const refuse = (why: string): never => {
    throw new UserError(ARTIFACT_KEY_ERROR, `artifact key '${key}' ${why}`);
  };
  if (key.length === 0) refuse('is empty');
  if (key.includes('\0')) refuse('contains a NUL byte');
  if (key.startsWith('/') || key.includes('\\') || /^[A-Za-z]:/.test(key)) {
    refuse('must be a relative path inside the artifact repository');
  }
  const segments = key.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) refuse("must not contain '..'");
  if (segments.length === 0) refuse('names no file');
  return segments;
}
