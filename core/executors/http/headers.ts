// Header names as Go's net/http shows them to Argo expressions: successCondition reads
// `response.headers["Content-Type"]`, a map from the canonical MIME name to the list of
// values. Node hands us lower-case names, so we rebuild Go's form here.

/** Go's textproto.CanonicalMIMEHeaderKey: `x-kit` → `X-Kit`; names with non-token bytes stay as they are. */
export function canonicalHeaderKey(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name;
  let upper = true;
  let out = '';
  for (const ch of name) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

/** Response headers (undici's lower-case record) as Go's http.Header: canonical name → values. */
export function toGoHeader(headers: Record<string, string | string[] | undefined>): Record<string, string[]> {
  // No prototype: a server sending a `__proto__` header gets a key, not a new prototype.
  const out: Record<string, string[]> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    // Go moves Transfer-Encoding out of Response.Header (into resp.TransferEncoding).
    if (value === undefined || name === 'transfer-encoding') continue;
    const key = canonicalHeaderKey(name);
    const list = (out[key] ??= []);
    list.push(...(Array.isArray(value) ? value : [value]));
  }
  return out;
}

/**
 * The request headers the expression sees, as Argo's HTTPHeaders.ToHeader(): literal
 * values only (secret-sourced headers are left out, so no condition can leak them), one
 * value per name, the last one winning. Argo keys them by the name as written; the
 * canonical name is added as an alias so `request.headers["Content-Type"]` works too.
 */
export function templateRequestHeaders(
  headers: ReadonlyArray<{ name: string; value?: string; valueFrom?: unknown }>,
): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const header of headers) {
    if (header.valueFrom !== undefined && header.valueFrom !== null) continue;
    const values = [header.value ?? ''];
    out[header.name] = values;
    const key = canonicalHeaderKey(header.name);
    if (key !== header.name) out[key] = values;
  }
  return out;
}
