// successCondition: the scope the expression sees (request.*, response.*) and the node
// messages, as Argo's agent (workflow/executor/agent.go). Rows come from Argo's
// docs/http-template.md, test/e2e/agent_test.go TestStatusCondition and the kit's cases.
// With core/expr built the rows run through the real expr-lang evaluator; until then
// through each row's stand-in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { createHttpExecutor } from '../../../core/executors/http/index.js';
import type { HTTPTemplate } from '../../../core/spec/index.js';
import { realEvaluator, startLoopback, stepRequest } from './loopback.js';
import type { Loopback } from './loopback.js';

const GoHeader = z.record(z.string(), z.array(z.string()));
const Scope = z.strictObject({
  request: z.strictObject({
    method: z.string(),
    url: z.string(),
    body: z.string(),
    bodyBytes: z.array(z.bigint()).nullable(),
    headers: GoHeader,
  }),
  response: z.strictObject({ statusCode: z.bigint(), body: z.string(), headers: GoHeader }),
});
type Scope = z.infer<typeof Scope>;

interface Row {
  name: string;
  http: (base: string) => HTTPTemplate;
  standIn: (scope: Scope) => unknown;
  phase: 'Succeeded' | 'Failed';
  message?: string | RegExp;
  result?: string;
}

const rows: Row[] = [
  {
    name: 'TestStatusCondition: response.statusCode == 201 on a 201',
    http: (b) => ({ url: `${b}/status/201`, successCondition: 'response.statusCode == 201' }),
    standIn: (s) => s.response.statusCode === 201n,
    phase: 'Succeeded',
  },
  {
    name: 'TestStatusCondition: response.statusCode == 201 on a 200 fails with Argo message',
    http: (b) => ({ url: `${b}/status/200`, successCondition: 'response.statusCode == 201' }),
    standIn: (s) => s.response.statusCode === 201n,
    phase: 'Failed',
    message: "successCondition 'response.statusCode == 201' evaluated false",
    result: 'status 200',
  },
  {
    name: 'statusCode is a Go int: integer arithmetic works',
    http: (b) => ({ url: `${b}/status/201`, successCondition: 'response.statusCode % 100 == 1' }),
    standIn: (s) => s.response.statusCode % 100n === 1n,
    phase: 'Succeeded',
  },
  {
    name: 'a condition overrides the 2xx default: 404 expected',
    http: (b) => ({ url: `${b}/status/404`, successCondition: 'response.statusCode == 404' }),
    standIn: (s) => s.response.statusCode === 404n,
    phase: 'Succeeded',
    result: 'status 404',
  },
  {
    name: 'kit: response.body contains and request.method as written',
    http: (b) => ({ method: 'GET', url: `${b}/json`, successCondition: 'response.body contains "weft" && request.method == "GET"' }),
    standIn: (s) => s.response.body.includes('weft') && s.request.method === 'GET',
    phase: 'Succeeded',
  },
  {
    name: 'request.method is empty when the template leaves it out (Argo passes the field)',
    http: (b) => ({ url: `${b}/json`, successCondition: 'request.method == ""' }),
    standIn: (s) => s.request.method === '',
    phase: 'Succeeded',
  },
  {
    name: 'kit: response.headers by canonical name, a list of values',
    http: (b) => ({ url: `${b}/json`, successCondition: 'response.headers["X-Kit"][0] == "conformance"' }),
    standIn: (s) => s.response.headers['X-Kit']?.[0] === 'conformance',
    phase: 'Succeeded',
  },
  {
    name: 'response.headers Content-Type',
    http: (b) => ({ url: `${b}/json`, successCondition: 'response.headers["Content-Type"][0] == "application/json"' }),
    standIn: (s) => s.response.headers['Content-Type']?.[0] === 'application/json',
    phase: 'Succeeded',
  },
  {
    name: 'kit http-post-headers: fromJSON(response.body) and request.body',
    http: (b) => ({
      method: 'POST',
      url: `${b}/echo`,
      headers: [{ name: 'X-Weft', value: 'yes' }],
      body: '{"hello":"world"}',
      successCondition: 'fromJSON(response.body).headers["x-weft"] == "yes" && request.body contains "world"',
    }),
    standIn: (s) => {
      const echoed = z.object({ headers: z.record(z.string(), z.string()) }).parse(JSON.parse(s.response.body));
      return echoed.headers['x-weft'] === 'yes' && s.request.body.includes('world');
    },
    phase: 'Succeeded',
  },
  {
    name: 'request.headers holds literal headers as written',
    http: (b) => ({ url: `${b}/json`, headers: [{ name: 'X-Weft', value: 'yes' }], successCondition: 'request.headers["X-Weft"][0] == "yes"' }),
    standIn: (s) => s.request.headers['X-Weft']?.[0] === 'yes',
    phase: 'Succeeded',
  },
  {
    name: 'request.url is the substituted URL',
    http: (b) => ({ url: `${b}/json?q=1`, successCondition: 'request.url endsWith "/json?q=1"' }),
    standIn: (s) => s.request.url.endsWith('/json?q=1'),
    phase: 'Succeeded',
  },
  {
    name: 'request.bodyBytes is the decoded bodyFrom.bytes',
    http: (b) => ({ method: 'POST', url: `${b}/echo`, bodyFrom: { bytes: 'AQID' }, successCondition: 'len(request.bodyBytes) == 3' }),
    standIn: (s) => s.request.bodyBytes?.length === 3,
    phase: 'Succeeded',
  },
  {
    name: 'a non-boolean result fails as argoexpr.EvalBool',
    http: (b) => ({ url: `${b}/json`, successCondition: 'response.statusCode' }),
    standIn: (s) => s.response.statusCode,
    phase: 'Failed',
    message: "unable to cast expression result '200' to bool",
  },
  {
    name: 'an evaluation error fails the node and names the expression',
    http: (b) => ({ url: `${b}/json`, successCondition: 'response.nosuch.field == 1' }),
    standIn: () => {
      throw new Error('cannot fetch field from nil');
    },
    phase: 'Failed',
    // Argo's wrapping with the stand-in; core/expr's own message (which quotes the expression) with the real one.
    message: /^(unable to evaluate expression 'response\.nosuch\.field == 1'|failed to evaluate expression "response\.nosuch\.field == 1"): cannot fetch field from/,
  },
];

let server: Loopback;
let evaluate: (source: string, env: Record<string, unknown>) => unknown;
let usingReal = false;

before(async () => {
  server = await startLoopback();
  const real = await realEvaluator();
  usingReal = real !== undefined;
  evaluate =
    real ??
    ((source, env) => {
      const row = rows.find((r) => r.http('').successCondition === source);
      if (!row) throw new Error(`no stand-in for ${source}`);
      return row.standIn(Scope.parse(env));
    });
});
after(() => server.close());

test('successCondition: evaluator in use', (t) => {
  t.diagnostic(usingReal ? 'core/expr evaluateExpr' : 'stand-in (core/expr not built)');
});

for (const row of rows) {
  test(`successCondition: ${row.name}`, async () => {
    const executor = createHttpExecutor({ evaluate });
    const outcome = await executor.execute(stepRequest(row.http(server.url)));
    assert.equal(outcome.phase, row.phase, outcome.message);
    if (typeof row.message === 'string') assert.equal(outcome.message, row.message);
    else if (row.message) assert.match(outcome.message ?? '', row.message);
    if (row.result !== undefined) assert.equal(outcome.outputs?.result, row.result);
  });
}

test('successCondition: the scope has exactly Argo shape, headers canonical', async () => {
  let seen: Scope | undefined;
  const executor = createHttpExecutor({
    evaluate: (_source, env) => {
      seen = Scope.parse(env);
      return true;
    },
  });
  await executor.execute(
    stepRequest({ method: 'PUT', url: `${server.url}/json`, headers: [{ name: 'content-type', value: 'text/plain' }], body: 'abc', successCondition: 'x' }),
  );
  assert.ok(seen);
  assert.equal(seen.request.method, 'PUT');
  assert.equal(seen.request.body, 'abc');
  assert.equal(seen.request.bodyBytes, null);
  assert.deepEqual({ ...seen.request.headers }, { 'content-type': ['text/plain'], 'Content-Type': ['text/plain'] });
  assert.equal(seen.response.statusCode, 200n);
  assert.deepEqual(seen.response.headers['X-Kit'], ['conformance']);
  assert.ok(Object.keys(seen.response.headers).every((k) => /^[A-Z0-9]/.test(k)), Object.keys(seen.response.headers).join());
});

test('no successCondition: any 2xx succeeds (204 here), with the body as result', async () => {
  const outcome = await createHttpExecutor({ evaluate }).execute(stepRequest({ url: `${server.url}/status/204` }));
  assert.equal(outcome.phase, 'Succeeded');
  assert.equal(outcome.outputs?.result, '');
});

test('no successCondition: a non-2xx fails with Argo message and keeps the body as result', async () => {
  const outcome = await createHttpExecutor({ evaluate }).execute(stepRequest({ url: `${server.url}/status/404` }));
  assert.deepEqual(outcome, { phase: 'Failed', message: 'received non-2xx response code: 404', outputs: { result: 'status 404' } });
});
