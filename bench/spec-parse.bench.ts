// core/spec throughput: parse + validate of 1000 generated WorkflowTemplates (steps, dag
// with depends, loops, parameters, templateRefs between them), reported per document.
import type { BenchHarness } from './harness.js';
import { parseDocuments, validateDocuments } from '../core/spec/index.js';

const DOCUMENTS = 1000;

/** One WorkflowTemplate shaped like Argo's examples: a dag over a steps template and a script. */
function workflowTemplate(i: number): string {
  const next = (i + 1) % DOCUMENTS;
  return `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: wt-${i}
  labels: {team: t${i % 7}}
spec:
  entrypoint: main
  arguments:
    parameters:
    - {name: message, value: "hello ${i}"}
  templates:
  - name: main
    dag:
      tasks:
      - name: prepare
        template: say
        arguments: {parameters: [{name: msg, value: "{{workflow.parameters.message}}"}]}
      - name: fan-out
        depends: prepare.Succeeded
        template: loop
        arguments: {parameters: [{name: msg, value: "{{tasks.prepare.outputs.result}}"}]}
      - name: remote
        depends: "prepare && !fan-out.Failed"
        templateRef: {name: wt-${next}, template: say}
        arguments: {parameters: [{name: msg, value: "{{tasks.prepare.outputs.parameters.out}}"}]}
  - name: loop
    inputs: {parameters: [{name: msg}]}
    steps:
    - - name: each
        template: say
        arguments: {parameters: [{name: msg, value: "{{inputs.parameters.msg}} {{item.os}}"}]}
        withItems: [{os: debian}, {os: alpine}, {os: ubuntu}]
    - - name: after
        template: say
        when: "{{steps.each.outputs.result}} != ''"
        arguments: {parameters: [{name: msg, value: done}]}
  - name: say
    inputs: {parameters: [{name: msg}]}
    retryStrategy: {limit: "2", retryPolicy: OnFailure}
    outputs:
      parameters:
      - name: out
        valueFrom: {path: /tmp/out}
    script:
      image: python:alpine3.23
      command: [python]
      source: |
        print("{{inputs.parameters.msg}}")
`;
}

export default async function specParseBench(h: BenchHarness): Promise<void> {
  const text = Array.from({ length: DOCUMENTS }, (_, i) => workflowTemplate(i)).join('---\n');
  // Sanity: the generated corpus is valid, so the bench measures the happy path.
  const check = parseDocuments(text, 'bench.yaml');
  const errors = validateDocuments(check.documents).filter((i) => i.severity === 'error');
  if (check.documents.length !== DOCUMENTS || errors.length > 0) {
    throw new Error(`bench corpus is invalid: ${check.documents.length} documents, first issue ${JSON.stringify(errors[0])}`);
  }

  const parse = await h.measure('parse 1000 WorkflowTemplates', () => parseDocuments(text, 'bench.yaml'), { iterations: 1, warmup: 1 });
  h.report('parse per WorkflowTemplate', parse.ms / DOCUMENTS, 'ms/op');

  const documents = check.documents;
  const validate = await h.measure('validate 1000 WorkflowTemplates', () => validateDocuments(documents), { iterations: 1, warmup: 1 });
  h.report('validate per WorkflowTemplate', validate.ms / DOCUMENTS, 'ms/op');

  const both = await h.measure('parse+validate 1000 WorkflowTemplates', () => validateDocuments(parseDocuments(text, 'bench.yaml').documents), { iterations: 1, warmup: 1 });
  h.report('parse+validate per WorkflowTemplate', both.ms / DOCUMENTS, 'ms/op', `${DOCUMENTS} documents, ${(text.length / 1024).toFixed(0)} KiB of YAML`);
}
