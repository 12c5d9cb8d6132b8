// Template, the unit Argo runs, and the two recursive containers of templates: steps
// (a list of parallel groups of WorkflowStep) and dag (DAGTask graph). They sit in one
// module because an inline step/task carries a whole Template again.
import { z } from 'zod';
import { ArtifactLocationSchema } from './artifacts.js';
import { ArgumentsSchema, InputsSchema, OutputsSchema } from './io.js';
import { ContainerSchema, VolumeSchema } from './k8s.js';
import { ItemSchema, IntOrStringSchema, PassthroughSchema, StringMapSchema, GoStringSchema } from './primitives.js';
import {
  ContainerSetTemplateSchema,
  ContinueOnSchema,
  DataTemplateSchema,
  HTTPTemplateSchema,
  MemoizeSchema,
  MetadataSchema,
  MetricsSchema,
  PluginTemplateSchema,
  ResourceTemplateSchema,
  RetryStrategySchema,
  ScriptTemplateSchema,
  SequenceSchema,
  SuspendTemplateSchema,
  SynchronizationSchema,
  TemplateRefSchema,
  UserContainerSchema,
} from './template-kinds.js';

export const LifecycleHookSchema = z.object({
  template: GoStringSchema.optional(),
  arguments: ArgumentsSchema.optional(),
  templateRef: TemplateRefSchema.optional(),
  expression: GoStringSchema.optional(),
});
export type LifecycleHook = z.infer<typeof LifecycleHookSchema>;

/** Keyed by event: `exit`, or any name whose hook carries an `expression`. */
export const LifecycleHooksSchema = z.record(z.string(), LifecycleHookSchema);
export type LifecycleHooks = z.infer<typeof LifecycleHooksSchema>;

/** Fields shared by WorkflowStep and DAGTask (Argo declares them twice). */
const invocationShape = {
  name: GoStringSchema,
  template: GoStringSchema.optional(),
  arguments: ArgumentsSchema.optional(),
  templateRef: TemplateRefSchema.optional(),
  withItems: z.array(ItemSchema).optional(),
  withParam: GoStringSchema.optional(),
  withSequence: SequenceSchema.optional(),
  when: GoStringSchema.optional(),
  continueOn: ContinueOnSchema.optional(),
  onExit: GoStringSchema.optional(),
  hooks: LifecycleHooksSchema.optional(),
};

// TypeScript cannot infer a type that refers to itself through three schemas, so the
// recursive edges (step.inline, task.inline, template.steps/dag) are declared once as
// interfaces extending the inferred non-recursive part; everything else still comes from zod.
const WorkflowStepBaseSchema = z.object(invocationShape);
export interface WorkflowStep extends z.infer<typeof WorkflowStepBaseSchema> {
  inline?: Template | undefined;
}
export const WorkflowStepSchema: z.ZodType<WorkflowStep> = WorkflowStepBaseSchema.extend({
  get inline() {
    return TemplateSchema.optional();
  },
});

/** One parallel group of steps. Argo's ParallelSteps unmarshals from a JSON list only. */
export const ParallelStepsSchema = z.array(WorkflowStepSchema);

const DAGTaskBaseSchema = z.object({
  ...invocationShape,
  dependencies: z.array(GoStringSchema).optional(),
  depends: GoStringSchema.optional(),
});
export interface DAGTask extends z.infer<typeof DAGTaskBaseSchema> {
  inline?: Template | undefined;
}
export const DAGTaskSchema: z.ZodType<DAGTask> = DAGTaskBaseSchema.extend({
  get inline() {
    return TemplateSchema.optional();
  },
});

const DAGTemplateBaseSchema = z.object({
  target: GoStringSchema.optional(),
  failFast: z.boolean().optional(),
});
export interface DAGTemplate extends z.infer<typeof DAGTemplateBaseSchema> {
  tasks: DAGTask[];
}
export const DAGTemplateSchema: z.ZodType<DAGTemplate> = DAGTemplateBaseSchema.extend({
  tasks: z.array(DAGTaskSchema),
});

/** The keys of Template that select its kind; exactly one must be set. */
export const TEMPLATE_KINDS = [
  'container', 'containerSet', 'script', 'resource', 'dag', 'steps', 'suspend', 'data', 'http', 'plugin',
] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

const TemplateBaseSchema = z.object({
  /** Optional in the schema: templateDefaults and inline templates have none; validation requires it elsewhere. */
  name: GoStringSchema.optional(),
  inputs: InputsSchema.optional(),
  outputs: OutputsSchema.optional(),
  nodeSelector: StringMapSchema.optional(),
  affinity: PassthroughSchema.optional(),
  metadata: MetadataSchema.optional(),
  daemon: z.boolean().optional(),
  container: ContainerSchema.optional(),
  containerSet: ContainerSetTemplateSchema.optional(),
  script: ScriptTemplateSchema.optional(),
  resource: ResourceTemplateSchema.optional(),
  suspend: SuspendTemplateSchema.optional(),
  data: DataTemplateSchema.optional(),
  http: HTTPTemplateSchema.optional(),
  plugin: PluginTemplateSchema.optional(),
  volumes: z.array(VolumeSchema).optional(),
  initContainers: z.array(UserContainerSchema).optional(),
  sidecars: z.array(UserContainerSchema).optional(),
  archiveLocation: ArtifactLocationSchema.optional(),
  activeDeadlineSeconds: IntOrStringSchema.optional(),
  retryStrategy: RetryStrategySchema.optional(),
  parallelism: z.number().int().optional(),
  failFast: z.boolean().optional(),
  tolerations: z.array(PassthroughSchema).optional(),
  schedulerName: GoStringSchema.optional(),
  priorityClassName: GoStringSchema.optional(),
  serviceAccountName: GoStringSchema.optional(),
  automountServiceAccountToken: z.boolean().optional(),
  executor: z.object({ serviceAccountName: GoStringSchema.optional() }).optional(),
  hostAliases: z.array(PassthroughSchema).optional(),
  securityContext: PassthroughSchema.optional(),
  podSpecPatch: GoStringSchema.optional(),
  metrics: MetricsSchema.optional(),
  synchronization: SynchronizationSchema.optional(),
  memoize: MemoizeSchema.optional(),
  timeout: GoStringSchema.optional(),
  annotations: StringMapSchema.optional(),
  pendingTimeout: GoStringSchema.optional(),
  podResources: PassthroughSchema.optional(),
  resourceClaims: z.array(PassthroughSchema).optional(),
});
export interface Template extends z.infer<typeof TemplateBaseSchema> {
  steps?: WorkflowStep[][] | undefined;
  dag?: DAGTemplate | undefined;
}
export const TemplateSchema: z.ZodType<Template> = TemplateBaseSchema.extend({
  get steps() {
    return z.array(ParallelStepsSchema).optional();
  },
  get dag() {
    return DAGTemplateSchema.optional();
  },
});
