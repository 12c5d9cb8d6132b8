// Parameters and artifacts going in and out of templates: Inputs, Outputs, Arguments.
import { z } from 'zod';
import { ArtifactSchema } from './artifacts.js';
import { ConfigMapKeySelectorSchema } from './k8s.js';
import { AnyStringSchema, GoStringSchema } from './primitives.js';

export const ValueFromSchema = z.object({
  path: GoStringSchema.optional(),
  jsonPath: GoStringSchema.optional(),
  jqFilter: GoStringSchema.optional(),
  event: GoStringSchema.optional(),
  parameter: GoStringSchema.optional(),
  /** Supplied by a person at resume time (an intermediate parameter of a suspend template). */
  supplied: z.object({}).optional(),
  configMapKeyRef: ConfigMapKeySelectorSchema.optional(),
  default: AnyStringSchema.optional(),
  expression: GoStringSchema.optional(),
});
export type ValueFrom = z.infer<typeof ValueFromSchema>;

export const ParameterSchema = z.object({
  name: GoStringSchema,
  default: AnyStringSchema.optional(),
  value: AnyStringSchema.optional(),
  valueFrom: ValueFromSchema.optional(),
  globalName: GoStringSchema.optional(),
  enum: z.array(AnyStringSchema).optional(),
  description: AnyStringSchema.optional(),
});
export type Parameter = z.infer<typeof ParameterSchema>;

export const InputsSchema = z.object({
  parameters: z.array(ParameterSchema).optional(),
  artifacts: z.array(ArtifactSchema).optional(),
});
export type Inputs = z.infer<typeof InputsSchema>;

export const OutputsSchema = z.object({
  parameters: z.array(ParameterSchema).optional(),
  artifacts: z.array(ArtifactSchema).optional(),
  result: GoStringSchema.optional(),
  exitCode: GoStringSchema.optional(),
});
export type Outputs = z.infer<typeof OutputsSchema>;

export const ArgumentsSchema = z.object({
  parameters: z.array(ParameterSchema).optional(),
  artifacts: z.array(ArtifactSchema).optional(),
});
export type Arguments = z.infer<typeof ArgumentsSchema>;
