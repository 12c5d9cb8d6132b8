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
  const retries = Number(set.retryStrategy?.retries ?? 0);
  const attempts = Number.isInteger(retries) && retries > 0 ? retries + 1 : 1;
  const pauseMs = parseGoDuration(set.retryStrategy?.duration ?? '0s');
  const started: Attempted[] = [];
  const runs = new Map<string, Promise<Attempted>>();
  const byName = new Map(set.containers.map((c) => [c.name ?? '', c]));

  const run = (node: ContainerNode, path: string[]): Promise<Attempted> => {
    const name = node.name ?? '';
    let pending = runs.get(name);
    if (!pending) {
      pending = (async (): Promise<Attempted> => {
        if (path.includes(name)) return { name, phase: 'Error', message: `dependency cycle: ${[...path, name].join(' -> ')}` };
        const deps = await Promise.all((node.dependencies ?? []).map((d) => byName.get(d)).flatMap((d) => (d ? [run(d, [...path, name])] : [])));
        const failed = deps.find((d) => d.phase !== 'Succeeded');
        if (failed) return { name, phase: 'Omitted', message: `dependency "${failed.name}" did not succeed` };
        if (signal.aborted) return { name, phase: 'Omitted', message: abortMessage(signal) };
        const container = prepared.get(name);
        if (!container) return { name, phase: 'Error', message: `container ${name} was not prepared` };
        const outcome = await attempt(pod, container, attempts, pauseMs);
        started.push(outcome);
        return outcome;
      })();
      runs.set(name, pending);
    }
    return pending;
  };
  const all = await Promise.all(set.containers.map((node) => run(node, [])));

  const containers: ContainerOutcome[] = [...started, ...all.filter((o) => !started.includes(o))].map(
    ({ result: _result, setupError: _setup, ...outcome }) => outcome,
  );
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
  const base = { containers, outputs: collected.outputs, ...(outputContainer?.exitCode !== undefined ? { exitCode: outputContainer.exitCode } : {}) };
  const failed = all.find((o) => o.phase === 'Failed' || o.phase === 'Error');
  if (failed) return { ...base, phase: 'Failed', message: failed.message ?? exitMessage(failed.name, failed.exitCode ?? 1) };
  if (collected.error) return { ...base, phase: 'Failed', message: collected.error };
  return { ...base, phase: 'Succeeded' };
}

async function attempt(pod: PodRuntime, container: PreparedContainer, attempts: number, pauseMs: number): Promise<Attempted> {
  const { signal } = pod.request;
  const name = container.spec.name;
  let startedAt: string | undefined;
  for (let n = 1; ; n++) {
    await resetOutputs(container.view);
    const launched = container.launch();
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
