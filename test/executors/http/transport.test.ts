// What reaches the wire and what a failed call says: method, headers, Host override,
// bodies, timeouts and refusals, against real servers on 127.0.0.1. Messages are
// Go's net/http texts, as Argo's agent puts them into the node.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { createHttpExecutor } from '../../../core/executors/http/index.js';
import { startLoopback, stepRequest } from './loopback.js';
import type { Loopback } from './loopback.js';

let server: Loopback;
const executor = createHttpExecutor({ evaluate: () => true });

before(async () => {
  server = await startLoopback();
});
after(() => server.close());

test('GET is the default method; method, headers and body are sent as written', async () => {
  const outcome = await executor.execute(
    stepRequest({
      method: 'PATCH',
      url: `${server.url}/echo`,
      headers: [
        { name: 'X-Weft', value: 'yes' },
        { name: 'X-Multi', value: 'one' },
        { name: 'X-Multi', value: 'two' },
      ],
      body: '{"hello":"world"}',
    }),
  );
  assert.equal(outcome.phase, 'Succeeded', outcome.message);
  const hit = server.hits.at(-1);
  assert.equal(hit?.method, 'PATCH');
  assert.equal(hit?.headers['x-weft'], 'yes');
  assert.equal(hit?.headers['x-multi'], 'one, two');
  assert.equal(hit?.body.toString(), '{"hello":"world"}');
  await executor.execute(stepRequest({ url: `${server.url}/echo` }));
  assert.equal(server.hits.at(-1)?.method, 'GET');
  assert.equal(server.hits.at(-1)?.body.length, 0);
});

test('a Host header sets the request host (Argo: request.Host), not an extra header', async () => {
  const outcome = await executor.execute(stepRequest({ url: `${server.url}/echo`, headers: [{ name: 'Host', value: 'api.internal.example' }] }));
  assert.equal(outcome.phase, 'Succeeded', outcome.message);
  assert.equal(server.hits.at(-1)?.headers.host, 'api.internal.example');
});

test('bodyFrom.bytes is base64 in YAML and sent decoded', async () => {
  const bytes = Buffer.from([0, 1, 2, 255, 254]);
  await executor.execute(stepRequest({ method: 'POST', url: `${server.url}/echo`, bodyFrom: { bytes: bytes.toString('base64') } }));
  assert.deepEqual(server.hits.at(-1)?.body, bytes);
});

test('timeoutSeconds bounds a slow answer: Go context deadline text', async () => {
  const started = performance.now();
  const outcome = await executor.execute(stepRequest({ url: `${server.url}/delay/5000`, timeoutSeconds: 1 }));
  const took = performance.now() - started;
  assert.equal(outcome.phase, 'Failed');
  assert.equal(outcome.message, `Get "${server.url}/delay/5000": context deadline exceeded`);
  assert.ok(took >= 950 && took < 4000, `took ${took} ms`);
});

test('timeoutSeconds also bounds a body that trickles after the headers', async () => {
  const outcome = await executor.execute(stepRequest({ url: `${server.url}/slow-body/5000`, timeoutSeconds: 1 }));
  assert.equal(outcome.phase, 'Failed');
  assert.equal(outcome.message, `Get "${server.url}/slow-body/5000": context deadline exceeded`);
});

test('a refused port fails with the dial error text', async () => {
  const port = await unusedPort();
  const outcome = await executor.execute(stepRequest({ method: 'POST', url: `http://127.0.0.1:${port}/x` }));
  assert.deepEqual(outcome, { phase: 'Failed', message: `Post "http://127.0.0.1:${port}/x": dial tcp 127.0.0.1:${port}: connect: connection refused` });
});

test('an unknown host fails with the lookup error text', async () => {
  const outcome = await executor.execute(stepRequest({ url: 'http://no-such-host.invalid/' }));
  assert.equal(outcome.phase, 'Failed');
  assert.equal(outcome.message, 'Get "http://no-such-host.invalid/": dial tcp: lookup no-such-host.invalid: no such host');
});

test('a server that closes without answering fails with EOF', async () => {
  const closer = net.createServer((socket) => socket.once('data', () => socket.destroy()));
  await new Promise<void>((resolve) => closer.listen(0, '127.0.0.1', resolve));
  const address = closer.address();
  assert.ok(address !== null && typeof address !== 'string');
  const outcome = await executor.execute(stepRequest({ url: `http://127.0.0.1:${address.port}/` }));
  closer.close();
  assert.equal(outcome.phase, 'Failed');
  assert.match(outcome.message ?? '', /^Get "http:\/\/127\.0\.0\.1:\d+\/": (EOF|read: connection reset by peer)$/);
});

test('an unsupported scheme and a malformed URL fail as Go does', async () => {
  const ftp = await executor.execute(stepRequest({ url: 'ftp://127.0.0.1/file' }));
  assert.deepEqual(ftp, { phase: 'Failed', message: 'Get "ftp://127.0.0.1/file": unsupported protocol scheme "ftp"' });
  const bad = await executor.execute(stepRequest({ url: 'not a url' }));
  assert.deepEqual(bad, { phase: 'Failed', message: 'parse "not a url": invalid URI for request' });
});

test('invalid method, header names and values fail before dialing, as net/http', async () => {
  const rows: Array<[Parameters<typeof stepRequest>[0], string]> = [
    [{ url: `${server.url}/echo`, method: 'BAD METHOD' }, 'net/http: invalid method "BAD METHOD"'],
    [{ url: `${server.url}/echo`, headers: [{ name: 'Bad Name', value: 'a' }] }, `Get "${server.url}/echo": net/http: invalid header field name "Bad Name"`],
    [{ url: `${server.url}/echo`, headers: [{ name: 'X-A', value: 'a\r\nInjected: 1' }] }, `Get "${server.url}/echo": net/http: invalid header field value for "X-A"`],
  ];
  const before = server.hits.length;
  for (const [spec, message] of rows) assert.deepEqual(await executor.execute(stepRequest(spec)), { phase: 'Failed', message });
  assert.equal(server.hits.length, before);
});

test('a secret header value with a line break is refused without quoting the value', async () => {
  const outcome = await executor.execute(
    stepRequest(
      { url: `${server.url}/echo`, headers: [{ name: 'Authorization', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] },
      { secrets: { s: { k: 'Bearer abc\n' } } },
    ),
  );
  assert.deepEqual(outcome, { phase: 'Failed', message: `Get "${server.url}/echo": net/http: invalid header field value for "Authorization"` });
});

test('URL userinfo is sent as basic auth and masked in messages', async () => {
  await executor.execute(stepRequest({ url: `http://bob:hunter22@127.0.0.1:${server.port}/echo` }));
  assert.equal(server.hits.at(-1)?.headers.authorization, `Basic ${Buffer.from('bob:hunter22').toString('base64')}`);
  const port = await unusedPort();
  const outcome = await executor.execute(stepRequest({ url: `http://bob:hunter22@127.0.0.1:${port}/` }));
  assert.equal(outcome.message, `Get "http://bob:***@127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused`);
});

test('the policy refuses a denied target with the rule in the message, and sends nothing', async () => {
  const guarded = createHttpExecutor({ evaluate: () => true, policy: { deny: ['127.0.0.0/8'] } });
  const before = server.hits.length;
  const outcome = await guarded.execute(stepRequest({ url: `${server.url}/json` }));
  assert.equal(outcome.phase, 'Failed');
  assert.equal(outcome.message, `Get "${server.url}/json": refused by weft.yaml executor.http: 127.0.0.1 matches "deny 127.0.0.0/8"`);
  assert.equal(server.hits.length, before);
});

test('the policy checks what a name resolves to: localhost denied by CIDR', async () => {
  const guarded = createHttpExecutor({ evaluate: () => true, policy: { deny: ['127.0.0.0/8', '::1'] } });
  const outcome = await guarded.execute(stepRequest({ url: `http://localhost:${server.port}/json` }));
  assert.equal(outcome.phase, 'Failed');
  assert.match(outcome.message ?? '', /refused by weft\.yaml executor\.http: localhost \((127\.0\.0\.1|::1)\) matches "deny (127\.0\.0\.0\/8|::1)"/);
});

test('metadata addresses are refused by default', async () => {
  const outcome = await executor.execute(stepRequest({ url: 'http://169.254.169.254/latest/meta-data/', timeoutSeconds: 2 }));
  assert.deepEqual(outcome, {
    phase: 'Failed',
    message: 'Get "http://169.254.169.254/latest/meta-data/": refused by weft.yaml executor.http: 169.254.169.254 matches "default deny 169.254.0.0/16"',
  });
});

async function unusedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
