// Argo's executor-plugin protocol (docs/executor_plugins.md): the executor POSTs
// `{workflow: {metadata}, template}` to `/api/v1/template.execute`; the plugin answers
// `{node: {phase, message, outputs}, requeue?}`, or `{}` when the template is not its own.
import { request } from 'undici';
import type { Outputs, Template } from '../../spec/index.js';
import { OperationalError } from '../../spec/index.js';

export interface PluginReply {
  node?: { phase?: string; message?: string; outputs?: Outputs };
  /** Go duration: call again after it while the node is still running. */
  requeue?: string;
}

export interface PluginCall {
  workflow: { metadata: { name: string; namespace: string; uid: string } };
  template: Template;
}

const MAX_REPLY_BYTES = 1024 * 1024;

export async function callTemplateExecute(baseUrl: string, call: PluginCall, signal: AbortSignal, token?: string): Promise<PluginReply> {
  const res = await request(`${baseUrl}/api/v1/template.execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(call),
    signal,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_REPLY_BYTES) {
      res.body.destroy();
      throw new OperationalError('WEFT_E_PLUGIN_REPLY', `executor plugin at ${baseUrl} replied with more than 1 MiB`);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (res.statusCode === 404) return {};
  if (res.statusCode < 200 || res.statusCode >= 300) {
    throw new OperationalError('WEFT_E_PLUGIN_REPLY', `executor plugin at ${baseUrl} answered ${res.statusCode}: ${text.slice(0, 200)}`);
  }
  if (!text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as PluginReply) : {};
  } catch {
    throw new OperationalError('WEFT_E_PLUGIN_REPLY', `executor plugin at ${baseUrl} replied with invalid JSON: ${text.slice(0, 200)}`);
  }
}
