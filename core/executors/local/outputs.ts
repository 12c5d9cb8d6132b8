// Reading a step's outputs from its main container's view after exit, as Argo's wait
// container does: `result` (stdout), `exitCode`, parameters from valueFrom.path (one
// trailing newline trimmed; valueFrom.default when the file is missing), artifacts
// saved to the repository, and the container log as `main-logs` when the template's
// archiveLocation asks for archived logs.
import { readFile, stat } from 'node:fs/promises';
import type { Artifact, Outputs, Parameter, Template } from '../../spec/index.js';
import { collectOutputArtifact } from '../artifacts/index.js';
import type { StoredArtifact } from '../types.js';
import type { PodRuntime } from './pod.js';
import type { ContainerView } from './view.js';

export interface CollectInput {
  template: Template;
  view: ContainerView;
  /** stdout tail, already trimmed and capped. */
  result?: string;
  exitCode?: number;
  /** The container's stdout+stderr, for archiveLogs. */
  logFile?: string;
}

export interface Collected {
  outputs: Outputs;
  /** The first output that could not be read; the step fails with it. */
  error?: string;
}

/** The view paths a template reads outputs from: declared before the start so the sandbox keeps them. */
export function outputPaths(template: Template): string[] {
  const params = (template.outputs?.parameters ?? []).flatMap((p) => (p.valueFrom?.path ? [p.valueFrom.path] : []));
  const artifacts = (template.outputs?.artifacts ?? []).flatMap((a) => (a.path ? [a.path] : []));
  return [...params, ...artifacts];
}

export async function collectOutputs(pod: PodRuntime, input: CollectInput): Promise<Collected> {
  const { template, view } = input;
  const outputs: Outputs = {};
  const errors: string[] = [];
  if (input.result !== undefined) outputs.result = input.result;
  if (input.exitCode !== undefined) outputs.exitCode = String(input.exitCode);

  const parameters: Parameter[] = [];
  for (const param of template.outputs?.parameters ?? []) {
    const file = param.valueFrom?.path;
    if (!file) {
      parameters.push(param); // valueFrom.parameter/expression/supplied...: the engine fills these in
      continue;
    }
    const value = await readParameter(view.outputHostPath(file));
    if (value !== undefined) parameters.push({ ...param, value });
    else if (param.valueFrom?.default !== undefined) parameters.push({ ...param, value: param.valueFrom.default });
    else {
      errors.push(`failed to save output parameter '${param.name}': open ${file}: no such file or directory`);
      parameters.push(param);
    }
  }
  if (parameters.length > 0) outputs.parameters = parameters;

  const artifacts: StoredArtifact[] = [];
  const ctx = {
    repository: pod.request.artifacts,
    artifactKeyPrefix: pod.request.artifactKeyPrefix,
    values: pod.request.values,
    signal: pod.request.signal,
    httpPolicy: pod.config.httpPolicy,
  };
  for (const artifact of template.outputs?.artifacts ?? []) {
    if (!artifact.path) {
      artifacts.push(artifact); // `from` outputs of steps/dag templates belong to the engine
      continue;
    }
    try {
      const stored = await collectOutputArtifact(artifact, view.outputHostPath(artifact.path), ctx);
      if (stored) artifacts.push(stored);
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (template.archiveLocation?.archiveLogs && input.logFile) {
    const logs = await saveLogs(pod, input.logFile).catch((err: unknown) => {
      errors.push(`failed to save logs: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    if (logs) artifacts.push(logs);
  }
  if (artifacts.length > 0) outputs.artifacts = artifacts;
  return errors.length > 0 ? { outputs, error: errors.join('; ') } : { outputs };
}

async function readParameter(hostPath: string): Promise<string | undefined> {
  try {
    if (!(await stat(hostPath)).isFile()) return undefined;
    const text = await readFile(hostPath, 'utf8');
    return text.endsWith('\n') ? text.slice(0, -1) : text;
  } catch {
    return undefined;
  }
}

/** Argo's SaveLogs: the main container's log as artifact `main-logs`, key `<prefix>/main.log`, not archived. */
async function saveLogs(pod: PodRuntime, logFile: string): Promise<Artifact> {
  const key = `${pod.request.artifactKeyPrefix.replace(/\/+$/, '')}/main.log`;
  await pod.request.artifacts.save(key, logFile, 'none');
  return { name: 'main-logs', fs: { key } };
}
