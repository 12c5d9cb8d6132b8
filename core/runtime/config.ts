// weft.yaml: read, validated with the spec's WeftConfigSchema, and resolved against the
// file's own folder (paths in it are relative to it). No file means all defaults.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError, WeftConfigSchema, type WeftConfig } from '../spec/index.js';

export interface ResolvedConfig {
  /** The file read, if any. */
  file?: string;
  /** The folder relative paths resolve against. */
  dir: string;
  config: WeftConfig;
  storePath: string;
  artifactsPath: string;
  local: {
    path: string[];
    alias: Record<string, string>;
    images: { pattern: string; command?: string[]; args?: string[] }[];
    sandbox: 'auto' | 'bwrap' | 'none';
    /** false: no python3 launcher (launcher: off). */
    launcher: boolean;
  };
}

export function loadConfig(file: string | undefined, cwd = process.cwd()): ResolvedConfig {
  let path = file ? resolve(cwd, file) : undefined;
  if (!path && existsSync(resolve(cwd, 'weft.yaml'))) path = resolve(cwd, 'weft.yaml');
  let raw: unknown = {};
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new UserError('WEFT_E_CONFIG', `cannot read config ${path}: ${(err as Error).message}`);
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (err) {
      throw new UserError('WEFT_E_CONFIG', `${path}: not valid YAML: ${(err as Error).message}`);
    }
  }
  const parsed = WeftConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      code: 'WEFT_E_CONFIG', path: i.path.join('.'), message: i.message, severity: 'error' as const, ...(path ? { file: path } : {}),
    }));
    throw new UserError('WEFT_E_CONFIG', `${path ?? 'weft.yaml'}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  const config = parsed.data;
  const dir = path ? dirname(path) : cwd;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(dir, p));
  const alias: Record<string, string> = {};
  for (const [from, to] of Object.entries(config.executor.local.alias)) {
    alias[from] = to.startsWith('.') || to.includes('/') ? abs(to) : to;
  }
  return {
    ...(path ? { file: path } : {}),
    dir,
    config,
    storePath: abs(config.store.path),
    artifactsPath: abs(config.artifacts.path),
    local: {
      path: config.executor.local.path.map(abs),
      alias,
      images: Object.entries(config.executor.local.images).map(([pattern, d]) => ({ pattern, ...d })),
      sandbox: config.executor.local.sandbox,
      launcher: config.executor.local.launcher !== 'off',
    },
  };
}
