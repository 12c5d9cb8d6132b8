// A container's environment: template env with Secret/ConfigMap values, envFrom,
// PATH with the configured directories first, ARGO_* variables, nothing of the Weft
// process's own environment, and errors that name the secret and key, never a value.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, exampleTemplate, makeRequest, template, valueSources } from './harness.js';
import type { Harness, Logs } from './harness.js';

let h: Harness;
before(async () => {
  h = await createHarness();
});
after(() => h.cleanup());

const values = valueSources({
  secrets: { 'my-secret': { mypassword: 'S3cr3t-value' } },
  configMaps: { 'my-config': { mode: 'fast', level: '3' } },
});

describe('container environment', () => {
  it('secrets.yaml: secretKeyRef env and the secret volume both carry the value', async () => {
    const t = await exampleTemplate('secrets.yaml', 'print-secret');
    const logs: Logs = { stdout: '', stderr: '' };
    const volumes = [{ name: 'my-secret-vol', secret: { secretName: 'my-secret' } }];
    const out = await h.executor.execute(makeRequest(h, t, { values, volumes, logs }));
    assert.equal(out.phase, 'Succeeded', out.message);
    assert.equal(logs.stdout, 'secret from env: S3cr3t-value\nsecret from file: S3cr3t-value\n');
  });

  it('a missing secret key is an Error naming the secret and key, never a value', async () => {
    const t = template(`
      name: missing
      container:
        image: alpine
        command: [env]
        env: [{name: PASSWORD, valueFrom: {secretKeyRef: {name: my-secret, key: nope}}}]
    `);
    const out = await h.executor.execute(makeRequest(h, t, { values }));
    assert.equal(out.phase, 'Error');
    assert.equal(out.message, "env PASSWORD: couldn't find key nope in Secret default/my-secret");
  });

  it('an optional missing key leaves the variable unset', async () => {
    const t = template(`
      name: optional
      container:
        image: alpine
        command: [sh, -c, 'echo "[\${MAYBE-unset}]"']
        env: [{name: MAYBE, valueFrom: {secretKeyRef: {name: other, key: k, optional: true}}}]
    `);
    const out = await h.executor.execute(makeRequest(h, t, { values }));
    assert.equal(out.outputs?.result, '[unset]', out.message);
  });

  it('configMapKeyRef, envFrom with prefix, $(VAR) references to earlier variables', async () => {
    const t = template(`
      name: cm
      container:
        image: alpine
        command: [sh, -c, 'echo "$MODE $CFG_level $GREETING"']
        envFrom: [{configMapRef: {name: my-config}, prefix: CFG_}]
        env:
          - {name: MODE, valueFrom: {configMapKeyRef: {name: my-config, key: mode}}}
          - {name: GREETING, value: "mode=$(MODE)"}
    `);
    const out = await h.executor.execute(makeRequest(h, t, { values }));
    assert.equal(out.outputs?.result, 'fast 3 mode=fast', out.message);
  });

  it('PATH starts with the configured directories; ARGO_* are set; the host env does not leak', async () => {
    process.env.WEFT_TEST_HOST_SECRET = 'do-not-leak';
    try {
      const t = template(`{name: env, container: {image: alpine, command: [sh, -c, 'echo "$PATH|$ARGO_CONTAINER_NAME|$ARGO_WORKFLOW_NAME|$ARGO_NODE_ID|\${WEFT_TEST_HOST_SECRET-none}"']}}`);
      const out = await h.executor.execute(makeRequest(h, t, { podName: 'wf-env-1' }));
      const [pathVar, container, workflow, node, leaked] = (out.outputs?.result ?? '').split('|');
      assert.ok(pathVar?.startsWith('/work/shared/conformance/bin:'), pathVar);
      assert.deepEqual([container, workflow, node, leaked], ['main', 'wf', 'id-wf-env-1', 'none']);
    } finally {
      delete process.env.WEFT_TEST_HOST_SECRET;
    }
  });

  it('ARGO_TEMPLATE holds the substituted template as JSON', async () => {
    const t = template(`{name: tpl, container: {image: alpine, command: [sh, -c, 'printf %s "$ARGO_TEMPLATE"']}}`);
    const out = await h.executor.execute(makeRequest(h, t));
    assert.equal(JSON.parse(out.outputs?.result ?? '{}').name, 'tpl');
  });
});
