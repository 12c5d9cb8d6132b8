// The zod schemas of every kind, read through parseDocuments + decodeDocument: rows named
// after the Argo example or doc each shape comes from, plus wrong types, unknown fields
// and the Weft kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ARTIFACT_LOCATION_KINDS,
  NodeStatusSchema,
  WeftConfigSchema,
  WorkflowStatusSchema,
  decodeDocument,
  parseDocuments,
  type DecodeResult,
  type Issue,
  type KnownObject,
} from '../../core/spec/index.js';

function decode(yaml: string): DecodeResult {
  const { documents, issues } = parseDocuments(yaml, 'doc.yaml');
  assert.deepEqual(issues.filter((i) => i.severity === 'error'), [], 'parses');
  const doc = documents[0];
  assert.ok(doc, 'one document');
  return decodeDocument(doc);
}

function decoded(yaml: string): KnownObject {
  const result = decode(yaml);
  assert.deepEqual(result.issues.filter((i) => i.severity === 'error'), []);
  assert.ok(result.decoded);
  return result.decoded;
}

function workflowTemplates(yaml: string): unknown {
  const object = decoded(yaml);
  assert.equal(object.kind, 'Workflow');
  return object.kind === 'Workflow' ? object.value.spec.templates : undefined;
}

const wf = (templates: string, extra = ''): string => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: t-
spec:
  entrypoint: main${extra}
  templates:
${templates}`;

test('hello-world.yaml: container template is typed', () => {
  const object = decoded(wf('  - name: main\n    container:\n      image: busybox\n      command: [echo]\n      args: ["hello world"]\n'));
  assert.equal(object.kind, 'Workflow');
  if (object.kind !== 'Workflow') return;
  assert.deepEqual(object.value.spec.templates?.[0]?.container, { image: 'busybox', command: ['echo'], args: ['hello world'] });
});

test('arguments-parameters.yaml: AnyString values given as numbers and booleans become strings', () => {
  const object = decoded(wf('  - name: main\n    suspend: {}\n', '\n  arguments:\n    parameters:\n    - {name: num, value: 3}\n    - {name: bool, value: true}\n    - {name: float, value: 1.5}\n    - {name: enum, value: a, enum: [1, x]}'));
  if (object.kind !== 'Workflow') return assert.fail('Workflow');
  assert.deepEqual(object.value.spec.arguments?.parameters, [
    { name: 'num', value: '3' },
    { name: 'bool', value: 'true' },
    { name: 'float', value: '1.5' },
    { name: 'enum', value: 'a', enum: ['1', 'x'] },
  ]);
});

test('sigs.k8s.io/yaml: numbers and booleans in string fields become text (sleep 10, unquoted n)', () => {
  const templates = workflowTemplates(wf('  - name: main\n    container:\n      image: alpine\n      command: [sleep, 10, 1.5, 0.00001, n, yes]\n'));
  assert.deepEqual(templates, [{ name: 'main', container: { image: 'alpine', command: ['sleep', '10', '1.5', '1e-05', 'false', 'true'] } }]);
});

test('retry-with-steps.yaml: retryStrategy.limit is IntOrString', () => {
  const templates = workflowTemplates(wf('  - name: main\n    retryStrategy: {limit: "10", retryPolicy: OnError, backoff: {duration: 1, factor: 2, maxDuration: 1m}}\n    container: {image: a}\n  - name: b\n    retryStrategy: {limit: 3}\n    container: {image: a}\n'));
  assert.deepEqual(templates, [
    { name: 'main', retryStrategy: { limit: '10', retryPolicy: 'OnError', backoff: { duration: 1, factor: 2, maxDuration: '1m' } }, container: { image: 'a' } },
    { name: 'b', retryStrategy: { limit: 3 }, container: { image: 'a' } },
  ]);
});

test('steps-inline-workflow.yaml and loops-maps.yaml: inline templates and any-JSON withItems', () => {
  const templates = workflowTemplates(wf('  - name: main\n    steps:\n    - - name: a\n        inline: {container: {image: x}}\n        withItems: [1, "two", {os: debian, v: 9.1}, [1, 2], true]\n      - name: b\n        template: main\n        withSequence: {count: "5", start: 1}\n'));
  assert.deepEqual(templates, [{
    name: 'main',
    steps: [[
      { name: 'a', inline: { container: { image: 'x' } }, withItems: [1, 'two', { os: 'debian', v: 9.1 }, [1, 2], true] },
      { name: 'b', template: 'main', withSequence: { count: '5', start: 1 } },
    ]],
  }]);
});

test('ParallelSteps: Argo accepts only a list per group, not {steps: [...]}', () => {
  const result = decode(wf('  - name: main\n    steps:\n    - steps: [{name: a, template: b}]\n'));
  assert.deepEqual(result.issues.map((i) => [i.code, i.path]), [['WEFT_E_TYPE', 'spec.templates[0].steps[0]']]);
});

test('artifact locations: every Argo kind plus Weft fs', () => {
  const artifacts = [
    's3: {bucket: b, key: k, endpoint: e, accessKeySecret: {name: s, key: a}}',
    'git: {repo: "https://github.com/argoproj/argo-workflows.git", revision: v2.1.1, depth: 1}',
    'http: {url: "https://example.com/x", headers: [{name: A, value: b}]}',
    'artifactory: {url: "https://a/x", usernameSecret: {name: s, key: u}}',
    'gcs: {bucket: b, key: k}',
    'oss: {endpoint: e, bucket: b, key: k}',
    'azure: {endpoint: e, container: c, blob: b}',
    'hdfs: {addresses: [a:8020], path: /p, hdfsUser: root}',
    'raw: {data: hello}',
    'plugin: {name: my-plugin, configuration: "{}"}',
    'fs: {key: runs/x.tgz}',
  ];
  const inputs = artifacts.map((a, i) => `      - name: a${i}\n        path: /tmp/a${i}\n        ${a}`).join('\n');
  const templates = workflowTemplates(wf(`  - name: main\n    inputs:\n      artifacts:\n${inputs}\n    container: {image: a}\n`));
  assert.ok(Array.isArray(templates));
  assert.equal(ARTIFACT_LOCATION_KINDS.length, artifacts.length);
});

test('http-hello-world.yaml and data-transformations.yaml: http and data templates', () => {
  const templates = workflowTemplates(wf('  - name: main\n    http:\n      url: "https://x"\n      method: GET\n      timeoutSeconds: 20\n      headers: [{name: T, valueFrom: {secretKeyRef: {name: s, key: k}}}]\n      successCondition: "response.statusCode == 200"\n  - name: d\n    data:\n      source: {artifactPaths: {name: a, s3: {bucket: b}}}\n      transformation: [{expression: "filter(data, {# endsWith \\"main.log\\"})"}]\n'));
  assert.ok(Array.isArray(templates) && templates.length === 2);
});

test('unknown fields are warnings with their path and line, and are kept', () => {
  const result = decode(wf('  - name: main\n    container:\n      image: a\n      comand: [echo]\n    retrys: 3\n'));
  assert.deepEqual(result.issues.map((i: Issue) => [i.severity, i.code, i.path, i.line, i.col]), [
    ['warning', 'WEFT_W_UNKNOWN_FIELD', 'spec.templates[0].container.comand', 11, 7],
    ['warning', 'WEFT_W_UNKNOWN_FIELD', 'spec.templates[0].retrys', 12, 5],
  ]);
  const object = result.decoded;
  if (object?.kind !== 'Workflow') return assert.fail('decoded Workflow');
  const template = object.value.spec.templates?.[0];
  assert.deepEqual(template && { ...template }, { name: 'main', container: { image: 'a', comand: ['echo'] }, retrys: 3 });
});

const wrongTypes: { name: string; templates: string; extra?: string; code: string; path: string; line: number }[] = [
  { name: 'parallelism must be a number', templates: '  - name: main\n    suspend: {}\n', extra: '\n  parallelism: two', code: 'WEFT_E_TYPE', path: 'spec.parallelism', line: 7 },
  { name: 'step without a name', templates: '  - name: main\n    steps:\n    - - template: x\n', code: 'WEFT_E_REQUIRED', path: 'spec.templates[0].steps[0][0].name', line: 10 },
  { name: 'retryPolicy enum', templates: '  - name: main\n    retryStrategy: {retryPolicy: Sometimes}\n    suspend: {}\n', code: 'WEFT_E_ENUM', path: 'spec.templates[0].retryStrategy.retryPolicy', line: 9 },
  { name: 'command must be a list', templates: '  - name: main\n    container: {image: a, command: echo}\n', code: 'WEFT_E_TYPE', path: 'spec.templates[0].container.command', line: 9 },
  { name: 'limit is int or string', templates: '  - name: main\n    retryStrategy: {limit: [1]}\n    suspend: {}\n', code: 'WEFT_E_TYPE', path: 'spec.templates[0].retryStrategy.limit', line: 9 },
];

for (const row of wrongTypes) {
  test(`wrong types: ${row.name}`, () => {
    const result = decode(wf(row.templates, row.extra));
    const errors = result.issues.filter((i) => i.severity === 'error');
    assert.deepEqual(errors.map((i) => [i.code, i.path, i.line, i.file]), [[row.code, row.path, row.line, 'doc.yaml']]);
    assert.equal(result.decoded, undefined, 'an invalid document is never returned as decoded');
    assert.ok(result.partial, 'but the rest is still available to semantic checks');
  });
}

test('kinds Weft does not handle (ResourceQuota) are a warning, not an error', () => {
  const result = decode('apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {pods: "5"}}\n');
  assert.deepEqual(result.issues.map((i) => [i.severity, i.code]), [['warning', 'WEFT_W_UNSUPPORTED_KIND']]);
});

test('an Argo kind with another apiVersion is rejected', () => {
  const result = decode('apiVersion: argoproj.io/v2\nkind: Workflow\nmetadata: {name: q}\nspec: {}\n');
  assert.deepEqual(result.issues.map((i) => [i.code, i.path, i.line]), [['WEFT_E_API_VERSION', 'apiVersion', 1]]);
});

test('ConfigMap, Secret and PersistentVolumeClaim (testvolume.yaml) documents', () => {
  assert.equal(decoded('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "1", n: 2}\n').kind, 'ConfigMap');
  assert.equal(decoded('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: v}\ndata: {b: aGk=}\n').kind, 'Secret');
  assert.equal(decoded('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: p}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n').kind, 'PersistentVolumeClaim');
});

test('CronWorkflow (cron-workflow.yaml) with schedules, timezone and history limits', () => {
  const object = decoded('apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: {name: c}\nspec:\n  schedules: ["* * * * *"]\n  timezone: America/Los_Angeles\n  concurrencyPolicy: Replace\n  startingDeadlineSeconds: 0\n  successfulJobsHistoryLimit: 4\n  workflowSpec:\n    entrypoint: m\n    templates: [{name: m, suspend: {}}]\n');
  assert.equal(object.kind, 'CronWorkflow');
});

test('status schemas: Argo-shaped nodes, null times read as absent', () => {
  const node = NodeStatusSchema.parse({ id: 'wf-1', name: 'wf[0].a', displayName: 'a', type: 'Pod', phase: 'Succeeded', startedAt: '2024-01-01T00:00:00Z', finishedAt: null, outputs: { exitCode: '0', result: 'hi' }, children: [] });
  assert.equal(node.finishedAt, undefined);
  const status = WorkflowStatusSchema.parse({ phase: 'Succeeded', nodes: { 'wf-1': node }, storedTemplates: { 'namespaced/t/main': { name: 'main', container: { image: 'a' } } }, taskResultsCompletionStatus: { x: true } });
  assert.equal(status.nodes?.['wf-1']?.outputs?.result, 'hi');
  assert.equal(NodeStatusSchema.safeParse({ id: 'x', name: 'x', type: 'Pod', phase: 'Done' }).success, false);
});

test('WeftConfig: DESIGN §4 defaults, and the conformance kit config', () => {
  const defaults = WeftConfigSchema.parse({});
  assert.deepEqual(defaults.server, { host: '127.0.0.1', port: 2746 });
  assert.equal(defaults.executor.local.sandbox, 'auto');
  assert.equal(defaults.executor.http.maxRedirects, 5);
  const kitConfig = fileURLToPath(new URL('../../../../shared/conformance/weft.conformance.yaml', import.meta.url));
  let text: string | undefined;
  try {
    text = readFileSync(kitConfig, 'utf8');
  } catch {
    text = undefined;
  }
  if (text === undefined) return;
  const { documents } = parseDocuments(text, '/kit/weft.yaml');
  const doc = documents[0];
  assert.ok(doc);
  const result = decodeDocument(doc);
  assert.deepEqual(result.issues, []);
  assert.equal(result.decoded?.kind, 'WeftConfig');
  if (result.decoded?.kind === 'WeftConfig') {
    assert.deepEqual(Object.keys(result.decoded.value.executor.local.images)[0], 'argoproj/argosay:v1');
  }
});

test('GitSource and GitTrigger (DESIGN §1)', () => {
  assert.equal(decoded('apiVersion: weft.dev/v1alpha1\nkind: GitSource\nmetadata: {name: repo}\nspec:\n  url: https://git.example.com/t.git\n  ref: {branch: main}\n  paths: ["workflows/**"]\n  interval: 15s\n  secretRef: {name: creds}\n  prune: true\n  failurePolicy: KeepLastGood\n  namespace: ci\n').kind, 'GitSource');
  assert.equal(decoded('apiVersion: weft.dev/v1alpha1\nkind: GitTrigger\nmetadata: {name: t}\nspec:\n  source: repo\n  branches: [main]\n  paths: ["src/**"]\n  ignorePaths: ["docs/**"]\n  workflowTemplateRef: {name: ci}\n  arguments: {parameters: [{name: sha, value: "{{git.sha}}"}]}\n  concurrencyPolicy: Forbid\n').kind, 'GitTrigger');
  const bad = decode('apiVersion: weft.dev/v1alpha1\nkind: GitSource\nmetadata: {name: repo}\nspec: {url: x, failurePolicy: Sometimes}\n');
  assert.deepEqual(bad.issues.map((i) => [i.code, i.path]), [['WEFT_E_ENUM', 'spec.failurePolicy']]);
});
