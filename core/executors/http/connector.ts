// The undici Agents every Weft HTTP call goes through. The policy check lives in the
// socket connector: it resolves the host itself, judges every address, then dials the
// judged address (TLS keeps the URL host as SNI and for certificate checks). So there is
// no window between check and connect for DNS rebinding, pooled sockets were all checked
// when they were opened, and every redirect hop passes the same gate.
import dns from 'node:dns';
import net from 'node:net';
import { Agent, buildConnector } from 'undici';
import { compileHttpPolicy, httpPolicyKey, NO_POLICY } from './policy.js';
import type { CompiledHttpPolicy, HttpPolicyConfig, HttpTargetDecision } from './policy.js';

/** Go's net.Dialer default in http.DefaultTransport; the step's own timeout usually ends it first. */
const CONNECT_TIMEOUT_MS = 30_000;

/** A call the policy refused; `decision` says which rule. */
export class HttpPolicyError extends Error {
  readonly code = 'WEFT_E_HTTP_POLICY';
  constructor(
    readonly hostname: string,
    readonly decision: HttpTargetDecision,
  ) {
    const about = decision.address && decision.address !== hostname ? ` (${decision.address})` : '';
    const why = decision.rule === 'not in allow list' ? 'is not in the allow list' : `matches "${decision.rule}"`;
    super(`refused by weft.yaml executor.http: ${hostname}${about} ${why}`);
    this.name = 'HttpPolicyError';
  }
}

export interface GuardedAgentOptions {
  policy?: HttpPolicyConfig;
  insecureSkipVerify?: boolean;
  /** PEM client certificate and key (http artifacts' auth.clientCert). */
  clientCert?: { cert: string; key: string };
}

const shared = new Map<string, Agent>();
// The Agent of a policy object, per insecureSkipVerify: a call then builds no key text.
const byPolicy = new WeakMap<HttpPolicyConfig, [Agent | undefined, Agent | undefined]>();

/**
 * One keep-alive Agent per (policy, insecureSkipVerify), as Argo keeps one client per
 * insecureSkipVerify value; reusing it is what makes a thousand calls cheap.
 */
export function sharedGuardedAgent(policy: HttpPolicyConfig = NO_POLICY, insecureSkipVerify = false): Agent {
  let known = byPolicy.get(policy);
  if (!known) {
    known = [undefined, undefined];
    byPolicy.set(policy, known);
  }
  const slot = insecureSkipVerify ? 1 : 0;
  let agent = known[slot];
  if (!agent) {
    const key = `${insecureSkipVerify}:${httpPolicyKey(policy)}`;
    agent = shared.get(key);
    if (!agent) {
      agent = createGuardedAgent({ policy, insecureSkipVerify });
      shared.set(key, agent);
    }
    known[slot] = agent;
  }
  return agent;
}

/** A fresh Agent; the caller closes it (used for per-call client certificates). */
export function createGuardedAgent(options: GuardedAgentOptions): Agent {
  const policy = compileHttpPolicy(options.policy);
  const dial = buildConnector({
    rejectUnauthorized: !options.insecureSkipVerify,
    timeout: CONNECT_TIMEOUT_MS,
    ...(options.clientCert ?? {}),
  });
  return new Agent({ connect: guardedConnector(policy, dial) });
}

function guardedConnector(policy: CompiledHttpPolicy, dial: buildConnector.connector): buildConnector.connector {
  return (options, callback) => {
    const hostname = options.hostname;
    resolveAll(hostname).then(
      (addresses) => {
        const decision = policy.decide(hostname, addresses);
        if (!decision.allowed) {
          callback(new HttpPolicyError(hostname, decision), null);
          return;
        }
        // SNI must be a name (RFC 6066); for IP URLs Node verifies the IP SAN via host.
        const servername = net.isIP(hostname) === 0 ? hostname : '';
        dialInOrder(dial, { ...options, servername }, addresses, 0, callback);
      },
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null),
    );
  };
}

/** As Go's dialSerial: try each checked address until one connects. */
function dialInOrder(
  dial: buildConnector.connector,
  options: buildConnector.Options,
  addresses: readonly string[],
  index: number,
  callback: buildConnector.Callback,
): void {
  const address = addresses[index];
  if (address === undefined) {
    callback(new Error(`no address for ${options.hostname}`), null);
    return;
  }
  dial({ ...options, hostname: address }, (...result) => {
    if (result[0] === null) {
      callback(null, result[1]);
    } else if (index + 1 < addresses.length && isDialFailure(result[0])) {
      dialInOrder(dial, options, addresses, index + 1, callback);
    } else {
      callback(result[0], null);
    }
  });
}

function isDialFailure(err: Error): boolean {
  const code = 'code' in err ? err.code : undefined;
  return code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

async function resolveAll(hostname: string): Promise<string[]> {
  if (net.isIP(hostname) !== 0) return [hostname];
  const found = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => entry.address);
}
