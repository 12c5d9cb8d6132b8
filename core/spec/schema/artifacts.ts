// Artifacts and every place Argo can keep one (s3, git, http, artifactory, gcs, oss,
// azure, hdfs, raw, plugin), plus Weft's own `fs: {key}`: a key in Weft's default
// artifact repository (the local filesystem store unless weft.yaml says otherwise).
import { z } from 'zod';
import { ConfigMapKeySelectorSchema, SecretKeySelectorSchema } from './k8s.js';
import { StringMapSchema, GoStringSchema } from './primitives.js';

const secret = SecretKeySelectorSchema.optional();

export const S3ArtifactSchema = z.object({
  endpoint: GoStringSchema.optional(),
  bucket: GoStringSchema.optional(),
  region: GoStringSchema.optional(),
  insecure: z.boolean().optional(),
  accessKeySecret: secret,
  secretKeySecret: secret,
  sessionTokenSecret: secret,
  roleARN: GoStringSchema.optional(),
  useSDKCreds: z.boolean().optional(),
  createBucketIfNotPresent: z.object({ objectLocking: z.boolean().optional() }).optional(),
  encryptionOptions: z
    .object({
      kmsKeyId: GoStringSchema.optional(),
      kmsEncryptionContext: GoStringSchema.optional(),
      enableEncryption: z.boolean().optional(),
      serverSideCustomerKeySecret: secret,
    })
    .optional(),
  caSecret: secret,
  addressingStyle: GoStringSchema.optional(),
  key: GoStringSchema.optional(),
});

export const GitArtifactSchema = z.object({
  repo: GoStringSchema,
  revision: GoStringSchema.optional(),
  depth: z.number().int().optional(),
  fetch: z.array(GoStringSchema).optional(),
  usernameSecret: secret,
  passwordSecret: secret,
  sshPrivateKeySecret: secret,
  insecureIgnoreHostKey: z.boolean().optional(),
  disableSubmodules: z.boolean().optional(),
  singleBranch: z.boolean().optional(),
  branch: GoStringSchema.optional(),
  insecureSkipTLS: z.boolean().optional(),
});

export const HeaderSchema = z.object({ name: GoStringSchema, value: GoStringSchema });

export const HTTPArtifactSchema = z.object({
  url: GoStringSchema,
  headers: z.array(HeaderSchema).optional(),
  auth: z
    .object({
      clientCert: z.object({ clientCertSecret: secret, clientKeySecret: secret }).optional(),
      oauth2: z
        .object({
          clientIDSecret: secret,
          clientSecretSecret: secret,
          tokenURLSecret: secret,
          scopes: z.array(GoStringSchema).optional(),
          endpointParams: z.array(z.object({ key: GoStringSchema, value: GoStringSchema.optional() })).optional(),
        })
        .optional(),
      basicAuth: z.object({ usernameSecret: secret, passwordSecret: secret }).optional(),
    })
    .optional(),
  saveStreamViaFile: z.boolean().optional(),
});
export type HTTPArtifact = z.infer<typeof HTTPArtifactSchema>;

export const ArtifactoryArtifactSchema = z.object({
  url: GoStringSchema,
  usernameSecret: secret,
  passwordSecret: secret,
});

export const GCSArtifactSchema = z.object({
  bucket: GoStringSchema.optional(),
  serviceAccountKeySecret: secret,
  key: GoStringSchema,
});

export const OSSArtifactSchema = z.object({
  endpoint: GoStringSchema.optional(),
  bucket: GoStringSchema.optional(),
  accessKeySecret: secret,
  secretKeySecret: secret,
  createBucketIfNotPresent: z.boolean().optional(),
  securityToken: GoStringSchema.optional(),
  lifecycleRule: z
    .object({
      markInfrequentAccessAfterDays: z.number().int().optional(),
      markDeletionAfterDays: z.number().int().optional(),
    })
    .optional(),
  useSDKCreds: z.boolean().optional(),
  key: GoStringSchema,
});

export const AzureArtifactSchema = z.object({
  endpoint: GoStringSchema,
  container: GoStringSchema,
  accountKeySecret: secret,
  useSDKCreds: z.boolean().optional(),
  blob: GoStringSchema,
});

export const HDFSArtifactSchema = z.object({
  krbCCacheSecret: secret,
  krbKeytabSecret: secret,
  krbUsername: GoStringSchema.optional(),
  krbRealm: GoStringSchema.optional(),
  krbConfigConfigMap: ConfigMapKeySelectorSchema.optional(),
  krbServicePrincipalName: GoStringSchema.optional(),
  addresses: z.array(GoStringSchema).optional(),
  hdfsUser: GoStringSchema.optional(),
  dataTransferProtection: GoStringSchema.optional(),
  path: GoStringSchema,
  force: z.boolean().optional(),
});

export const RawArtifactSchema = z.object({ data: GoStringSchema });

export const PluginArtifactSchema = z.object({
  name: GoStringSchema,
  configuration: GoStringSchema.optional(),
  connectionTimeoutSeconds: z.number().int().optional(),
  key: GoStringSchema.optional(),
});

/** Weft's own location: a key in the default artifact repository. */
export const FsArtifactSchema = z.object({ key: GoStringSchema });

/** The location fields of ArtifactLocation, inlined into Artifact as Argo does. */
export const artifactLocationShape = {
  archiveLogs: z.boolean().optional(),
  s3: S3ArtifactSchema.optional(),
  git: GitArtifactSchema.optional(),
  http: HTTPArtifactSchema.optional(),
  artifactory: ArtifactoryArtifactSchema.optional(),
  hdfs: HDFSArtifactSchema.optional(),
  raw: RawArtifactSchema.optional(),
  oss: OSSArtifactSchema.optional(),
  gcs: GCSArtifactSchema.optional(),
  azure: AzureArtifactSchema.optional(),
  plugin: PluginArtifactSchema.optional(),
  fs: FsArtifactSchema.optional(),
};

/** The keys of artifactLocationShape that name a location (archiveLogs does not). */
export const ARTIFACT_LOCATION_KINDS = [
  's3', 'git', 'http', 'artifactory', 'hdfs', 'raw', 'oss', 'gcs', 'azure', 'plugin', 'fs',
] as const;
export type ArtifactLocationKind = (typeof ARTIFACT_LOCATION_KINDS)[number];

export const ArtifactLocationSchema = z.object(artifactLocationShape);
export type ArtifactLocation = z.infer<typeof ArtifactLocationSchema>;

export const ArchiveStrategySchema = z.object({
  tar: z.object({ compressionLevel: z.number().int().optional() }).optional(),
  none: z.object({}).optional(),
  zip: z.object({}).optional(),
});
export type ArchiveStrategy = z.infer<typeof ArchiveStrategySchema>;

export const ArtifactGCStrategySchema = z.enum(['', 'OnWorkflowCompletion', 'OnWorkflowDeletion', 'Never']);

export const ArtifactGCSchema = z.object({
  strategy: ArtifactGCStrategySchema.optional(),
  podMetadata: z.object({ annotations: StringMapSchema.optional(), labels: StringMapSchema.optional() }).optional(),
  serviceAccountName: GoStringSchema.optional(),
});

export const ArtifactSchema = z.object({
  name: GoStringSchema,
  path: GoStringSchema.optional(),
  mode: z.number().int().optional(),
  from: GoStringSchema.optional(),
  ...artifactLocationShape,
  globalName: GoStringSchema.optional(),
  archive: ArchiveStrategySchema.optional(),
  optional: z.boolean().optional(),
  subPath: GoStringSchema.optional(),
  recurseMode: z.boolean().optional(),
  fromExpression: GoStringSchema.optional(),
  artifactGC: ArtifactGCSchema.optional(),
  deleted: z.boolean().optional(),
});
export type Artifact = z.infer<typeof ArtifactSchema>;

export const ArtifactRepositoryRefSchema = z.object({
  configMap: GoStringSchema.optional(),
  key: GoStringSchema.optional(),
});
