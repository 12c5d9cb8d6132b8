// The conversions sprig relies on: strval, spf13/cast's ToInt64/ToFloat64 (v1.10: "3.7" is 3,
// "0x10" is 16, errors are 0), and sprig's empty(). Also the GoFunc constructor sprig uses.
import { goSprint } from './format.js';
import { goParseFloat, goParseIntBase0 } from './go-strings.js';
import { GoDuration, GoFunc, floatToInt, isList, isMap, isNil, type CallContext, type GoType } from './values.js';

export function sprigFunc(name: string, params: GoType[], impl: (args: unknown[], ctx: CallContext) => unknown, variadic?: GoType): GoFunc {
  return new GoFunc(`sprig.${name}`, params, variadic, impl);
}

/** sprig's strval: strings as they are, anything else as fmt %v. */
export function strval(v: unknown): string {
  return typeof v === 'string' ? v : goSprint(v);
}

function trimDecimal(s: string): string {
  if (!s.includes('.')) return s;
  const m = /^([-+]?\d*)(\.\d*)?$/.exec(s);
  if (m === null) return s;
  const int = m[1] ?? '';
  return int === '' ? '0' : int === '-' || int === '+' ? `${int}0` : int;
}

/** cast.ToInt64. */
export function toInt64(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return floatToInt(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') return v === '' ? 0n : (goParseIntBase0(trimDecimal(v)) ?? 0n);
  if (v instanceof GoDuration) return v.ns;
  return 0n;
}

/** cast.ToFloat64. */
export function toFloat64(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return v === '' ? 0 : (goParseFloat(v) ?? 0);
  if (v instanceof GoDuration) return Number(v.ns);
  return 0;
}

/** sprig's empty: nil, zero numbers, false, and empty strings, lists and maps. */
export function isEmpty(v: unknown): boolean {
  if (isNil(v)) return true;
  if (typeof v === 'string') return v.length === 0;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'bigint') return v === 0n;
  if (typeof v === 'number') return v === 0;
  if (isList(v)) return v.length === 0;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** The list sprig's reflect-based helpers accept, or an error naming the kind. */
export function kindName(v: unknown): string {
  if (isNil(v)) return 'invalid';
  if (isList(v)) return 'slice';
  if (isMap(v)) return 'map';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'function' || v instanceof GoFunc) return 'func';
  return v instanceof GoDuration ? 'int64' : 'struct';
}

/** Exact decimal arithmetic on the shortest decimal form of floats, as shopspring/decimal does for addf/subf/mulf/divf. */
export function decimalOp(values: number[], op: '+' | '-' | '*' | '/'): number {
  const toDec = (f: number): { m: bigint; e: number } => {
    const [mant = '0', exp = '0'] = f.toExponential().split('e');
    const digits = mant.replace('.', '').replace('-', '');
    const fracLen = (mant.split('.')[1] ?? '').length;
    return { m: BigInt((f < 0 ? '-' : '') + digits), e: Number(exp) - fracLen };
  };
  const first = values[0];
  if (first === undefined) return 0;
  if (!values.every(Number.isFinite)) return Number.NaN;
  let acc = toDec(first);
  for (const f of values.slice(1)) {
    const b = toDec(f);
    if (op === '*') acc = { m: acc.m * b.m, e: acc.e + b.e };
    else if (op === '/') {
      if (b.m === 0n) return Number.NaN;
      const scale = 16 + Math.max(0, b.e - acc.e) + 20;
      const num = acc.m * 10n ** BigInt(scale);
      acc = { m: num / b.m, e: acc.e - b.e - scale };
    } else {
      const e = Math.min(acc.e, b.e);
      const am = acc.m * 10n ** BigInt(acc.e - e);
      const bm = b.m * 10n ** BigInt(b.e - e);
      acc = { m: op === '+' ? am + bm : am - bm, e };
    }
  }
  return Number(`${acc.m}e${acc.e}`);
}
