// Test harness for the local executor: StepRequests built by hand around a real
// filesystem artifact repository in a temp dir, in-memory Secret/ConfigMap values,
// and a log collector.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createFsArtifactRepository } from '../../../core/executors/artifacts/index.js';
import type { ArtifactRepository, StepRequest, ValueSources } from '../../../core/executors/index.js';
import { createLocalExecutor } from '../../../core/executors/local/index.js';
import type { LocalExecutor, LocalExecutorConfig } from '../../../core/executors/local/index.js';
import { TemplateSchema, WorkflowSchema, parseDocuments } from '../../../core/spec/index.js';
import type { Template, Workflow } from '../../../core/spec/index.js';

export const CONFORMANCE = '/work/shared/conformance';

/** The image table of shared/conformance/weft.conformance.yaml, in file order. */
export const CONFORMANCE_IMAGES: LocalExecutorConfig['images'] = [
  { pattern: 'argoproj/argosay:v1', args: ['cowsay'] },
  { pattern: 'argoproj/argosay:*', command: ['argosay'] },
  { pattern: 'docker/whalesay*', command: ['cowsay'] },
  { pattern: 'busybox*', args: ['sh'] },
  { pattern: 'alpine*', args: ['/bin/sh'] },
  { pattern: 'debian*', args: ['bash'] },
  { pattern: 'ubuntu*', args: ['/bin/bash'] },
  { pattern: 'python:*', args: ['python3'] },
  { pattern: 'node:*', args: ['node'] },
  { pattern: 'stedolan/jq*', command: ['jq'] },
  { pattern: 'curlimages/curl*', args: ['curl'] },
];

export interface Harness {
  root: string;
  repository: ArtifactRepository;
  runDir: string;
  executor: LocalExecutor;
  cleanup(): Promise<void>;
}

export async function createHarness(overrides: Partial<LocalExecutorConfig> = {}): Promise<Harness> {
  const root = await mkdtemp(path.join(tmpdir(), 'weft-local-test-'));
  const executor = createLocalExecutor({
    path: [path.join(CONFORMANCE, 'bin')],
    alias: { '/argosay': path.join(CONFORMANCE, 'bin', 'argosay'), python: 'python3' },
    images: CONFORMANCE_IMAGES,
    // Never 'auto' in tests: a silent fallback would run steps that write /mnt, /src...
    // on the host itself.
    sandbox: 'bwrap',
    workRoot: path.join(root, 'work'),
    killGraceMs: 500,
    ...overrides,
  });
  return {
    root,
    repository: createFsArtifactRepository(path.join(root, 'artifacts')),
    runDir: path.join(root, 'run'),
    executor,
    cleanup: async () => {
      await executor.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface Values {
  secrets?: Record<string, Record<string, string>>;
  configMaps?: Record<string, Record<string, string>>;
}

export function valueSources(values: Values = {}): ValueSources & {
  secretKeys(name: string): string[] | undefined;
  configMapKeys(name: string): string[] | undefined;
} {
  return {
    secret: (name, key) => values.secrets?.[name]?.[key],
    configMap: (name, key) => values.configMaps?.[name]?.[key],
    secretKeys: (name) => (values.secrets?.[name] ? Object.keys(values.secrets[name] ?? {}) : undefined),
    configMapKeys: (name) => (values.configMaps?.[name] ? Object.keys(values.configMaps[name] ?? {}) : undefined),
  };
}

export interface Logs {
  stdout: string;
  stderr: string;
}

export function makeRequest(
  h: Harness,
  template: Template,
  extra: Partial<StepRequest> & { logs?: Logs; podName?: string } = {},
): StepRequest {
  const logs = extra.logs ?? { stdout: '', stderr: '' };
  const podName = extra.podName ?? `wf-${template.name ?? 'step'}-${Math.floor(Math.random() * 1e9)}`;
  return {
    workflow: { name: 'wf', namespace: 'default', uid: 'uid-1', labels: {}, annotations: {} },
    node: { id: `id-${podName}`, name: `wf.${template.name ?? 'step'}`, displayName: template.name ?? 'step', podName },
    template,
    artifactKeyPrefix: `wf/${podName}`,
    artifacts: h.repository,
    values: valueSources(),
    runDir: h.runDir,
    volumes: [],
    volumeClaims: [],
    signal: new AbortController().signal,
    log: (stream, text) => {
      logs[stream] += text;
    },
    ...extra,
  };
}

/** A template from YAML, parsed with the spec's schema (as the engine hands it over). */
export function template(yaml: string): Template {
  return TemplateSchema.parse(parseYaml(yaml));
}

/** The first Workflow document of a conformance example file, parsed as Weft parses files. */
export async function exampleWorkflow(file: string): Promise<Workflow> {
  const text = await readFile(path.join(CONFORMANCE, 'examples', file), 'utf8');
  const { documents } = parseDocuments(text, file);
  const doc = documents.find((d) => d.kind === 'Workflow');
  if (!doc) throw new Error(`${file} has no Workflow`);
  return WorkflowSchema.parse(doc.object);
}

/** A named template of a conformance example file. */
export async function exampleTemplate(file: string, name: string): Promise<Template> {
  const wf = await exampleWorkflow(file);
  const found = (wf.spec.templates ?? []).find((t) => t.name === name);
  if (!found) throw new Error(`${file} has no template ${name}`);
  return found;
}
