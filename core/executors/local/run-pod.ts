// A container or script template run as Argo runs its pod: init containers one after
// another, sidecars started alongside, the main container (or a containerSet's graph),
// then sidecars stopped and outputs read. A daemon's main container reports itself up
// (after its readinessProbe, if any) and runs until the step is aborted.
import type { StepOutcome } from '../types.js';
import { prepareContainer } from './container.js';
import type { LaunchedContainer, PreparedContainer } from './container.js';
import { runContainerSet } from './container-set.js';
import { collectOutputs, outputPaths } from './outputs.js';
import { abortMessage, exitMessage, setupFailure, sidecarFailed, waitOrAbort } from './pod.js';
import type { ContainerSpec, PodRuntime } from './pod.js';
import { waitUntilReady } from './readiness.js';
import type { VolumeMount } from '../../spec/index.js';

export async function runPod(pod: PodRuntime): Promise<StepOutcome> {
  const { template, signal } = pod.request;
  const mainMounts = template.containerSet?.volumeMounts ?? (template.container ?? template.script)?.volumeMounts ?? [];

  for (const [index, init] of (template.initContainers ?? []).entries()) {
    const name = init.name ?? `init-${index}`;
    const prepared = await prepareContainer(pod, userContainerSpec(name, 'init', init, mainMounts));
    const launched = prepared.launch();
    const { exit, aborted } = await waitOrAbort(launched.process, signal, pod.graceMs);
    if (aborted) return { phase: 'Failed', message: abortMessage(signal) };
    const setup = setupFailure(pod, launched, exit);
    if (setup) return { phase: 'Error', message: `${name}: ${setup}` };
    if (exit.exitCode !== 0) return { phase: 'Failed', message: exitMessage(name, exit.exitCode) };
  }

  const sidecars: Array<{ name: string; launched: LaunchedContainer }> = [];
  let outcome: StepOutcome;
  try {
    for (const [index, sidecar] of (template.sidecars ?? []).entries()) {
      const name = sidecar.name ?? `sidecar-${index}`;
      const prepared = await prepareContainer(pod, userContainerSpec(name, 'sidecar', sidecar, mainMounts));
      sidecars.push({ name, launched: prepared.launch() });
    }
    outcome = template.containerSet ? await runContainerSet(pod) : await runMain(pod);
  } finally {
    // Argo kills sidecars once the main container is done.
    await Promise.all(sidecars.map((s) => s.launched.process.terminate(pod.graceMs)));
  }
  if (outcome.phase !== 'Succeeded') return outcome;
  for (const sidecar of sidecars) {
    const exit = await sidecar.launched.process.exited;
    if (sidecarFailed(exit.exitCode)) return { ...outcome, phase: 'Failed', message: exitMessage(sidecar.name, exit.exitCode) };
  }
  return outcome;
}

function userContainerSpec(
  name: string,
  role: 'init' | 'sidecar',
  container: NonNullable<PodRuntime['request']['template']['sidecars']>[number],
  mainMounts: VolumeMount[],
): ContainerSpec {
  const own = container.volumeMounts ?? [];
  const mirrored = container.mirrorVolumeMounts ? mainMounts.filter((m) => !own.some((o) => o.mountPath === m.mountPath)) : [];
  return { name, role, container, volumeMounts: [...own, ...mirrored], inputs: [], outputPaths: [] };
}

async function runMain(pod: PodRuntime): Promise<StepOutcome> {
  const { template, signal } = pod.request;
  const container = template.container ?? template.script;
  if (!container) return { phase: 'Error', message: 'template has no container or script' };
  const prepared = await prepareContainer(pod, {
    name: 'main',
    role: 'main',
    container,
    volumeMounts: container.volumeMounts ?? [],
    ...(template.script ? { script: template.script.source } : {}),
    inputs: template.inputs?.artifacts ?? [],
    outputPaths: outputPaths(template),
    keepLog: template.archiveLocation?.archiveLogs === true,
  });
  if (signal.aborted) return { phase: 'Failed', message: abortMessage(signal) };
  const launched = prepared.launch();
  if (template.daemon) void reportDaemonUp(pod, prepared, launched);
  const { exit, aborted } = await waitOrAbort(launched.process, signal, pod.graceMs);
  await launched.flushed;
  if (aborted) return template.daemon ? { phase: 'Succeeded' } : { phase: 'Failed', message: abortMessage(signal) };
  const setup = setupFailure(pod, launched, exit);
  if (setup) return { phase: 'Error', message: `main: ${setup}` };
  if (launched.stdout.truncated) {
    pod.logger.warn({ node: pod.request.node.id }, 'output is larger than 256 KiB: only the last 256 KiB are kept as outputs.result');
  }
  const collected = await collectOutputs(pod, {
    template,
    view: prepared.view,
    result: launched.stdout.result(),
    exitCode: exit.exitCode,
    ...(launched.logFile ? { logFile: launched.logFile } : {}),
  });
  const base = { exitCode: exit.exitCode, outputs: collected.outputs };
  if (exit.exitCode !== 0) return { ...base, phase: 'Failed', message: exitMessage('main', exit.exitCode) };
  if (collected.error) return { ...base, phase: 'Failed', message: collected.error };
  return { ...base, phase: 'Succeeded' };
}

async function reportDaemonUp(pod: PodRuntime, prepared: PreparedContainer, launched: LaunchedContainer): Promise<void> {
  const { request } = pod;
  const probe = prepared.spec.container.readinessProbe;
  const ready =
    probe === undefined ||
    (await waitUntilReady(probe, {
      ports: prepared.spec.container.ports,
      exec: (argv, timeoutMs) => prepared.exec(argv, timeoutMs),
      exited: launched.process.exited,
      signal: request.signal,
      logger: pod.logger,
    }));
  if (ready && !request.signal.aborted) request.daemoned?.();
}
