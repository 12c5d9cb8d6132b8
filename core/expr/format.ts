// How Go prints values, in the two ways Argo uses: encoding/json (what a {{=...}} tag is
// replaced with, and toJson/toJSON) and fmt's %v (string(), sprig's toString, and
// valueFrom.expression output parameters, which Argo stores via fmt.Sprintf("%v")).
import { fail } from './expr-error.js';
import { GoDuration, GoFunc, isMap, isNil, sortedKeys } from './values.js';
import { formatDurationGo, formatTimeGo, formatTimeRFC3339Nano } from './go-time.js';

/** Go's fmt %v for a float64: %g with the shortest digits, exponent form when the exponent is < -4 or >= 6 (1e+06). */
export function formatFloatV(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Number.POSITIVE_INFINITY) return '+Inf';
  if (f === Number.NEGATIVE_INFINITY) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // strconv's 'g' with precision -1 decides between %e and %f with precision 6.
  const [mantissa = '', expText = '0'] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f); // JavaScript prints fixed notation for every exponent in [-4, 5]
}

/** Go's encoding/json float encoding: 'f' form, 'e' form below 1e-6 or from 1e21 (exponent without leading zero). */
export function formatFloatJson(f: number): string {
  if (!Number.isFinite(f)) return fail(`json: unsupported value: ${formatFloatV(f)}`);
  if (Object.is(f, -0)) return '-0';
  return String(f); // JavaScript's Number#toString uses the same thresholds and shortest digits
}

const HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };

/** Go's json string encoding: HTML-safe by default, U+2028/2029 escaped, lone surrogates as U+FFFD. */
export function jsonString(s: string, escapeHtml = true): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] ?? '';
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c < 0x20) {
      if (c === 0x0a) out += '\\n';
      else if (c === 0x0d) out += '\\r';
      else if (c === 0x09) out += '\\t';
      else if (c === 0x08) out += '\\b';
      else if (c === 0x0c) out += '\\f';
      else out += `\\u00${c.toString(16).padStart(2, '0')}`;
    } else if (escapeHtml && (c === 0x3c || c === 0x3e || c === 0x26)) out += HTML_ESCAPES[ch] ?? ch;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + (s[i + 1] ?? '');
        i++;
      } else out += '\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

export interface JsonOptions {
  escapeHtml?: boolean;
  /** MarshalIndent's indent string; undefined for compact output. */
  indent?: string;
}

/** Go's json.Marshal (map keys sorted, as Go does); throws for NaN, ±Inf, functions. */
export function goJson(value: unknown, opts: JsonOptions = {}): string {
  return encode(value, opts.escapeHtml ?? true, opts.indent, '');
}

function encode(v: unknown, escapeHtml: boolean, indent: string | undefined, prefix: string): string {
  if (isNil(v)) return 'null';
  switch (typeof v) {
    case 'string':
      return jsonString(v, escapeHtml);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return formatFloatJson(v);
    case 'function':
      return fail('json: unsupported type: func');
    default:
      break;
  }
  if (v instanceof GoFunc) return fail('json: unsupported type: func');
  if (v instanceof Date) return jsonString(formatTimeRFC3339Nano(v));
  if (v instanceof GoDuration) return v.ns.toString();
  const inner = indent === undefined ? undefined : prefix + indent;
  const sep = indent === undefined ? ',' : ',\n';
  const open = (c: string): string => (inner === undefined ? c : `${c}\n${inner}`);
  const close = (c: string): string => (inner === undefined ? c : `\n${prefix}${c}`);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const parts = v.map((x) => encode(x, escapeHtml, indent, inner ?? ''));
    return open('[') + parts.join(inner === undefined ? sep : sep + inner) + close(']');
  }
  if (isMap(v)) {
    const keys = sortedKeys(v);
    if (keys.length === 0) return '{}';
    const colon = indent === undefined ? ':' : ': ';
    const parts = keys.map((k) => jsonString(k, escapeHtml) + colon + encode(v[k], escapeHtml, indent, inner ?? ''));
    return open('{') + parts.join(inner === undefined ? sep : sep + inner) + close('}');
  }
  return fail(`json: unsupported type: ${typeof v}`);
}

/** Go's fmt %v. */
export function goSprint(v: unknown): string {
  if (isNil(v)) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return formatFloatV(v);
    case 'function':
      return '0x0';
    default:
      break;
  }
  if (v instanceof GoFunc) return '0x0';
  if (v instanceof Date) return formatTimeGo(v);
  if (v instanceof GoDuration) return formatDurationGo(v.ns);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (isMap(v)) return `map[${sortedKeys(v).map((k) => `${k}:${goSprint(v[k])}`).join(' ')}]`;
  return String(v);
}

/**
 * A {{=...}} result as Argo writes it into the template (expressionReplaceCore): json.Marshal,
 * with the quotes of a string result dropped; nil is an error.
 */
export function formatResult(value: unknown): string {
  if (isNil(value)) return fail('expression evaluated to nil');
  if (typeof value === 'string') return value;
  const json = goJson(value);
  // A time marshals as a quoted string and Argo strips those quotes too.
  if (json.length > 1 && json.startsWith('"') && json.endsWith('"')) {
    const text: unknown = JSON.parse(json);
    if (typeof text === 'string') return text;
  }
  return json;
}
