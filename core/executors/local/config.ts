// The local executor's resolved configuration (weft.yaml `executor.local`, with
// paths made absolute and the image table in file order) and the lookup of what an
// image would run by itself.
import type { HttpPolicyConfig } from '../http/index.js';

export type SandboxMode = 'auto' | 'bwrap' | 'none';

/** What an image runs when the template does not say: ENTRYPOINT = command, CMD = args. */
export interface ImageRule {
  /** Glob on the image reference: `*` any run of characters, `?` one character. */
  pattern: string;
  command?: string[];
  args?: string[];
}

/** The subset of pino's Logger the executor uses. Env values and secrets are never passed to it. */
export interface LocalLogger {
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface LocalExecutorConfig {
  /** Absolute directories prepended to PATH for every step. */
  path: string[];
  /** Command as written in a container (absolute like /argosay or bare like python) -> host command. */
  alias: Record<string, string>;
  /** Ordered: the first rule whose pattern matches the image wins. */
  images: ImageRule[];
  /** auto: bwrap when it passes its self-test, else plain processes (logged); bwrap: required; none: never. */
  sandbox: SandboxMode;
  /** false: spawn every step from Node itself instead of through the python3 launcher. */
  launcher?: boolean;
  /** Scratch root for per-step directories (overlay upper dirs, emptyDir volumes, staged inputs). */
  workRoot: string;
  logger?: LocalLogger;
  /** executor.http rules, applied to http/artifactory input and output artifacts. */
  httpPolicy?: HttpPolicyConfig;
  /** Time between SIGTERM and SIGKILL when a step is stopped or a sidecar ends (default 2000 ms). */
  killGraceMs?: number;
}

/** The first rule matching the image, trying it as written and without `docker.io/` and `library/`. */
export function findImageRule(rules: ImageRule[], image: string | undefined): ImageRule | undefined {
  if (!image) return undefined;
  const candidates = [image, image.replace(/^docker\.io\//, '').replace(/^library\//, '')];
  return rules.find((rule) => {
    const pattern = globToRegExp(rule.pattern);
    return candidates.some((candidate) => pattern.test(candidate));
  });
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

export const NOOP_LOGGER: LocalLogger = { warn() {}, info() {}, debug() {} };
