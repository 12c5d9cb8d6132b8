// retryStrategy: a Retry node whose children are the attempts `name(0)`, `name(1)`, ...
// Decides after each attempt whether to stop (and with which phase) or go again, honouring
// limit, retryPolicy, backoff (duration, factor, cap, maxDuration) and expression.
import type { Template } from '../spec/index.js';
import { evaluateExpr, expressionEnv } from '../expr/index.js';
import { durationSeconds, isFulfilled, failedOrError, timeMs, type Operation } from './context.js';
import { parseDurationMs, formatDuration } from './durations.js';
import type { ExecuteOptions } from './execute.js';
import type { NodeStatus } from './types.js';

export function retryAttempts(op: Operation, retryNode: NodeStatus): { attempts: NodeStatus[]; last: NodeStatus | undefined } {
  const attempts = (retryNode.children ?? [])
    .map((id) => op.nodeById(id))
    .filter((n): n is NodeStatus => n !== undefined && !n.nodeFlag?.hooked);
  return { attempts, last: attempts[attempts.length - 1] };
}

function intOf(value: string | number | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number.parseInt(value, 10);
  if (Number.isNaN(n)) throw new Error(`${what}: "${value}" is not an integer`);
  return n;
}

const TRANSIENT = /(connection reset|connection refused|i\/o timeout|TLS handshake timeout|EOF|temporarily unavailable|ECONNRESET|ETIMEDOUT|EAI_AGAIN|transient)/i;

export function processNodeRetries(
  op: Operation, node: NodeStatus, tmpl: Template, opts: ExecuteOptions,
): { node: NodeStatus; proceed: boolean } {
  const strategy = tmpl.retryStrategy ?? {};
  if (isFulfilled(node)) return { node, proceed: true };
  const { attempts, last } = retryAttempts(op, node);
  if (!last) return { node, proceed: true };
  if (last.daemoned) node.daemoned = true;
  if (!isFulfilled(last)) {
    if (last.daemoned) op.markNode(node, last.phase as 'Running');
    return { node, proceed: true };
  }
  if (!failedOrError(last.phase)) {
    node.outputs = last.outputs ? structuredClone(last.outputs) : undefined;
    op.markNode(node, 'Succeeded');
    return { node, proceed: true };
  }
  const lastPhase = last.phase as 'Failed' | 'Error';
  if (op.shuttingDown || (op.deadline !== undefined && op.now > op.deadline)) {
    const message = op.shuttingDown ? `Stopped with strategy '${op.state.shutdown}'` : 'retry exceeded workflow deadline';
    op.markNode(node, lastPhase, message);
    return { node, proceed: true };
  }

  const limit = intOf(strategy.limit, 'retryStrategy.limit');
  if (strategy.backoff) {
    const backoff = strategy.backoff;
    const first = attempts[0];
    let maxDeadline: number | undefined;
    if (backoff.maxDuration) {
      maxDeadline = timeMs(first.startedAt) + parseDurationMs(backoff.maxDuration);
      if (op.now > maxDeadline) {
        op.markNode(node, lastPhase, 'Max duration limit exceeded');
        return { node, proceed: true };
      }
    }
    if (!backoff.duration) throw new Error('no base duration specified for retryStrategy');
    let wait = parseDurationMs(backoff.duration);
    const factor = intOf(backoff.factor, 'retryStrategy.backoff.factor');
    if (factor !== undefined && factor > 0) wait *= factor ** (attempts.length - 1);
    if (backoff.cap) wait = Math.min(wait, parseDurationMs(backoff.cap));
    const waitUntil = (timeMs(last.finishedAt) || op.now) + wait;
    if (maxDeadline !== undefined && waitUntil > maxDeadline) {
      op.markNode(node, lastPhase, 'Backoff would exceed max duration limit');
      return { node, proceed: true };
    }
    if (op.now < waitUntil && limit !== undefined && attempts.length <= limit) {
      op.wakeAtLeastBy(waitUntil);
      op.markNode(node, node.phase as 'Running', `Backoff for ${formatDuration(wait)}`);
      return { node, proceed: false };
    }
    opts.executionDeadline = maxDeadline;
    if (node.message?.startsWith('Backoff for')) delete node.message;
  }

  let retryOnFailed = false;
  let retryOnError = false;
  switch (strategy.retryPolicy ?? 'OnFailure') {
    case 'Always':
      retryOnFailed = true;
      retryOnError = true;
      break;
    case 'OnError':
      retryOnError = true;
      break;
    case 'OnTransientError':
      if (TRANSIENT.test(last.message ?? '')) {
        retryOnFailed = true;
        retryOnError = true;
      }
      break;
    case 'OnFailure':
      retryOnFailed = true;
      break;
    default:
      throw new Error(`${strategy.retryPolicy} is not a valid RetryPolicy`);
  }
  if ((lastPhase === 'Failed' && !retryOnFailed) || (lastPhase === 'Error' && !retryOnError)) {
    op.markNode(node, lastPhase, last.message ?? '');
    return { node, proceed: true };
  }
  if (limit !== undefined && attempts.length > limit) {
    op.markNode(node, lastPhase, 'No more retries left');
    return { node, proceed: true };
  }
  if (strategy.expression) {
    const vars: Record<string, string> = {
      retries: String(attempts.length - 1),
      'lastRetry.exitCode': last.outputs?.exitCode ?? '-1',
      'lastRetry.status': last.phase ?? '',
      'lastRetry.duration': String(durationSeconds(last)),
      'lastRetry.message': last.message ?? '',
    };
    const result = evaluateExpr(strategy.expression, expressionEnv(vars), 'retryStrategy.expression');
    if (result !== true) {
      op.markNode(node, lastPhase, 'retryStrategy.expression evaluated to false');
      return { node, proceed: true };
    }
  }
  return { node, proceed: true };
}
