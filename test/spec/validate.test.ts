// Semantic validation, on purpose-broken workflows modelled on Argo examples: every row
// asserts the issue codes, JSON paths and lines, and that all issues come back at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocuments, validateAndDecode, validateDocuments, validateForRun, buildCatalog, type Issue } from '../../core/spec/index.js';

function issuesOf(yaml: string, extra = ''): Issue[] {
  const main = parseDocuments(yaml, 'wf.yaml');
  assert.deepEqual(main.issues.filter((i) => i.severity === 'error'), [], 'parses');
  const more = extra ? parseDocuments(extra, 'extra.yaml').documents : [];
  return validateDocuments(main.documents, { extra: more }).filter((i) => i.severity === 'error');
}

const head = (kind = 'Workflow', meta = 'generateName: t-'): string => `apiVersion: argoproj.io/v1alpha1\nkind: ${kind}\nmetadata:\n  ${meta}\nspec:\n`;

interface Row {
  name: string;
  yaml: string;
  extra?: string;
  /** [code, path, line] of every error, in any order. */
  want: [string, string, number][];
}

const rows: Row[] = [
  {
    name: 'hello-world without entrypoint',
    yaml: `${head()}  templates:\n  - name: main\n    container: {image: busybox}\n`,
    want: [['WEFT_E_NO_ENTRYPOINT', 'spec.entrypoint', 5]],
  },
  {
    name: 'a WorkflowTemplate may omit its entrypoint',
    yaml: `${head('WorkflowTemplate', 'name: t')}  templates:\n  - name: main\n    container: {image: busybox}\n`,
    want: [],
  },
  {
    name: 'entrypoint names no template',
    yaml: `${head()}  entrypoint: mian\n  templates:\n  - name: main\n    container: {image: busybox}\n`,
    want: [['WEFT_E_UNKNOWN_ENTRYPOINT', 'spec.entrypoint', 6]],
  },
  {
    name: 'k8s-jobs.yaml: no name and no generateName',
    yaml: `apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  labels: {a: b}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    suspend: {}\n`,
    want: [['WEFT_E_NO_NAME', 'metadata', 3]],
  },
  {
    name: 'dag-diamond with a cycle and an unknown dependency',
    yaml: `${head()}  entrypoint: d\n  templates:\n  - name: d\n    dag:\n      tasks:\n      - {name: A, template: e, dependencies: [C]}\n      - {name: B, template: e, dependencies: [A, X]}\n      - {name: C, template: e, dependencies: [B]}\n  - name: e\n    container: {image: alpine}\n`,
    want: [
      ['WEFT_E_DAG_UNKNOWN_DEP', 'spec.templates[0].dag.tasks[1].dependencies', 12],
      ['WEFT_E_DAG_CYCLE', 'spec.templates[0].dag.tasks[0].dependencies', 11],
    ],
  },
  {
    name: 'dag-enhanced-depends: bad depends and items result on a task without loop',
    yaml: `${head()}  entrypoint: d\n  templates:\n  - name: d\n    dag:\n      tasks:\n      - {name: A, template: e}\n      - {name: B, template: e, depends: "A.Succeeded &&"}\n      - {name: C, template: e, depends: "A.AnySucceeded"}\n  - name: e\n    container: {image: alpine}\n`,
    want: [
      ['WEFT_E_DEPENDS_SYNTAX', 'spec.templates[0].dag.tasks[1].depends', 12],
      ['WEFT_E_DAG_ITEMS_RESULT', 'spec.templates[0].dag.tasks[2].depends', 13],
    ],
  },
  {
    name: 'steps: duplicate step names and unknown template',
    yaml: `${head()}  entrypoint: s\n  templates:\n  - name: s\n    steps:\n    - - {name: a, template: e}\n    - - {name: a, template: nope}\n  - name: e\n    container: {image: alpine}\n`,
    want: [
      ['WEFT_E_DUPLICATE_STEP', 'spec.templates[0].steps[1][0].name', 11],
      ['WEFT_E_UNKNOWN_TEMPLATE', 'spec.templates[0].steps[1][0].template', 11],
    ],
  },
  {
    name: 'duplicate template names and a template with two kinds',
    yaml: `${head()}  entrypoint: e\n  templates:\n  - name: e\n    container: {image: alpine}\n  - name: e\n    container: {image: alpine}\n    script: {image: alpine, source: x}\n`,
    want: [
      ['WEFT_E_DUPLICATE_TEMPLATE', 'spec.templates[1].name', 10],
      ['WEFT_E_TEMPLATE_KIND', 'spec.templates[1].script', 12],
    ],
  },
  {
    name: 'templateRef to a WorkflowTemplate that is not loaded, and one that is',
    yaml: `${head()}  entrypoint: s\n  templates:\n  - name: s\n    steps:\n    - - name: a\n        templateRef: {name: missing, template: x}\n      - name: b\n        templateRef: {name: lib, template: hello}\n      - name: c\n        templateRef: {name: lib, template: nope}\n`,
    extra: `${head('WorkflowTemplate', 'name: lib')}  templates:\n  - name: hello\n    container: {image: alpine}\n`,
    want: [
      ['WEFT_E_UNRESOLVED_REF', 'spec.templates[0].steps[0][0].templateRef', 11],
      ['WEFT_E_UNRESOLVED_REF', 'spec.templates[0].steps[0][2].templateRef', 15],
    ],
  },
  {
    name: 'workflow-template-ref.yaml: workflowTemplateRef resolves through --load',
    yaml: `${head()}  workflowTemplateRef: {name: lib}\n`,
    extra: `${head('WorkflowTemplate', 'name: lib')}  entrypoint: hello\n  templates:\n  - name: hello\n    container: {image: alpine}\n`,
    want: [],
  },
  {
    name: 'workflowTemplateRef to nothing',
    yaml: `${head()}  workflowTemplateRef: {name: lib}\n`,
    want: [['WEFT_E_UNRESOLVED_REF', 'spec.workflowTemplateRef.name', 6]],
  },
  {
    name: 'parameters: misspelt input, output of a step that does not declare it, item outside a loop',
    yaml: `${head()}  entrypoint: s\n  templates:\n  - name: s\n    steps:\n    - - {name: gen, template: e, arguments: {parameters: [{name: msg, value: "{{item.x}}"}]}}\n    - - {name: use, template: e, arguments: {parameters: [{name: msg, value: "{{steps.gen.outputs.parameters.out}}"}]}}\n  - name: e\n    inputs: {parameters: [{name: msg}]}\n    container: {image: alpine, args: ["{{inputs.parameters.mesage}}"]}\n`,
    want: [
      ['WEFT_E_ITEM_OUTSIDE_LOOP', 'spec.templates[0].steps[0][0].arguments.parameters[0].value', 10],
      ['WEFT_E_UNKNOWN_OUTPUT', 'spec.templates[0].steps[1][0].arguments.parameters[0].value', 11],
      ['WEFT_E_UNKNOWN_PARAMETER', 'spec.templates[1].container.args[0]', 14],
    ],
  },
  {
    name: 'loops-maps.yaml: item keys exist; {{item}} in templates and expressions are not checked',
    yaml: `${head()}  entrypoint: s\n  templates:\n  - name: s\n    steps:\n    - - name: l\n        template: e\n        arguments: {parameters: [{name: msg, value: "{{item.os}} {{item.version}} {{=item.os}}"}]}\n        withItems: [{os: debian, version: 9}]\n  - name: e\n    inputs: {parameters: [{name: msg}]}\n    container: {image: alpine, args: ["{{inputs.parameters.msg}} {{item}} {{workflow.name}} {{pod.name}}"]}\n`,
    want: [],
  },
  {
    name: 'loops-maps.yaml with a misspelt item key',
    yaml: `${head()}  entrypoint: s\n  templates:\n  - name: s\n    steps:\n    - - name: l\n        template: e\n        arguments: {parameters: [{name: msg, value: "{{item.oss}}"}]}\n        withItems: [{os: debian}]\n  - name: e\n    inputs: {parameters: [{name: msg}]}\n    container: {image: alpine}\n`,
    want: [['WEFT_E_UNKNOWN_ITEM_KEY', 'spec.templates[0].steps[0][0].arguments.parameters[0].value', 12]],
  },
  {
    name: 'dag arguments read a task that is not an ancestor',
    yaml: `${head()}  entrypoint: d\n  templates:\n  - name: d\n    dag:\n      tasks:\n      - {name: A, template: e, arguments: {parameters: [{name: msg, value: x}]}}\n      - {name: B, template: e, arguments: {parameters: [{name: msg, value: "{{tasks.A.outputs.result}}"}]}}\n  - name: e\n    inputs: {parameters: [{name: msg}]}\n    container: {image: alpine}\n`,
    want: [['WEFT_E_DAG_MISSING_DEPENDENCY', 'spec.templates[0].dag.tasks[1].arguments.parameters[0].value', 12]],
  },
  {
    name: 'step arguments need a value; enum values must match',
    yaml: `${head()}  entrypoint: s\n  arguments: {parameters: [{name: level, value: loud, enum: [quiet, normal]}]}\n  templates:\n  - name: s\n    steps:\n    - - {name: a, template: e, arguments: {parameters: [{name: msg}]}}\n  - name: e\n    inputs: {parameters: [{name: msg}]}\n    container: {image: alpine}\n`,
    want: [
      ['WEFT_E_PARAMETER_ENUM', 'spec.arguments.parameters[0].value', 7],
      ['WEFT_E_ARGUMENT_VALUE', 'spec.templates[0].steps[0][0].arguments.parameters[0]', 11],
    ],
  },
  {
    name: 'output parameters need a source; containers read them from a path',
    yaml: `${head()}  entrypoint: e\n  templates:\n  - name: e\n    container: {image: alpine}\n    outputs:\n      parameters:\n      - name: a\n      - name: b\n        valueFrom: {jsonPath: "{.x}"}\n`,
    want: [
      ['WEFT_E_OUTPUT_PARAMETER', 'spec.templates[0].outputs.parameters[0]', 12],
      ['WEFT_E_OUTPUT_PARAMETER', 'spec.templates[0].outputs.parameters[1].valueFrom', 14],
    ],
  },
  {
    name: 'lifecycle-hook.yaml: a named hook needs an expression',
    yaml: `${head()}  entrypoint: e\n  hooks:\n    running: {template: e}\n    exit: {template: e}\n  templates:\n  - name: e\n    container: {image: alpine}\n`,
    want: [['WEFT_E_HOOK_EXPRESSION', 'spec.hooks.running.expression', 8]],
  },
  {
    name: 'cron-workflow.yaml with a bad schedule and timezone',
    yaml: `apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: {name: c}\nspec:\n  schedules: ["* * * * *", "61 * * * *"]\n  timezone: Mars/Olympus\n  workflowSpec:\n    entrypoint: e\n    templates: [{name: e, container: {image: alpine}}]\n`,
    want: [
      ['WEFT_E_CRON_TIMEZONE', 'spec.timezone', 6],
      ['WEFT_E_CRON_SCHEDULE', 'spec.schedules[1]', 5],
    ],
  },
  {
    name: 'schema errors and semantic errors are reported together',
    yaml: `${head()}  entrypoint: nope\n  templates:\n  - name: e\n    retryStrategy: {retryPolicy: Sometimes}\n    container: {image: alpine}\n`,
    want: [
      ['WEFT_E_ENUM', 'spec.templates[0].retryStrategy.retryPolicy', 9],
      ['WEFT_E_UNKNOWN_ENTRYPOINT', 'spec.entrypoint', 6],
    ],
  },
];

const sortKey = (x: [string, string, number]): string => x.join('|');

for (const row of rows) {
  test(`validate: ${row.name}`, () => {
    const got = issuesOf(row.yaml, row.extra).map((i): [string, string, number] => [i.code, i.path, i.line ?? 0]);
    assert.deepEqual(got.sort((a, b) => sortKey(a).localeCompare(sortKey(b))), [...row.want].sort((a, b) => sortKey(a).localeCompare(sortKey(b))));
  });
}

test('every issue carries file, line, col, code, severity and a path', () => {
  const issues = issuesOf(rows[5]?.yaml ?? '');
  assert.ok(issues.length > 0);
  for (const issue of issues) {
    assert.equal(issue.file, 'wf.yaml');
    assert.ok((issue.line ?? 0) > 0 && (issue.col ?? 0) > 0);
    assert.match(issue.code, /^WEFT_E_/);
    assert.equal(issue.severity, 'error');
    assert.ok(issue.path.startsWith('spec.'));
  }
});

test('validateForRun: arguments without a value are an error only for a run (after -p)', () => {
  const yaml = `${head()}  entrypoint: e\n  arguments:\n    parameters:\n    - name: message\n    - name: level\n      value: loud\n      enum: [quiet, loud]\n  templates:\n  - name: e\n    container: {image: alpine}\n`;
  assert.deepEqual(issuesOf(yaml), [], 'lint accepts it');
  const { decoded } = validateAndDecode(parseDocuments(yaml, 'wf.yaml').documents);
  const doc = decoded[0];
  assert.ok(doc && doc.object.kind === 'Workflow');
  if (doc.object.kind !== 'Workflow') return;
  const workflow = doc.object.value;
  assert.deepEqual(validateForRun(workflow, { doc: doc.doc }).map((i) => [i.code, i.path, i.line]), [['WEFT_E_PARAMETER_NO_VALUE', 'spec.arguments.parameters[0]', 9]]);
  const withP = { ...workflow, spec: { ...workflow.spec, arguments: { parameters: [{ name: 'message', value: 'hi' }, { name: 'level', value: 'shout', enum: ['quiet', 'loud'] }] } } };
  assert.deepEqual(validateForRun(withP).map((i) => i.code), ['WEFT_E_PARAMETER_ENUM']);
});

test('validateForRun: parameters inherited through workflowTemplateRef', () => {
  const lib = parseDocuments(`${head('WorkflowTemplate', 'name: lib')}  entrypoint: e\n  arguments: {parameters: [{name: who}]}\n  templates:\n  - name: e\n    container: {image: alpine}\n`, 'lib.yaml');
  const { decoded } = validateAndDecode(lib.documents);
  const catalog = buildCatalog(decoded.map((d) => d.object));
  const workflow = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow' as const, metadata: { generateName: 'x-' }, spec: { workflowTemplateRef: { name: 'lib' } } };
  assert.deepEqual(validateForRun(workflow, { catalog }).map((i) => i.code), ['WEFT_E_PARAMETER_NO_VALUE']);
  const supplied = { ...workflow, spec: { ...workflow.spec, arguments: { parameters: [{ name: 'who', value: 'me' }] } } };
  assert.deepEqual(validateForRun(supplied, { catalog }), []);
});

test('property: validation never throws, whatever the spec holds', async () => {
  const fc = (await import('fast-check')).default;
  const { stringify } = await import('yaml');
  const names = fc.constantFrom('main', 'a', 'b', '{{x}}', '');
  const step = fc.record({ name: names, template: names, dependencies: fc.array(names), depends: fc.constantFrom('a', 'a && b', '(', 'a.Bogus'), withItems: fc.array(fc.jsonValue(), { maxLength: 2 }) }, { requiredKeys: [] });
  const template = fc.record({
    name: names,
    container: fc.record({ image: fc.constantFrom('alpine', 3), args: fc.array(fc.constantFrom('{{inputs.parameters.a}}', '{{steps.a.outputs.result}}', '{{item.k}}', '{{tasks.b.outputs.parameters.x}}')) }, { requiredKeys: [] }),
    steps: fc.array(fc.array(step, { maxLength: 3 }), { maxLength: 2 }),
    dag: fc.record({ tasks: fc.array(step, { maxLength: 3 }) }),
    inputs: fc.record({ parameters: fc.array(fc.record({ name: names })) }, { requiredKeys: [] }),
  }, { requiredKeys: [] });
  const spec = fc.record({ entrypoint: names, templates: fc.array(fc.oneof(template, fc.jsonValue()), { maxLength: 4 }), arguments: fc.jsonValue() }, { requiredKeys: [] });
  fc.assert(
    fc.property(spec, fc.constantFrom('Workflow', 'WorkflowTemplate', 'CronWorkflow'), (body, kind) => {
      const doc = { apiVersion: 'argoproj.io/v1alpha1', kind, metadata: { name: 'x' }, spec: kind === 'CronWorkflow' ? { schedules: ['* * * * *'], workflowSpec: body } : body };
      const { documents } = parseDocuments(stringify(doc), 'p.yaml');
      for (const issue of validateDocuments(documents)) assert.match(issue.code, /^WEFT_[EW]_/);
    }),
    { numRuns: 300 },
  );
});
