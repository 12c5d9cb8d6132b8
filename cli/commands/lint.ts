// `weft lint FILE|DIR...`: parses and validates every document, prints all issues as
// `file:line:col path message (CODE)` on stderr, exits 0 when there are no errors
// (warnings allowed) and 2 when there are. Files linted together resolve templateRef
// and workflowTemplateRef against each other; --load adds files that are only resolved against.
import type { Command } from 'commander';
import { formatIssue, loadPaths, validateDocuments, type ExecutorKind, type Issue } from '../../core/spec/index.js';

export interface LintResult {
  issues: Issue[];
  /** No error-severity issue. */
  valid: boolean;
  documents: number;
}

export interface LintOptions {
  /** Paths whose documents references resolve against without being reported on. */
  load?: readonly string[];
  /** The executor the files will run on: 'local' (default) warns about Kubernetes-only fields. */
  executor?: ExecutorKind;
}

function compareIssues(a: Issue, b: Issue): number {
  return (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0);
}

export function lintPaths(paths: readonly string[], options: LintOptions = {}): LintResult {
  const main = loadPaths(paths);
  const extra = options.load && options.load.length > 0 ? loadPaths(options.load) : undefined;
  const issues = [...main.issues, ...(extra?.issues.filter((i) => i.severity === 'error') ?? []), ...validateDocuments(main.documents, { extra: extra?.documents ?? [], executor: options.executor ?? 'local' })];
  issues.sort(compareIssues);
  return { issues, valid: !issues.some((i) => i.severity === 'error'), documents: main.documents.length };
}

export function formatLintIssue(issue: Issue): string {
  return `${issue.severity}: ${formatIssue(issue)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

interface LintFlags {
  load: string[];
  executor?: string;
  output?: string;
  quiet?: boolean;
}

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('validate Workflows, WorkflowTemplates, CronWorkflows and Weft objects; exit 2 when invalid')
    .argument('<paths...>', 'files or directories (walked for *.yaml, *.yml, *.json)')
    .option('--load <file>', 'also resolve references against FILE (repeatable)', (v: string, prev: string[]) => [...prev, v], [])
    .option('-o, --output <format>', 'text (default) or json: print the issues as JSON on stdout')
    .option('-q, --quiet', 'print errors only, no warnings')
    .option('--executor <kind>', 'local (default: warn about Kubernetes-only fields) or kubernetes')
    .action((paths: string[], flags: LintFlags) => {
      const executor: ExecutorKind = flags.executor === 'kubernetes' ? 'kubernetes' : 'local';
      const result = lintPaths(paths, { load: flags.load, executor });
      const shown = flags.quiet ? result.issues.filter((i) => i.severity === 'error') : result.issues;
      if (flags.output === 'json') {
        process.stdout.write(`${JSON.stringify({ valid: result.valid, documents: result.documents, issues: shown }, null, 2)}\n`);
      }
      for (const issue of shown) process.stderr.write(`${formatLintIssue(issue)}\n`);
      const errors = result.issues.filter((i) => i.severity === 'error').length;
      const warnings = result.issues.length - errors;
      const summary = `${plural(result.documents, 'document')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
      process.stderr.write(`weft lint: ${result.valid ? 'valid' : 'invalid'}, ${summary}\n`);
      process.exitCode = result.valid ? 0 : 2;
    });
}
