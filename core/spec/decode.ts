// Turns a ParsedDocument into a typed object of one of the kinds Weft handles, with
// schema issues (wrong types, missing fields, bad enum values) located at file:line:col
// and unknown fields as warnings. Kinds Weft does not handle are accepted and ignored.
import { z } from 'zod';
import type { Issue } from './errors.js';
import { locate, type ParsedDocument } from './parse.js';
import type { FieldPath } from './path.js';
import { ConfigMapSchema, PersistentVolumeClaimSchema, SecretSchema, type ConfigMap, type PersistentVolumeClaim, type Secret } from './schema/k8s.js';
import { WEFT_API_VERSION, GitSourceSchema, GitTriggerSchema, WeftConfigSchema, type GitSource, type GitTrigger, type WeftConfig } from './schema/weft.js';
import {
  ARGO_API_VERSION,
  ClusterWorkflowTemplateSchema,
  CronWorkflowSchema,
  WorkflowSchema,
  WorkflowTemplateSchema,
  type ClusterWorkflowTemplate,
  type CronWorkflow,
  type Workflow,
  type WorkflowTemplate,
} from './schema/workflow.js';
import { closestField, restoreUnknownFields } from './unknown-fields.js';

export type KnownObject =
  | { kind: 'Workflow'; value: Workflow }
  | { kind: 'WorkflowTemplate'; value: WorkflowTemplate }
  | { kind: 'ClusterWorkflowTemplate'; value: ClusterWorkflowTemplate }
  | { kind: 'CronWorkflow'; value: CronWorkflow }
  | { kind: 'ConfigMap'; value: ConfigMap }
  | { kind: 'Secret'; value: Secret }
  | { kind: 'PersistentVolumeClaim'; value: PersistentVolumeClaim }
  | { kind: 'GitSource'; value: GitSource }
  | { kind: 'GitTrigger'; value: GitTrigger }
  | { kind: 'WeftConfig'; value: WeftConfig };

export type KnownKind = KnownObject['kind'];

export interface DecodeResult {
  /** Undefined when the kind is not one Weft handles, or when the schema rejected it. */
  decoded?: KnownObject;
  /**
   * When the schema rejected some fields: the object decoded without them, so semantic
   * checks can still report everything else. Never run or store it.
   */
  partial?: PartialDecode;
  issues: Issue[];
}

export interface PartialDecode {
  object: KnownObject;
  /** Paths removed from the document; issues at, above or below them are noise. */
  pruned: FieldPath[];
}

/** The apiVersion each handled kind must carry. */
const API_VERSIONS: Record<KnownKind, readonly string[]> = {
  Workflow: [ARGO_API_VERSION],
  WorkflowTemplate: [ARGO_API_VERSION],
  ClusterWorkflowTemplate: [ARGO_API_VERSION],
  CronWorkflow: [ARGO_API_VERSION],
  ConfigMap: ['v1'],
  Secret: ['v1'],
  PersistentVolumeClaim: ['v1'],
  GitSource: [WEFT_API_VERSION],
  GitTrigger: [WEFT_API_VERSION],
  WeftConfig: [''],
};

export function isKnownKind(kind: string): kind is KnownKind {
  return Object.hasOwn(API_VERSIONS, kind);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function toFieldPath(path: readonly PropertyKey[]): FieldPath {
  return path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
}

/** zod's issue in words a YAML author can act on, with a stable Weft code. */
function translate(issue: z.core.$ZodIssue): { code: string; message: string } {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return { code: 'WEFT_E_REQUIRED', message: `required field is missing (${issue.expected})` };
      return { code: 'WEFT_E_TYPE', message: `expected ${issue.expected}, got ${describe(issue.input)}` };
    case 'invalid_value':
      return {
        code: 'WEFT_E_ENUM',
        message: `${JSON.stringify(issue.input) ?? 'nothing'} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'invalid_union': {
      if (issue.input === undefined) return { code: 'WEFT_E_REQUIRED', message: 'required field is missing' };
      // IntOrString and AnyString are unions of scalars: name what each branch wanted.
      const wanted = issue.errors.flatMap((branch) => branch.flatMap((i) => (i.code === 'invalid_type' ? [i.expected] : [])));
      const set = [...new Set(wanted)];
      // GoString (string | number | boolean) reads as "a string" to a YAML author.
      const expected = set.length === 3 && set.includes('string') && set.includes('boolean') ? 'string' : set.length > 0 ? set.join(' or ') : 'another shape';
      return { code: 'WEFT_E_TYPE', message: `expected ${expected}, got ${describe(issue.input)}` };
    }
    default:
      return { code: 'WEFT_E_SCHEMA', message: issue.message };
  }
}

interface Decoded<T> {
  value: T;
  /** Fields removed so the rest could be decoded; empty when the document is valid. */
  pruned: FieldPath[];
}

const MAX_PRUNE_ROUNDS = 25;

/** Deep copy of JSON-like data (YAML output has no cycles: aliases are expanded). */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneJson(v);
    return out;
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Removes the nearest object key at or above path, so array indices of siblings never
 * shift (later issues keep pointing at the right element). Returns the removed path.
 */
function pruneAt(root: unknown, path: FieldPath): FieldPath | undefined {
  for (let end = path.length; end > 0; end--) {
    const key = path[end - 1];
    if (typeof key !== 'string') continue;
    let parent: unknown = root;
    for (const segment of path.slice(0, end - 1)) {
      parent = Array.isArray(parent) && typeof segment === 'number' ? parent[segment] : isObject(parent) && typeof segment === 'string' ? parent[segment] : undefined;
    }
    if (isObject(parent) && Object.hasOwn(parent, key)) {
      delete parent[key];
      return path.slice(0, end);
    }
  }
  return undefined;
}

function decodeWith<T>(schema: z.ZodType<T>, doc: ParsedDocument, issues: Issue[]): Decoded<T> | undefined {
  let input: unknown = doc.object;
  const pruned: FieldPath[] = [];
  for (let round = 0; round < MAX_PRUNE_ROUNDS; round++) {
    const result = schema.safeParse(input, { reportInput: true });
    if (result.success) {
      // After pruning, input is a copy with the same paths for everything that remains.
      {
        restoreUnknownFields(schema, input, result.data, [], (path, known) => {
          const key = String(path[path.length - 1]);
          const guess = closestField(key, known);
          issues.push({
            ...locate(doc, path),
            code: 'WEFT_W_UNKNOWN_FIELD',
            message: `unknown field "${key}" for ${doc.kind}${guess ? ` (did you mean "${guess}"?)` : ''}: kept, but Weft does not read it`,
            severity: 'warning',
          });
        });
      }
      return { value: result.data, pruned };
    }
    if (round === 0) input = cloneJson(doc.object);
    let progress = false;
    for (const zodIssue of result.error.issues) {
      const path = toFieldPath(zodIssue.path);
      if (round === 0 || !pruned.some((p) => isPrefix(p, path))) {
        const { code, message } = translate(zodIssue);
        issues.push({ ...locate(doc, path), code, message, severity: 'error' });
      }
      // A missing required field: drop the object that lacks it instead.
      const target = zodIssue.code === 'invalid_type' && zodIssue.input === undefined ? path.slice(0, -1) : path;
      const removed = pruneAt(input, target);
      if (removed) {
        pruned.push(removed);
        progress = true;
      }
    }
    if (!progress) return undefined;
  }
  return undefined;
}

export function isPrefix(prefix: FieldPath, path: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
}

function decodeKnown(kind: KnownKind, doc: ParsedDocument, issues: Issue[]): PartialDecode | undefined {
  switch (kind) {
    case 'Workflow': {
      const d = decodeWith(WorkflowSchema, doc, issues);
      return d && { object: { kind, value: d.value }, pruned: d.pruned };
    }
    case 'WorkflowTemplate': {
      const d = decodeWith(WorkflowTemplateSchema, doc, issues);
      return d && { object: { kind, value: d.value }, pruned: d.pruned };
    }
    case 'ClusterWorkflowTemplate': {
      const d = decodeWith(ClusterWorkflowTemplateSchema, doc, issues);
      return d && { object: { kind, value: d.value }, pruned: d.pruned };
    }
    case 'CronWorkflow': {
      const d = decodeWith(CronWorkflowSchema, doc, issues);
      return d && { object: { kind, value: d.value }, pruned: d.pruned };
    }
    case 'ConfigMap': {
      const d = decodeWith(ConfigMapSchema, doc, issues);
      return d && { object: { kind, value: d.value }, pruned: d.pruned };
    }
    case 'Secret': {
      const d = decodeWith(SecretSchema, doc, issues);
      return d && { object: { kind, value: d.value }, pruned: d.pruned };
    }
    case 'PersistentVolumeClaim': {
      const d = decodeWith(PersistentVolumeClaimSchema, doc, issues);
      return d && { object: { kind, value: d.value }, pruned: d.pruned };
    }
    case 'GitSource': {
      const d = decodeWith(GitSourceSchema, doc, issues);
      return d && { object: { kind, value: d.value }, pruned: d.pruned };
    }
    case 'GitTrigger': {
      const d = decodeWith(GitTriggerSchema, doc, issues);
      return d && { object: { kind, value: d.value }, pruned: d.pruned };
    }
    case 'WeftConfig': {
      const d = decodeWith(WeftConfigSchema, doc, issues);
      return d && { object: { kind, value: d.value }, pruned: d.pruned };
    }
  }
}

export function decodeDocument(doc: ParsedDocument): DecodeResult {
  const issues: Issue[] = [];
  if (!isKnownKind(doc.kind)) {
    issues.push({
      ...locate(doc, ['kind']),
      code: 'WEFT_W_UNSUPPORTED_KIND',
      message: `${doc.kind} (${doc.apiVersion}) is not a kind Weft handles: ignored`,
      severity: 'warning',
    });
    return { issues };
  }
  const expected = API_VERSIONS[doc.kind];
  if (!expected.includes(doc.apiVersion)) {
    issues.push({
      ...locate(doc, ['apiVersion']),
      code: 'WEFT_E_API_VERSION',
      message: `${doc.kind} must have apiVersion ${expected.join(' or ')}, not "${doc.apiVersion}"`,
      severity: 'error',
    });
    return { issues };
  }
  const result = decodeKnown(doc.kind, doc, issues);
  if (!result) return { issues };
  return result.pruned.length === 0 ? { decoded: result.object, issues } : { partial: result, issues };
}
