// A secret used as an http header never reaches the final Workflow, the logs or the store,
// even when the server echoes it back in the response body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../core/store/index.js';
import { composeRuntime, loadConfig, workflowFromDocument } from '../../core/runtime/index.js';
import { workflowFromYaml } from '../support/workflow.js';

const SECRET = 'tok-3f9c2a7be41d';

test('secret header: absent from -o json output, logs and the SQLite store', async () => {
  const server = createServer((req, res) => {
    const ok = req.headers.authorization === `Bearer ${SECRET}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok, headers: req.headers }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'weft-secret-'));
  try {
    const store = openSqliteStore(join(dir, 'weft.db'));
    store.putObject({
      kind: 'Secret', namespace: 'default', name: 'api', labels: {},
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api' }, stringData: { header: `Bearer ${SECRET}` } },
    });
    const runtime = composeRuntime({ config: loadConfig(undefined, dir), store, workRoot: dir, artifactsRoot: join(dir, 'a') });
    const logs: string[] = [];
    runtime.subscribe((e) => {
      if (e.type === 'log') logs.push(e.text);
    });
    const wf = workflowFromYaml(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: secret-run}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: call, template: call}
    - - name: show
        template: show
        arguments: {parameters: [{name: body, value: "{{steps.call.outputs.result}}"}]}
  - name: call
    http:
      url: http://127.0.0.1:${port}/echo
      headers:
      - name: Authorization
        valueFrom: {secretKeyRef: {name: api, key: header}}
  - name: show
    inputs: {parameters: [{name: body}]}
    container: {image: alpine, command: [echo], args: ["{{inputs.parameters.body}}"]}
`);
    const run = runtime.submit(workflowFromDocument({ kind: 'Workflow', value: wf as unknown as Record<string, unknown> }, { now: Date.now() }));
    const final = await run.finished;
    runtime.close();
    assert.equal(final.status?.phase, 'Succeeded', final.status?.message);
    const json = JSON.stringify(final);
    assert.ok(json.includes('"ok\\\\":true') || json.includes('\\"ok\\":true'), 'the call was authorised');
    assert.ok(!json.includes(SECRET), 'final workflow has no secret');
    assert.ok(!logs.join('\n').includes(SECRET), 'logs have no secret');
    const stored = store.readLogs(final.metadata?.uid ?? '').map((l) => l.text).join('\n');
    assert.ok(!stored.includes(SECRET), 'stored logs have no secret');
    store.close();
    for (const f of readdirSync(dir).filter((x) => x.startsWith('weft.db'))) {
      const bytes = readFileSync(join(dir, f)).toString('latin1');
      const inRuns = bytes.split(SECRET).length - 1;
      // the Secret object itself is stored once (that is where secrets live); nothing else
      assert.ok(inRuns <= 1, `${f} holds the secret ${inRuns} times`);
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
