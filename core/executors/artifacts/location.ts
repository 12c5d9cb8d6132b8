// Where an artifact says it lives. A location that carries nothing but its key
// (`fs: {key}`, `s3: {key}`, `gcs: {key}`, `oss: {key}`, `azure: {blob}`: Argo's
// key-only artifacts) means "this key in Weft's default repository"; a location
// naming its own bucket or endpoint is an outside store the local executor cannot reach.
import type { Artifact } from '../../spec/index.js';

/** The location kinds that can name a key of the default repository, and their key field. */
const KEYED_LOCATIONS = [
  ['fs', 'key'],
  ['s3', 'key'],
  ['gcs', 'key'],
  ['oss', 'key'],
  ['azure', 'blob'],
] as const;

export type KeyedLocationKind = (typeof KEYED_LOCATIONS)[number][0];

export interface RepositoryKey {
  kind: KeyedLocationKind;
  key: string;
}

/** The default-repository key an artifact names, if it names one through a key-only location. */
export function repositoryKeyOf(artifact: Artifact): RepositoryKey | undefined {
  for (const [kind, keyField] of KEYED_LOCATIONS) {
    const location: Record<string, unknown> | undefined = artifact[kind];
    if (location === undefined) continue;
    const key = location[keyField];
    if (typeof key !== 'string' || key === '') continue;
    if (otherFieldsEmpty(location, keyField)) return { kind, key };
  }
  return undefined;
}

function otherFieldsEmpty(location: Record<string, unknown>, keyField: string): boolean {
  return Object.entries(location).every(([field, value]) => field === keyField || value === undefined || value === '');
}

/** A message for a location the local executor cannot read or write, or undefined. */
export function unsupportedLocation(artifact: Artifact): string | undefined {
  for (const [kind] of KEYED_LOCATIONS) {
    if (artifact[kind] !== undefined && repositoryKeyOf(artifact) === undefined) {
      return (
        `artifact '${artifact.name}': ${kind} locations with their own bucket, endpoint or credentials are not ` +
        `supported by the local executor; give only the key (${kind}: {${kind === 'azure' ? 'blob' : 'key'}: ...}) ` +
        `to keep it in Weft's artifact repository`
      );
    }
  }
  if (artifact.hdfs) return `artifact '${artifact.name}': hdfs artifacts are not supported by the local executor`;
  if (artifact.plugin) return `artifact '${artifact.name}': artifact plugins are not supported by the local executor`;
  return undefined;
}
