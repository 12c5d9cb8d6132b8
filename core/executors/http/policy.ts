// Which network targets http templates and http artifacts may reach: weft.yaml
// `executor.http: {allow, deny}` (host globs, IPs, CIDRs) on top of built-in denies for
// link-local and cloud-metadata addresses. Argo has no such guard; an http step is a
// server-side request made on behalf of whoever wrote the workflow, so Weft adds one.
import net from 'node:net';
import { UserError } from '../../spec/index.js';

export const HTTP_POLICY_ERROR = 'WEFT_E_HTTP_POLICY';

export interface HttpPolicyConfig {
  /** When non-empty, only targets matching an entry are reachable. */
  allow?: string[];
  /** Targets matching an entry are never reachable; deny wins over allow. */
  deny?: string[];
}

export interface HttpTargetDecision {
  allowed: boolean;
  /** The rule that decided, e.g. `deny 10.0.0.0/8`, `default deny 169.254.0.0/16`, `default allow`. */
  rule: string;
  /** The resolved address the rule was about, when it was about one. */
  address?: string;
}

/**
 * Metadata services answer on these and hand out cloud credentials; they are refused
 * unless an allow entry names the address (or a CIDR covering it) or the exact host.
 * A wildcard allow such as `*` does not lift them: that would make the default useless.
 */
const DEFAULT_DENY = ['169.254.0.0/16', 'fd00:ec2::254'];

type Rule =
  | { kind: 'host'; text: string; pattern: RegExp; wildcard: boolean }
  | { kind: 'ip'; text: string; block: net.BlockList };

export interface CompiledHttpPolicy {
  /** Decision over the URL's host name and every address it resolved to. */
  decide(hostname: string, addresses: readonly string[]): HttpTargetDecision;
}

const compiled = new Map<string, CompiledHttpPolicy>();
const keys = new WeakMap<HttpPolicyConfig, string>();
/** The policy of a call given none: the built-in denials only. */
export const NO_POLICY: HttpPolicyConfig = {};

/**
 * A key equal for equal lists, so callers that rebuild the config object per call still
 * share one compiled policy (and one connection pool, see connector.ts).
 */
export function httpPolicyKey(policy: HttpPolicyConfig = NO_POLICY): string {
  let key = keys.get(policy);
  if (key === undefined) {
    key = JSON.stringify([policy.allow ?? [], policy.deny ?? []]);
    keys.set(policy, key);
  }
  return key;
}

/**
 * Compiles the rules once per distinct policy. Throws UserError(WEFT_E_HTTP_POLICY) naming
 * the entry that is no host, IP or CIDR, so the composition root fails at start-up.
 */
export function compileHttpPolicy(policy: HttpPolicyConfig = NO_POLICY): CompiledHttpPolicy {
  const key = httpPolicyKey(policy);
  const cached = compiled.get(key);
  if (cached) return cached;
  const allow = (policy.allow ?? []).map((entry, i) => parseRule(entry, `executor.http.allow[${i}]`));
  const deny = (policy.deny ?? []).map((entry, i) => parseRule(entry, `executor.http.deny[${i}]`));
  const defaults = DEFAULT_DENY.map((entry) => parseRule(entry, 'built-in'));
  const result: CompiledHttpPolicy = {
    decide(rawHost, rawAddresses) {
      const hostname = normalizeHost(rawHost);
      const addresses = rawAddresses.map(normalizeAddress);
      for (const rule of deny) {
        if (rule.kind === 'host' && rule.pattern.test(hostname)) return { allowed: false, rule: `deny ${rule.text}` };
        const hit = rule.kind === 'ip' ? addresses.find((a) => matchesIp(rule, a)) : undefined;
        if (hit !== undefined) return { allowed: false, rule: `deny ${rule.text}`, address: hit };
      }
      const hostAllow = allow.find((r) => r.kind === 'host' && r.pattern.test(hostname));
      let granted: Rule | undefined = hostAllow;
      for (const address of addresses) {
        const ipAllow = allow.find((r) => matchesIp(r, address));
        if (allow.length > 0 && !hostAllow && !ipAllow) {
          return { allowed: false, rule: 'not in allow list', address };
        }
        granted ??= ipAllow;
        const explicit = ipAllow ?? (hostAllow && hostAllow.kind === 'host' && !hostAllow.wildcard ? hostAllow : undefined);
        const builtIn = defaults.find((r) => matchesIp(r, address));
        if (builtIn && !explicit) return { allowed: false, rule: `default deny ${builtIn.text}`, address };
      }
      if (allow.length > 0 && addresses.length === 0 && !hostAllow) return { allowed: false, rule: 'not in allow list' };
      return { allowed: true, rule: granted ? `allow ${granted.text}` : 'default allow' };
    },
  };
  compiled.set(key, result);
  return result;
}

/**
 * Table-test entry point: may `url` be called when its host resolved to
 * `resolvedAddresses`? (For an IP-literal URL pass that IP.)
 */
export function decideHttpTarget(
  url: string | URL,
  resolvedAddresses: readonly string[],
  policy?: HttpPolicyConfig,
): HttpTargetDecision {
  const { hostname } = typeof url === 'string' ? new URL(url) : url;
  return compileHttpPolicy(policy).decide(hostname, resolvedAddresses);
}

function parseRule(text: string, path: string): Rule {
  const entry = text.trim();
  const slash = entry.indexOf('/');
  const bare = unbracket(entry.slice(0, slash < 0 ? undefined : slash));
  const family = net.isIP(bare);
  if (family !== 0) {
    const block = new net.BlockList();
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (slash < 0) {
      block.addAddress(normalizeAddress(bare), type);
    } else {
      const prefix = Number(entry.slice(slash + 1));
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
        throw new UserError(HTTP_POLICY_ERROR, `${path}: "${text}" is not a valid CIDR`, { path });
      }
      block.addSubnet(bare, prefix, type);
    }
    return { kind: 'ip', text: entry, block };
  }
  if (slash >= 0 || entry === '') {
    throw new UserError(HTTP_POLICY_ERROR, `${path}: "${text}" is neither a host, an IP address nor a CIDR`, { path });
  }
  const host = normalizeHost(entry);
  // `*` spans any number of labels, so `*.example.com` covers a.b.example.com too.
  const source = host.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return { kind: 'host', text: entry, pattern: new RegExp(`^${source}$`), wildcard: host.includes('*') };
}

function matchesIp(rule: Rule, address: string): boolean {
  if (rule.kind !== 'ip') return false;
  const family = net.isIP(address);
  return family !== 0 && rule.block.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function normalizeHost(host: string): string {
  return unbracket(host.toLowerCase()).replace(/\.$/, '');
}

/**
 * IPv4-mapped IPv6 addresses reach the IPv4 host, so they are judged as IPv4; the URL
 * parser writes them in hex (`::ffff:a9fe:a9fe`), DNS in dotted form.
 */
export function normalizeAddress(raw: string): string {
  const address = unbracket(raw.toLowerCase()).replace(/%.*$/, '');
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted?.[1] !== undefined && net.isIPv4(dotted[1])) return dotted[1];
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (hex?.[1] !== undefined && hex[2] !== undefined) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return address;
}
