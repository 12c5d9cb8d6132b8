// What a container runs, with Kubernetes semantics: the template's `command` replaces
// the image ENTRYPOINT and drops its CMD; `args` alone are appended to the ENTRYPOINT;
// with neither, ENTRYPOINT + CMD run. The image side comes from weft.yaml's `images`
// table. `$(VAR)` references in command and args are expanded from the container's
// env as the kubelet does; a script's source file is the last argument, as Argo adds
// it; then the first word goes through `alias`.
import { UserError } from '../../spec/index.js';
import { findImageRule } from './config.js';
import type { ImageRule } from './config.js';

export const LOCAL_COMMAND_ERROR = 'WEFT_E_LOCAL_COMMAND';

export interface CommandSource {
  image?: string;
  command?: string[];
  args?: string[];
}

export interface ResolveOptions {
  images: ImageRule[];
  alias: Record<string, string>;
  /** The container's env, for $(VAR) expansion. */
  env?: Record<string, string>;
  /** Script templates: the source file's path inside the step's view. */
  scriptPath?: string;
}

export function resolveArgv(container: CommandSource, opts: ResolveOptions): string[] {
  const expand = (words: string[] | undefined) =>
    words && words.length > 0 ? words.map((w) => expandKubernetesVars(w, opts.env ?? {})) : undefined;
  const command = expand(container.command);
  const templateArgs = expand(container.args);
  const args = opts.scriptPath === undefined ? templateArgs : [...(templateArgs ?? []), opts.scriptPath];
  const argv = command ? [...command, ...(args ?? [])] : imageArgv(container.image, args, opts.images);
  const [first, ...rest] = argv;
  if (first === undefined) throw noCommand(container.image, findImageRule(opts.images, container.image) !== undefined);
  return [opts.alias[first] ?? first, ...rest];
}

function imageArgv(image: string | undefined, args: string[] | undefined, images: ImageRule[]): string[] {
  const rule = findImageRule(images, image);
  if (!rule) throw noCommand(image, false);
  const entrypoint = rule.command ?? [];
  return args ? [...entrypoint, ...args] : [...entrypoint, ...(rule.args ?? [])];
}

function noCommand(image: string | undefined, hasRule: boolean): UserError {
  const shown = image ?? '(no image)';
  const message = hasRule
    ? `image "${shown}": the template gives no command and its entry in weft.yaml executor.local.images ` +
      `sets neither command nor args; add the image's ENTRYPOINT (command) or CMD (args) there`
    : `image "${shown}": the template gives no command and weft.yaml has no executor.local.images entry ` +
      `matching it; add one with what the image runs, e.g. images: {"${shown.split(':')[0] ?? shown}*": {command: ["<program>"]}}`;
  return new UserError(LOCAL_COMMAND_ERROR, message);
}

/**
 * The kubelet's $(VAR) expansion (k8s.io third_party expansion.Expand): `$(NAME)` is
 * replaced when NAME is defined, left as written otherwise; `$$` is an escaped `$`.
 */
export function expandKubernetesVars(input: string, env: Record<string, string>): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === '$') out += '$';
    else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close === -1) out += '$(';
      else {
        const name = input.slice(cursor + 2, close);
        out += Object.prototype.hasOwnProperty.call(env, name) ? env[name] : `$(${name})`;
        advance = close - cursor;
      }
    } else out += `$${next ?? ''}`;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}
