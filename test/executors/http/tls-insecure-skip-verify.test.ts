// insecureSkipVerify against an HTTPS server whose self-signed certificate is made by
// openssl when the test starts: refused with Go's x509 text unless the field is true,
// and a verified call never rides on a connection opened without verification.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createHttpExecutor } from '../../../core/executors/http/index.js';
import { startLoopback, stepRequest } from './loopback.js';
import type { Loopback } from './loopback.js';

let server: Loopback;
let dir: string;
const executor = createHttpExecutor({ evaluate: () => true });

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'weft-tls-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: 'ignore' },
  );
  server = await startLoopback(undefined, { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('insecureSkipVerify unset: a self-signed certificate is refused with Go x509 text', async () => {
  const outcome = await executor.execute(stepRequest({ url: `${server.url}/json` }));
  assert.deepEqual(outcome, {
    phase: 'Failed',
    message: `Get "${server.url}/json": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
  });
});

test('insecureSkipVerify: true accepts it, by IP and by name', async () => {
  const byIp = await executor.execute(stepRequest({ url: `${server.url}/json`, insecureSkipVerify: true }));
  assert.equal(byIp.phase, 'Succeeded', byIp.message);
  assert.match(byIp.outputs?.result ?? '', /"name":"weft"/);
  const byName = await executor.execute(stepRequest({ url: `https://localhost:${server.port}/json`, insecureSkipVerify: true }));
  assert.equal(byName.phase, 'Succeeded', byName.message);
});

test('a verified call after an unverified one to the same origin is still verified', async () => {
  assert.equal((await executor.execute(stepRequest({ url: `${server.url}/json`, insecureSkipVerify: true }))).phase, 'Succeeded');
  const verified = await executor.execute(stepRequest({ url: `${server.url}/json`, insecureSkipVerify: false }));
  assert.equal(verified.phase, 'Failed');
  assert.match(verified.message ?? '', /certificate signed by unknown authority/);
});

test('plain HTTP to a TLS port fails instead of hanging', async () => {
  const outcome = await executor.execute(stepRequest({ url: `http://127.0.0.1:${server.port}/json`, timeoutSeconds: 5 }));
  assert.equal(outcome.phase, 'Failed');
});
