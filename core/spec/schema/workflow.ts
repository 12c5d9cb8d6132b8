// The four Argo kinds (group argoproj.io/v1alpha1) as whole documents.
import { z } from 'zod';
import { ObjectMetaSchema } from './k8s.js';
import { PassthroughSchema, GoStringSchema } from './primitives.js';
import { TimeSchema, WorkflowStatusSchema } from './status.js';
import { WorkflowSpecSchema } from './workflow-spec.js';

export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';

export const WorkflowSchema = z.object({
  apiVersion: GoStringSchema,
  kind: z.literal('Workflow'),
  metadata: ObjectMetaSchema,
  spec: WorkflowSpecSchema,
  status: WorkflowStatusSchema.optional(),
});
export type Workflow = z.infer<typeof WorkflowSchema>;

export const WorkflowTemplateSchema = z.object({
  apiVersion: GoStringSchema,
  kind: z.literal('WorkflowTemplate'),
  metadata: ObjectMetaSchema,
  spec: WorkflowSpecSchema,
});
export type WorkflowTemplate = z.infer<typeof WorkflowTemplateSchema>;

export const ClusterWorkflowTemplateSchema = z.object({
  apiVersion: GoStringSchema,
  kind: z.literal('ClusterWorkflowTemplate'),
  metadata: ObjectMetaSchema,
  spec: WorkflowSpecSchema,
});
export type ClusterWorkflowTemplate = z.infer<typeof ClusterWorkflowTemplateSchema>;

export const ConcurrencyPolicySchema = z.enum(['Allow', 'Forbid', 'Replace']);
export type ConcurrencyPolicy = z.infer<typeof ConcurrencyPolicySchema>;

export const CronWorkflowSpecSchema = z.object({
  workflowSpec: WorkflowSpecSchema,
  /** Argo v3.x single schedule; v3.6+ and v4 use `schedules`. Both are accepted. */
  schedule: GoStringSchema.optional(),
  schedules: z.array(GoStringSchema).optional(),
  concurrencyPolicy: ConcurrencyPolicySchema.optional(),
  suspend: z.boolean().optional(),
  startingDeadlineSeconds: z.number().int().optional(),
  successfulJobsHistoryLimit: z.number().int().optional(),
  failedJobsHistoryLimit: z.number().int().optional(),
  timezone: GoStringSchema.optional(),
  workflowMetadata: ObjectMetaSchema.optional(),
  stopStrategy: z.object({ expression: GoStringSchema }).optional(),
  when: GoStringSchema.optional(),
});
export type CronWorkflowSpec = z.infer<typeof CronWorkflowSpecSchema>;

export const CronWorkflowStatusSchema = z.object({
  active: z.array(PassthroughSchema).nullable().optional(),
  lastScheduledTime: TimeSchema.optional(),
  conditions: z.array(PassthroughSchema).nullable().optional(),
  succeeded: z.number().int().optional(),
  failed: z.number().int().optional(),
  phase: z.enum(['', 'Active', 'Stopped']).optional(),
});
export type CronWorkflowStatus = z.infer<typeof CronWorkflowStatusSchema>;

export const CronWorkflowSchema = z.object({
  apiVersion: GoStringSchema,
  kind: z.literal('CronWorkflow'),
  metadata: ObjectMetaSchema,
  spec: CronWorkflowSpecSchema,
  status: CronWorkflowStatusSchema.optional(),
});
export type CronWorkflow = z.infer<typeof CronWorkflowSchema>;
