// Failure text for HTTP calls in the words of Go's net/http, because Argo users match
// on node messages such as `Get "http://x/": context deadline exceeded` (see
// workflow/executor/agent.go: the agent puts err.Error() into the node message).
import { HttpPolicyError } from './connector.js';

/** Why a call ended early, as far as the caller's deadline knows. */
export type CallEnd = 'deadline' | 'canceled' | undefined;

/** A failed call; `message` is the complete, Go-shaped text (no secrets: URLs are redacted). */
export class HttpCallError extends Error {
  constructor(
    message: string,
    readonly reason: 'policy' | 'deadline' | 'canceled' | 'transport' | 'redirects' | 'too-large' | 'invalid',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpCallError';
  }
}

/** Go's url.Error op: the method with only its first letter upper-case (`Get`, `Post`). */
export function urlErrorOp(method: string): string {
  return method.slice(0, 1).toUpperCase() + method.slice(1).toLowerCase();
}

/** Go's stripPassword: `http://user:***@host/`; the user name stays, as in Go's messages. */
export function displayUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : new URL(url.href);
  } catch {
    return String(url);
  }
  if (parsed.password !== '') parsed.password = '***';
  return parsed.href;
}

/** Wraps whatever undici or the connector threw into the Go-shaped message for `method url`. */
export function describeCallFailure(err: unknown, method: string, url: URL | string, end: CallEnd): HttpCallError {
  if (err instanceof HttpCallError) return err;
  const prefix = `${urlErrorOp(method)} "${displayUrl(url)}": `;
  if (end === 'deadline') return new HttpCallError(prefix + 'context deadline exceeded', 'deadline', { cause: err });
  if (end === 'canceled') return new HttpCallError(prefix + 'context canceled', 'canceled', { cause: err });
  const policy = findPolicyError(err);
  if (policy) return new HttpCallError(prefix + policy.message, 'policy', { cause: err });
  return new HttpCallError(prefix + goTransportText(err), 'transport', { cause: err });
}

function findPolicyError(err: unknown): HttpPolicyError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof HttpPolicyError) return e;
  }
  return undefined;
}

interface NodeNetError extends Error {
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
  reason?: string;
}

const UNKNOWN_AUTHORITY = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

/** The part after `Get "url": ` that Go would print for the same failure. */
function goTransportText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e: NodeNetError = err;
  const at = e.address !== undefined ? ` ${hostPort(e.address, e.port)}` : '';
  switch (e.code) {
    case 'ECONNREFUSED':
      return `dial tcp${at}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp${at}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp${at}: connect: network is unreachable`;
    case 'ENOTFOUND':
      return `dial tcp: lookup ${e.hostname ?? ''}: no such host`;
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${e.hostname ?? ''}: server misbehaving`;
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'dial tcp: i/o timeout';
    case 'ECONNRESET':
      return 'read: connection reset by peer';
    case 'UND_ERR_SOCKET':
      return 'EOF';
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: ${e.reason ?? e.message}`;
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return 'tls: first record does not look like a TLS handshake';
    default:
      if (e.code !== undefined && UNKNOWN_AUTHORITY.has(e.code)) {
        return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
      }
      return e.message;
  }
}

function hostPort(address: string, port: number | undefined): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return port === undefined ? host : `${host}:${port}`;
}
