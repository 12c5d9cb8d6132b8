// Public surface of core/executors/http: the `http` template executor, the network
// policy it and the http artifact drivers share, and the guarded client both use.
export { createHttpExecutor, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_SECONDS } from './executor.js';
export type { HttpExecutorOptions, HttpLogger } from './executor.js';
export { decideHttpTarget, compileHttpPolicy, httpPolicyKey, HTTP_POLICY_ERROR } from './policy.js';
export type { HttpPolicyConfig, HttpTargetDecision, CompiledHttpPolicy } from './policy.js';
export { canonicalHeaderKey, toGoHeader, templateRequestHeaders } from './headers.js';
export {
  sendHttpRequest,
  readBodyCapped,
  byteLimit,
  discardBody,
  startDeadline,
  formatBytes,
  DEFAULT_MAX_REDIRECTS,
} from './client.js';
export type { HttpCall, HttpAnswer, CallDeadline, RequestBody } from './client.js';
export { createGuardedAgent, sharedGuardedAgent, HttpPolicyError } from './connector.js';
export { HttpCallError, displayUrl } from './transport-errors.js';
export { lookupSecret, SecretLookupError, SecretRedactor } from './secrets.js';
export type { SecretRef } from './secrets.js';
