// Weft's own kinds (group weft.dev/v1alpha1) and the weft.yaml configuration file.
import { z } from 'zod';
import { ObjectMetaSchema } from './k8s.js';
import { AnyStringSchema, PassthroughSchema } from './primitives.js';
import { ConcurrencyPolicySchema } from './workflow.js';

export const WEFT_API_VERSION = 'weft.dev/v1alpha1';

export const GitRefSchema = z.object({
  branch: z.string().optional(),
  tag: z.string().optional(),
  commit: z.string().optional(),
});
export type GitRef = z.infer<typeof GitRefSchema>;

export const GitSourceSpecSchema = z.object({
  url: z.string(),
  ref: GitRefSchema.optional(),
  paths: z.array(z.string()).optional(),
  /** Go-style duration between polls, e.g. "15s", "5m". */
  interval: z.string().optional(),
  secretRef: z.object({ name: z.string() }).optional(),
  prune: z.boolean().optional(),
  failurePolicy: z.enum(['KeepLastGood', 'AllOrNothing']).optional(),
  namespace: z.string().optional(),
});
export type GitSourceSpec = z.infer<typeof GitSourceSpecSchema>;

export const GitSourceConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  path: z.string().optional(),
  lastTransitionTime: z.string().optional(),
  issues: z.array(PassthroughSchema).optional(),
});

export const GitSourceStatusSchema = z.object({
  revision: z.string().optional(),
  lastSyncAt: z.string().optional(),
  conditions: z.array(GitSourceConditionSchema).optional(),
  /** The objects the last good revision produced. */
  objects: z
    .array(
      z.object({
        kind: z.string(),
        name: z.string(),
        namespace: z.string().optional(),
        path: z.string().optional(),
      }),
    )
    .optional(),
});
export type GitSourceStatus = z.infer<typeof GitSourceStatusSchema>;

export const GitSourceSchema = z.object({
  apiVersion: z.string(),
  kind: z.literal('GitSource'),
  metadata: ObjectMetaSchema,
  spec: GitSourceSpecSchema,
  status: GitSourceStatusSchema.optional(),
});
export type GitSource = z.infer<typeof GitSourceSchema>;

export const GitTriggerSpecSchema = z.object({
  /** Name of the GitSource whose commits start runs. */
  source: z.string(),
  branches: z.array(z.string()).optional(),
  paths: z.array(z.string()).optional(),
  ignorePaths: z.array(z.string()).optional(),
  workflowTemplateRef: z.object({ name: z.string(), clusterScope: z.boolean().optional() }),
  arguments: z
    .object({ parameters: z.array(z.object({ name: z.string(), value: AnyStringSchema.optional() })).optional() })
    .optional(),
  concurrencyPolicy: ConcurrencyPolicySchema.optional(),
});
export type GitTriggerSpec = z.infer<typeof GitTriggerSpecSchema>;

export const GitTriggerSchema = z.object({
  apiVersion: z.string(),
  kind: z.literal('GitTrigger'),
  metadata: ObjectMetaSchema,
  spec: GitTriggerSpecSchema,
  status: PassthroughSchema.optional(),
});
export type GitTrigger = z.infer<typeof GitTriggerSchema>;

/** What an image would run when a template does not say (ENTRYPOINT = command, CMD = args). */
export const ImageDefaultsSchema = z.object({
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
});
export type ImageDefaults = z.infer<typeof ImageDefaultsSchema>;

export const LocalExecutorConfigSchema = z.object({
  /** Directories prepended to PATH, relative to weft.yaml. */
  path: z.array(z.string()).default([]),
  /** Command in a container (absolute or bare) -> host command. */
  alias: z.record(z.string(), z.string()).default({}),
  /** Image glob -> image defaults; the first matching glob in file order wins. */
  images: z.record(z.string(), ImageDefaultsSchema).default({}),
  /** Private filesystem view per step: bubblewrap when available (auto), forced, or none. */
  sandbox: z.enum(['auto', 'bwrap', 'none']).default('auto'),
  /** Unsandboxed steps start through a python3 posix_spawn helper (auto), or from Node (off). */
  launcher: z.enum(['auto', 'off']).default('auto'),
});
export type LocalExecutorConfig = z.infer<typeof LocalExecutorConfigSchema>;

export const HttpExecutorConfigSchema = z.object({
  /** URL globs http templates and artifacts may call; empty = any not denied. */
  allow: z.array(z.string()).default([]),
  deny: z.array(z.string()).default([]),
  maxResponseBytes: z.number().int().positive().default(10 * 1024 * 1024),
  maxRedirects: z.number().int().nonnegative().default(5),
});
export type HttpExecutorConfig = z.infer<typeof HttpExecutorConfigSchema>;

export const PluginSecretRefSchema = z.union([
  z.object({ env: z.string() }),
  z.object({ file: z.string() }),
  z.object({ secretKeyRef: z.object({ name: z.string(), key: z.string() }) }),
]);

export const PluginConfigEntrySchema = z.object({
  name: z.string(),
  module: z.string(),
  config: PassthroughSchema.optional(),
  secrets: z.record(z.string(), PluginSecretRefSchema).optional(),
});
export type PluginConfigEntry = z.infer<typeof PluginConfigEntrySchema>;

export const WeftConfigSchema = z.object({
  server: z
    .object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(2746) })
    .prefault({}),
  store: z
    .object({ driver: z.enum(['sqlite', 'memory']).default('sqlite'), path: z.string().default('.weft/weft.db') })
    .prefault({}),
  artifacts: z
    .object({
      driver: z.enum(['fs', 's3']).default('fs'),
      path: z.string().default('.weft/artifacts'),
      /** S3-compatible store, used when driver is s3. */
      s3: PassthroughSchema.optional(),
    })
    .prefault({}),
  executor: z
    .object({
      default: z.enum(['local', 'kubernetes']).default('local'),
      local: LocalExecutorConfigSchema.prefault({}),
      kubernetes: z.object({ namespace: z.string().default('default') }).prefault({}),
      http: HttpExecutorConfigSchema.prefault({}),
    })
    .prefault({}),
  sources: z.array(GitSourceSchema).default([]),
  plugins: z.array(PluginConfigEntrySchema).default([]),
});
export type WeftConfig = z.infer<typeof WeftConfigSchema>;
