// http and artifactory artifact locations (core/executors/artifacts/http.ts): download
// streamed to the step's path, PUT upload, credentials from Secrets, failures as
// OperationalError WEFT_E_ARTIFACT_HTTP with the URL (credentials stripped) and status.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { downloadHttpArtifact, stripCredentials, uploadHttpArtifact } from '../../../core/executors/artifacts/http.js';
import type { HttpArtifactContext } from '../../../core/executors/artifacts/http.js';
import { OperationalError } from '../../../core/spec/index.js';
import type { Artifact } from '../../../core/spec/index.js';
import { kitRoute, startLoopback } from './loopback.js';
import type { Loopback } from './loopback.js';

let server: Loopback;
let dir: string;
const secrets: Record<string, Record<string, string>> = {
  'repo-creds': { user: 'alice', pass: 's3cr3t-pass' },
  oauth: { id: 'client-1', secret: 'client-secret-xyz', url: '' },
};
const ctx = (extra: Partial<HttpArtifactContext> = {}): HttpArtifactContext => ({
  values: { secret: (name, key) => secrets[name]?.[key], configMap: () => undefined },
  signal: new AbortController().signal,
  ...extra,
});

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'weft-http-artifacts-'));
  server = await startLoopback((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/files/lines.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('one\ntwo\nthree\n');
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const ok = req.headers.authorization === `Basic ${Buffer.from('client-1:client-secret-xyz').toString('base64')}`;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      return res.end(ok && body.toString().includes('grant_type=client_credentials') ? '{"access_token":"tok-777","token_type":"bearer"}' : '{}');
    }
    if (url.pathname === '/bearer-only') {
      res.writeHead(req.headers.authorization === 'Bearer tok-777' ? 200 : 401);
      return res.end('protected');
    }
    if (url.pathname.startsWith('/put/') && req.method === 'PUT') {
      res.writeHead(url.pathname === '/put/fail' ? 500 : 201);
      return res.end();
    }
    return kitRoute(req, res, body);
  });
  secrets.oauth = { id: 'client-1', secret: 'client-secret-xyz', url: `${server.url}/token` };
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const dest = (name: string) => path.join(dir, 'inputs', name);
const http = (url: string, more: Partial<NonNullable<Artifact['http']>> = {}): Artifact => ({ name: 'lines', path: '/tmp/lines.txt', http: { url, ...more } });

async function rejects(promise: Promise<void>, message: string | RegExp): Promise<OperationalError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof OperationalError, `expected an OperationalError, got ${String(err)}`);
  assert.equal(err.code, 'WEFT_E_ARTIFACT_HTTP');
  if (typeof message === 'string') assert.equal(err.message, message);
  else assert.match(err.message, message);
  return err;
}

test('download: the body lands at the path, parent folders created', async () => {
  await downloadHttpArtifact(http(`${server.url}/files/lines.txt`, { headers: [{ name: 'X-Req', value: 'a' }] }), dest('a/b/lines.txt'), ctx());
  assert.equal(readFileSync(dest('a/b/lines.txt'), 'utf8'), 'one\ntwo\nthree\n');
  assert.equal(server.hits.at(-1)?.headers['x-req'], 'a');
});

test('download: a 404 names the URL and Go status, and leaves no file', async () => {
  await rejects(
    downloadHttpArtifact(http(`${server.url}/status/404`), dest('missing.txt'), ctx()),
    `loading content from ${server.url}/status/404 failed with reason: 404 Not Found`,
  );
  assert.equal(existsSync(dest('missing.txt')), false);
});

test('download: URL userinfo is sent as basic auth and stripped from the message', async () => {
  const err = await rejects(
    downloadHttpArtifact(http(`http://bob:pw-in-url@127.0.0.1:${server.port}/status/500?X-Amz-Signature=abcdef&page=2`), dest('x'), ctx()),
    `loading content from http://127.0.0.1:${server.port}/status/500?X-Amz-Signature=***&page=2 failed with reason: 500 Internal Server Error`,
  );
  assert.ok(!err.message.includes('bob') && !err.message.includes('pw-in-url'));
  assert.equal(server.hits.at(-1)?.headers.authorization, `Basic ${Buffer.from('bob:pw-in-url').toString('base64')}`);
});

test('download: auth.basicAuth comes from Secrets and never shows in errors', async () => {
  const basicAuth = { usernameSecret: { name: 'repo-creds', key: 'user' }, passwordSecret: { name: 'repo-creds', key: 'pass' } };
  await downloadHttpArtifact(http(`${server.url}/files/lines.txt`, { auth: { basicAuth } }), dest('auth.txt'), ctx());
  assert.equal(server.hits.at(-1)?.headers.authorization, `Basic ${Buffer.from('alice:s3cr3t-pass').toString('base64')}`);
  const err = await rejects(downloadHttpArtifact(http(`${server.url}/status/403`, { auth: { basicAuth } }), dest('no.txt'), ctx()), /403 Forbidden$/);
  assert.ok(!JSON.stringify({ message: err.message, cause: String(err.cause) }).includes('s3cr3t'));
});

test('download: a missing Secret names Secret, key and field', async () => {
  const basicAuth = { usernameSecret: { name: 'nope', key: 'user' }, passwordSecret: { name: 'repo-creds', key: 'pass' } };
  await rejects(
    downloadHttpArtifact(http(`${server.url}/files/lines.txt`, { auth: { basicAuth } }), dest('n.txt'), ctx()),
    /^secret 'nope' does not have the key 'user' \(artifact "lines"\.http\.auth\.basicAuth\.usernameSecret;/,
  );
});

test('download: auth.oauth2 fetches a client-credentials token first', async () => {
  const oauth2 = {
    clientIDSecret: { name: 'oauth', key: 'id' },
    clientSecretSecret: { name: 'oauth', key: 'secret' },
    tokenURLSecret: { name: 'oauth', key: 'url' },
    scopes: ['read'],
  };
  await downloadHttpArtifact(http(`${server.url}/bearer-only`, { auth: { oauth2 } }), dest('oauth.txt'), ctx());
  assert.equal(readFileSync(dest('oauth.txt'), 'utf8'), 'protected');
});

test('download: artifactory always sends basic auth from its secrets', async () => {
  const artifact: Artifact = {
    name: 'jar',
    artifactory: { url: `${server.url}/files/lines.txt`, usernameSecret: { name: 'repo-creds', key: 'user' }, passwordSecret: { name: 'repo-creds', key: 'pass' } },
  };
  await downloadHttpArtifact(artifact, dest('jar'), ctx());
  assert.equal(server.hits.at(-1)?.headers.authorization, `Basic ${Buffer.from('alice:s3cr3t-pass').toString('base64')}`);
});

test('download: a body over the cap fails and the partial file is removed', async () => {
  await rejects(
    downloadHttpArtifact(http(`${server.url}/stream/${1024 * 1024}`), dest('big.bin'), ctx({ maxBytes: 64 * 1024 })),
    `loading content from ${server.url}/stream/${1024 * 1024} failed: larger than 64 KiB (artifact download limit)`,
  );
  assert.equal(existsSync(dest('big.bin')), false);
});

test('download: the executor.http policy applies', async () => {
  await rejects(
    downloadHttpArtifact(http(`${server.url}/files/lines.txt`), dest('p'), ctx({ policy: { deny: ['127.0.0.1'] } })),
    `loading content from ${server.url}/files/lines.txt failed: Get "${server.url}/files/lines.txt": refused by weft.yaml executor.http: 127.0.0.1 matches "deny 127.0.0.1"`,
  );
});

test('download: abort ends a download in flight', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await rejects(downloadHttpArtifact(http(`${server.url}/delay/5000`), dest('slow'), ctx({ signal: controller.signal })), /context canceled$/);
});

test('download: neither or both locations is a configuration error', async () => {
  await rejects(downloadHttpArtifact({ name: 'none' }, dest('none'), ctx()), 'artifact "none": either artifactory or http needs to be configured');
});

test('upload: PUT of the file, headers and basic auth as Argo driver Save', async () => {
  const src = path.join(dir, 'out.txt');
  writeFileSync(src, 'result bytes');
  const basicAuth = { usernameSecret: { name: 'repo-creds', key: 'user' }, passwordSecret: { name: 'repo-creds', key: 'pass' } };
  await uploadHttpArtifact(http(`${server.url}/put/out.txt`, { headers: [{ name: 'X-Up', value: '1' }], auth: { basicAuth } }), src, ctx());
  const hit = server.hits.at(-1);
  assert.equal(hit?.method, 'PUT');
  assert.equal(hit?.body.toString(), 'result bytes');
  assert.equal(hit?.headers['content-length'], '12');
  assert.equal(hit?.headers['x-up'], '1');
  assert.ok(hit?.headers.authorization?.startsWith('Basic '));
});

test('upload: a 307 is followed with the file sent again (webHDFS)', async () => {
  const src = path.join(dir, 'again.txt');
  writeFileSync(src, 'twice');
  await uploadHttpArtifact(http(`${server.url}/to?code=307&url=${encodeURIComponent('/put/again.txt')}`), src, ctx());
  assert.equal(server.hits.at(-1)?.url, '/put/again.txt');
  assert.equal(server.hits.at(-1)?.body.toString(), 'twice');
});

test('upload: a non-2xx names file, URL and status', async () => {
  const src = path.join(dir, 'fail.txt');
  writeFileSync(src, 'x');
  await rejects(uploadHttpArtifact(http(`${server.url}/put/fail`), src, ctx()), `saving file ${src} to ${server.url}/put/fail failed with reason: 500 Internal Server Error`);
});

test('upload: a directory must be archived first', async () => {
  const folder = path.join(dir, 'folder');
  mkdirSync(folder, { recursive: true });
  await rejects(uploadHttpArtifact(http(`${server.url}/put/folder`), folder, ctx()), /is a directory; archive it into one file first$/);
});

test('stripCredentials: userinfo removed, credential-looking query values masked', () => {
  assert.equal(stripCredentials('https://u:p@host/a?token=t&x=1&sig=s'), 'https://host/a?token=***&x=1&sig=***');
  assert.equal(stripCredentials('not a url //u:p@host'), 'not a url //host');
});
