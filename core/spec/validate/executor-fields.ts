// Fields only a Kubernetes executor can honour. On the local executor (the default) they
// are no-ops, so lint names each one as a warning instead of letting it pass unnoticed
// (DESIGN §1: "never silently dropped").
import type { FieldPath } from '../path.js';
import type { Template } from '../schema/template.js';
import type { Container } from '../schema/k8s.js';
import { allTemplates, type SpecContext } from './spec-context.js';

const SPEC_FIELDS = [
  'nodeSelector', 'affinity', 'tolerations', 'imagePullSecrets', 'hostNetwork', 'dnsPolicy', 'dnsConfig',
  'podGC', 'podPriorityClassName', 'podDisruptionBudget', 'schedulerName', 'securityContext', 'podSpecPatch',
  'podMetadata', 'hostAliases', 'volumeClaimGC', 'podResources', 'resourceClaims',
] as const;

const TEMPLATE_FIELDS = [
  'nodeSelector', 'affinity', 'tolerations', 'schedulerName', 'priorityClassName', 'securityContext',
  'podSpecPatch', 'hostAliases', 'podResources', 'resourceClaims',
] as const;

const CONTAINER_FIELDS = ['resources', 'securityContext', 'livenessProbe', 'readinessProbe', 'startupProbe', 'imagePullPolicy', 'ports', 'lifecycle'] as const;

export type ExecutorKind = 'local' | 'kubernetes';

function warn(ctx: SpecContext, path: FieldPath): void {
  ctx.reporter.warning(path, 'WEFT_W_IGNORED_BY_EXECUTOR', `${String(path[path.length - 1])} is ignored by the local executor (it only applies to pods on Kubernetes)`);
}

function checkContainer(ctx: SpecContext, container: Container | undefined, path: FieldPath): void {
  if (!container) return;
  for (const field of CONTAINER_FIELDS) if (container[field] !== undefined) warn(ctx, [...path, field]);
}

function checkTemplate(ctx: SpecContext, template: Template, path: FieldPath): void {
  for (const field of TEMPLATE_FIELDS) if (template[field] !== undefined) warn(ctx, [...path, field]);
  checkContainer(ctx, template.container, [...path, 'container']);
  checkContainer(ctx, template.script, [...path, 'script']);
  (template.containerSet?.containers ?? []).forEach((c, i) => checkContainer(ctx, c, [...path, 'containerSet', 'containers', i]));
  (template.sidecars ?? []).forEach((c, i) => checkContainer(ctx, c, [...path, 'sidecars', i]));
  (template.initContainers ?? []).forEach((c, i) => checkContainer(ctx, c, [...path, 'initContainers', i]));
}

export function checkExecutorFields(ctx: SpecContext, executor: ExecutorKind): void {
  if (executor !== 'local') return;
  for (const field of SPEC_FIELDS) if (ctx.spec[field] !== undefined) warn(ctx, [...ctx.base, field]);
  for (const { template, path } of allTemplates(ctx.spec, ctx.base)) checkTemplate(ctx, template, path);
}
