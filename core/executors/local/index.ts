// Public surface of core/executors/local: the executor that runs container, script and
// containerSet templates as host processes (bwrap-sandboxed when possible), and its config.
export { createLocalExecutor } from './executor.js';
export type { LocalExecutor } from './executor.js';
export { findImageRule } from './config.js';
export type { ImageRule, LocalExecutorConfig, LocalLogger, SandboxMode } from './config.js';
export type { SandboxStatus } from './sandbox-probe.js';
export { LOCAL_COMMAND_ERROR, expandKubernetesVars, resolveArgv } from './command.js';
export type { CommandSource, ResolveOptions } from './command.js';
export { RESULT_CAP_BYTES } from './stdout-capture.js';
