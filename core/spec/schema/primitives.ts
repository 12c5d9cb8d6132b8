// Scalar shapes shared by every Argo kind: Kubernetes' IntOrString, Argo's AnyString
// (numbers and booleans in YAML become strings, as Go's AnyString.UnmarshalJSON does),
// free-form JSON items, and passthrough objects for Kubernetes types Weft never reads.
import { z } from 'zod';

/** intstr.IntOrString: `limit: 3` and `limit: "3"` (or "{{inputs.parameters.n}}") are both valid. */
export const IntOrStringSchema = z.union([z.number().int(), z.string()]);
export type IntOrString = z.infer<typeof IntOrStringSchema>;

/** Formats a YAML number the way Go's strconv.FormatFloat(v, 'f', -1, 64) does: never exponent notation. */
function formatAnyNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  const text = String(n);
  if (!/e/i.test(text)) return text;
  // Small magnitudes (1e-7): toFixed needs the digit count, which the exponent gives.
  const exponent = Number(text.split(/e/i)[1]);
  return n.toFixed(Math.min(100, Math.max(0, -exponent + 20))).replace(/\.?0+$/, '');
}

/** Argo's AnyString: a string in JSON, but YAML authors write `value: 3` or `value: true`. */
export const AnyStringSchema = z
  .union([z.string(), z.number(), z.boolean()])
  .transform((v): string => (typeof v === 'number' ? formatAnyNumber(v) : String(v)));
export type AnyString = z.infer<typeof AnyStringSchema>;

/** A withItems element: any JSON value (string, number, bool, list, map). */
export const ItemSchema = z.json();
export type Item = z.infer<typeof ItemSchema>;

/**
 * Go's strconv.FormatFloat(v, 'g', -1, 32), which sigs.k8s.io/yaml uses when a YAML float
 * lands in a string field: the shortest float32 digits, exponent form outside 1e-4..1e6.
 */
export function formatGoFloat32(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const f = Math.fround(v);
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let shortest = f.toPrecision(9);
  for (let p = 1; p <= 9; p++) {
    const candidate = f.toPrecision(p);
    if (Math.fround(Number(candidate)) === f) {
      shortest = candidate;
      break;
    }
  }
  const [mantissa = '0', expText = '0'] = Number(shortest).toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= 6) {
    const frac = digits.slice(1);
    const e = Math.abs(exp);
    return `${negative ? '-' : ''}${digits.charAt(0)}${frac ? `.${frac}` : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  return Number(shortest).toFixed(Math.max(0, digits.length - 1 - exp));
}

/**
 * A string field of an Argo or Kubernetes type. Argo reads YAML with sigs.k8s.io/yaml,
 * which turns numbers and booleans landing in a string field into text (`args: [sleep, 10]`
 * gives "10", an unquoted `n` gives "false"), so Weft does the same instead of rejecting them.
 */
export const GoStringSchema = z.union([z.string(), z.number(), z.boolean()]).transform((v): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? BigInt(v).toString() : formatGoFloat32(v);
});

/** A Kubernetes object Weft passes through unread (affinity, tolerations, probes...). */
export const PassthroughSchema = z.record(z.string(), z.unknown());
export type Passthrough = z.infer<typeof PassthroughSchema>;

export const StringMapSchema = z.record(z.string(), GoStringSchema);

/** Label/annotation values: YAML authors write `version: 1`; the API server would coerce nothing, but Argo's CLI does. */
export const LabelMapSchema = z.record(z.string(), AnyStringSchema);
