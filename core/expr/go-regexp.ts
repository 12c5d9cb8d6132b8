// Go's regexp (RE2 syntax) on top of JavaScript's RegExp. Patterns from Argo workflows are
// written for Go, so they are translated: leading (?flags), (?P<name>), \z \A, \Q..\E,
// POSIX classes, Go's \s and '.', literal braces; what RE2 rejects (backreferences,
// lookaround) is rejected here too. Replacement templates use Go's $1 ${name} expansion.
import { fail } from './expr-error.js';

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
const SPACE = '\\t\\n\\f\\r ';

function literal(ch: string): string {
  return JS_SYNTAX.has(ch) ? `\\${ch}` : /[A-Za-z0-9_\s]/.test(ch) ? ch : `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

function translateEscape(p: string, i: number, inClass: boolean): { out: string; next: number } {
  const c = p[i + 1];
  if (c === undefined) return fail('error parsing regexp: trailing backslash at end of expression');
  switch (c) {
    case 'd': case 'D': case 'w': case 'W': case 'b': case 'B': case 'n': case 't': case 'r': case 'f': case 'v':
      return { out: `\\${c}`, next: i + 2 };
    case 'a': return { out: '\\x07', next: i + 2 };
    case 's': return { out: inClass ? SPACE : `[${SPACE}]`, next: i + 2 };
    case 'S': return { out: inClass ? '\\S' : `[^${SPACE}]`, next: i + 2 };
    case 'z': return { out: '(?![\\s\\S])', next: i + 2 };
    case 'A': return { out: '(?<![\\s\\S])', next: i + 2 };
    case 'p': case 'P': {
      if (p[i + 2] === '{') {
        const end = p.indexOf('}', i + 3);
        if (end < 0) return fail('error parsing regexp: invalid character class range');
        const name = p.slice(i + 3, end);
        const prop = /^[A-Z][a-z]?$/.test(name) || name === 'Any' ? name : `Script=${name}`;
        return { out: name === 'Any' ? (c === 'p' ? '[\\s\\S]' : '[^\\s\\S]') : `\\${c}{${prop}}`, next: end + 1 };
      }
      const one = p[i + 2];
      if (one === undefined) return fail('error parsing regexp: invalid character class range');
      return { out: `\\${c}{${one}}`, next: i + 3 };
    }
    case 'x': {
      if (p[i + 2] === '{') {
        const end = p.indexOf('}', i + 3);
        if (end < 0) return fail('error parsing regexp: invalid escape sequence');
        return { out: `\\u{${p.slice(i + 3, end)}}`, next: end + 1 };
      }
      return { out: `\\x${p.slice(i + 2, i + 4)}`, next: i + 4 };
    }
    case 'Q': {
      const end = p.indexOf('\\E', i + 2);
      const text = p.slice(i + 2, end < 0 ? p.length : end);
      return { out: [...text].map(literal).join(''), next: end < 0 ? p.length : end + 2 };
    }
    default:
      if (/[0-9A-Za-z]/.test(c)) return fail(`error parsing regexp: invalid escape sequence: \`\\${c}\``);
      return { out: literal(c), next: i + 2 };
  }
}

function translateClass(p: string, start: number): { out: string; next: number } {
  let i = start + 1;
  let out = '[';
  if (p[i] === '^') {
    out += '^';
    i++;
  }
  if (p[i] === ']') {
    out += '\\]';
    i++;
  }
  while (i < p.length && p[i] !== ']') {
    const ch = p[i] ?? '';
    if (ch === '[' && p[i + 1] === ':') {
      const end = p.indexOf(':]', i + 2);
      const name = end < 0 ? '' : p.slice(i + 2, end);
      const negated = name.startsWith('^');
      const cls = POSIX[negated ? name.slice(1) : name];
      if (cls === undefined || negated) return fail(`error parsing regexp: invalid character class range: \`${p.slice(i)}\``);
      out += cls;
      i = end + 2;
    } else if (ch === '\\') {
      const e = translateEscape(p, i, true);
      out += e.out;
      i = e.next;
    } else {
      out += ch === '[' ? '\\[' : ch;
      i++;
    }
  }
  if (i >= p.length) return fail(`error parsing regexp: missing closing ]: \`${p.slice(start)}\``);
  return { out: `${out}]`, next: i + 1 };
}

export interface GoRegexp {
  source: string;
  regex: RegExp;
}

function translate(pattern: string): { source: string; flags: string } {
  let p = pattern;
  let flags = 'u';
  const lead = /^\(\?([imsU]+)\)/.exec(p);
  if (lead !== null) {
    const f = lead[1] ?? '';
    if (f.includes('U')) return fail('error parsing regexp: ungreedy flag (?U) is not supported');
    flags += f.replace(/[^ims]/g, '');
    p = p.slice(lead[0].length);
  }
  const dotAll = flags.includes('s');
  let out = '';
  let i = 0;
  while (i < p.length) {
    const ch = p[i] ?? '';
    if (ch === '\\') {
      const e = translateEscape(p, i, false);
      out += e.out;
      i = e.next;
    } else if (ch === '[') {
      const c = translateClass(p, i);
      out += c.out;
      i = c.next;
    } else if (ch === '(' && p[i + 1] === '?') {
      if (p.startsWith('(?P<', i)) {
        out += '(?<';
        i += 4;
      } else if (p.startsWith('(?:', i) || (p.startsWith('(?<', i) && !p.startsWith('(?<=', i) && !p.startsWith('(?<!', i))) {
        out += p.slice(i, i + 3);
        i += 3;
      } else {
        return fail(`error parsing regexp: invalid or unsupported Perl syntax: \`${p.slice(i, i + 3)}\``);
      }
    } else if (ch === '.') {
      out += dotAll ? '[\\s\\S]' : '[^\\n]';
      i++;
    } else if (ch === '{') {
      const rep = /^\{\d+(,\d*)?\}/.exec(p.slice(i));
      if (rep === null) {
        out += '\\{';
        i++;
      } else {
        out += rep[0];
        i += rep[0].length;
      }
    } else if (ch === '}' || ch === ']') {
      out += `\\${ch}`;
      i++;
    } else {
      out += ch;
      i++;
    }
  }
  return { source: out, flags: flags.replace('s', '') };
}

const cache = new Map<string, GoRegexp>();

/** regexp.Compile: a translated RegExp, or a Go-worded error. */
export function compileGoRegexp(pattern: string): GoRegexp {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const { source, flags } = translate(pattern);
  let regex: RegExp;
  try {
    regex = new RegExp(source, `${flags}g`);
  } catch (err) {
    return fail(`error parsing regexp: ${err instanceof Error ? err.message : String(err)}: \`${pattern}\``);
  }
  const compiled = { source: pattern, regex };
  if (cache.size > 500) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

function exec(re: GoRegexp, s: string, from: number): RegExpExecArray | null {
  re.regex.lastIndex = from;
  return re.regex.exec(s);
}

export function goMatch(pattern: string, s: string): boolean {
  return exec(compileGoRegexp(pattern), s, 0) !== null;
}

/** All matches, n < 0 for all, as FindAllString(s, n) (nil when none: returned as null). */
export function goFindAll(pattern: string, s: string, n: number): RegExpExecArray[] {
  const re = compileGoRegexp(pattern);
  const out: RegExpExecArray[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    const m = exec(re, s, pos);
    if (m === null) break;
    const end = m.index + m[0].length;
    // Go skips an empty match right after the previous match.
    if (m[0].length === 0 && m.index === prevEnd) {
      pos = m.index + 1;
      continue;
    }
    out.push(m);
    prevEnd = end;
    pos = m[0].length === 0 ? end + 1 : end;
  }
  return out;
}

/** Go's Regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, body: string, braced?: string, bare?: string) => {
    if (body === '$') return '$';
    const name = braced ?? bare ?? '';
    if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
    return m.groups?.[name] ?? '';
  });
}

export function goReplaceAll(pattern: string, s: string, repl: string, literalRepl: boolean): string {
  let out = '';
  let last = 0;
  for (const m of goFindAll(pattern, s, -1)) {
    out += s.slice(last, m.index) + (literalRepl ? repl : expand(repl, m));
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

export function goSplit(pattern: string, s: string, n: number): string[] | null {
  if (n === 0) return null;
  if (pattern.length > 0 && s.length === 0) return [''];
  const matches = goFindAll(pattern, s, n);
  const out: string[] = [];
  let beg = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    const end = m.index;
    if (m[0].length === 0 && m.index === 0) continue;
    out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  out.push(s.slice(beg));
  return out;
}

export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, (c) => `\\${c}`);
}
