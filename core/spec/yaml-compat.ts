// Argo reads YAML with Go's go-yaml (via sigs.k8s.io/yaml), which differs from the
// `yaml` package's YAML 1.1 mode in a few ways that real Argo examples rely on. This
// module holds those differences so parse.ts reads the same values Argo would:
//  * scalars: `0755` is octal and `yes`/`on` are booleans (1.1), but `12:30` stays a
//    string (no sexagesimal), dates stay strings, and `.` is a string, not NaN;
//  * layout: go-yaml accepts a multi-line flow sequence whose closing line sits at its
//    key's indentation (`args: ["\n  cmd\n"]`); the `yaml` package rejects it, so we
//    re-indent exactly those lines and re-parse.
import { isScalar, LineCounter, parseAllDocuments, visit, type Document, type Tags } from 'yaml';

/** Tags go-yaml does not resolve implicitly. */
const DROPPED_TAGS = new Set([
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
]);

const FLOAT_TAG = 'tag:yaml.org,2002:float';
// go-yaml v2 resolve.go: yamlStyleFloat = ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)$/;
const GO_FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;

export function goCompatibleTags(tags: Tags): Tags {
  const out: Tags = [];
  for (const tag of tags) {
    if (typeof tag === 'string') {
      out.push(tag);
      continue;
    }
    if (DROPPED_TAGS.has(tag.tag) || tag.format === 'TIME') continue;
    const isNaNOrInf = tag.test?.source.includes('nan') ?? false;
    if (tag.tag === FLOAT_TAG && tag.test && !isNaNOrInf) {
      out.push({ ...tag, test: tag.format === 'EXP' ? GO_FLOAT_EXP : GO_FLOAT });
    } else {
      out.push(tag);
    }
  }
  return out;
}

export interface CompatParse {
  docs: Document.Parsed[];
  /** Offsets -> line:col of the text actually parsed (same lines as the input). */
  lineCounter: LineCounter;
  /** 1-based lines that were re-indented to be read as go-yaml reads them. */
  reindentedLines: number[];
}

const FLOW_INDENT_MESSAGE = /in block collection must be sufficiently indented/;
const MAX_REPAIRS = 200;

function parseStream(text: string): { docs: Document.Parsed[]; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const stream = parseAllDocuments(text, {
    lineCounter,
    version: '1.1',
    customTags: goCompatibleTags,
    merge: true,
    prettyErrors: false,
    // go-yaml keeps the last of duplicate keys; parse.ts reports them as warnings.
    uniqueKeys: false,
  });
  // An empty stream (no documents at all) is not an array.
  return { docs: Array.isArray(stream) ? stream : [], lineCounter };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * Parses text; while a flow collection line sits at or left of its parent key's
 * indentation, indents that line to its predecessor's indentation (whitespace there is
 * folded away inside flow scalars, so no value changes) and parses again.
 */
export function parseGoCompatible(text: string): CompatParse {
  const original = parseStream(text);
  let { docs, lineCounter } = original;
  const reindentedLines: number[] = [];
  let lines: string[] | undefined;
  for (let attempt = 0; attempt < MAX_REPAIRS; attempt++) {
    const bad = docs.flatMap((doc) => doc.errors).find((e) => e.code === 'BAD_INDENT' && FLOW_INDENT_MESSAGE.test(e.message));
    if (!bad) break;
    lines ??= text.split('\n');
    const lineIndex = lineCounter.linePos(bad.pos[0]).line - 1;
    const line = lines[lineIndex];
    if (line === undefined || reindentedLines.includes(lineIndex + 1)) break;
    let previous = lineIndex - 1;
    while (previous >= 0 && (lines[previous] ?? '').trim() === '') previous--;
    const wanted = Math.max(indentOf(line) + 1, previous >= 0 ? indentOf(lines[previous] ?? '') : 0);
    lines[lineIndex] = ' '.repeat(wanted) + line.trimStart();
    reindentedLines.push(lineIndex + 1);
    ({ docs, lineCounter } = parseStream(lines.join('\n')));
  }
  // A repair that does not yield a clean parse would only hide the real error.
  if (reindentedLines.length > 0 && docs.some((doc) => doc.errors.length > 0)) return { ...original, reindentedLines: [] };
  return { docs, lineCounter, reindentedLines };
}

const PLAIN_BOOLEANS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

export interface YamlNotice {
  offset: number;
  code: string;
  message: string;
}

/**
 * Things go-yaml accepts silently that are almost always mistakes: YAML 1.1 booleans
 * written as words (`n`, `yes`, `on` become true/false, so `name: n` is "false" to Argo)
 * and duplicate keys (the last one wins).
 */
export function yamlNotices(doc: Document.Parsed): YamlNotice[] {
  const notices: YamlNotice[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'boolean' && node.type === 'PLAIN' && node.source !== undefined && !PLAIN_BOOLEANS.has(node.source)) {
        notices.push({
          offset: node.range?.[0] ?? 0,
          code: 'WEFT_W_YAML_BOOLEAN',
          message: `unquoted ${node.source} is the boolean ${String(node.value)} in YAML 1.1 (as Argo reads it): quote it ("${node.source}") if you mean the text`,
        });
      }
    },
    Map(_key, node) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        if (seen.has(name)) {
          notices.push({ offset: pair.key.range?.[0] ?? 0, code: 'WEFT_W_YAML_DUPLICATE_KEY', message: `duplicate key "${name}": the last one wins, earlier values are ignored` });
        }
        seen.add(name);
      }
    },
  });
  return notices;
}
