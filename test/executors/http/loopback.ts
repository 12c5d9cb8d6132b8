// Fixtures for the http executor tests: real HTTP(S) servers on 127.0.0.1 with the
// kit's endpoints plus slow, huge and redirecting ones, a StepRequest builder and a
// logger that keeps every line it was given.
import http from 'node:http';
import https from 'node:https';
import type { HTTPTemplate } from '../../../core/spec/index.js';
import type { StepRequest } from '../../../core/executors/index.js';
import type { HttpLogger } from '../../../core/executors/http/index.js';

export interface Hit {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

export interface Loopback {
  url: string;
  port: number;
  hits: Hit[];
  close(): Promise<void>;
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

export async function startLoopback(route: Route = kitRoute, tls?: { key: string; cert: string }): Promise<Loopback> {
  const hits: Hit[] = [];
  const listener: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, at: performance.now() });
      route(req, res, body);
    });
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('loopback server has no TCP address');
  const { port } = address;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The conformance kit's endpoints (run.mjs startKitHttpServer) plus:
 *   /redirect/N          302 to /redirect/N-1, /redirect/0 answers "done"
 *   /to?url=U&code=C     C (302) to U
 *   /huge/BYTES          BYTES of "x" with Content-Length; /stream/BYTES without
 *   /slow-body/MS        headers at once, the body after MS
 */
/** Bytes the last /stream/ answer wrote before it ended or the client hung up. */
export const streamProgress = { written: 0 };

export const kitRoute: Route = (req, res, body) => {
  const url = new URL(req.url ?? '/', 'http://kit');
  const parts = url.pathname.split('/').filter(Boolean);
  const send = (code: number, text: string, type = 'text/plain; charset=utf-8') => {
    res.writeHead(code, { 'content-type': type, 'x-kit': 'conformance' });
    res.end(text);
  };
  const n = Number(parts[1]);
  switch (parts[0]) {
    case 'status':
      return send(n, `status ${n}`);
    case 'json':
      return send(200, JSON.stringify({ name: 'weft', count: 3, items: ['a', 'b', 'c'] }), 'application/json');
    case 'echo':
      return send(200, JSON.stringify({ method: req.method, path: url.pathname, headers: req.headers, body: body.toString('utf8') }), 'application/json');
    case 'delay': {
      const timer = setTimeout(() => send(200, `slept ${n}`), n);
      res.on('close', () => clearTimeout(timer));
      return undefined;
    }
    case 'redirect':
      if (n <= 0) return send(200, 'done');
      res.writeHead(302, { location: `/redirect/${n - 1}` });
      return res.end();
    case 'to':
      res.writeHead(Number(url.searchParams.get('code') ?? 302), { location: url.searchParams.get('url') ?? '/' });
      return res.end();
    case 'huge':
      res.writeHead(200, { 'content-length': String(n) });
      return res.end(Buffer.alloc(n, 'x'));
    case 'stream': {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let left = n;
      streamProgress.written = 0;
      const pump = () => {
        while (left > 0 && !res.destroyed) {
          const piece = chunk.subarray(0, Math.min(left, chunk.length));
          left -= piece.length;
          streamProgress.written += piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      return pump();
    }
    case 'slow-body': {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('start;');
      const timer = setTimeout(() => res.end('end'), n);
      res.on('close', () => clearTimeout(timer));
      return undefined;
    }
    default:
      return send(404, 'no such kit endpoint');
  }
};

export function stepRequest(
  spec: HTTPTemplate,
  options: { secrets?: Record<string, Record<string, string>>; signal?: AbortSignal; logs?: string[] } = {},
): StepRequest {
  const secrets = options.secrets ?? {};
  return {
    workflow: { name: 'wf', namespace: 'default', uid: 'uid-1', labels: {}, annotations: {} },
    node: { id: 'wf-1', name: 'wf[0].call', displayName: 'call', podName: 'wf-call-1' },
    template: { name: 'call', http: spec },
    artifactKeyPrefix: 'wf/wf-call-1',
    artifacts: {
      save: () => Promise.reject(new Error('http steps save no artifacts')),
      load: () => Promise.reject(new Error('http steps load no artifacts')),
      has: () => Promise.resolve(false),
    },
    values: {
      secret: (name, key) => secrets[name]?.[key],
      configMap: () => undefined,
    },
    runDir: '/nonexistent',
    volumes: [],
    volumeClaims: [],
    signal: options.signal ?? new AbortController().signal,
    log: (stream, text) => options.logs?.push(`${stream}: ${text}`),
  };
}

/** A logger recording each call as one JSON line, so tests can search everything logged. */
export function recordingLogger(): { logger: HttpLogger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => {
    lines.push(JSON.stringify({ level, ...fields, msg: message }));
  };
  return { logger: { info: at('info'), warn: at('warn'), debug: at('debug') }, lines };
}

/** Resolves the real expr evaluator once core/expr is built; undefined before that. */
export async function realEvaluator(): Promise<((source: string, env: Record<string, unknown>) => unknown) | undefined> {
  // A computed specifier, so this file compiles while core/expr is still being written.
  const specifier = '../../../core/expr/index.js';
  try {
    const mod: unknown = await import(specifier);
    if (typeof mod === 'object' && mod !== null && 'evaluateExpr' in mod && typeof mod.evaluateExpr === 'function') {
      const evaluateExpr = mod.evaluateExpr;
      return (source, env): unknown => evaluateExpr(source, env);
    }
  } catch {
    // not built yet
  }
  return undefined;
}
