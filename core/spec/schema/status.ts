// Status shapes: written by the engine, read by the store, the server and `weft run -o json`.
// Argo-shaped so Argo tooling and the conformance kit can read them unchanged.
import { z } from 'zod';
import { InputsSchema, OutputsSchema } from './io.js';
import { PassthroughSchema } from './primitives.js';
import { TemplateSchema } from './template.js';
import { TemplateRefSchema } from './template-kinds.js';
import { WorkflowSpecSchema } from './workflow-spec.js';

export const NodeTypeSchema = z.enum([
  'Pod', 'Container', 'Steps', 'StepGroup', 'DAG', 'TaskGroup', 'Retry', 'Skipped', 'Suspend', 'HTTP', 'Plugin',
]);
export type NodeType = z.infer<typeof NodeTypeSchema>;

export const NodePhaseSchema = z.enum(['Pending', 'Running', 'Succeeded', 'Skipped', 'Failed', 'Error', 'Omitted']);
export type NodePhase = z.infer<typeof NodePhaseSchema>;

/** '' is Argo's "unknown": a workflow not yet picked up by the controller. */
export const WorkflowPhaseSchema = z.enum(['', 'Pending', 'Running', 'Succeeded', 'Failed', 'Error']);
export type WorkflowPhase = z.infer<typeof WorkflowPhaseSchema>;

/** RFC 3339 timestamps. Argo writes null for "not yet"; read as absent so callers see string | undefined. */
export const TimeSchema = z
  .string()
  .nullable()
  .transform((v): string | undefined => v ?? undefined);

export const ConditionSchema = z.object({
  type: z.string().optional(),
  status: z.string().optional(),
  message: z.string().optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;

export const NodeStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string().optional(),
  type: NodeTypeSchema,
  templateName: z.string().optional(),
  templateRef: TemplateRefSchema.optional(),
  templateScope: z.string().optional(),
  phase: NodePhaseSchema.optional(),
  boundaryID: z.string().optional(),
  message: z.string().optional(),
  startedAt: TimeSchema.optional(),
  finishedAt: TimeSchema.optional(),
  estimatedDuration: z.number().optional(),
  /** "N/M": completed/total pods below this node. */
  progress: z.string().optional(),
  resourcesDuration: z.record(z.string(), z.number()).optional(),
  podIP: z.string().optional(),
  daemoned: z.boolean().optional(),
  nodeFlag: z.object({ hooked: z.boolean().optional(), retried: z.boolean().optional() }).optional(),
  inputs: InputsSchema.optional(),
  outputs: OutputsSchema.optional(),
  children: z.array(z.string()).optional(),
  outboundNodes: z.array(z.string()).optional(),
  hostNodeName: z.string().optional(),
  memoizationStatus: z
    .object({ hit: z.boolean(), key: z.string(), cacheName: z.string() })
    .optional(),
  synchronizationStatus: z.object({ waiting: z.string().optional() }).optional(),
  taskResultSynced: z.boolean().optional(),
  failedPodRestarts: z.number().int().optional(),
  restartingPodUID: z.string().optional(),
  /** Weft: the exit code of a Pod/Container node (Argo keeps it in outputs.exitCode only). */
  exitCode: z.number().int().optional(),
});
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

const holdingSchema = z.object({
  holding: z.array(PassthroughSchema).optional(),
  waiting: z.array(PassthroughSchema).optional(),
});

export const WorkflowStatusSchema = z.object({
  phase: WorkflowPhaseSchema.optional(),
  startedAt: TimeSchema.optional(),
  finishedAt: TimeSchema.optional(),
  estimatedDuration: z.number().optional(),
  progress: z.string().optional(),
  message: z.string().optional(),
  compressedNodes: z.string().optional(),
  nodes: z.record(z.string(), NodeStatusSchema).optional(),
  offloadNodeStatusVersion: z.string().optional(),
  storedTemplates: z.record(z.string(), TemplateSchema).optional(),
  persistentVolumeClaims: z.array(PassthroughSchema).optional(),
  outputs: OutputsSchema.optional(),
  conditions: z.array(ConditionSchema).optional(),
  resourcesDuration: z.record(z.string(), z.number()).optional(),
  storedWorkflowTemplateSpec: WorkflowSpecSchema.optional(),
  synchronization: z.object({ semaphore: holdingSchema.optional(), mutex: holdingSchema.optional() }).optional(),
  artifactRepositoryRef: PassthroughSchema.optional(),
  artifactGCStatus: PassthroughSchema.optional(),
  taskResultsCompletionStatus: z.record(z.string(), z.boolean()).optional(),
});
export type WorkflowStatus = z.infer<typeof WorkflowStatusSchema>;
