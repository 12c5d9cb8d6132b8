// weft.yaml executor.http allow/deny decisions (decideHttpTarget), one row per rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileHttpPolicy, createHttpExecutor, decideHttpTarget } from '../../../core/executors/http/index.js';
import { UserError } from '../../../core/spec/index.js';
import type { HttpPolicyConfig } from '../../../core/executors/http/index.js';

interface Row {
  name: string;
  url: string;
  addresses: string[];
  policy?: HttpPolicyConfig;
  allowed: boolean;
  rule: string;
}

const rows: Row[] = [
  { name: 'no policy: a public address is allowed', url: 'https://example.com/', addresses: ['93.184.216.34'], allowed: true, rule: 'default allow' },
  { name: 'no policy: loopback is allowed (steps call local services)', url: 'http://127.0.0.1:8080/', addresses: ['127.0.0.1'], allowed: true, rule: 'default allow' },
  { name: 'no policy: ::1 is allowed', url: 'http://[::1]:8080/', addresses: ['::1'], allowed: true, rule: 'default allow' },
  { name: 'default: AWS/GCP metadata is denied', url: 'http://169.254.169.254/latest/meta-data/', addresses: ['169.254.169.254'], allowed: false, rule: 'default deny 169.254.0.0/16' },
  { name: 'default: any link-local address is denied', url: 'http://169.254.1.2/', addresses: ['169.254.1.2'], allowed: false, rule: 'default deny 169.254.0.0/16' },
  { name: 'default: AWS IPv6 metadata is denied', url: 'http://[fd00:ec2::254]/', addresses: ['fd00:ec2::254'], allowed: false, rule: 'default deny fd00:ec2::254' },
  { name: 'default: IPv4-mapped IPv6 (hex, as the URL parser writes it) is judged as IPv4', url: 'http://[::ffff:a9fe:a9fe]/', addresses: ['::ffff:a9fe:a9fe'], allowed: false, rule: 'default deny 169.254.0.0/16' },
  { name: 'default: IPv4-mapped IPv6 (dotted, as DNS answers) is judged as IPv4', url: 'http://mapped.test/', addresses: ['::ffff:169.254.169.254'], allowed: false, rule: 'default deny 169.254.0.0/16' },
  { name: 'default: a name resolving to metadata is denied (rebinding)', url: 'http://innocent.example/', addresses: ['93.184.216.34', '169.254.169.254'], allowed: false, rule: 'default deny 169.254.0.0/16' },
  { name: 'allow by the exact address lifts the metadata default', url: 'http://169.254.169.254/', addresses: ['169.254.169.254'], policy: { allow: ['169.254.169.254'] }, allowed: true, rule: 'allow 169.254.169.254' },
  { name: 'allow by a covering CIDR lifts the metadata default', url: 'http://169.254.10.1/', addresses: ['169.254.10.1'], policy: { allow: ['169.254.0.0/16'] }, allowed: true, rule: 'allow 169.254.0.0/16' },
  { name: 'allow by exact host name lifts the metadata default', url: 'http://metadata.google.internal/', addresses: ['169.254.169.254'], policy: { allow: ['metadata.google.internal'] }, allowed: true, rule: 'allow metadata.google.internal' },
  { name: 'a wildcard allow does not lift the metadata default', url: 'http://metadata.google.internal/', addresses: ['169.254.169.254'], policy: { allow: ['*'] }, allowed: false, rule: 'default deny 169.254.0.0/16' },
  { name: 'allow glob: a subdomain matches', url: 'https://api.example.com/', addresses: ['93.184.216.34'], policy: { allow: ['*.example.com'] }, allowed: true, rule: 'allow *.example.com' },
  { name: 'allow glob: a deeper subdomain matches', url: 'https://a.b.example.com/', addresses: ['93.184.216.34'], policy: { allow: ['*.example.com'] }, allowed: true, rule: 'allow *.example.com' },
  { name: 'allow glob: the apex does not match *.', url: 'https://example.com/', addresses: ['93.184.216.34'], policy: { allow: ['*.example.com'] }, allowed: false, rule: 'not in allow list' },
  { name: 'allow glob: a look-alike suffix does not match', url: 'https://evilexample.com/', addresses: ['6.6.6.6'], policy: { allow: ['*.example.com'] }, allowed: false, rule: 'not in allow list' },
  { name: 'allow list: loopback is refused when not listed', url: 'http://127.0.0.1/', addresses: ['127.0.0.1'], policy: { allow: ['*.example.com'] }, allowed: false, rule: 'not in allow list' },
  { name: 'allow CIDR: an address inside matches', url: 'http://10.1.2.3/', addresses: ['10.1.2.3'], policy: { allow: ['10.0.0.0/8'] }, allowed: true, rule: 'allow 10.0.0.0/8' },
  { name: 'allow CIDR: every resolved address must be inside', url: 'http://mixed.test/', addresses: ['10.1.2.3', '11.0.0.1'], policy: { allow: ['10.0.0.0/8'] }, allowed: false, rule: 'not in allow list' },
  { name: 'host names match case-insensitively and without the trailing dot', url: 'https://API.Example.COM./', addresses: ['93.184.216.34'], policy: { allow: ['api.example.com'] }, allowed: true, rule: 'allow api.example.com' },
  { name: 'deny host wins over an allow', url: 'https://admin.example.com/', addresses: ['93.184.216.34'], policy: { allow: ['*.example.com'], deny: ['admin.example.com'] }, allowed: false, rule: 'deny admin.example.com' },
  { name: 'deny CIDR matches a resolved address', url: 'http://db.internal/', addresses: ['10.0.0.5'], policy: { deny: ['10.0.0.0/8'] }, allowed: false, rule: 'deny 10.0.0.0/8' },
  { name: 'deny CIDR wins over the same allow', url: 'http://10.0.0.5/', addresses: ['10.0.0.5'], policy: { allow: ['10.0.0.5'], deny: ['10.0.0.0/8'] }, allowed: false, rule: 'deny 10.0.0.0/8' },
  { name: 'deny loopback explicitly', url: 'http://localhost:3000/', addresses: ['::1', '127.0.0.1'], policy: { deny: ['127.0.0.0/8', '::1'] }, allowed: false, rule: 'deny 127.0.0.0/8' },
  { name: 'deny IPv6 CIDR', url: 'http://[fd12::1]/', addresses: ['fd12::1'], policy: { deny: ['fc00::/7'] }, allowed: false, rule: 'deny fc00::/7' },
  { name: 'deny a bracketed IPv6 address', url: 'http://[::1]/', addresses: ['::1'], policy: { deny: ['[::1]'] }, allowed: false, rule: 'deny [::1]' },
  { name: 'deny an IPv4 rule also catches its IPv4-mapped form', url: 'http://[::ffff:10.0.0.1]/', addresses: ['::ffff:a00:1'], policy: { deny: ['10.0.0.1'] }, allowed: false, rule: 'deny 10.0.0.1' },
];

for (const row of rows) {
  test(`decideHttpTarget: ${row.name}`, () => {
    const decision = decideHttpTarget(row.url, row.addresses, row.policy);
    assert.equal(decision.allowed, row.allowed, JSON.stringify(decision));
    assert.equal(decision.rule, row.rule);
  });
}

test('decideHttpTarget: a denial names the address that matched', () => {
  const decision = decideHttpTarget('http://innocent.example/', ['1.1.1.1', '169.254.169.254']);
  assert.equal(decision.address, '169.254.169.254');
});

test('compileHttpPolicy: entries that are no host, IP or CIDR are refused up front, naming the entry', () => {
  for (const bad of ['10.0.0.0/33', 'example.com/path', '', '::1/200']) {
    assert.throws(
      () => compileHttpPolicy({ allow: ['ok.example'], deny: ['10.0.0.0/8', bad] }),
      (err: unknown) => err instanceof UserError && err.code === 'WEFT_E_HTTP_POLICY' && err.path === 'executor.http.deny[1]',
      bad,
    );
  }
});

test('createHttpExecutor: a bad policy fails at composition, not at the first call', () => {
  assert.throws(() => createHttpExecutor({ evaluate: () => true, policy: { allow: ['10.0.0.0/99'] } }), /executor\.http\.allow\[0\]/);
});

test('compileHttpPolicy: equal lists share one compiled policy', () => {
  assert.equal(compileHttpPolicy({ deny: ['10.0.0.0/8'] }), compileHttpPolicy({ deny: ['10.0.0.0/8'] }));
});
