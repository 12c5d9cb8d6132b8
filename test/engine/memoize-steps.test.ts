// memoize on a steps/DAG template (Argo memoizes any template): a hit is a finished node
// with the cached outputs and nothing runs; a miss runs and asks the runtime to save.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../support/simulate.js';
import { workflowFromYaml } from '../support/workflow.js';

const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    memoize: {key: "k1", cache: {configMap: {name: my-cache}}}
    outputs:
      parameters: [{name: out, valueFrom: {parameter: "{{steps.a.outputs.result}}"}}]
    steps:
    - - {name: a, template: say}
  - name: say
    container: {image: alpine, command: [echo, fresh]}`;

test('memoized steps template: a cache hit runs nothing and reuses the outputs', () => {
  const wf = workflowFromYaml(yaml);
  let started = 0;
  const r = simulate(wf, () => {
    started++;
    return { phase: 'Succeeded', outputs: { result: 'fresh' } };
  }, { env: { memoized: (ns, cache, key) => (ns === 'default' && cache === 'my-cache' && key === 'k1' ? { parameters: [{ name: 'out', value: 'cached' }] } : undefined) } });
  assert.equal(r.status.phase, 'Succeeded');
  assert.equal(started, 0, 'no step ran');
  const root = r.status.nodes?.wf;
  assert.equal(root?.memoizationStatus?.hit, true);
  assert.equal(root?.outputs?.parameters?.[0]?.value, 'cached');
});

test('memoized steps template: a miss runs and saves the outputs', () => {
  const wf = workflowFromYaml(yaml);
  const r = simulate(wf, () => ({ phase: 'Succeeded', outputs: { result: 'fresh' } }), { env: { memoized: () => undefined } });
  assert.equal(r.status.phase, 'Succeeded');
  const save = r.actions.find((a) => a.type === 'save-memo');
  assert.ok(save && save.type === 'save-memo');
  assert.equal(save.key, 'k1');
  assert.equal(save.cache, 'my-cache');
  assert.equal(save.outputs?.parameters?.[0]?.value, 'fresh');
  assert.equal(r.status.nodes?.wf?.memoizationStatus?.hit, false);
});
