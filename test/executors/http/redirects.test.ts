// Redirects: followed as Go's http.Client does (method rewrite, credentials kept only on
// the same domain), up to maxRedirects, every hop re-checked against the policy.
import assert from 'node:assert/strict';
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

const to = (url: string, code = 302) => `${server.url}/to?code=${code}&url=${encodeURIComponent(url)}`;

test('a chain of 5 redirects is followed to the answer', async () => {
  const outcome = await executor.execute(stepRequest({ url: `${server.url}/redirect/5` }));
  assert.deepEqual(outcome, { phase: 'Succeeded', outputs: { result: 'done' } });
});

test('more redirects than maxRedirects fail with Go text', async () => {
  const limited = createHttpExecutor({ evaluate: () => true, maxRedirects: 3 });
  const outcome = await limited.execute(stepRequest({ url: `${server.url}/redirect/5` }));
  assert.deepEqual(outcome, { phase: 'Failed', message: `Get "${server.url}/redirect/1": stopped after 3 redirects` });
});

test('the default limit is 10', async () => {
  assert.equal((await executor.execute(stepRequest({ url: `${server.url}/redirect/10` }))).phase, 'Succeeded');
  const outcome = await executor.execute(stepRequest({ url: `${server.url}/redirect/11` }));
  assert.equal(outcome.message, `Get "${server.url}/redirect/0": stopped after 10 redirects`);
});

test('a redirect to a denied address is refused at that hop', async () => {
  const outcome = await executor.execute(stepRequest({ url: to('http://169.254.169.254/latest/meta-data/iam') }));
  assert.deepEqual(outcome, {
    phase: 'Failed',
    message: `Get "http://169.254.169.254/latest/meta-data/iam": refused by weft.yaml executor.http: 169.254.169.254 matches "default deny 169.254.0.0/16"`,
  });
});

test('a redirect to a host outside the allow list is refused', async () => {
  const allowOnlyIp = createHttpExecutor({ evaluate: () => true, policy: { allow: ['127.0.0.1'] } });
  const outcome = await allowOnlyIp.execute(stepRequest({ url: to(`http://127.0.0.2:${server.port}/json`) }));
  assert.deepEqual(outcome, {
    phase: 'Failed',
    message: `Get "http://127.0.0.2:${server.port}/json": refused by weft.yaml executor.http: 127.0.0.2 is not in the allow list`,
  });
});

test('302 turns a POST into a body-less GET; 307 and 308 resend method and body', async () => {
  for (const [code, method, body] of [
    [302, 'GET', ''],
    [303, 'GET', ''],
    [307, 'POST', 'payload'],
    [308, 'POST', 'payload'],
  ] as const) {
    const outcome = await executor.execute(stepRequest({ method: 'POST', url: to('/echo', code), body: 'payload' }));
    assert.equal(outcome.phase, 'Succeeded', `${code}: ${outcome.message}`);
    const last = server.hits.at(-1);
    assert.equal(last?.method, method, String(code));
    assert.equal(last?.body.toString(), body, String(code));
  }
});

test('Authorization and Cookie follow a redirect on the same host, not to another host', async () => {
  const headers = [
    { name: 'Authorization', value: 'Bearer same-host-only' },
    { name: 'Cookie', value: 'session=1' },
    { name: 'X-Plain', value: 'kept' },
  ];
  await executor.execute(stepRequest({ url: to('/echo'), headers }));
  assert.equal(server.hits.at(-1)?.headers.authorization, 'Bearer same-host-only');
  // 127.0.0.1 and localhost are different hosts to Go's isDomainOrSubdomain.
  await executor.execute(stepRequest({ url: to(`http://localhost:${server.port}/echo`), headers }));
  const last = server.hits.at(-1);
  assert.equal(last?.url, '/echo');
  assert.equal(last?.headers.authorization, undefined);
  assert.equal(last?.headers.cookie, undefined);
  assert.equal(last?.headers['x-plain'], 'kept');
});

test('a custom Host survives a relative redirect only', async () => {
  const headers = [{ name: 'Host', value: 'virtual.example' }];
  await executor.execute(stepRequest({ url: to('/echo'), headers }));
  assert.equal(server.hits.at(-1)?.headers.host, 'virtual.example');
  await executor.execute(stepRequest({ url: to(`${server.url}/echo`), headers }));
  assert.equal(server.hits.at(-1)?.headers.host, `127.0.0.1:${server.port}`);
});

test('a 3xx without Location is the answer itself', async () => {
  const outcome = await executor.execute(stepRequest({ url: `${server.url}/status/304` }));
  assert.equal(outcome.phase, 'Failed');
  assert.equal(outcome.message, 'received non-2xx response code: 304');
});
