// Input artifacts fetched from, and output artifacts PUT to, `http` and `artifactory`
// locations, as Argo's workflow/artifacts/http driver does: GET streamed to the step's
// path (capped), PUT of one file, basic auth / client certificate / OAuth2 client
// credentials from Secrets. Calls go through core/executors/http's guarded client, so
// the executor.http allow/deny policy and redirect checks apply here too.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Agent } from 'undici';
import { OperationalError } from '../../spec/index.js';
import type { Artifact } from '../../spec/index.js';
import type { ValueSources } from '../types.js';
import {
  HttpCallError,
  SecretLookupError,
  SecretRedactor,
  byteLimit,
  createGuardedAgent,
  discardBody,
  displayUrl,
  formatBytes,
  lookupSecret,
  readBodyCapped,
  sendHttpRequest,
  startDeadline,
} from '../http/index.js';
import type { CallDeadline, HttpAnswer, HttpPolicyConfig, RequestBody, SecretRef } from '../http/index.js';

export const ARTIFACT_HTTP_ERROR = 'WEFT_E_ARTIFACT_HTTP';
/** Large enough for tool binaries and data sets; a runaway server cannot fill the disk. */
export const DEFAULT_MAX_ARTIFACT_BYTES = 1024 * 1024 * 1024;

export interface HttpArtifactContext {
  values: ValueSources;
  signal: AbortSignal;
  policy?: HttpPolicyConfig;
  /** Download cap (default 1 GiB). */
  maxBytes?: number;
}

interface Target {
  url: URL;
  /** The URL as it may appear in messages: no userinfo, credential-looking query values masked. */
  shown: string;
  headers: Array<[string, string]>;
  dispatcher?: Agent;
}

/** Downloads the artifact's http/artifactory URL to hostDestPath; throws OperationalError(WEFT_E_ARTIFACT_HTTP). */
export async function downloadHttpArtifact(artifact: Artifact, hostDestPath: string, ctx: HttpArtifactContext): Promise<void> {
  const redactor = new SecretRedactor();
  const deadline = startDeadline(ctx.signal, undefined);
  let target: Target | undefined;
  let wrote = false;
  try {
    target = await resolveTarget(artifact, ctx, redactor, deadline);
    const answer = await sendHttpRequest({
      method: 'GET',
      url: target.url.href,
      headers: target.headers,
      policy: ctx.policy,
      dispatcher: target.dispatcher,
      deadline,
    });
    if (answer.statusCode < 200 || answer.statusCode >= 300) {
      discardBody(answer.body);
      throw new OperationalError(ARTIFACT_HTTP_ERROR, `loading content from ${target.shown} failed with reason: ${answer.status}`);
    }
    const max = ctx.maxBytes ?? DEFAULT_MAX_ARTIFACT_BYTES;
    const shown = target.shown;
    const tooLarge = () =>
      new OperationalError(
        ARTIFACT_HTTP_ERROR,
        `loading content from ${shown} failed: larger than ${formatBytes(max)} (artifact download limit)`,
      );
    const declared = Number(answer.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      discardBody(answer.body);
      throw tooLarge();
    }
    await mkdir(path.dirname(hostDestPath), { recursive: true });
    wrote = true;
    await pipeline(answer.body, byteLimit(max, tooLarge), createWriteStream(hostDestPath));
  } catch (err) {
    if (wrote) await rm(hostDestPath, { force: true });
    throw artifactError(err, 'loading content from', target, artifact, redactor, deadline);
  } finally {
    deadline.dispose();
    await target?.dispatcher?.close();
  }
}

/** PUTs the file at hostSrcPath to the artifact's http/artifactory URL, as Argo's driver Save. */
export async function uploadHttpArtifact(artifact: Artifact, hostSrcPath: string, ctx: HttpArtifactContext): Promise<void> {
  const redactor = new SecretRedactor();
  const deadline = startDeadline(ctx.signal, undefined);
  let target: Target | undefined;
  const what = `saving file ${hostSrcPath} to`;
  try {
    target = await resolveTarget(artifact, ctx, redactor, deadline);
    const info = await stat(hostSrcPath);
    if (info.isDirectory()) {
      const text = `${what} ${target.shown} failed: ${hostSrcPath} is a directory; archive it into one file first`;
      throw new OperationalError(ARTIFACT_HTTP_ERROR, text);
    }
    const body: RequestBody = { length: info.size, open: () => createReadStream(hostSrcPath) };
    const answer: HttpAnswer = await sendHttpRequest({
      method: 'PUT',
      url: target.url.href,
      headers: target.headers,
      body,
      policy: ctx.policy,
      dispatcher: target.dispatcher,
      deadline,
    });
    discardBody(answer.body);
    if (answer.statusCode < 200 || answer.statusCode >= 300) {
      throw new OperationalError(ARTIFACT_HTTP_ERROR, `${what} ${target.shown} failed with reason: ${answer.status}`);
    }
  } catch (err) {
    throw artifactError(err, what, target, artifact, redactor, deadline);
  } finally {
    deadline.dispose();
    await target?.dispatcher?.close();
  }
}

async function resolveTarget(
  artifact: Artifact,
  ctx: HttpArtifactContext,
  redactor: SecretRedactor,
  deadline: CallDeadline,
): Promise<Target> {
  const where = `artifact "${artifact.name}"`;
  const secret = (ref: SecretRef | undefined, field: string): string => {
    if (!ref) return '';
    const value = lookupSecret(ctx.values, ref, `${where}.${field}`) ?? '';
    redactor.remember(value);
    return value;
  };
  if ((artifact.http === undefined) === (artifact.artifactory === undefined)) {
    throw new OperationalError(ARTIFACT_HTTP_ERROR, `${where}: either artifactory or http needs to be configured`);
  }
  const target = parseTarget(artifact.http?.url ?? artifact.artifactory?.url ?? '', where);
  if (artifact.artifactory) {
    // Argo always sends basic auth to Artifactory.
    const user = secret(artifact.artifactory.usernameSecret, 'artifactory.usernameSecret');
    const password = secret(artifact.artifactory.passwordSecret, 'artifactory.passwordSecret');
    target.headers.push(basicAuth(user, password, redactor));
    return target;
  }
  const http = artifact.http;
  if (!http) return target; // unreachable: checked above; keeps the type narrow without `!`
  for (const header of http.headers ?? []) target.headers.push([header.name, header.value]);
  const auth = http.auth;
  const user = secret(auth?.basicAuth?.usernameSecret, 'http.auth.basicAuth.usernameSecret');
  const password = secret(auth?.basicAuth?.passwordSecret, 'http.auth.basicAuth.passwordSecret');
  if (user !== '' && password !== '') target.headers.push(basicAuth(user, password, redactor));
  const cert = auth?.clientCert;
  if (cert?.clientCertSecret && cert.clientKeySecret) {
    const pem = secret(cert.clientCertSecret, 'http.auth.clientCert.clientCertSecret');
    const key = secret(cert.clientKeySecret, 'http.auth.clientCert.clientKeySecret');
    target.dispatcher = createGuardedAgent({ policy: ctx.policy, clientCert: { cert: pem, key } });
  }
  const oauth = auth?.oauth2;
  if (oauth?.clientIDSecret && oauth.clientSecretSecret && oauth.tokenURLSecret) {
    const token = await fetchClientCredentialsToken(
      {
        clientId: secret(oauth.clientIDSecret, 'http.auth.oauth2.clientIDSecret'),
        clientSecret: secret(oauth.clientSecretSecret, 'http.auth.oauth2.clientSecretSecret'),
        tokenUrl: secret(oauth.tokenURLSecret, 'http.auth.oauth2.tokenURLSecret'),
        scopes: oauth.scopes ?? [],
        params: (oauth.endpointParams ?? []).map((p): [string, string] => [p.key, p.value ?? '']),
      },
      ctx.policy,
      deadline,
      target.dispatcher,
    );
    redactor.remember(token.value);
    target.headers.push(['Authorization', `${token.type} ${token.value}`]);
  }
  return target;
}

function parseTarget(raw: string, where: string): Target {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OperationalError(ARTIFACT_HTTP_ERROR, `${where}: "${stripCredentials(raw)}" is not a URL`);
  }
  const headers: Array<[string, string]> = [];
  // URL userinfo becomes basic auth up front, so no message ever carries it.
  if (url.username !== '' || url.password !== '') {
    headers.push(basicAuthHeader(decodeURIComponent(url.username), decodeURIComponent(url.password)));
    url.username = '';
    url.password = '';
  }
  return { url, shown: stripCredentials(url.href), headers };
}

function basicAuth(user: string, password: string, redactor: SecretRedactor): [string, string] {
  const header = basicAuthHeader(user, password);
  redactor.remember(header[1].slice('Basic '.length));
  return header;
}

function basicAuthHeader(user: string, password: string): [string, string] {
  return ['Authorization', `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`];
}

const CREDENTIAL_PARAM = /sig|signature|token|secret|password|passwd|credential|key|auth/i;

/** No userinfo; the values of query parameters that look like credentials (presigned URLs) masked. */
export function stripCredentials(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.replace(/\/\/[^/@]*@/, '//');
  }
  url.username = '';
  url.password = '';
  for (const name of [...url.searchParams.keys()]) {
    if (CREDENTIAL_PARAM.test(name)) url.searchParams.set(name, '***');
  }
  return url.href;
}

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  scopes: string[];
  params: Array<[string, string]>;
}

/**
 * OAuth2 client-credentials grant as golang.org/x/oauth2/clientcredentials with
 * AuthStyleAutoDetect: client id/secret as basic auth first, then in the form body.
 */
async function fetchClientCredentialsToken(
  creds: ClientCredentials,
  policy: HttpPolicyConfig | undefined,
  deadline: CallDeadline,
  dispatcher: Agent | undefined,
): Promise<{ type: string; value: string }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (creds.scopes.length > 0) form.set('scope', creds.scopes.join(' '));
  for (const [key, value] of creds.params) form.append(key, value);
  const attempts: Array<{ headers: Array<[string, string]>; form: URLSearchParams }> = [
    { headers: [basicAuthHeader(encodeURIComponent(creds.clientId), encodeURIComponent(creds.clientSecret))], form },
    { headers: [], form: new URLSearchParams([...form, ['client_id', creds.clientId], ['client_secret', creds.clientSecret]]) },
  ];
  let status = '';
  for (const attempt of attempts) {
    const answer = await sendHttpRequest({
      method: 'POST',
      url: creds.tokenUrl,
      headers: [...attempt.headers, ['Content-Type', 'application/x-www-form-urlencoded']],
      body: Buffer.from(attempt.form.toString()),
      policy,
      dispatcher,
      deadline,
    });
    const text = (await readBodyCapped(answer, 1024 * 1024, 'POST', deadline, 'OAuth2 token response limit')).toString('utf8');
    status = answer.status;
    if (answer.statusCode < 200 || answer.statusCode >= 300) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // JSON.parse quotes the text it choked on, which may be the token itself.
      throw new Error(`oauth2: cannot parse the token response of ${stripCredentials(creds.tokenUrl)}`);
    }
    if (typeof parsed === 'object' && parsed !== null && 'access_token' in parsed && typeof parsed.access_token === 'string') {
      const type = 'token_type' in parsed && typeof parsed.token_type === 'string' ? parsed.token_type : '';
      return { type: type === '' || type.toLowerCase() === 'bearer' ? 'Bearer' : type, value: parsed.access_token };
    }
    throw new Error('oauth2: server response missing access_token');
  }
  throw new Error(`oauth2: cannot fetch token: ${status}`);
}

function artifactError(
  err: unknown,
  what: string,
  target: Target | undefined,
  artifact: Artifact,
  redactor: SecretRedactor,
  deadline: CallDeadline,
): OperationalError {
  const shown = target?.shown ?? `artifact "${artifact.name}"`;
  if (err instanceof OperationalError) return new OperationalError(err.code, redactor.redact(err.message), { cause: err.cause });
  if (err instanceof SecretLookupError) return new OperationalError(ARTIFACT_HTTP_ERROR, err.message, { path: err.path });
  let text = err instanceof Error ? err.message : String(err);
  if (target) text = text.split(displayUrl(target.url)).join(target.shown);
  if (deadline.end() === 'canceled' && !(err instanceof HttpCallError)) text = 'context canceled';
  // Only transport errors keep their cause: others may quote response text.
  const cause = err instanceof HttpCallError ? err : undefined;
  return new OperationalError(ARTIFACT_HTTP_ERROR, redactor.redact(`${what} ${shown} failed: ${text}`), { cause });
}
