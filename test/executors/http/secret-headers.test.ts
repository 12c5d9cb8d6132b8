// Headers from secretKeyRef: sent on the wire, and nowhere else — not in the outcome
// (message, result), not in the logs, not in the successCondition scope — even when
// the server echoes them back. A missing Secret is a node Error naming Secret and key.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHttpExecutor } from '../../../core/executors/http/index.js';
import { recordingLogger, startLoopback, stepRequest } from './loopback.js';
import type { Loopback } from './loopback.js';

const TOKEN = 'Bearer kit-token-123';
const secrets = { 'kit-api-token': { header: TOKEN } };
const authHeader = [{ name: 'Authorization', valueFrom: { secretKeyRef: { name: 'kit-api-token', key: 'header' } } }];

let server: Loopback;
before(async () => {
  server = await startLoopback();
});
after(() => server.close());

const cases = [
  { name: 'success, body echoes the header', url: () => `${server.url}/echo`, phase: 'Succeeded' },
  { name: 'condition false, body echoes the header', url: () => `${server.url}/echo`, condition: 'false', phase: 'Failed' },
  { name: 'non-2xx', url: () => `${server.url}/status/500`, phase: 'Failed' },
  { name: 'timeout', url: () => `${server.url}/delay/3000`, timeout: 1, phase: 'Failed' },
  { name: 'refused by policy', url: () => 'http://169.254.169.254/', phase: 'Failed' },
] as const;

for (const c of cases) {
  test(`secret header (${c.name}): sent, and absent from outcome and logs`, async () => {
    const { logger, lines } = recordingLogger();
    let scopeText = '';
    const executor = createHttpExecutor({
      logger,
      evaluate: (_source, env) => {
        scopeText = JSON.stringify(env.request);
        return false;
      },
    });
    const logs: string[] = [];
    const outcome = await executor.execute(
      stepRequest(
        {
          url: c.url(),
          headers: authHeader,
          ...('condition' in c ? { successCondition: c.condition } : {}),
          ...('timeout' in c ? { timeoutSeconds: c.timeout } : {}),
        },
        { secrets, logs },
      ),
    );
    assert.equal(outcome.phase, c.phase, outcome.message);
    const everything = [JSON.stringify(outcome), ...lines, ...logs, scopeText].join('\n');
    assert.ok(!everything.includes('kit-token-123'), everything);
    assert.ok(lines.length > 0, 'the call was logged');
  });
}

test('secret header: the server received the real value', async () => {
  await createHttpExecutor({ evaluate: () => true }).execute(stepRequest({ url: `${server.url}/auth`, headers: authHeader }, { secrets }));
  assert.equal(server.hits.at(-1)?.headers.authorization, TOKEN);
});

test('secret header: the echoed value is scrubbed from outputs.result', async () => {
  const outcome = await createHttpExecutor({ evaluate: () => true }).execute(
    stepRequest({ url: `${server.url}/echo`, headers: authHeader }, { secrets }),
  );
  assert.match(outcome.outputs?.result ?? '', /"authorization":"\*\*\*"/);
});

test('a missing secret key is a node Error naming Secret, key and field, and sends nothing', async () => {
  const before = server.hits.length;
  const outcome = await createHttpExecutor({ evaluate: () => true }).execute(
    stepRequest({ url: `${server.url}/auth`, headers: [{ name: 'X-A', value: 'a' }, ...authHeader] }),
  );
  assert.equal(outcome.phase, 'Error');
  assert.match(outcome.message ?? '', /^secret 'kit-api-token' does not have the key 'header' \(http\.headers\[1\]\.valueFrom\.secretKeyRef;/);
  assert.equal(server.hits.length, before);
});

test('an optional secret that is missing leaves the header out', async () => {
  const optional = [{ name: 'X-Token', valueFrom: { secretKeyRef: { name: 'absent', key: 'k', optional: true } } }];
  const outcome = await createHttpExecutor({ evaluate: () => true }).execute(stepRequest({ url: `${server.url}/echo`, headers: optional }));
  assert.equal(outcome.phase, 'Succeeded');
  assert.equal(server.hits.at(-1)?.headers['x-token'], undefined);
});
