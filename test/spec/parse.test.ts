// Reading YAML with positions: multi-document files, line:col of fields, YAML errors,
// documents without kind, and the go-yaml compatibility rules Argo examples rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WeftError, formatPath, loadPaths, parseDocuments } from '../../core/spec/index.js';

const twoDocs = `# examples/cron-backfill.yaml shape: several kinds in one file
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: job
spec:
  templates:
  - name: main
    container:
      image: alpine
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: backfill-
spec:
  entrypoint: main
`;

test('multi-document file: kinds, indices and positions', () => {
  const { documents, issues } = parseDocuments(twoDocs, 'f.yaml');
  assert.deepEqual(issues, []);
  assert.deepEqual(documents.map((d) => [d.kind, d.index, d.apiVersion]), [
    ['WorkflowTemplate', 0, 'argoproj.io/v1alpha1'],
    ['Workflow', 1, 'argoproj.io/v1alpha1'],
  ]);
  const [template, workflow] = documents;
  assert.ok(template && workflow);
  assert.deepEqual(template.positionOf(['spec', 'templates', 0, 'container', 'image']), { line: 10, col: 7 });
  assert.deepEqual(template.positionOf(['spec', 'templates', 0]), { line: 8, col: 5 });
  assert.deepEqual(workflow.positionOf(['spec', 'entrypoint']), { line: 17, col: 3 });
  // An absent field points at its nearest existing ancestor.
  assert.deepEqual(workflow.positionOf(['spec', 'templates', 3, 'name']), { line: 16, col: 1 });
});

const scalarRows: { name: string; yaml: string; value: unknown }[] = [
  { name: 'k8s defaultMode 0755 is octal (YAML 1.1, go-yaml)', yaml: 'v: 0755', value: 493 },
  { name: 'yes is a boolean (go-yaml)', yaml: 'v: yes', value: true },
  { name: 'time-like 12:30 stays a string (no sexagesimal)', yaml: 'v: 12:30', value: '12:30' },
  { name: 'dates stay strings', yaml: 'v: 2001-12-14', value: '2001-12-14' },
  { name: 'buildkit-template args "." is a string, not NaN', yaml: 'v: .', value: '.' },
  { name: 'floats', yaml: 'v: 1.5', value: 1.5 },
  { name: 'exponent floats', yaml: 'v: 1e3', value: 1000 },
];

for (const row of scalarRows) {
  test(`scalars: ${row.name}`, () => {
    const { documents, issues } = parseDocuments(`apiVersion: v1\nkind: ConfigMap\n${row.yaml}\n`, 'x.yaml');
    assert.deepEqual(issues.filter((i) => i.severity === 'error'), []);
    assert.deepEqual(documents[0]?.object['v'], row.value);
  });
}

test('ci.yaml: a flow sequence closed at its key indentation is read as go-yaml reads it', () => {
  const text = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Workflow',
    'metadata: {generateName: ci-}',
    'spec:',
    '  templates:',
    '  - name: build',
    '    container:',
    '      args: ["',
    '        cd /src &&',
    '        go build .',
    '      "]',
    '      image: golang',
    '',
  ].join('\n');
  const { documents, issues } = parseDocuments(text, 'ci.yaml');
  assert.deepEqual(issues.map((i) => [i.code, i.line, i.severity]), [['WEFT_W_YAML_FLOW_INDENT', 11, 'warning']]);
  const spec = documents[0]?.object['spec'];
  // The line break after the opening quote folds into a space, as in go-yaml.
  assert.deepEqual(spec, { templates: [{ name: 'build', container: { args: [' cd /src && go build . '], image: 'golang' } }] });
});

const badRows: { name: string; text: string; code: string; line: number; col?: number }[] = [
  { name: 'YAML syntax error has line and col', text: 'kind: Workflow\nmetadata:\n  name: a\n   bad: indent\n', code: 'WEFT_E_YAML', line: 3, col: 9 },
  { name: 'unclosed flow sequence is reported where the document ends', text: 'kind: Workflow\nspec: [unclosed\n', code: 'WEFT_E_YAML', line: 3 },
  { name: 'tab indentation', text: 'kind: Workflow\nspec:\n\tentrypoint: x\n', code: 'WEFT_E_YAML', line: 3 },
  { name: 'document without kind', text: 'apiVersion: v1\nmetadata: {name: x}\n', code: 'WEFT_E_NO_KIND', line: 1 },
  { name: 'kind without apiVersion', text: 'kind: Workflow\n', code: 'WEFT_E_NO_API_VERSION', line: 1 },
  { name: 'a list is not a document', text: '- a\n- b\n', code: 'WEFT_E_NOT_AN_OBJECT', line: 1, col: 1 },
];

for (const row of badRows) {
  test(`parse rejects: ${row.name}`, () => {
    const { documents, issues } = parseDocuments(row.text, 'bad.yaml');
    assert.equal(documents.length, 0);
    const issue = issues[0];
    assert.ok(issue, 'an issue');
    assert.equal(issue.code, row.code);
    assert.equal(issue.file, 'bad.yaml');
    assert.equal(issue.line, row.line);
    if (row.col !== undefined) assert.equal(issue.col, row.col);
    assert.equal(issue.severity, 'error');
  });
}

test('k8s-patch-json-workflow.yaml: duplicate keys, last wins as in go-yaml, with a warning', () => {
  const { documents, issues } = parseDocuments('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nmetadata: {name: b}\n', 'dup.yaml');
  assert.deepEqual(documents[0]?.object['metadata'], { name: 'b' });
  assert.deepEqual(issues.map((i) => [i.code, i.line, i.col, i.severity]), [['WEFT_W_YAML_DUPLICATE_KEY', 4, 1, 'warning']]);
});

test('YAML 1.1 word booleans are flagged where they are written', () => {
  const { issues } = parseDocuments('apiVersion: v1\nkind: ConfigMap\ndata:\n  answer: n\n  quoted: "n"\n  real: true\n', 'b.yaml');
  assert.deepEqual(issues.map((i) => [i.code, i.line, i.col]), [['WEFT_W_YAML_BOOLEAN', 4, 11]]);
});

test('empty documents between --- are skipped', () => {
  const { documents, issues } = parseDocuments('---\n---\napiVersion: v1\nkind: ConfigMap\n---\n', 'e.yaml');
  assert.deepEqual(issues, []);
  assert.equal(documents.length, 1);
  assert.equal(parseDocuments('', 'empty.yaml').documents.length, 0);
});

test('weft.yaml without kind is read as WeftConfig', () => {
  const { documents, issues } = parseDocuments('server: {port: 1234}\n', '/x/weft.yaml');
  assert.deepEqual(issues, []);
  assert.equal(documents[0]?.kind, 'WeftConfig');
});

test('loadPaths walks directories for .yaml, .yml and .json, and reports missing paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-spec-'));
  mkdirSync(join(dir, 'nested'));
  writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
  writeFileSync(join(dir, 'nested', 'b.yml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: b}\n');
  writeFileSync(join(dir, 'nested', 'c.json'), '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}');
  writeFileSync(join(dir, 'notes.txt'), 'not yaml: [');
  const { documents, issues } = loadPaths([dir, join(dir, 'missing.yaml')]);
  assert.deepEqual(documents.map((d) => d.kind).sort(), ['ConfigMap', 'ConfigMap', 'Secret']);
  assert.deepEqual(issues.map((i) => i.code), ['WEFT_E_FILE_NOT_FOUND']);
});

test('formatPath prints JSON paths the way issues show them', () => {
  assert.equal(formatPath(['spec', 'templates', 2, 'dag', 'tasks', 0, 'dependencies']), 'spec.templates[2].dag.tasks[0].dependencies');
  assert.equal(formatPath(['spec', 'steps', 0, 1]), 'spec.steps[0][1]');
  assert.equal(formatPath(['metadata', 'labels', 'app.kubernetes.io/name']), 'metadata.labels["app.kubernetes.io/name"]');
});

test('property: parseDocuments throws nothing but WeftError, and positions are in range', () => {
  const yamlish = fc.array(fc.constantFrom('kind: Workflow', 'apiVersion: v1', '---', '  - a', 'spec:', '  x: [1, {', '"', "'", '\t', '&a', '*a', '<<: *a', '!!binary', ': :', '{{x}}', '0755', '#c'), { maxLength: 12 }).map((lines) => lines.join('\n'));
  fc.assert(
    fc.property(fc.oneof(fc.string(), yamlish), (text) => {
      try {
        const { documents, issues } = parseDocuments(text, 'p.yaml');
        const lines = text.split('\n').length;
        for (const issue of issues) assert.ok((issue.line ?? 1) >= 1 && (issue.line ?? 1) <= lines + 1, 'issue line in range');
        for (const doc of documents) assert.ok(doc.positionOf(['spec', 'templates', 0]).line <= lines + 1);
      } catch (err) {
        assert.ok(err instanceof WeftError, `threw ${String(err)}`);
      }
    }),
    { numRuns: 300 },
  );
});
