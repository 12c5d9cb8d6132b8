// Reading YAML/JSON into documents that remember where every field came from, so a
// later issue can say file:line:col. Parses YAML 1.1 as Kubernetes' Go decoder does
// (0755 is octal, yes/on are booleans) but keeps timestamps and 12:30 as strings.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import type { Issue, SourcePosition } from './errors.js';
import { formatPath, type FieldPath } from './path.js';
import { parseGoCompatible, yamlNotices } from './yaml-compat.js';

export interface Position {
  line: number; // 1-based
  col: number; // 1-based
}

export interface ParsedDocument {
  file: string;
  /** Index of the document in its file's YAML stream (0 for a single-document file). */
  index: number;
  kind: string;
  apiVersion: string;
  /** The plain JSON-compatible object, every key as written. */
  object: Record<string, unknown>;
  /** Where the field at path was written; the nearest existing ancestor when it is absent. */
  positionOf(path: FieldPath): Position;
}

export interface ParseResult {
  documents: ParsedDocument[];
  issues: Issue[];
}

/** Config files carry no kind; recognised by name so `weft lint .` accepts them. */
const CONFIG_FILE_NAMES = new Set(['weft.yaml', 'weft.yml']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function issueAt(file: string, pos: Position, code: string, message: string, path = ''): Issue {
  return { file, line: pos.line, col: pos.col, code, path, message, severity: 'error' };
}

/** Finds the node for path inside doc; returns its start offset (a map key's offset for a key). */
function offsetOf(doc: Document, path: FieldPath): number {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return offset;
      const keyRange = isScalar(pair.key) ? pair.key.range : undefined;
      offset = keyRange?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) return offset;
      node = item;
      if (isScalar(item) || isMap(item) || isSeq(item)) offset = item.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

export function parseDocuments(text: string, file: string): ParseResult {
  const issues: Issue[] = [];
  const documents: ParsedDocument[] = [];
  const { docs, lineCounter, reindentedLines } = parseGoCompatible(text);
  const position = (offset: number): Position => lineCounter.linePos(offset);
  for (const line of reindentedLines) {
    issues.push({
      file, line, col: 1, code: 'WEFT_W_YAML_FLOW_INDENT', path: '', severity: 'warning',
      message: 'this line of a [...] or {...} is not indented past its key: go-yaml (Argo) accepts it, strict YAML does not',
    });
  }
  docs.forEach((doc, index) => {
    for (const warning of doc.warnings) {
      issues.push({ ...issueAt(file, position(warning.pos[0]), 'WEFT_W_YAML', `YAML: ${firstLine(warning.message)}`), severity: 'warning' });
    }
    for (const error of doc.errors) {
      issues.push(issueAt(file, position(error.pos[0]), 'WEFT_E_YAML', `YAML syntax: ${firstLine(error.message)}`));
    }
    if (doc.errors.length > 0) return;
    for (const notice of yamlNotices(doc)) {
      issues.push({ ...issueAt(file, position(notice.offset), notice.code, notice.message), severity: 'warning' });
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      // toJS throws on alias bombs and on unresolvable aliases: both are bad input.
      issues.push(issueAt(file, position(0), 'WEFT_E_YAML', `YAML: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    if (value === null || value === undefined) return; // an empty document between `---` lines
    const start = position(doc.contents?.range?.[0] ?? 0);
    if (!isRecord(value)) {
      issues.push(issueAt(file, start, 'WEFT_E_NOT_AN_OBJECT', 'a document must be a mapping with apiVersion and kind'));
      return;
    }
    const positionOf = (path: FieldPath): Position => position(offsetOf(doc, path));
    let kind = value['kind'];
    if (kind === undefined && CONFIG_FILE_NAMES.has(basename(file))) kind = 'WeftConfig';
    if (typeof kind !== 'string' || kind === '') {
      issues.push(issueAt(file, positionOf(['kind']), 'WEFT_E_NO_KIND', 'document has no kind', 'kind'));
      return;
    }
    const apiVersion = value['apiVersion'];
    if (kind !== 'WeftConfig' && (typeof apiVersion !== 'string' || apiVersion === '')) {
      issues.push(issueAt(file, positionOf(['apiVersion']), 'WEFT_E_NO_API_VERSION', `${kind} has no apiVersion`, 'apiVersion'));
      return;
    }
    documents.push({ file, index, kind, apiVersion: typeof apiVersion === 'string' ? apiVersion : '', object: value, positionOf });
  });
  return { documents, issues };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

const DOCUMENT_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function listFiles(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, out);
    else if (entry.isFile() && DOCUMENT_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(full);
  }
}

/** Reads files and directories (recursively: *.yaml, *.yml, *.json) into documents. */
export function loadPaths(paths: readonly string[]): ParseResult {
  const documents: ParsedDocument[] = [];
  const issues: Issue[] = [];
  const files: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      issues.push({ file: path, code: 'WEFT_E_FILE_NOT_FOUND', path: '', message: `cannot read ${path}: no such file or directory`, severity: 'error' });
      continue;
    }
    if (isDir) listFiles(path, files);
    else files.push(path);
  }
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      issues.push({ file, code: 'WEFT_E_FILE_READ', path: '', message: `cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, severity: 'error' });
      continue;
    }
    const result = parseDocuments(text, file);
    documents.push(...result.documents);
    issues.push(...result.issues);
  }
  return { documents, issues };
}

/** An issue located in a document: file, line and col of path, and the printable path. */
export function locate(doc: ParsedDocument, path: FieldPath): SourcePosition & { path: string } {
  const pos = doc.positionOf(path);
  return { file: doc.file, line: pos.line, col: pos.col, path: formatPath(path) };
}
