// The `http` template kind, in-process: what Argo's agent pod does for an HTTP node
// (workflow/executor/agent.go executeHTTPTemplate), with a bounded body, a network
// policy and secret scrubbing on top. One call per execute(); retries, loops and
// deadlines are the engine's business.
import type { HTTPTemplate, Outputs } from '../../spec/index.js';
import type { StepExecutor, StepOutcome, StepRequest } from '../types.js';
import { readBodyCapped, sendHttpRequest, startDeadline } from './client.js';
import type { HttpAnswer, RequestBody } from './client.js';
import { templateRequestHeaders, toGoHeader } from './headers.js';
import { compileHttpPolicy } from './policy.js';
import type { HttpPolicyConfig } from './policy.js';
import { SecretLookupError, SecretRedactor, lookupSecret } from './secrets.js';
import { HttpCallError, displayUrl } from './transport-errors.js';

type LogFn = (fields: Record<string, unknown>, message: string) => void;
export interface HttpLogger {
  info: LogFn;
  warn: LogFn;
  debug: LogFn;
}

export interface HttpExecutorOptions {
  /**
   * core/expr's expr-lang evaluator, injected so executors do not import core/expr. The
   * scope follows its Go value model: ints (statusCode, bytes) are bigint, so
   * `response.statusCode % 100` works as in Argo.
   */
  evaluate: (source: string, env: Record<string, unknown>) => unknown;
  policy?: HttpPolicyConfig;
  /** Largest response body kept as outputs.result (default 4 MiB). */
  maxResponseBytes?: number;
  /** Redirects followed per call (default 10, as Go's http.Client). */
  maxRedirects?: number;
  logger?: HttpLogger;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const NO_BODY = new Uint8Array(0);
/**
 * Argo's field doc says "Default is 30 seconds" though its agent sets no timeout when the
 * field is absent; a forgotten field should not hang a node forever, so 30 s it is.
 */
export const DEFAULT_TIMEOUT_SECONDS = 30;

/** The redactor of calls without secret headers (most): shared, so it must never learn one. */
class NoSecrets extends SecretRedactor {
  override remember(): void {
    throw new Error('http executor: a call with secret headers needs its own SecretRedactor');
  }
}
const NO_SECRETS = new NoSecrets();

export function createHttpExecutor(opts: HttpExecutorOptions): StepExecutor {
  const maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  // A bad allow/deny entry fails here, when weft.yaml is loaded, not at the first call.
  compileHttpPolicy(opts.policy);
  return {
    name: 'http',
    async execute(request: StepRequest): Promise<StepOutcome> {
      const spec = request.template.http;
      if (!spec) return { phase: 'Error', message: `template "${request.template.name ?? ''}" has no http field` };
      const redactor = spec.headers?.some((h) => h.valueFrom?.secretKeyRef) ? new SecretRedactor() : NO_SECRETS;
      const started = opts.logger ? performance.now() : 0;
      let outcome: StepOutcome;
      try {
        outcome = await callTemplate(spec, request, redactor, opts, maxResponseBytes);
      } catch (err) {
        if (!(err instanceof SecretLookupError)) throw err;
        outcome = { phase: 'Error', message: err.message };
      }
      const log = outcome.phase === 'Succeeded' ? opts.logger?.info : opts.logger?.warn;
      log?.(
        {
          workflow: request.workflow.name,
          node: request.node.id,
          method: spec.method || 'GET',
          url: redactor.redact(displayUrl(spec.url)),
          phase: outcome.phase,
          message: outcome.message,
          ms: Math.round(performance.now() - started),
        },
        'http template finished',
      );
      return outcome;
    },
  };
}

async function callTemplate(
  spec: HTTPTemplate,
  request: StepRequest,
  redactor: SecretRedactor,
  opts: HttpExecutorOptions,
  maxResponseBytes: number,
): Promise<StepOutcome> {
  const headers: Array<[string, string]> = [];
  let hostHeader: string | undefined;
  (spec.headers ?? []).forEach((header, i) => {
    let value = header.value ?? '';
    const ref = header.valueFrom?.secretKeyRef;
    if (ref) {
      const secret = lookupSecret(request.values, ref, `http.headers[${i}].valueFrom.secretKeyRef`);
      if (secret === undefined) return;
      redactor.remember(secret);
      value = secret;
    }
    // As Argo: a Host header is not a header but the request's host.
    if (header.name.toLowerCase() === 'host') hostHeader = value;
    else headers.push([header.name, value]);
  });
  const bodyBytes = spec.bodyFrom?.bytes === undefined ? undefined : Buffer.from(spec.bodyFrom.bytes, 'base64');
  const body: RequestBody | undefined = spec.bodyFrom ? bodyBytes : spec.body ? Buffer.from(spec.body, 'utf8') : NO_BODY;
  const method = spec.method || 'GET';
  const seconds = spec.timeoutSeconds !== undefined && spec.timeoutSeconds > 0 ? spec.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
  const deadline = startDeadline(request.signal, seconds * 1000);
  let statusCode: number;
  let rawHeaders: HttpAnswer['headers'];
  let text: string;
  try {
    const answer = await sendHttpRequest({
      method,
      url: spec.url,
      headers,
      hostHeader,
      body,
      insecureSkipVerify: spec.insecureSkipVerify ?? false,
      policy: opts.policy,
      maxRedirects: opts.maxRedirects,
      deadline,
      idleTimeoutMs: 0,
    });
    statusCode = answer.statusCode;
    rawHeaders = answer.headers;
    text = (await readBodyCapped(answer, maxResponseBytes, method, deadline)).toString('utf8');
  } catch (err) {
    if (!(err instanceof HttpCallError)) throw err;
    return { phase: 'Failed', message: redactor.redact(err.message) };
  } finally {
    deadline.dispose();
  }

  const outputs: Outputs = { result: redactor.redact(text) };
  const condition = spec.successCondition ?? '';
  if (condition === '') {
    if (statusCode >= 200 && statusCode < 300) return { phase: 'Succeeded', outputs };
    return { phase: 'Failed', message: `received non-2xx response code: ${statusCode}`, outputs };
  }
  const scope = {
    request: {
      method: spec.method ?? '',
      url: spec.url,
      body: spec.body ?? '',
      bodyBytes: bodyBytes === undefined ? null : Array.from(bodyBytes, (b) => BigInt(b)),
      headers: templateRequestHeaders(spec.headers ?? []),
    },
    response: { statusCode: BigInt(statusCode), body: text, headers: toGoHeader(rawHeaders) },
  };
  const verdict = evaluateCondition(opts.evaluate, condition, scope);
  if (verdict === true) return { phase: 'Succeeded', outputs };
  const message = verdict === false ? `successCondition '${condition}' evaluated false` : verdict.error;
  return { phase: 'Failed', message: redactor.redact(message), outputs };
}

/** Argo's argoexpr.EvalBool, error texts included. */
function evaluateCondition(
  evaluate: HttpExecutorOptions['evaluate'],
  condition: string,
  scope: Record<string, unknown>,
): boolean | { error: string } {
  let result: unknown;
  try {
    result = evaluate(condition, scope);
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    // core/expr's messages already quote the expression; Argo's wrapping would say it twice.
    return { error: text.includes(condition) ? text : `unable to evaluate expression '${condition}': ${text}` };
  }
  if (typeof result === 'boolean') return result;
  return { error: `unable to cast expression result '${String(result)}' to bool` };
}
