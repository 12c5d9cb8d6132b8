// The non-recursive building blocks of a template: one schema per template kind
// (script, resource, suspend, http, containerSet, data, plugin) and the policies a
// template or step carries (retry, continueOn, memoize, synchronization, metrics).
import { z } from 'zod';
import { ArtifactSchema } from './artifacts.js';
import { ConfigMapKeySelectorSchema, SecretKeySelectorSchema, VolumeMountSchema, containerShape } from './k8s.js';
import { IntOrStringSchema, StringMapSchema, GoStringSchema } from './primitives.js';

/** Sidecars and init containers: a Container plus Argo's mirrorVolumeMounts. */
export const UserContainerSchema = z.object({ ...containerShape, mirrorVolumeMounts: z.boolean().optional() });
export type UserContainer = z.infer<typeof UserContainerSchema>;

export const ScriptTemplateSchema = z.object({ ...containerShape, source: GoStringSchema });
export type ScriptTemplate = z.infer<typeof ScriptTemplateSchema>;

export const ResourceActionSchema = z.enum(['get', 'create', 'apply', 'delete', 'replace', 'patch']);
export const ResourceTemplateSchema = z.object({
  action: ResourceActionSchema,
  mergeStrategy: z.enum(['strategic', 'merge', 'json']).optional(),
  manifest: GoStringSchema.optional(),
  manifestFrom: z.object({ artifact: ArtifactSchema }).optional(),
  setOwnerReference: z.boolean().optional(),
  successCondition: GoStringSchema.optional(),
  failureCondition: GoStringSchema.optional(),
  flags: z.array(GoStringSchema).optional(),
});
export type ResourceTemplate = z.infer<typeof ResourceTemplateSchema>;

export const SuspendTemplateSchema = z.object({
  /** Seconds as a number or a Go-style duration string ("20s", "1m30s"). */
  duration: IntOrStringSchema.optional(),
});
export type SuspendTemplate = z.infer<typeof SuspendTemplateSchema>;

export const HTTPHeaderSchema = z.object({
  name: GoStringSchema,
  value: GoStringSchema.optional(),
  valueFrom: z.object({ secretKeyRef: SecretKeySelectorSchema.optional() }).optional(),
});
export type HTTPHeader = z.infer<typeof HTTPHeaderSchema>;

export const HTTPTemplateSchema = z.object({
  method: GoStringSchema.optional(),
  url: GoStringSchema,
  headers: z.array(HTTPHeaderSchema).optional(),
  timeoutSeconds: z.number().int().optional(),
  successCondition: GoStringSchema.optional(),
  body: GoStringSchema.optional(),
  /** Go's []byte: base64 text in JSON/YAML. */
  bodyFrom: z.object({ bytes: GoStringSchema.optional() }).optional(),
  insecureSkipVerify: z.boolean().optional(),
});
export type HTTPTemplate = z.infer<typeof HTTPTemplateSchema>;

export const ContainerNodeSchema = z.object({ ...containerShape, dependencies: z.array(GoStringSchema).optional() });
export type ContainerNode = z.infer<typeof ContainerNodeSchema>;

export const ContainerSetTemplateSchema = z.object({
  containers: z.array(ContainerNodeSchema),
  volumeMounts: z.array(VolumeMountSchema).optional(),
  retryStrategy: z.object({ duration: GoStringSchema.optional(), retries: IntOrStringSchema }).optional(),
});
export type ContainerSetTemplate = z.infer<typeof ContainerSetTemplateSchema>;

export const DataTemplateSchema = z.object({
  source: z.object({ artifactPaths: ArtifactSchema.optional() }),
  transformation: z.array(z.object({ expression: GoStringSchema })),
});
export type DataTemplate = z.infer<typeof DataTemplateSchema>;

/** `plugin: {<pluginName>: <its config>}`: exactly one key, checked by validation. */
export const PluginTemplateSchema = z.record(z.string(), z.unknown());
export type PluginTemplate = z.infer<typeof PluginTemplateSchema>;

export const RetryPolicySchema = z.enum(['Always', 'OnFailure', 'OnError', 'OnTransientError']);
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const BackoffSchema = z.object({
  duration: IntOrStringSchema.optional(),
  factor: IntOrStringSchema.optional(),
  maxDuration: IntOrStringSchema.optional(),
  cap: IntOrStringSchema.optional(),
});
export type Backoff = z.infer<typeof BackoffSchema>;

export const RetryStrategySchema = z.object({
  limit: IntOrStringSchema.optional(),
  retryPolicy: RetryPolicySchema.optional(),
  backoff: BackoffSchema.optional(),
  affinity: z.object({ nodeAntiAffinity: z.object({}).optional() }).optional(),
  expression: GoStringSchema.optional(),
});
export type RetryStrategy = z.infer<typeof RetryStrategySchema>;

export const ContinueOnSchema = z.object({
  error: z.boolean().optional(),
  failed: z.boolean().optional(),
});
export type ContinueOn = z.infer<typeof ContinueOnSchema>;

export const MemoizeSchema = z.object({
  key: GoStringSchema,
  cache: z.object({ configMap: z.object({ name: GoStringSchema }) }),
  maxAge: GoStringSchema.optional(),
});
export type Memoize = z.infer<typeof MemoizeSchema>;

export const MutexSchema = z.object({
  name: GoStringSchema,
  namespace: GoStringSchema.optional(),
  database: z.boolean().optional(),
});
export type Mutex = z.infer<typeof MutexSchema>;

export const SemaphoreRefSchema = z.object({
  configMapKeyRef: ConfigMapKeySelectorSchema.optional(),
  namespace: GoStringSchema.optional(),
  database: z.object({ key: GoStringSchema }).optional(),
});
export type SemaphoreRef = z.infer<typeof SemaphoreRefSchema>;

export const SynchronizationSchema = z.object({
  semaphores: z.array(SemaphoreRefSchema).optional(),
  mutexes: z.array(MutexSchema).optional(),
});
export type Synchronization = z.infer<typeof SynchronizationSchema>;

export const TemplateRefSchema = z.object({
  name: GoStringSchema,
  template: GoStringSchema,
  clusterScope: z.boolean().optional(),
});
export type TemplateRef = z.infer<typeof TemplateRefSchema>;

export const WorkflowTemplateRefSchema = z.object({
  name: GoStringSchema,
  clusterScope: z.boolean().optional(),
});
export type WorkflowTemplateRef = z.infer<typeof WorkflowTemplateRefSchema>;

/** Pod metadata of a template (Argo's Metadata, not ObjectMeta). */
export const MetadataSchema = z.object({
  annotations: StringMapSchema.optional(),
  labels: StringMapSchema.optional(),
});
export type Metadata = z.infer<typeof MetadataSchema>;

export const SequenceSchema = z.object({
  count: IntOrStringSchema.optional(),
  start: IntOrStringSchema.optional(),
  end: IntOrStringSchema.optional(),
  format: GoStringSchema.optional(),
});
export type Sequence = z.infer<typeof SequenceSchema>;

const PrometheusSchema = z.object({
  name: GoStringSchema,
  labels: z.array(z.object({ key: GoStringSchema, value: GoStringSchema })).optional(),
  help: GoStringSchema,
  when: GoStringSchema.optional(),
  gauge: z
    .object({ value: GoStringSchema, realtime: z.boolean().optional(), operation: z.enum(['Set', 'Add', 'Sub']).optional() })
    .optional(),
  histogram: z.object({ value: GoStringSchema, buckets: z.array(z.number()) }).optional(),
  counter: z.object({ value: GoStringSchema }).optional(),
});

export const MetricsSchema = z.object({ prometheus: z.array(PrometheusSchema) });
export type Metrics = z.infer<typeof MetricsSchema>;
