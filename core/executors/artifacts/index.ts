// Public surface of core/executors/artifacts: the local filesystem artifact repository,
// placing input artifacts before a step and saving output artifacts after it.
export { ARTIFACT_KEY_ERROR, ARTIFACT_NOT_FOUND, checkArtifactKey, createFsArtifactRepository } from './fs-repository.js';
export { INPUT_ARTIFACT_ERROR, materializeInputArtifact } from './input.js';
export type { InputArtifactContext, MaterializeResult } from './input.js';
export { OUTPUT_ARTIFACT_ERROR, OUTPUT_NOT_FOUND, collectOutputArtifact, defaultArtifactKey } from './output.js';
export type { OutputArtifactContext } from './output.js';
export { repositoryKeyOf, unsupportedLocation } from './location.js';
export type { KeyedLocationKind, RepositoryKey } from './location.js';
export { ARTIFACT_GIT_ERROR, cloneGitArtifact } from './git.js';
export type { GitCloneContext } from './git.js';
export { ARCHIVE_ERROR, isTarball, unpackTgz, writeTgz } from './archive.js';
export { ARTIFACT_HTTP_ERROR, downloadHttpArtifact, uploadHttpArtifact } from './http.js';
