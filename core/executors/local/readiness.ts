// Readiness probes of daemon containers (Kubernetes' exec, httpGet, tcpSocket), polled
// until the first success. The pod shares the host's network, so probe hosts default
// to 127.0.0.1. periodSeconds defaults to 1 s, not Kubernetes' 10 s: on one machine
// the probe is cheap and a daemon step should not wait ten seconds for nothing.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { z } from 'zod';
import type { LocalLogger } from './config.js';
import { within } from './process.js';

const PortSchema = z.union([z.number().int(), z.string()]);
const ProbeSchema = z.looseObject({
  exec: z.object({ command: z.array(z.string()).optional() }).optional(),
  httpGet: z
    .object({
      path: z.string().optional(),
      port: PortSchema,
      host: z.string().optional(),
      scheme: z.string().optional(),
      httpHeaders: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
    })
    .optional(),
  tcpSocket: z.object({ port: PortSchema, host: z.string().optional() }).optional(),
  initialDelaySeconds: z.number().optional(),
  periodSeconds: z.number().optional(),
  timeoutSeconds: z.number().optional(),
});
const PortsSchema = z.array(z.looseObject({ name: z.string().optional(), containerPort: z.number().int() }));

export interface ProbeContext {
  /** The container's `ports`, for named probe ports. */
  ports: unknown;
  /** Runs a command in the container's view; resolves its exit code. */
  exec(argv: string[], timeoutMs: number): Promise<number>;
  /** Resolves when the container has exited (then it will never become ready). */
  exited: Promise<unknown>;
  signal: AbortSignal;
  logger: LocalLogger;
}

/** True once the probe succeeds; false if the container exits or the step is aborted first. */
export async function waitUntilReady(rawProbe: unknown, ctx: ProbeContext): Promise<boolean> {
  const parsed = ProbeSchema.safeParse(rawProbe);
  if (!parsed.success) {
    ctx.logger.warn({ issues: parsed.error.issues.length }, 'readinessProbe not understood; treating the daemon as ready');
    return true;
  }
  const probe = parsed.data;
  let gone = false;
  void ctx.exited.then(() => (gone = true));
  const aborted = new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
  const wait = async (ms: number) => {
    await within(ms, Promise.race([ctx.exited, aborted]));
    return !gone && !ctx.signal.aborted;
  };
  if (!(await wait((probe.initialDelaySeconds ?? 0) * 1000))) return false;
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  for (;;) {
    if (await probeOnce(probe, ctx, timeoutMs).catch(() => false)) return !gone;
    if (!(await wait((probe.periodSeconds ?? 1) * 1000))) return false;
  }
}

type Probe = z.infer<typeof ProbeSchema>;

async function probeOnce(probe: Probe, ctx: ProbeContext, timeoutMs: number): Promise<boolean> {
  if (probe.exec?.command?.length) return (await ctx.exec(probe.exec.command, timeoutMs)) === 0;
  if (probe.httpGet) {
    const get = probe.httpGet;
    const port = resolvePort(get.port, ctx.ports);
    const headers = Object.fromEntries((get.httpHeaders ?? []).map((h) => [h.name, h.value]));
    return httpGetOk(get.scheme?.toUpperCase() === 'HTTPS', get.host ?? '127.0.0.1', port, get.path ?? '/', headers, timeoutMs);
  }
  if (probe.tcpSocket) return tcpOpen(probe.tcpSocket.host ?? '127.0.0.1', resolvePort(probe.tcpSocket.port, ctx.ports), timeoutMs);
  return true; // grpc or no handler: nothing the local executor can check
}

function resolvePort(port: number | string, ports: unknown): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = PortsSchema.safeParse(ports);
  const match = named.success ? named.data.find((p) => p.name === port) : undefined;
  if (!match) throw new Error(`probe port "${port}" is not a containerPort name`);
  return match.containerPort;
}

function httpGetOk(secure: boolean, host: string, port: number, urlPath: string, headers: Record<string, string>, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const options = { host, port, path: urlPath, headers, timeout: timeoutMs, rejectUnauthorized: false };
    // Kubernetes does not verify certificates of probe targets either.
    const req = (secure ? https : http).get(options, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

function tcpOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
