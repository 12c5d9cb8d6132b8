// Argo rejects unknown fields; Weft keeps them and warns, so a typo (`dependecies`) or a
// field from a newer Argo is visible in `weft lint` yet never silently dropped. zod's
// default object mode strips unknown keys, so this walker follows the schema alongside
// the raw input, reports each unknown key with its path, and copies it back into the output.
import { z } from 'zod';
import type { FieldPath } from './path.js';

type AnySchema = z.core.$ZodType;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Peels wrappers that do not change the shape of the data (optional, default, lazy...). */
function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodNonOptional ||
      current instanceof z.ZodCatch ||
      current instanceof z.ZodReadonly ||
      current instanceof z.ZodLazy
    ) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.in;
    } else {
      return current;
    }
  }
}

/**
 * Walks raw (what the user wrote) and out (what zod produced) together. For every object
 * schema without a catchall, keys not in its shape are reported and restored into out.
 */
export function restoreUnknownFields(
  schema: AnySchema,
  raw: unknown,
  out: unknown,
  path: FieldPath,
  onUnknown: (path: FieldPath, known: readonly string[]) => void,
): void {
  // Scalars carry no keys; skipping them early also spares the union checks below.
  if (raw === null || typeof raw !== 'object') return;
  const base = unwrap(schema);
  if (base instanceof z.ZodObject) {
    if (!isRecord(raw) || !isRecord(out)) return;
    const shape: Record<string, AnySchema> = base.shape;
    const loose = base.def.catchall !== undefined;
    for (const [key, value] of Object.entries(raw)) {
      const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
      if (field) restoreUnknownFields(field, value, out[key], [...path, key], onUnknown);
      else if (!loose) {
        onUnknown([...path, key], Object.keys(shape));
        out[key] = value;
      }
    }
  } else if (base instanceof z.ZodArray) {
    if (!Array.isArray(raw) || !Array.isArray(out)) return;
    raw.forEach((item, i) => restoreUnknownFields(base.element, item, out[i], [...path, i], onUnknown));
  } else if (base instanceof z.ZodRecord) {
    if (!isRecord(raw) || !isRecord(out)) return;
    for (const [key, value] of Object.entries(raw)) {
      restoreUnknownFields(base.valueType, value, out[key], [...path, key], onUnknown);
    }
  } else if (base instanceof z.ZodUnion) {
    // The option zod picked is the first that accepts the input.
    const options: readonly AnySchema[] = base.options;
    const chosen = options.find((option) => z.safeParse(option, raw).success);
    if (chosen) restoreUnknownFields(chosen, raw, out, path, onUnknown);
  }
}

/** Levenshtein distance, for "did you mean" on misspelt field names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known field closest to key, when close enough to be a typo. */
export function closestField(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
