// The composition root for one machine: executors built from weft.yaml and wired into a
// Runtime with a store and an artifact repository. The CLI and the server both call it.
import { join } from 'node:path';
import type { Template } from '../spec/index.js';
import { evaluateExpr } from '../expr/index.js';
import { createFsArtifactRepository } from '../executors/artifacts/index.js';
import { createHttpExecutor } from '../executors/http/index.js';
import { createLocalExecutor } from '../executors/local/index.js';
import type { StepExecutor } from '../executors/index.js';
import type { Store } from '../store/index.js';
import type { ResolvedConfig } from './config.js';
import { Runtime } from './runtime.js';

export interface Logger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface ComposeOptions {
  config: ResolvedConfig;
  store: Store;
  /** Scratch root: step sandboxes and per-run volumes. */
  workRoot: string;
  /** Artifact repository root; defaults to the config's artifacts.path. */
  artifactsRoot?: string;
  logger?: Logger;
  now?: () => number;
}

/** Methods bound to the logger: executors may call them detached (pino needs `this`). */
function boundLogger(logger: Logger): Logger {
  return {
    warn: (obj, msg) => logger.warn(obj, msg),
    error: (obj, msg) => logger.error(obj, msg),
    info: (obj, msg) => logger.info(obj, msg),
    debug: (obj, msg) => logger.debug(obj, msg),
  };
}

export function composeRuntime(opts: ComposeOptions): Runtime {
  const { config } = opts;
  const logger = opts.logger ? boundLogger(opts.logger) : undefined;
  const httpConfig = config.config.executor.http;
  const policy = { allow: httpConfig.allow, deny: httpConfig.deny };
  const local = createLocalExecutor({
    ...config.local,
    workRoot: join(opts.workRoot, 'steps'),
    httpPolicy: policy,
    ...(logger ? { logger } : {}),
  });
  const http = createHttpExecutor({
    evaluate: (source, env) => evaluateExpr(source, env, 'successCondition'),
    policy,
    maxResponseBytes: httpConfig.maxResponseBytes,
    maxRedirects: httpConfig.maxRedirects,
    ...(logger ? { logger } : {}),
  });
  const executorFor = (t: Template): StepExecutor | undefined => {
    if (t.http) return http;
    if (t.container || t.script || t.containerSet) return local;
    return undefined;
  };
  return new Runtime({
    store: opts.store,
    executorFor,
    artifacts: createFsArtifactRepository(opts.artifactsRoot ?? config.artifactsPath),
    runRoot: join(opts.workRoot, 'runs'),
    ...(opts.now ? { now: opts.now } : {}),
    ...(logger ? { logger } : {}),
  });
}
