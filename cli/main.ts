#!/usr/bin/env node
// The `weft` command: one commander program, each verb registered by its own module.
import { Command } from 'commander';
import { registerLint } from './commands/lint.js';
import { registerRun } from './commands/run.js';

const program = new Command('weft')
  .description('Run and lint Argo Workflows YAML on one machine')
  .version('0.1.0')
  .showHelpAfterError();

registerRun(program);
registerLint(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`weft: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
