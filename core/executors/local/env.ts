// A container's environment, built as the kubelet builds it: envFrom first, then env
// in order (values may use $(VAR) of what came before), Secret and ConfigMap values
// through ValueSources, a few downward-API fields. On top: PATH with the configured
// directories first, HOME, HOSTNAME, and the ARGO_* variables Argo's executor sets.
// Nothing from the Weft process's own environment leaks in. Values are never logged.
import { homedir, hostname } from 'node:os';
import { UserError } from '../../spec/index.js';
import type { EnvFromSource, EnvVar } from '../../spec/index.js';
import type { StepRequest, ValueSources } from '../types.js';
import { expandKubernetesVars } from './command.js';

export const LOCAL_ENV_ERROR = 'WEFT_E_LOCAL_ENV';

/**
 * Argo offloads larger templates to a file; past this size ARGO_TEMPLATE is left out
 * (Linux refuses any single env string over 128 KiB with E2BIG).
 */
const MAX_TEMPLATE_ENV = 100 * 1024;
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface EnvInput {
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
}

export interface EnvContext {
  request: Pick<StepRequest, 'workflow' | 'node' | 'template' | 'values'>;
  containerName: string;
  /** Directories prepended to PATH. */
  path: string[];
}

export function buildContainerEnv(container: EnvInput, ctx: EnvContext): Record<string, string> {
  const { request } = ctx;
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) Object.assign(env, envFromSource(source, request.values));
  for (const variable of container.env ?? []) {
    const value = envValue(variable, ctx, env);
    if (value !== undefined) env[variable.name] = value;
  }
  // The host's PATH stands in for the image's: the host is what the step runs on.
  const userPath = env.PATH ?? process.env.PATH ?? DEFAULT_PATH;
  const template = JSON.stringify(request.template);
  return {
    HOME: homedir(),
    HOSTNAME: request.node.podName,
    ARGO_CONTAINER_NAME: ctx.containerName,
    ARGO_POD_NAME: request.node.podName,
    ARGO_NODE_ID: request.node.id,
    ARGO_WORKFLOW_NAME: request.workflow.name,
    ARGO_WORKFLOW_UID: request.workflow.uid,
    ...(template.length <= MAX_TEMPLATE_ENV ? { ARGO_TEMPLATE: template } : {}),
    ...env,
    PATH: [...ctx.path, userPath].filter((p) => p !== '').join(':'),
  };
}

function envValue(variable: EnvVar, ctx: EnvContext, earlier: Record<string, string>): string | undefined {
  if (variable.value !== undefined) return expandKubernetesVars(variable.value, earlier);
  const from = variable.valueFrom;
  if (!from) return '';
  const { values, workflow } = ctx.request;
  const ref = from.secretKeyRef ?? from.configMapKeyRef;
  if (ref) {
    const kind = from.secretKeyRef ? 'Secret' : 'ConfigMap';
    const name = ref.name ?? '';
    const value = from.secretKeyRef ? values.secret(name, ref.key) : values.configMap(name, ref.key);
    if (value !== undefined || ref.optional) return value;
    throw new UserError(
      LOCAL_ENV_ERROR,
      `env ${variable.name}: couldn't find key ${ref.key} in ${kind} ${workflow.namespace}/${name}`,
    );
  }
  if (from.fieldRef) return downwardField(String(from.fieldRef.fieldPath ?? ''), ctx);
  return '';
}

/** The downward-API fields a step can meaningfully ask for on one machine. */
function downwardField(fieldPath: string, ctx: EnvContext): string {
  const { workflow, node, template } = ctx.request;
  const labels: Record<string, string> = {
    ...template.metadata?.labels,
    'workflows.argoproj.io/workflow': workflow.name,
  };
  const annotations: Record<string, string> = {
    ...template.metadata?.annotations,
    'workflows.argoproj.io/node-id': node.id,
    'workflows.argoproj.io/node-name': node.name,
  };
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (keyed) return (keyed[1] === 'labels' ? labels : annotations)[keyed[2] ?? ''] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return node.podName;
    case 'metadata.namespace':
      return workflow.namespace;
    case 'metadata.uid':
      return `${workflow.uid}-${node.id}`;
    case 'spec.nodeName':
      return hostname();
    case 'status.podIP':
    case 'status.hostIP':
    case 'status.podIPs':
    case 'status.hostIPs':
      return '127.0.0.1';
    default:
      return '';
  }
}

/** Optional listing methods of a ValueSources implementation, needed by envFrom and key-less volumes. */
export function listKeys(values: ValueSources, kind: 'secret' | 'configMap', name: string): string[] | undefined {
  const method = kind === 'secret' ? 'secretKeys' : 'configMapKeys';
  if (!(method in values)) return undefined;
  const lister: unknown = Reflect.get(values, method);
  if (typeof lister !== 'function') return undefined;
  const keys: unknown = Reflect.apply(lister, values, [name]);
  return Array.isArray(keys) && keys.every((k) => typeof k === 'string') ? keys : undefined;
}

function envFromSource(source: EnvFromSource, values: ValueSources): Record<string, string> {
  const ref = source.secretRef ?? source.configMapRef;
  if (!ref) return {};
  const kind = source.secretRef ? 'secret' : 'configMap';
  const name = ref.name ?? '';
  const keys = listKeys(values, kind, name);
  if (keys === undefined) {
    if (ref.optional) return {};
    throw new UserError(
      LOCAL_ENV_ERROR,
      `envFrom ${kind}Ref ${name}: ${kind === 'secret' ? 'Secret' : 'ConfigMap'} not found (or its keys cannot be listed)`,
    );
  }
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = kind === 'secret' ? values.secret(name, key) : values.configMap(name, key);
    if (value !== undefined) out[`${source.prefix ?? ''}${key}`] = value;
  }
  return out;
}
