// One HTTP call as Go's http.Client makes it for Argo (redirects, Host override, basic
// auth from URL userinfo, sensitive headers dropped across domains), through the
// policy-guarded Agents, under one deadline, with bounded reading of the body. Shared by
// the http template executor and the http/artifactory artifact drivers.
import { STATUS_CODES } from 'node:http';
import { Transform } from 'node:stream';
import type { Readable, TransformCallback } from 'node:stream';
import type { Dispatcher } from 'undici';
import { StepAbort, type StepSignal } from '../signal.js';
import { sharedGuardedAgent } from './connector.js';
import type { HttpPolicyConfig } from './policy.js';
import { HttpCallError, describeCallFailure, displayUrl, urlErrorOp } from './transport-errors.js';
import type { CallEnd } from './transport-errors.js';

export const DEFAULT_MAX_REDIRECTS = 10;

/** A body that can be sent again after a 307/308, as Go's Request.GetBody allows. */
export type RequestBody = Uint8Array | { length: number; open(): Readable };

export interface HttpCall {
  method: string;
  url: string;
  /** Name/value pairs in order; a name may repeat (Go's Header.Add). Never a Host entry. */
  headers: ReadonlyArray<readonly [string, string]>;
  /** Go's Request.Host: the Host header sent instead of the URL's host. */
  hostHeader?: string;
  body?: RequestBody;
  insecureSkipVerify?: boolean;
  policy?: HttpPolicyConfig;
  /** Replaces the shared guarded Agent (e.g. one carrying a client certificate). */
  dispatcher?: Dispatcher;
  maxRedirects?: number;
  deadline: CallDeadline;
  /** Undici's own idle bounds; 0 leaves bounding to the deadline. Default: undici's 300 s. */
  idleTimeoutMs?: number;
}

export interface HttpAnswer {
  statusCode: number;
  /** Go's Response.Status, e.g. `404 Not Found`. */
  status: string;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
  /** The URL that answered, after redirects. */
  url: URL;
}

/** The step's timeout and the engine's abort signal as one signal, remembering which fired. */
export interface CallDeadline {
  readonly signal: StepAbort;
  end(): CallEnd;
  dispose(): void;
}

/**
 * The signal handed to undici, which accepts any EventTarget-like object with
 * `aborted`/`reason`, is a StepAbort: an AbortController per call cost more than the rest
 * of an http node's own work (see bench/http.bench.ts).
 */
export function startDeadline(parent: StepSignal | undefined, timeoutMs: number | undefined): CallDeadline {
  const signal = new StepAbort();
  let end: CallEnd;
  const finish = (why: 'deadline' | 'canceled') => {
    if (end !== undefined) return;
    end = why;
    signal.abort(new Error(why === 'deadline' ? 'context deadline exceeded' : 'context canceled'));
  };
  let unsubscribe: (() => void) | undefined;
  if (parent?.aborted) finish('canceled');
  else if (parent) unsubscribe = onParentAbort(parent, () => finish('canceled'));
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => finish('deadline'), timeoutMs);
  return {
    signal,
    end: () => end,
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe?.();
    },
  };
}

/**
 * A StepAbort (a step's own signal) gets the listener itself. Any other signal (an
 * AbortSignal) gets one 'abort' listener, fanning out to every call under it: a run-wide
 * signal with hundreds of parallel calls would otherwise trip Node's MaxListeners warning,
 * and add/removeEventListener per call is not free.
 */
const callsUnder = new WeakMap<StepSignal, Set<() => void>>();
function onParentAbort(parent: StepSignal, listener: () => void): () => void {
  if (parent instanceof StepAbort) {
    parent.addEventListener('abort', listener);
    return () => parent.removeEventListener('abort', listener);
  }
  let listeners = callsUnder.get(parent);
  if (!listeners) {
    const created = new Set<() => void>();
    listeners = created;
    callsUnder.set(parent, created);
    parent.addEventListener('abort', () => {
      for (const fn of created) fn();
      created.clear();
    }, { once: true });
  }
  listeners.add(listener);
  const registered = listeners;
  return () => registered.delete(listener);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Go's shouldCopyHeaderOnRedirect: these only follow a redirect to the same domain or a subdomain. */
const SENSITIVE = new Set(['authorization', 'www-authenticate', 'cookie', 'cookie2', 'proxy-authorization']);

// Parsed URLs by text: the nodes of a loop call the same URL, and parsing costs more than
// the rest of preparing a call. Shared objects, so nothing here may change one.
const urls = new Map<string, URL>();

function parsedUrl(text: string): URL {
  let url = urls.get(text);
  if (url === undefined) {
    url = new URL(text);
    if (urls.size >= 512) urls.clear();
    urls.set(text, url);
  }
  return url;
}

/** Sends the call, following redirects (each hop passes the policy gate again). */
export async function sendHttpRequest(call: HttpCall): Promise<HttpAnswer> {
  const firstMethod = call.method || 'GET';
  let method = firstMethod;
  let url: URL;
  try {
    url = parsedUrl(call.url);
  } catch (err) {
    throw new HttpCallError(`parse "${displayUrl(call.url)}": invalid URI for request`, 'invalid', { cause: err });
  }
  const invalid = invalidRequestText(firstMethod, call.headers, call.hostHeader);
  if (invalid !== undefined) {
    // Go rejects these before dialing; NewRequest's method error is not wrapped in a url.Error.
    const op = `${urlErrorOp(firstMethod)} "${displayUrl(url)}"`;
    const wrapped = invalid.startsWith('net/http: invalid method') ? invalid : `${op}: ${invalid}`;
    throw new HttpCallError(wrapped, 'invalid');
  }
  const initialHost = url.hostname;
  let headers = call.headers;
  let hostHeader = call.hostHeader;
  let body = call.body;
  const maxRedirects = call.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  for (let redirects = 0; ; redirects++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new HttpCallError(
        `${urlErrorOp(firstMethod)} "${displayUrl(url)}": unsupported protocol scheme "${url.protocol.slice(0, -1)}"`,
        'invalid',
      );
    }
    const answer = await sendOnce(call, method, url, headers, hostHeader, body);
    const location = answer.headers.location;
    if (!REDIRECTS.has(answer.statusCode) || typeof location !== 'string' || location === '') return answer;
    // 307/308 resend method and body; every RequestBody can be resent (Go: GetBody).
    const replayable = answer.statusCode === 307 || answer.statusCode === 308;
    // Not drained: a redirect's body is unbounded and unread; dropping the socket is cheaper.
    discardBody(answer.body);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch (err) {
      const text = `${urlErrorOp(firstMethod)} "${displayUrl(url)}": failed to parse Location header "${location}"`;
      throw new HttpCallError(text, 'transport', { cause: err });
    }
    if (redirects >= maxRedirects) {
      throw new HttpCallError(`${urlErrorOp(firstMethod)} "${displayUrl(next)}": stopped after ${maxRedirects} redirects`, 'redirects');
    }
    // 301/302/303 turn anything but GET and HEAD into a body-less GET, as Go's redirectBehavior.
    if (!replayable && method !== 'GET' && method !== 'HEAD') {
      method = 'GET';
      body = undefined;
      headers = headers.filter(([name]) => !/^content-(type|length)$/i.test(name));
    }
    if (!isDomainOrSubdomain(next.hostname, initialHost)) {
      headers = headers.filter(([name]) => !SENSITIVE.has(name.toLowerCase()));
    }
    // Go keeps a custom Host only for relative redirects, which stay on the same server.
    if (hostHeader !== undefined && /^[a-z][a-z0-9+.-]*:|^\/\//i.test(location)) hostHeader = undefined;
    url = next;
  }
}

async function sendOnce(
  call: HttpCall,
  method: string,
  url: URL,
  headers: ReadonlyArray<readonly [string, string]>,
  hostHeader: string | undefined,
  body: RequestBody | undefined,
): Promise<HttpAnswer> {
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  if (hostHeader !== undefined && hostHeader !== '') flat.push('host', hostHeader);
  let target = url;
  if (url.username !== '' || url.password !== '') {
    // Go sends URL userinfo as basic auth unless an Authorization header is set, per hop.
    if (!headers.some(([n]) => n.toLowerCase() === 'authorization')) {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      flat.push('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
    }
    target = new URL(url.href);
    target.username = '';
    target.password = '';
  }
  if (!flat.some((entry, i) => i % 2 === 0 && entry.toLowerCase() === 'user-agent')) flat.push('user-agent', 'weft-http/1');
  let payload: Uint8Array | Readable | undefined;
  if (body instanceof Uint8Array) {
    payload = body.length > 0 ? body : undefined;
  } else if (body !== undefined) {
    payload = body.open();
    if (!flat.some((entry, i) => i % 2 === 0 && entry.toLowerCase() === 'content-length')) {
      flat.push('content-length', String(body.length));
    }
  }
  try {
    // The dispatcher's own request(): undici's top-level request() would parse the URL and
    // read its origin again on every call.
    const dispatcher = call.dispatcher ?? sharedGuardedAgent(call.policy, call.insecureSkipVerify ?? false);
    const { origin, path } = originAndPath(target);
    const options: Dispatcher.RequestOptions = {
      origin,
      path,
      method: method as Dispatcher.HttpMethod,
      headers: flat,
      body: payload,
      signal: call.deadline.signal,
    };
    if (call.idleTimeoutMs !== undefined) {
      options.headersTimeout = call.idleTimeoutMs;
      options.bodyTimeout = call.idleTimeoutMs;
    }
    const response = await dispatcher.request(options);
    const reason = STATUS_CODES[response.statusCode];
    return {
      statusCode: response.statusCode,
      status: reason === undefined ? String(response.statusCode) : `${response.statusCode} ${reason}`,
      headers: response.headers,
      body: response.body,
      url,
    };
  } catch (err) {
    if (payload !== undefined && !(payload instanceof Uint8Array)) payload.destroy();
    throw describeCallFailure(err, call.method || 'GET', url, call.deadline.end());
  }
}

const parts = new WeakMap<URL, { origin: string; path: string }>();

/** What undici's request() takes from a URL, once per (cached, never changed) URL object. */
function originAndPath(url: URL): { origin: string; path: string } {
  let known = parts.get(url);
  if (known === undefined) {
    known = { origin: url.origin, path: url.search ? `${url.pathname}${url.search}` : url.pathname };
    parts.set(url, known);
  }
  return known;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Go's httpguts.ValidHeaderFieldValue: no control bytes other than horizontal tab.
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;

/** Go's checks of method, header names and values (in net/http's words), or undefined. */
function invalidRequestText(method: string, headers: HttpCall['headers'], hostHeader: string | undefined): string | undefined {
  if (!TOKEN.test(method)) return `net/http: invalid method ${JSON.stringify(method)}`;
  for (const [name, value] of headers) {
    if (!TOKEN.test(name)) return `net/http: invalid header field name ${JSON.stringify(name)}`;
    if (BAD_VALUE.test(value)) return `net/http: invalid header field value for ${JSON.stringify(name)}`;
  }
  if (hostHeader !== undefined && BAD_VALUE.test(hostHeader)) return `http: invalid Host header`;
  return undefined;
}

function isDomainOrSubdomain(sub: string, parent: string): boolean {
  return sub === parent || sub.endsWith(`.${parent}`);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/**
 * Reads the whole body, refusing more than maxBytes: a declared Content-Length over the
 * cap fails before reading, a stream that keeps going fails at the first byte too many.
 */
export async function readBodyCapped(
  answer: HttpAnswer,
  maxBytes: number,
  method: string,
  deadline: CallDeadline,
  limitName = 'weft.yaml executor.http.maxResponseBytes',
): Promise<Buffer> {
  const tooLarge = () =>
    new HttpCallError(
      `${urlErrorOp(method)} "${displayUrl(answer.url)}": response body larger than ${formatBytes(maxBytes)} (${limitName})`,
      'too-large',
    );
  const declared = Number(answer.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discardBody(answer.body);
    throw tooLarge();
  }
  // Plain 'data' events: an async iterator per response costs more than the read itself.
  const body = answer.body;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      body.destroy();
      reject(describeCallFailure(err, method, answer.url, deadline.end()));
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) fail(tooLarge());
      else chunks.push(chunk);
    };
    body.on('data', onData);
    body.once('error', fail);
    body.once('end', () => {
      settled = true;
      resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, total));
    });
    // A body destroyed without an error (never expected from undici) must not hang the node.
    body.once('close', () => {
      if (!settled) fail(new Error('unexpected EOF'));
    });
  });
}

/**
 * Drops a body we will not read. undici reports a destroyed unread body as an 'error'
 * (RequestAbortedError); nobody waits for it, so it must not become an uncaught exception.
 */
export function discardBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** A pass-through that errors once more than maxBytes went through (streaming downloads). */
export function byteLimit(maxBytes: number, makeError: () => Error): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      total += chunk.length;
      if (total > maxBytes) done(makeError());
      else done(null, chunk);
    },
  });
}
