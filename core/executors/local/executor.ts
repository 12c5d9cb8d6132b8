// The local executor: container, script and containerSet templates as host processes,
// each container in its own bwrap view when the sandbox is usable. One scratch
// directory per step under workRoot, removed when the step ends.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { WeftError } from '../../spec/index.js';
import type { StepExecutor, StepOutcome, StepRequest } from '../types.js';
import { toAbortSignal } from '../signal.js';
import { NOOP_LOGGER } from './config.js';
import type { LocalExecutorConfig } from './config.js';
import { CommandNotFoundError } from './command-lookup.js';
import type { LocalRequest, PodRuntime } from './pod.js';
import { abortMessage } from './pod.js';
import { runPod } from './run-pod.js';
import { findTool } from './sandbox.js';
import { probeSandbox } from './sandbox-probe.js';
import type { SandboxStatus } from './sandbox-probe.js';
import { PodVolumes } from './volumes.js';
import { ScratchDirs } from './scratch.js';
import { Launcher } from './launcher.js';

export interface LocalExecutor extends StepExecutor {
  /** Whether steps run in the bwrap sandbox, and if not, why (probed once, on first use). */
  sandboxStatus(): Promise<SandboxStatus>;
  /**
   * Waits for finished steps' scratch directories to be removed, then stops the scratch
   * worker and the launcher (a later step starts them again). Both are idle-unreferenced,
   * so a process exits without this; a long-lived host calls it on shutdown.
   */
  close(): Promise<void>;
}

const DEFAULT_GRACE_MS = 2000;

export function createLocalExecutor(input: LocalExecutorConfig): LocalExecutor {
  const config: LocalExecutorConfig = { ...input, workRoot: path.resolve(input.workRoot) };
  const logger = config.logger ?? NOOP_LOGGER;
  let status: Promise<SandboxStatus> | undefined;
  const sandboxStatus = () => {
    status ??= mkdir(config.workRoot, { recursive: true })
      .then(() => probeSandbox(config.sandbox, config.workRoot))
      .then((s) => {
        if (s.kind === 'bwrap') logger.info({ hostMounts: s.tools.hostMounts }, 'local executor: steps run in bwrap sandboxes');
        else if (s.kind === 'none' && config.sandbox === 'auto') {
          logger.warn(
            { reason: s.reason },
            'local executor: NO SANDBOX — steps run as plain host processes; absolute paths (/tmp, /mnt, ...) are the host\'s own and parallel steps share them',
          );
        }
        return s;
      });
    return status;
  };
  const tools = Promise.all([findTool('setpriv'), findTool('nsenter')]);
  const cleanups = new Set<Promise<void>>();
  const scratch = new ScratchDirs();
  let launcher: Promise<Launcher | undefined> | undefined; // looked for at the first unsandboxed step
  const launcherFor = (): Promise<Launcher | undefined> => {
    launcher ??= config.launcher === false ? Promise.resolve(undefined) : Launcher.find();
    return launcher;
  };

  return {
    name: 'local',
    sandboxStatus,
    async close() {
      while (cleanups.size) await Promise.all(cleanups);
      await scratch.close();
      (await launcher)?.close();
      launcher = undefined;
    },
    async execute(stepRequest: StepRequest): Promise<StepOutcome> {
      // Child processes, timers and artifact downloads want a real AbortSignal.
      const request: LocalRequest = { ...stepRequest, signal: toAbortSignal(stepRequest.signal) };
      const t = request.template;
      if (!t.container && !t.script && !t.containerSet) {
        return { phase: 'Error', message: 'the local executor runs container, script and containerSet templates only' };
      }
      if (request.signal.aborted) return { phase: 'Failed', message: abortMessage(request.signal) };
      const sandbox = await sandboxStatus();
      if (sandbox.kind === 'unavailable') {
        return { phase: 'Error', message: `executor.local.sandbox is bwrap but the sandbox cannot be used: ${sandbox.reason}` };
      }
      // Made synchronously (see createViewLayout); removed by the scratch worker afterwards.
      const prefix = path.join(config.workRoot, `${safeName(request.node.podName)}-`);
      let stepDir: string;
      try {
        stepDir = mkdtempSync(prefix);
      } catch {
        mkdirSync(config.workRoot, { recursive: true }); // the work root was removed meanwhile
        stepDir = mkdtempSync(prefix);
      }
      const [setpriv, nsenter] = await tools;
      const pod: PodRuntime = {
        request,
        config,
        sandbox: sandbox.kind === 'bwrap' ? sandbox.tools : undefined,
        setpriv,
        nsenter,
        stepDir,
        launcher: sandbox.kind === 'bwrap' ? undefined : await launcherFor(),
        volumes: new PodVolumes(request, stepDir, logger),
        logger,
        graceMs: config.killGraceMs ?? DEFAULT_GRACE_MS,
      };
      try {
        return await runPod(pod);
      } catch (err) {
        return failureOutcome(err, request);
      } finally {
        // Removed after the outcome is reported: the next step need not wait for it.
        const cleanup: Promise<void> = scratch.remove(stepDir)
          .catch((err: unknown) => logger.warn({ node: request.node.id, stepDir, err: String(err) }, 'could not remove the step scratch directory'))
          .finally(() => cleanups.delete(cleanup));
        cleanups.add(cleanup);
      }
    },
  };
}

function failureOutcome(err: unknown, request: LocalRequest): StepOutcome {
  if (request.signal.aborted) return { phase: 'Failed', message: abortMessage(request.signal) };
  if (err instanceof CommandNotFoundError) return { phase: 'Failed', message: err.message };
  if (err instanceof WeftError) return { phase: 'Error', message: err.message };
  return { phase: 'Error', message: err instanceof Error ? err.message : String(err) };
}

function safeName(podName: string): string {
  return podName.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60) || 'step';
}
