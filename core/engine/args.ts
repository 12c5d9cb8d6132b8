// Binding a template's inputs: arguments over defaults, ConfigMap-backed values, artifact
// arguments, then `{{inputs.*}}`, `{{outputs.*.path}}` and globals substituted into the
// template (Argo's ProcessArgs + SubstituteParams).
import type { Arguments, Artifact, Parameter, Template } from '../spec/index.js';
import { findTags, substituteDeep, type Vars } from '../expr/index.js';
import type { Operation } from './context.js';
import { ABSENT_OPTIONAL } from './scope.js';

export function processArgs(op: Operation, tmpl: Template, args: Arguments | undefined, locals: Vars): Template {
  // Nothing to bind or substitute (a plain template, or a DAG of 10,000 literal tasks): as is.
  if (!tmpl.inputs && templateTags(tmpl).names?.length === 0) return tmpl;
  const copy: Template = structuredClone(tmpl);
  const params: Parameter[] = [];
  for (const original of copy.inputs?.parameters ?? []) {
    const p: Parameter = { ...original };
    if (p.value === undefined && p.default !== undefined) p.value = p.default;
    const arg = args?.parameters?.find((a) => a.name === p.name);
    if (arg && arg.value === ABSENT_OPTIONAL) {
      if (p.value === undefined && p.valueFrom === undefined) {
        throw new Error(`inputs.parameters.${p.name}: argument references an absent optional (skipped/omitted node output with no default)`);
      }
    } else if (arg) {
      if (arg.value !== undefined) {
        p.value = arg.value;
        delete p.valueFrom;
      } else if (arg.valueFrom !== undefined) {
        p.valueFrom = arg.valueFrom;
        delete p.value;
      }
    }
    const cmRef = p.valueFrom?.configMapKeyRef;
    if (cmRef) {
      const name = substituteDeep(cmRef.name ?? '', op.globals);
      const key = substituteDeep(cmRef.key ?? '', op.globals);
      const value = op.env.configMap?.(op.namespace, name, key);
      if (value === undefined) {
        if (p.valueFrom?.default === undefined) {
          throw new Error(`unable to retrieve inputs.parameters.${p.name} from ConfigMap: ConfigMap ${name} key ${key} not found`);
        }
        p.value = p.valueFrom.default;
      } else {
        p.value = value;
      }
    } else if (p.value === undefined && !p.valueFrom?.supplied) {
      throw new Error(`inputs.parameters.${p.name} was not supplied`);
    }
    params.push(p);
  }
  if (copy.inputs) copy.inputs.parameters = params.length || copy.inputs.parameters ? params : undefined;

  const artifacts: Artifact[] = [];
  for (const inArt of copy.inputs?.artifacts ?? []) {
    const argArt = args?.artifacts?.find((a) => a.name === inArt.name);
    if (!inArt.optional && !hasLocationOrKey(inArt) && !argArt) {
      throw new Error(`inputs.artifacts.${inArt.name} was not supplied`);
    }
    if (argArt) {
      const merged: Artifact = { ...argArt, path: inArt.path };
      if (inArt.mode !== undefined) merged.mode = inArt.mode;
      if (inArt.recurseMode !== undefined) merged.recurseMode = inArt.recurseMode;
      if (inArt.optional && merged.optional === undefined) merged.optional = true;
      artifacts.push(merged);
    } else {
      artifacts.push(inArt);
    }
  }
  if (copy.inputs?.artifacts) copy.inputs.artifacts = artifacts;
  return substituteParams(op, copy, locals);
}

export function substituteParams(op: Operation, tmpl: Template, locals: Vars, extraEnv?: Record<string, unknown>): Template {
  const vars: Vars = { ...op.globals, ...locals };
  const first = substituteDeep(tmpl, vars, { allowUnresolved: true, env: extraEnv, path: `template ${tmpl.name ?? ''}` });
  for (const p of first.inputs?.parameters ?? []) {
    if (p.value !== undefined) vars[`inputs.parameters.${p.name}`] = p.value;
  }
  vars['inputs.parameters'] = JSON.stringify(first.inputs?.parameters ?? []);
  for (const a of first.inputs?.artifacts ?? []) if (a.path) vars[`inputs.artifacts.${a.name}.path`] = a.path;
  for (const a of first.outputs?.artifacts ?? []) if (a.path) vars[`outputs.artifacts.${a.name}.path`] = a.path;
  for (const p of first.outputs?.parameters ?? []) {
    if (p.valueFrom?.path) vars[`outputs.parameters.${p.name}.path`] = p.valueFrom.path;
  }
  return substituteDeep(first, vars, { allowUnresolved: true, env: extraEnv, path: `template ${tmpl.name ?? ''}` });
}

const LOCATION_KEYS = ['s3', 'git', 'http', 'artifactory', 'gcs', 'oss', 'azure', 'hdfs', 'raw', 'plugin', 'fs'] as const;

export function hasLocationOrKey(a: Artifact): boolean {
  const record = a as Record<string, unknown>;
  return LOCATION_KEYS.some((k) => record[k] !== undefined && record[k] !== null);
}

interface TemplateTags {
  /** Simple tag names the template uses; undefined when it has expressions (uncacheable). */
  names: string[] | undefined;
}

const tagCache = new WeakMap<Template, TemplateTags>();
const processedCache = new WeakMap<Template, Map<string, Template>>();
const MAX_CACHED_PER_TEMPLATE = 64;

function templateTags(tmpl: Template): TemplateTags {
  let tags = tagCache.get(tmpl);
  if (!tags) {
    const text = JSON.stringify(tmpl);
    const found = text.includes('{{') ? findTags(text) : [];
    tags = { names: found.some((t) => t.kind === 'expression') ? undefined : [...new Set(found.map((t) => (t.kind === 'simple' ? t.name : '')))] };
    tagCache.set(tmpl, tags);
  }
  return tags;
}

/** Whether substituting the template may read this variable (always, with expressions). */
export function mayName(tmpl: Template, name: string): boolean {
  const { names } = templateTags(tmpl);
  return names === undefined || names.includes(name);
}

/**
 * processArgs for a template that a pass binds again (a running node is visited on every
 * pass; a loop binds one template many times): the result depends only on the template,
 * the arguments and the values of the variables the template names, so it is reused while
 * those are unchanged. Neither the engine nor the runtime mutates a bound template.
 */
export function processArgsCached(op: Operation, tmpl: Template, args: Arguments | undefined, locals: Vars): Template {
  const { names } = templateTags(tmpl);
  if (names === undefined || (args && JSON.stringify(args).includes('{{='))) return processArgs(op, tmpl, args, locals);
  if ((tmpl.inputs?.parameters ?? []).some((p) => p.valueFrom?.configMapKeyRef)) return processArgs(op, tmpl, args, locals);
  const key = args === undefined && names.length === 0 ? '' : JSON.stringify([args ?? null, names.map((n) => locals[n] ?? op.globals[n] ?? null)]);
  let byKey = processedCache.get(tmpl);
  if (!byKey) {
    byKey = new Map();
    processedCache.set(tmpl, byKey);
  }
  const hit = byKey.get(key);
  if (hit) return hit;
  const processed = processArgs(op, tmpl, args, locals);
  if (byKey.size >= MAX_CACHED_PER_TEMPLATE) byKey.clear();
  byKey.set(key, processed);
  return processed;
}
