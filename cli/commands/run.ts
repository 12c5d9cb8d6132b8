// `weft run FILE`: runs a Workflow (or submits a WorkflowTemplate) to completion in this
// process, with an ephemeral in-memory store, showing the node tree as it goes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  formatIssue, loadPaths, validateAndDecode, validateForRun, buildCatalog, UserError, WeftError,
  type Issue, type KnownObject, type Workflow,
} from '../../core/spec/index.js';
import { createMemoryStore, type Store } from '../../core/store/index.js';
import { composeRuntime, loadConfig, workflowFromDocument } from '../../core/runtime/index.js';
import { renderRun } from '../render/tree.js';
import { LiveView } from '../render/live.js';
import { cliLogger } from '../logger.js';

interface RunFlags {
  parameter: string[];
  parameterFile?: string;
  entrypoint?: string;
  load: string[];
  config?: string;
  output?: string;
  namespace?: string;
  keep?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a Workflow (or submit a WorkflowTemplate) to completion on this machine')
    .argument('<file>', 'YAML file with a Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow (run once now)')
    .option('-p, --parameter <NAME=VALUE>', 'workflow parameter (repeatable)', collect, [])
    .option('--parameter-file <file>', 'YAML or JSON file of parameter NAME: VALUE pairs')
    .option('--entrypoint <template>', 'template to start from instead of spec.entrypoint')
    .option('--load <file>', 'WorkflowTemplates, ClusterWorkflowTemplates, ConfigMaps, Secrets, PVCs to register first (repeatable)', collect, [])
    .option('--config <weft.yaml>', 'configuration file (default: ./weft.yaml if present)')
    .option('-n, --namespace <ns>', 'namespace of the run', undefined)
    .option('-o, --output <format>', 'json | yaml | wide: print the final Workflow object (json/yaml) or a wide tree')
    .option('--keep', 'keep the scratch directory (step sandboxes, artifacts) for inspection')
    .action(async (file: string, flags: RunFlags) => {
      process.exitCode = await runCommand(file, flags);
    });
}

function fail(issues: Issue[] | string): number {
  const lines = typeof issues === 'string' ? [issues] : issues.map(formatIssue);
  process.stderr.write(`${lines.join('\n')}\n`);
  return 2;
}

function parseParameters(flags: RunFlags): Record<string, string> {
  const params: Record<string, string> = {};
  if (flags.parameterFile) {
    let data: unknown;
    try {
      data = parseYaml(readFileSync(flags.parameterFile, 'utf8'));
    } catch (err) {
      throw new UserError('WEFT_E_PARAMETER_FILE', `${flags.parameterFile}: ${(err as Error).message}`);
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new UserError('WEFT_E_PARAMETER_FILE', `${flags.parameterFile}: expected a map of parameter names to values`);
    }
    for (const [k, v] of Object.entries(data)) params[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  for (const p of flags.parameter) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UserError('WEFT_E_PARAMETER', `-p ${p}: expected NAME=VALUE`);
    params[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return params;
}

const SUPPORTING = new Set(['WorkflowTemplate', 'ClusterWorkflowTemplate', 'ConfigMap', 'Secret', 'PersistentVolumeClaim']);

function register(store: Store, object: KnownObject): void {
  if (!SUPPORTING.has(object.kind)) return;
  const value = object.value as { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } };
  const cluster = object.kind === 'ClusterWorkflowTemplate';
  store.putObject({
    kind: object.kind,
    namespace: cluster ? '' : value.metadata?.namespace ?? 'default',
    name: value.metadata?.name ?? '',
    labels: value.metadata?.labels ?? {},
    body: object.value as unknown as Record<string, unknown>,
  });
}

async function runCommand(file: string, flags: RunFlags): Promise<number> {
  const output = flags.output;
  if (output !== undefined && !['json', 'yaml', 'wide'].includes(output)) return fail(`weft run: -o must be json, yaml or wide, not "${output}"`);
  let params: Record<string, string>;
  let config;
  try {
    params = parseParameters(flags);
    config = loadConfig(flags.config);
  } catch (err) {
    return fail(err instanceof WeftError ? err.message : String(err));
  }

  const main = loadPaths([file]);
  const extra = loadPaths(flags.load);
  const parseIssues = [...main.issues, ...extra.issues].filter((i) => i.severity === 'error');
  if (parseIssues.length) return fail(parseIssues);
  const result = validateAndDecode(main.documents, { extra: extra.documents });
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (errors.length) return fail(errors);

  const runnable = result.decoded.find((d) => d.object.kind === 'Workflow')
    ?? result.decoded.find((d) => d.object.kind === 'WorkflowTemplate' || d.object.kind === 'ClusterWorkflowTemplate')
    ?? result.decoded.find((d) => d.object.kind === 'CronWorkflow');
  if (!runnable) return fail(`${file}: no Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow to run`);

  const store = createMemoryStore();
  const extraObjects = validateAndDecode(extra.documents).decoded.map((d) => d.object);
  for (const object of extraObjects) register(store, object);
  for (const d of result.decoded) register(store, d.object);

  const now = Date.now();
  let workflow: Workflow;
  try {
    workflow = workflowFromDocument(
      { kind: runnable.object.kind as 'Workflow', value: runnable.object.value as unknown as Record<string, unknown> },
      { parameters: params, ...(flags.entrypoint ? { entrypoint: flags.entrypoint } : {}), ...(flags.namespace ? { namespace: flags.namespace } : {}), now },
    );
  } catch (err) {
    return fail(err instanceof WeftError ? err.message : String(err));
  }
  const catalog = buildCatalog([...extraObjects, ...result.decoded.map((d) => d.object)]);
  const runIssues = validateForRun(workflow, { catalog, ...(runnable.object.kind === 'Workflow' ? { doc: runnable.doc } : {}) });
  if (runIssues.some((i) => i.severity === 'error')) return fail(runIssues.filter((i) => i.severity === 'error'));

  const scratch = mkdtempSync(join(tmpdir(), 'weft-run-'));
  const runtime = composeRuntime({ config, store, workRoot: scratch, artifactsRoot: join(scratch, 'artifacts'), logger: cliLogger() });
  const live = new LiveView(process.stderr, output === 'json' || output === 'yaml' ? 'quiet' : 'progress', output === 'wide');
  let controller;
  try {
    controller = runtime.submit(workflow);
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    return fail(err instanceof WeftError ? err.message : String(err));
  }
  const unsubscribe = runtime.subscribe((e) => live.onEvent(e, controller.current));
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    const c = controller;
    if (!c) return;
    c.post(interrupts === 1 ? { type: 'stop', message: 'interrupted' } : { type: 'terminate', message: 'interrupted' });
    if (interrupts === 1) process.stderr.write('\nstopping (exit handlers still run); press Ctrl-C again to terminate\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Nothing left that could wake the run (an indefinite suspend, a lock nobody releases):
  // say so instead of letting node exit silently with the run unfinished.
  const stalled = new Promise<never>((_, reject) => {
    process.once('beforeExit', () => reject(new UserError('WEFT_E_STALLED',
      'the workflow is waiting for something this process cannot give it (a suspend without duration, or a lock held elsewhere); `weft run` cannot resume it (resuming needs the server: `weft resume`)')));
  });
  let final: Workflow;
  try {
    final = await Promise.race([controller.finished, stalled]);
  } catch (err) {
    if (err instanceof UserError) {
      process.stdout.write(renderRun(presentable(controller.current), Date.now(), output === 'wide'));
      process.stderr.write(`weft run: ${err.message} (${err.code})\n`);
      return 1;
    }
    return fail(`weft run: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    unsubscribe();
    live.stop();
    runtime.close();
    if (!flags.keep) rmSync(scratch, { recursive: true, force: true });
    else process.stderr.write(`scratch directory kept: ${scratch}\n`);
  }
  const presented = presentable(final);
  if (output === 'json') process.stdout.write(`${JSON.stringify(presented, null, 2)}\n`);
  else if (output === 'yaml') process.stdout.write(stringifyYaml(presented));
  else process.stdout.write(renderRun(presented, Date.now(), output === 'wide'));
  const phase = final.status?.phase;
  return phase === 'Succeeded' ? 0 : 1;
}

/** The Workflow as Argo would show it: engine bookkeeping left out. */
function presentable(wf: Workflow): Workflow {
  const status = { ...(wf.status ?? {}) } as Record<string, unknown>;
  delete status.weft;
  return { ...wf, status } as Workflow;
}
