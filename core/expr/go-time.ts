// Go's time formatting and parsing, as far as Argo expressions reach them: time.Time is a
// JS Date read in UTC (the zone Argo's controller runs in), time.Duration is GoDuration.
// Covers Time.Format layouts, Time.String, RFC3339(Nano), Duration.String and
// time.ParseDuration, and parsing of the ISO-8601 shapes govaluate and expr's date() try.
import { fail } from './expr-error.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Nanosecond fraction of a Date (milliseconds precision). */
function fractionNs(t: Date): number {
  return (((t.getTime() % 1000) + 1000) % 1000) * 1_000_000;
}

function fracDigits(ns: number, digits: number, trim: boolean): string {
  let s = pad(ns, 9).slice(0, digits);
  if (trim) s = s.replace(/0+$/, '');
  return s === '' ? '' : `.${s}`;
}

function yearDay(t: Date): number {
  const start = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.floor((t.getTime() - start) / 86_400_000) + 1;
}

type Chunk = { std: string; len: number } | undefined;

/** Go's nextStdChunk, reduced to the chunks Format understands. */
function stdChunkAt(layout: string, i: number): Chunk {
  const rest = layout.slice(i);
  const starts = (p: string): boolean => rest.startsWith(p);
  switch (layout[i]) {
    case 'J':
      if (starts('January')) return { std: 'January', len: 7 };
      if (starts('Jan')) return { std: 'Jan', len: 3 };
      return undefined;
    case 'M':
      if (starts('Monday')) return { std: 'Monday', len: 6 };
      if (starts('Mon')) return { std: 'Mon', len: 3 };
      if (starts('MST')) return { std: 'MST', len: 3 };
      return undefined;
    case '0':
      if (starts('002')) return { std: '002', len: 3 };
      for (const p of ['01', '02', '03', '04', '05', '06']) if (starts(p)) return { std: p, len: 2 };
      return undefined;
    case '1':
      return starts('15') ? { std: '15', len: 2 } : { std: '1', len: 1 };
    case '2':
      return starts('2006') ? { std: '2006', len: 4 } : { std: '2', len: 1 };
    case '_':
      if (starts('_2') && !starts('_2006')) return { std: '_2', len: 2 };
      if (starts('__2')) return { std: '__2', len: 3 };
      return undefined;
    case '3':
    case '4':
    case '5':
      return { std: layout[i] ?? '', len: 1 };
    case 'P':
      return starts('PM') ? { std: 'PM', len: 2 } : undefined;
    case 'p':
      return starts('pm') ? { std: 'pm', len: 2 } : undefined;
    case '-':
    case 'Z':
      for (const p of ['070000', '07:00:00', '0700', '07:00', '07']) {
        if (rest.startsWith(p, 1)) return { std: (layout[i] ?? '') + p, len: p.length + 1 };
      }
      return undefined;
    case '.':
    case ',': {
      const ch = layout[i + 1];
      if (ch !== '0' && ch !== '9') return undefined;
      let j = i + 1;
      while (layout[j] === ch) j++;
      if (/[0-9]/.test(layout[j] ?? '')) return undefined;
      return { std: `${layout[i] ?? ''}${ch === '0' ? 'F' : 'T'}${j - i - 1}`, len: j - i };
    }
    default:
      return undefined;
  }
}

function formatChunk(std: string, t: Date): string {
  const h = t.getUTCHours();
  switch (std) {
    case 'January': return MONTHS[t.getUTCMonth()] ?? '';
    case 'Jan': return (MONTHS[t.getUTCMonth()] ?? '').slice(0, 3);
    case 'Monday': return DAYS[t.getUTCDay()] ?? '';
    case 'Mon': return (DAYS[t.getUTCDay()] ?? '').slice(0, 3);
    case 'MST': return 'UTC';
    case '002': return pad(yearDay(t), 3);
    case '__2': return String(yearDay(t)).padStart(3, ' ');
    case '01': return pad(t.getUTCMonth() + 1, 2);
    case '1': return String(t.getUTCMonth() + 1);
    case '02': return pad(t.getUTCDate(), 2);
    case '2': return String(t.getUTCDate());
    case '_2': return String(t.getUTCDate()).padStart(2, ' ');
    case '03': return pad(h % 12 === 0 ? 12 : h % 12, 2);
    case '3': return String(h % 12 === 0 ? 12 : h % 12);
    case '15': return pad(h, 2);
    case '04': return pad(t.getUTCMinutes(), 2);
    case '4': return String(t.getUTCMinutes());
    case '05': return pad(t.getUTCSeconds(), 2);
    case '5': return String(t.getUTCSeconds());
    case '06': return pad(t.getUTCFullYear() % 100, 2);
    case '2006': return pad(t.getUTCFullYear(), 4);
    case 'PM': return h >= 12 ? 'PM' : 'AM';
    case 'pm': return h >= 12 ? 'pm' : 'am';
    default: break;
  }
  if (std.startsWith('Z')) return 'Z';
  if (std.startsWith('-')) return { '-070000': '+000000', '-07:00:00': '+00:00:00', '-0700': '+0000', '-07:00': '+00:00', '-07': '+00' }[std] ?? '';
  const frac = /^([.,])([FT])(\d+)$/.exec(std);
  if (frac !== null) {
    const s = fracDigits(fractionNs(t), Number(frac[3]), frac[2] === 'T');
    return s === '' ? '' : (frac[1] ?? '.') + s.slice(1);
  }
  return std;
}

/** Go's Time.Format in UTC. */
export function formatLayout(t: Date, layout: string): string {
  if (Number.isNaN(t.getTime())) return fail('invalid time value');
  let out = '';
  let i = 0;
  while (i < layout.length) {
    const chunk = stdChunkAt(layout, i);
    if (chunk === undefined) {
      out += layout[i] ?? '';
      i++;
    } else {
      out += formatChunk(chunk.std, t);
      i += chunk.len;
    }
  }
  return out;
}

export function formatTimeRFC3339Nano(t: Date): string {
  return formatLayout(t, '2006-01-02T15:04:05.999999999Z07:00');
}

/** Time.String(), which is what %v prints. */
export function formatTimeGo(t: Date): string {
  return formatLayout(t, '2006-01-02 15:04:05.999999999 -0700 MST');
}

/** Duration.String(): 1h2m3.5s, 1.5ms, 0s. */
export function formatDurationGo(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  const u = ns < 0n ? -ns : ns;
  const frac = (v: bigint, digits: number): string => {
    const s = v.toString().padStart(digits, '0').replace(/0+$/, '');
    return s === '' ? '' : `.${s}`;
  };
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${u / 1000n}${frac(u % 1000n, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${u / 1_000_000n}${frac(u % 1_000_000n, 6)}ms`;
  const secs = u / 1_000_000_000n;
  let out = `${secs % 60n}${frac(u % 1_000_000_000n, 9)}s`;
  const mins = secs / 60n;
  if (mins > 0n) {
    out = `${mins % 60n}m${out}`;
    if (mins / 60n > 0n) out = `${mins / 60n}h${out}`;
  }
  return sign + out;
}

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** time.ParseDuration. */
export function parseDurationGo(text: string): bigint {
  const bad = (): never => fail(`time: invalid duration ${JSON.stringify(text)}`);
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') bad();
  let total = 0n;
  const re = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;
  while (s !== '') {
    const m = re.exec(s);
    if (m === null) return bad();
    const [whole, intPart = '', fracPart = '', unitName = ''] = m;
    const unit = UNITS[unitName];
    if (unit === undefined || (intPart === '' && fracPart === '')) return bad();
    total += BigInt(intPart === '' ? '0' : intPart) * unit;
    if (fracPart !== '') total += (BigInt(fracPart) * unit) / 10n ** BigInt(fracPart.length);
    s = s.slice(whole.length);
  }
  if (total > (1n << 63n) - 1n) bad();
  return neg ? -total : total;
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; 2000 is a leap year, 2001 is not.
  return new Date(Date.UTC(isLeap(year) ? 2000 : 2001, month, 0)).getUTCDate();
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function utcDate(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): Date {
  const t = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  t.setUTCFullYear(y);
  return t;
}

// The numeric layouts of govaluate's tryParseTime and expr's date(): 2006-01-02, with an
// optional T/space time of hh, hh:mm or hh:mm:ss(.frac), and an optional Z/±hh[:]mm zone.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses the ISO-8601/RFC3339 shapes Go's layouts above accept (UTC when no zone); undefined if none fits. */
export function parseIsoTime(text: string): Date | undefined {
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [, ys = '', mos = '', ds = '', sep, hs, mis, ss, fs, zone] = m;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (sep === ' ' && mis === undefined) return undefined; // "2006-01-02 15" is not a layout
  if (sep === 'T' && mis === undefined && zone === undefined) return undefined;
  const h = hs === undefined ? 0 : Number(hs);
  const mi = mis === undefined ? 0 : Number(mis);
  const s = ss === undefined ? 0 : Number(ss);
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const ms = fs === undefined ? 0 : Math.floor(Number(`0.${fs}`) * 1000);
  let offsetMin = 0;
  if (zone !== undefined && zone !== 'Z') {
    const z = zone.replace(':', '');
    offsetMin = (zone.startsWith('-') ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
  }
  const t = utcDate(y, mo, d, h, mi, s, ms);
  return new Date(t.getTime() - offsetMin * 60_000);
}

/** expr's date(str) without a layout: the ISO forms and a bare 15:04:05 (on year 0, like Go). */
export function parseDateLoose(text: string): Date {
  const iso = parseIsoTime(text);
  if (iso !== undefined) return iso;
  const clock = /^(\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (clock !== null) {
    const [, h = '0', mi = '0', s = '0'] = clock;
    if (Number(h) < 24 && Number(mi) < 60 && Number(s) < 60) return utcDate(0, 1, 1, Number(h), Number(mi), Number(s), 0);
  }
  return fail(`invalid date ${text}`);
}
