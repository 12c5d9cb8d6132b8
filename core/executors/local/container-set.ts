// containerSet templates: a graph of containers in one pod. Each container has its
// own view and process and shares the template's volumes; a container starts when
// all its dependencies succeeded (in parallel otherwise), and one whose dependency
// failed never runs (Omitted). containerSet.retryStrategy re-runs a failing
// container's command in the same view, `retries` more times with `duration` between
// attempts, as Argo's emissary does. `main` provides inputs, outputs, result and
// exitCode (without a `main`, the last container in the list does).
import type { ContainerNode } from '../../spec/index.js';
import type { ContainerOutcome, StepOutcome } from '../types.js';
import { prepareContainer, resetOutputs } from './container.js';
import type { PreparedContainer } from './container.js';
import { collectOutputs, outputPaths } from './outputs.js';
import { abortMessage, exitMessage, setupFailure, waitOrAbort } from './pod.js';
import type { PodRuntime } from './pod.js';
import { pause } from './process.js';

interface Attempted extends ContainerOutcome {
  result?: string;
  setupError?: string;
}

export async function runContainerSet(pod: PodRuntime): Promise<StepOutcome> {
  const { template, signal } = pod.request;
  const set = template.containerSet;
  if (!set || set.containers.length === 0) return { phase: 'Error', message: 'containerSet has no containers' };
  const outputName = set.containers.some((c) => c.name === 'main') ? 'main' : set.containers.at(-1)?.name;
  const prepared = new Map<string, PreparedContainer>();
  for (const node of set.containers) {
    const isOutput = node.name === outputName;
    prepared.set(
      node.name ?? '',
      await prepareContainer(pod, {
        name: node.name ?? '',
        role: node.name === 'main' ? 'main' : 'set',
        container: node,
        volumeMounts: [...(node.volumeMounts ?? []), ...(set.volumeMounts ?? [])],
        inputs: isOutput ? (template.inputs?.artifacts ?? []) : [],
        outputPaths: isOutput ? outputPaths(template) : [],
      }),
    );
  }
  const { all, containers } = await runGraph(pod, set.containers, prepared);

  if (signal.aborted) return { phase: 'Failed', message: abortMessage(signal), containers };
  const setup = all.find((o) => o.setupError);
  if (setup?.setupError) return { phase: 'Error', message: `${setup.name}: ${setup.setupError}`, containers };
  const outputContainer = all.find((o) => o.name === outputName);
  const view = outputName !== undefined ? prepared.get(outputName)?.view : undefined;
  const collected = view
    ? await collectOutputs(pod, {
        template,
        view,
        ...(outputContainer?.result !== undefined ? { result: outputContainer.result } : {}),
        ...(outputContainer?.exitCode !== undefined ? { exitCode: outputContainer.exitCode } : {}),
      })
    : { outputs: {} };
  const exitCode = outputContainer?.exitCode;
  const base = { containers, outputs: collected.outputs, ...(exitCode !== undefined ? { exitCode } : {}) };
  const failed = all.find((o) => o.phase === 'Failed' || o.phase === 'Error');
  if (failed) return { ...base, phase: 'Failed', message: failed.message ?? exitMessage(failed.name, failed.exitCode ?? 1) };
  if (collected.error) return { ...base, phase: 'Failed', message: collected.error };
  return { ...base, phase: 'Succeeded' };
}

/** Runs every container once its dependencies succeeded; outcomes in start order (never-started last). */
async function runGraph(
  pod: PodRuntime,
  nodes: ContainerNode[],
  prepared: Map<string, PreparedContainer>,
): Promise<{ all: Attempted[]; containers: ContainerOutcome[] }> {
  const { signal } = pod.request;
  const strategy = pod.request.template.containerSet?.retryStrategy;
  const retries = Number(strategy?.retries ?? 0);
  const attempts = Number.isInteger(retries) && retries > 0 ? retries + 1 : 1;
  const pauseMs = parseGoDuration(strategy?.duration ?? '0s');
  const byName = new Map(nodes.map((c) => [c.name ?? '', c]));
  const runs = new Map<string, Promise<Attempted>>();
  const startOrder: string[] = [];

  const run = (node: ContainerNode, path: string[]): Promise<Attempted> => {
    const name = node.name ?? '';
    const known = runs.get(name);
    if (known) return known;
    const pending = (async (): Promise<Attempted> => {
      if (path.includes(name)) return { name, phase: 'Error', message: `dependency cycle: ${[...path, name].join(' -> ')}` };
      const deps = (node.dependencies ?? []).flatMap((d) => {
        const dep = byName.get(d);
        return dep ? [run(dep, [...path, name])] : [];
      });
      const failed = (await Promise.all(deps)).find((d) => d.phase !== 'Succeeded');
      if (failed) return { name, phase: 'Omitted', message: `dependency "${failed.name}" did not succeed` };
      if (signal.aborted) return { name, phase: 'Omitted', message: abortMessage(signal) };
      const container = prepared.get(name);
      if (!container) return { name, phase: 'Error', message: `container ${name} was not prepared` };
      return attempt(pod, container, attempts, pauseMs, () => startOrder.push(name));
    })();
    runs.set(name, pending);
    return pending;
  };
  const all = await Promise.all(nodes.map((node) => run(node, [])));
  const rank = (o: Attempted) => (startOrder.includes(o.name) ? startOrder.indexOf(o.name) : startOrder.length);
  const containers = [...all]
    .sort((a, b) => rank(a) - rank(b)) // stable: containers that never started keep template order
    .map(({ result: _result, setupError: _setup, ...outcome }): ContainerOutcome => outcome);
  return { all, containers };
}

async function attempt(
  pod: PodRuntime,
  container: PreparedContainer,
  attempts: number,
  pauseMs: number,
  onStart: () => void,
): Promise<Attempted> {
  const { signal } = pod.request;
  const name = container.spec.name;
  let startedAt: string | undefined;
  for (let n = 1; ; n++) {
    await resetOutputs(container.view);
    const launched = container.launch();
    if (startedAt === undefined) onStart();
    startedAt ??= launched.startedAt;
    const { exit, aborted } = await waitOrAbort(launched.process, signal, pod.graceMs);
    await launched.flushed;
    const finishedAt = new Date().toISOString();
    const setupError = setupFailure(pod, launched, exit);
    const done: Attempted = { name, startedAt, finishedAt, exitCode: exit.exitCode, result: launched.stdout.result(), phase: 'Succeeded' };
    if (setupError) return { ...done, phase: 'Error', message: setupError, setupError };
    if (exit.exitCode === 0) return done;
    const failed: Attempted = { ...done, phase: 'Failed', message: aborted ? abortMessage(signal) : exitMessage(name, exit.exitCode) };
    if (aborted || n >= attempts) return failed;
    pod.logger.info({ node: pod.request.node.id, container: name, attempt: n, exitCode: exit.exitCode }, 'containerSet container failed; retrying');
    await pause(pauseMs, signal);
    if (signal.aborted) return failed;
  }
}

/** Go's time.ParseDuration for the units Argo documents: "300ms", "1.5s", "1m30s", "2h". */
export function parseGoDuration(text: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = text.trim();
  if (rest === '' || rest === '0') return 0;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!match?.[1] || !match[2]) return 0;
    total += Number(match[1]) * (units[match[2]] ?? 0);
    rest = rest.slice(match[0].length);
  }
  return total;
}
