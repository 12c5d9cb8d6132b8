// Methods of time.Time and time.Duration that expressions call, e.g. Argo's cron `when`:
// (now() - cronworkflow.lastScheduledTime).Seconds() > 360.
import { fail } from './expr-error.js';
import { formatDurationGo, formatLayout, formatTimeGo } from './go-time.js';
import { GoDuration, GoFunc } from './values.js';

const NS_PER_MS = 1_000_000n;
/** Go's zero time.Time, 0001-01-01T00:00:00Z (Date.UTC maps year 1 to 1901, hence setUTCFullYear). */
const ZERO_TIME = new Date(0).setUTCFullYear(1, 0, 1);

function time(name: string, params: GoFunc['params'], impl: (args: unknown[]) => unknown): GoFunc {
  return new GoFunc(name, params, undefined, impl);
}

function durationArg(v: unknown): GoDuration {
  return v instanceof GoDuration ? v : fail(`cannot use ${typeof v} as time.Duration`);
}

function dateMethod(t: Date, name: string): GoFunc | undefined {
  const ms = t.getTime();
  switch (name) {
    case 'Year': return time(name, [], () => BigInt(t.getUTCFullYear()));
    case 'Month': return time(name, [], () => BigInt(t.getUTCMonth() + 1));
    case 'Day': return time(name, [], () => BigInt(t.getUTCDate()));
    case 'Hour': return time(name, [], () => BigInt(t.getUTCHours()));
    case 'Minute': return time(name, [], () => BigInt(t.getUTCMinutes()));
    case 'Second': return time(name, [], () => BigInt(t.getUTCSeconds()));
    case 'Nanosecond': return time(name, [], () => BigInt(((ms % 1000) + 1000) % 1000) * NS_PER_MS);
    case 'Weekday': return time(name, [], () => BigInt(t.getUTCDay()));
    case 'YearDay': return time(name, [], () => BigInt(Math.floor((ms - Date.UTC(t.getUTCFullYear(), 0, 1)) / 86_400_000) + 1));
    case 'Unix': return time(name, [], () => BigInt(Math.floor(ms / 1000)));
    case 'UnixMilli': return time(name, [], () => BigInt(ms));
    case 'UnixNano': return time(name, [], () => BigInt(ms) * NS_PER_MS);
    case 'IsZero': return time(name, [], () => ms === ZERO_TIME);
    case 'UTC': case 'Local': return time(name, [], () => t);
    case 'String': return time(name, [], () => formatTimeGo(t));
    case 'Format': return time(name, ['string'], (a) => formatLayout(t, String(a[0])));
    case 'Sub': return time(name, ['time'], (a) => (a[0] instanceof Date ? new GoDuration(BigInt(ms - a[0].getTime()) * NS_PER_MS) : fail('Sub needs a time')));
    case 'Add': return time(name, ['any'], (a) => new Date(ms + Number(durationArg(a[0]).ns / NS_PER_MS)));
    case 'After': return time(name, ['time'], (a) => a[0] instanceof Date && ms > a[0].getTime());
    case 'Before': return time(name, ['time'], (a) => a[0] instanceof Date && ms < a[0].getTime());
    case 'Equal': return time(name, ['time'], (a) => a[0] instanceof Date && ms === a[0].getTime());
    default: return undefined;
  }
}

function durationMethod(d: GoDuration, name: string): GoFunc | undefined {
  const ns = d.ns;
  const float = (unit: bigint): number => Number(ns / unit) + Number(ns % unit) / Number(unit);
  switch (name) {
    case 'Hours': return time(name, [], () => float(3_600_000_000_000n));
    case 'Minutes': return time(name, [], () => float(60_000_000_000n));
    case 'Seconds': return time(name, [], () => float(1_000_000_000n));
    case 'Milliseconds': return time(name, [], () => ns / NS_PER_MS);
    case 'Microseconds': return time(name, [], () => ns / 1000n);
    case 'Nanoseconds': return time(name, [], () => ns);
    case 'Abs': return time(name, [], () => new GoDuration(ns < 0n ? -ns : ns));
    case 'String': return time(name, [], () => formatDurationGo(ns));
    default: return undefined;
  }
}

/** A bound method value, as expr fetches `t.Year` before calling it; undefined if there is none. */
export function timeMethod(base: Date | GoDuration, name: string): GoFunc | undefined {
  return base instanceof Date ? dateMethod(base, name) : durationMethod(base, name);
}
