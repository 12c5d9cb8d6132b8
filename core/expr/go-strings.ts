// Go's strings and strconv functions that expr builtins and sprig are thin wrappers of,
// with their edge cases (empty separators, n limits, byte indexes, simple case mapping).

/** strings.Index as a byte offset, -1 when absent. */
export function byteIndex(s: string, sub: string): number {
  const i = s.indexOf(sub);
  return i < 0 ? -1 : Buffer.byteLength(s.slice(0, i), 'utf8');
}

export function byteLastIndex(s: string, sub: string): number {
  const i = s.lastIndexOf(sub);
  return i < 0 ? -1 : Buffer.byteLength(s.slice(0, i), 'utf8');
}

/** strings.Split/SplitAfter/SplitN: n == 0 gives nil, n < 0 all pieces, "" separator splits runes. */
export function goSplitString(s: string, sep: string, after: boolean, n: number): string[] | null {
  if (n === 0) return null;
  if (sep === '') {
    const runes = [...s];
    const count = n < 0 || n > runes.length ? runes.length : n;
    const out = runes.slice(0, Math.max(0, count - 1));
    if (count > 0) out.push(runes.slice(count - 1).join(''));
    return out;
  }
  const out: string[] = [];
  let rest = s;
  while (n < 0 || out.length < n - 1) {
    const m = rest.indexOf(sep);
    if (m < 0) break;
    out.push(rest.slice(0, after ? m + sep.length : m));
    rest = rest.slice(m + sep.length);
  }
  out.push(rest);
  return out;
}

/** strings.Replace: n < 0 replaces all; an empty `old` inserts `neu` at every rune boundary. */
export function goReplace(s: string, old: string, neu: string, n: number): string {
  if (old === neu || n === 0) return s;
  if (old === '') {
    const runes = [...s];
    const limit = n < 0 ? runes.length + 1 : Math.min(n, runes.length + 1);
    let out = '';
    for (let i = 0; i < runes.length; i++) out += (i < limit ? neu : '') + (runes[i] ?? '');
    return limit > runes.length ? out + neu : out;
  }
  if (n < 0) return s.split(old).join(neu);
  let out = '';
  let rest = s;
  for (let i = 0; i < n; i++) {
    const m = rest.indexOf(old);
    if (m < 0) break;
    out += rest.slice(0, m) + neu;
    rest = rest.slice(m + old.length);
  }
  return out + rest;
}

/** strings.TrimFunc over runes. */
export function goTrim(s: string, cut: (rune: string) => boolean): string {
  const runes = [...s];
  let a = 0;
  let b = runes.length;
  while (a < b && cut(runes[a] ?? '')) a++;
  while (b > a && cut(runes[b - 1] ?? '')) b--;
  return runes.slice(a, b).join('');
}

// Go maps case rune by rune (unicode.ToUpper): a rune whose full mapping is several runes
// (ß -> SS in JavaScript) keeps itself, as Go has no simple mapping for it.
function mapRunes(s: string, f: (r: string) => string): string {
  let out = '';
  for (const r of s) {
    const m = f(r);
    out += [...m].length === 1 ? m : r;
  }
  return out;
}

export function goToUpper(s: string): string {
  return mapRunes(s, (r) => r.toUpperCase());
}

export function goToLower(s: string): string {
  return mapRunes(s, (r) => r.toLowerCase());
}

/** strings.Title: upper-cases the first letter of every word (words split at non-letters/digits/_). */
export function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const r of s) {
    const sep = !/^[\p{L}\p{Nd}_]$/u.test(prev);
    out += sep ? goToUpper(r) : r;
    prev = r;
  }
  return out;
}

const INT64_MAX = (1n << 63n) - 1n;

/** strconv.Atoi (base 10, optional sign); undefined on error. */
export function goAtoi(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v > INT64_MAX || v < -INT64_MAX - 1n ? undefined : v;
}

/** strconv.ParseInt(s, 0, 64): base prefixes 0x/0o/0b/0 (octal) and Go's digit underscores; undefined on error. */
export function goParseIntBase0(s: string): bigint | undefined {
  const sign = s.startsWith('-') ? -1n : 1n;
  const body = s.startsWith('-') || s.startsWith('+') ? s.slice(1) : s;
  let radix = 10;
  let digits = body;
  const prefix = /^0([xXoObB])/.exec(body);
  if (prefix !== null) {
    radix = { x: 16, o: 8, b: 2 }[(prefix[1] ?? 'x').toLowerCase()] ?? 16;
    digits = body.slice(2).replace(/^_/, '');
  } else if (/^0[0-9_]/.test(body)) {
    radix = 8;
    digits = body.slice(1).replace(/^_/, '');
  }
  if (!/^[0-9a-zA-Z]+(_[0-9a-zA-Z]+)*$/.test(digits)) return undefined;
  digits = digits.replace(/_/g, '');
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[radix];
  if (valid === undefined || !valid.test(digits)) return undefined;
  const v = sign * BigInt(`${{ 2: '0b', 8: '0o', 10: '', 16: '0x' }[radix] ?? ''}${digits}`);
  return v > INT64_MAX || v < -INT64_MAX - 1n ? undefined : v;
}

/** strconv.ParseFloat(s, 64) for decimal forms, inf and nan; undefined on error. */
export function goParseFloat(s: string): number | undefined {
  const lower = s.toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(lower)) return lower.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(lower)) return undefined;
  const v = Number(lower);
  return Number.isFinite(v) ? v : undefined; // Go reports out of range
}
