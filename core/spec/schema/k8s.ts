// The Kubernetes core types that Argo embeds. Weft reads only some of their fields
// (image, command, env, volumes...), so those are typed and everything else is a
// passthrough; unknown keys are still reported as lint warnings by the walker.
import { z } from 'zod';
import { IntOrStringSchema, LabelMapSchema, PassthroughSchema, StringMapSchema, GoStringSchema } from './primitives.js';

export const ObjectMetaSchema = z.object({
  name: GoStringSchema.optional(),
  generateName: GoStringSchema.optional(),
  namespace: GoStringSchema.optional(),
  labels: LabelMapSchema.optional(),
  annotations: LabelMapSchema.optional(),
  uid: GoStringSchema.optional(),
  resourceVersion: GoStringSchema.optional(),
  generation: z.number().int().optional(),
  /** Kubernetes writes null for objects not yet created; read as absent. */
  creationTimestamp: z
    .string()
    .nullable()
    .transform((v): string | undefined => v ?? undefined)
    .optional(),
  deletionTimestamp: GoStringSchema.optional(),
  deletionGracePeriodSeconds: z.number().int().optional(),
  ownerReferences: z.array(PassthroughSchema).optional(),
  finalizers: z.array(GoStringSchema).optional(),
  managedFields: z.array(PassthroughSchema).optional(),
  selfLink: GoStringSchema.optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

export const SecretKeySelectorSchema = z.object({
  name: GoStringSchema.optional(),
  key: GoStringSchema,
  optional: z.boolean().optional(),
});
export type SecretKeySelector = z.infer<typeof SecretKeySelectorSchema>;

export const ConfigMapKeySelectorSchema = SecretKeySelectorSchema;
export type ConfigMapKeySelector = z.infer<typeof ConfigMapKeySelectorSchema>;

export const EnvVarSchema = z.object({
  name: GoStringSchema,
  value: GoStringSchema.optional(),
  valueFrom: z
    .object({
      secretKeyRef: SecretKeySelectorSchema.optional(),
      configMapKeyRef: ConfigMapKeySelectorSchema.optional(),
      fieldRef: PassthroughSchema.optional(),
      resourceFieldRef: PassthroughSchema.optional(),
      fileKeyRef: PassthroughSchema.optional(),
    })
    .optional(),
});
export type EnvVar = z.infer<typeof EnvVarSchema>;

export const EnvFromSourceSchema = z.object({
  prefix: GoStringSchema.optional(),
  configMapRef: z.object({ name: GoStringSchema.optional(), optional: z.boolean().optional() }).optional(),
  secretRef: z.object({ name: GoStringSchema.optional(), optional: z.boolean().optional() }).optional(),
});
export type EnvFromSource = z.infer<typeof EnvFromSourceSchema>;

export const VolumeMountSchema = z.object({
  name: GoStringSchema,
  mountPath: GoStringSchema,
  readOnly: z.boolean().optional(),
  recursiveReadOnly: GoStringSchema.optional(),
  subPath: GoStringSchema.optional(),
  subPathExpr: GoStringSchema.optional(),
  mountPropagation: GoStringSchema.optional(),
});
export type VolumeMount = z.infer<typeof VolumeMountSchema>;

export const ResourceRequirementsSchema = z.object({
  limits: z.record(z.string(), IntOrStringSchema).optional(),
  requests: z.record(z.string(), IntOrStringSchema).optional(),
  claims: z.array(PassthroughSchema).optional(),
});

/** Every field of core/v1 Container; the shape is shared by container, script, sidecars, containerSet. */
export const containerShape = {
  name: GoStringSchema.optional(),
  image: GoStringSchema.optional(),
  command: z.array(GoStringSchema).optional(),
  args: z.array(GoStringSchema).optional(),
  workingDir: GoStringSchema.optional(),
  ports: z.array(PassthroughSchema).optional(),
  envFrom: z.array(EnvFromSourceSchema).optional(),
  env: z.array(EnvVarSchema).optional(),
  resources: ResourceRequirementsSchema.optional(),
  resizePolicy: z.array(PassthroughSchema).optional(),
  restartPolicy: GoStringSchema.optional(),
  restartPolicyRules: z.array(PassthroughSchema).optional(),
  volumeMounts: z.array(VolumeMountSchema).optional(),
  volumeDevices: z.array(PassthroughSchema).optional(),
  livenessProbe: PassthroughSchema.optional(),
  readinessProbe: PassthroughSchema.optional(),
  startupProbe: PassthroughSchema.optional(),
  lifecycle: PassthroughSchema.optional(),
  terminationMessagePath: GoStringSchema.optional(),
  terminationMessagePolicy: GoStringSchema.optional(),
  imagePullPolicy: GoStringSchema.optional(),
  securityContext: PassthroughSchema.optional(),
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
};

export const ContainerSchema = z.object(containerShape);
export type Container = z.infer<typeof ContainerSchema>;

const keyToPathSchema = z.object({ key: GoStringSchema, path: GoStringSchema, mode: z.number().int().optional() });

export const VolumeSchema = z.looseObject({
  name: GoStringSchema,
  emptyDir: z.object({ medium: GoStringSchema.optional(), sizeLimit: IntOrStringSchema.optional() }).optional(),
  persistentVolumeClaim: z.object({ claimName: GoStringSchema, readOnly: z.boolean().optional() }).optional(),
  configMap: z
    .object({
      name: GoStringSchema.optional(),
      items: z.array(keyToPathSchema).optional(),
      defaultMode: z.number().int().optional(),
      optional: z.boolean().optional(),
    })
    .optional(),
  secret: z
    .object({
      secretName: GoStringSchema.optional(),
      items: z.array(keyToPathSchema).optional(),
      defaultMode: z.number().int().optional(),
      optional: z.boolean().optional(),
    })
    .optional(),
  hostPath: z.object({ path: GoStringSchema, type: GoStringSchema.optional() }).optional(),
});
export type Volume = z.infer<typeof VolumeSchema>;

export const PersistentVolumeClaimSchema = z.object({
  apiVersion: GoStringSchema.optional(),
  kind: GoStringSchema.optional(),
  metadata: ObjectMetaSchema,
  spec: PassthroughSchema.optional(),
  status: PassthroughSchema.optional(),
});
export type PersistentVolumeClaim = z.infer<typeof PersistentVolumeClaimSchema>;

export const ConfigMapSchema = z.object({
  apiVersion: GoStringSchema,
  kind: z.literal('ConfigMap'),
  metadata: ObjectMetaSchema,
  data: LabelMapSchema.optional(),
  binaryData: StringMapSchema.optional(),
  immutable: z.boolean().optional(),
});
export type ConfigMap = z.infer<typeof ConfigMapSchema>;

export const SecretSchema = z.object({
  apiVersion: GoStringSchema,
  kind: z.literal('Secret'),
  metadata: ObjectMetaSchema,
  type: GoStringSchema.optional(),
  data: StringMapSchema.optional(),
  stringData: LabelMapSchema.optional(),
  immutable: z.boolean().optional(),
});
export type Secret = z.infer<typeof SecretSchema>;
