// WorkflowSpec: the body shared by Workflow, WorkflowTemplate, ClusterWorkflowTemplate
// and CronWorkflow.spec.workflowSpec.
import { z } from 'zod';
import { ArtifactGCSchema, ArtifactRepositoryRefSchema } from './artifacts.js';
import { ArgumentsSchema } from './io.js';
import { PersistentVolumeClaimSchema, VolumeSchema } from './k8s.js';
import { AnyStringSchema, PassthroughSchema, StringMapSchema, GoStringSchema } from './primitives.js';
import { LifecycleHooksSchema, TemplateSchema } from './template.js';
import {
  MetadataSchema,
  MetricsSchema,
  RetryStrategySchema,
  SynchronizationSchema,
  WorkflowTemplateRefSchema,
} from './template-kinds.js';

export const PodGCSchema = z.object({
  strategy: z.enum(['', 'OnPodCompletion', 'OnPodSuccess', 'OnWorkflowCompletion', 'OnWorkflowSuccess']).optional(),
  labelSelector: PassthroughSchema.optional(),
  deleteDelayDuration: GoStringSchema.optional(),
});

export const TTLStrategySchema = z.object({
  secondsAfterCompletion: z.number().int().optional(),
  secondsAfterSuccess: z.number().int().optional(),
  secondsAfterFailure: z.number().int().optional(),
});

export const WorkflowMetadataSchema = z.object({
  labels: z.record(z.string(), AnyStringSchema).optional(),
  annotations: z.record(z.string(), AnyStringSchema).optional(),
  labelsFrom: z.record(z.string(), z.object({ expression: GoStringSchema })).optional(),
});

export const WorkflowSpecSchema = z.object({
  templates: z.array(TemplateSchema).optional(),
  entrypoint: GoStringSchema.optional(),
  arguments: ArgumentsSchema.optional(),
  serviceAccountName: GoStringSchema.optional(),
  automountServiceAccountToken: z.boolean().optional(),
  executor: z.object({ serviceAccountName: GoStringSchema.optional() }).optional(),
  volumes: z.array(VolumeSchema).optional(),
  volumeClaimTemplates: z.array(PersistentVolumeClaimSchema).optional(),
  parallelism: z.number().int().optional(),
  artifactRepositoryRef: ArtifactRepositoryRefSchema.optional(),
  suspend: z.boolean().optional(),
  nodeSelector: StringMapSchema.optional(),
  affinity: PassthroughSchema.optional(),
  tolerations: z.array(PassthroughSchema).optional(),
  imagePullSecrets: z.array(PassthroughSchema).optional(),
  hostNetwork: z.boolean().optional(),
  dnsPolicy: GoStringSchema.optional(),
  dnsConfig: PassthroughSchema.optional(),
  onExit: GoStringSchema.optional(),
  ttlStrategy: TTLStrategySchema.optional(),
  activeDeadlineSeconds: z.number().int().optional(),
  priority: z.number().int().optional(),
  schedulerName: GoStringSchema.optional(),
  podGC: PodGCSchema.optional(),
  podPriorityClassName: GoStringSchema.optional(),
  hostAliases: z.array(PassthroughSchema).optional(),
  securityContext: PassthroughSchema.optional(),
  podSpecPatch: GoStringSchema.optional(),
  podDisruptionBudget: PassthroughSchema.optional(),
  metrics: MetricsSchema.optional(),
  shutdown: z.enum(['', 'Terminate', 'Stop']).optional(),
  workflowTemplateRef: WorkflowTemplateRefSchema.optional(),
  synchronization: SynchronizationSchema.optional(),
  volumeClaimGC: z.object({ strategy: z.enum(['', 'OnWorkflowCompletion', 'OnWorkflowSuccess']).optional() }).optional(),
  retryStrategy: RetryStrategySchema.optional(),
  podMetadata: MetadataSchema.optional(),
  templateDefaults: TemplateSchema.optional(),
  archiveLogs: z.boolean().optional(),
  hooks: LifecycleHooksSchema.optional(),
  workflowMetadata: WorkflowMetadataSchema.optional(),
  artifactGC: ArtifactGCSchema.extend({
    forceFinalizerRemoval: z.boolean().optional(),
    podSpecPatch: GoStringSchema.optional(),
  }).optional(),
  executorPlugins: z.array(PassthroughSchema).optional(),
  podResources: PassthroughSchema.optional(),
  resourceClaims: z.array(PassthroughSchema).optional(),
});
export type WorkflowSpec = z.infer<typeof WorkflowSpecSchema>;
