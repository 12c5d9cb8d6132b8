// Secret values used by HTTP calls (headers from secretKeyRef, basic-auth credentials):
// looking them up with errors that name the Secret and key but never the value, and
// scrubbing the values from every text Weft keeps (node messages, results, logs).
import type { ValueSources } from '../types.js';

export interface SecretRef {
  name?: string;
  key: string;
  optional?: boolean;
}

/** A Secret or key that is not loaded; `path` is the field that referenced it. */
export class SecretLookupError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'SecretLookupError';
  }
}

/**
 * The value of `ref`, or undefined when it is absent and marked optional.
 * Throws SecretLookupError naming the Secret, key and field when it is absent otherwise.
 */
export function lookupSecret(values: ValueSources, ref: SecretRef, path: string): string | undefined {
  if (ref.name === undefined || ref.name === '') {
    throw new SecretLookupError(`${path}.name: a secretKeyRef needs the name of a Secret`, path);
  }
  const value = values.secret(ref.name, ref.key);
  if (value !== undefined) return value;
  if (ref.optional === true) return undefined;
  throw new SecretLookupError(
    `secret '${ref.name}' does not have the key '${ref.key}' (${path}; load the Secret with --load, the API or a GitSource)`,
    path,
  );
}

/** Values shorter than this are not scrubbed: replacing "a" everywhere would destroy the text and hide nothing. */
const MIN_SCRUBBED_LENGTH = 3;

export class SecretRedactor {
  private readonly values = new Set<string>();

  remember(value: string | undefined): void {
    if (value !== undefined && value.length >= MIN_SCRUBBED_LENGTH) this.values.add(value);
  }

  get empty(): boolean {
    return this.values.size === 0;
  }

  redact(text: string): string {
    if (this.values.size === 0) return text;
    let out = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(value).join('***');
    return out;
  }
}
