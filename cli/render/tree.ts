// A person's view of a run, like `argo get` / `argo submit --watch`: a header and the node
// tree with phases, durations and messages. Pure: workflow object and clock in, text out.
import type { NodeStatus, Workflow } from '../../core/spec/index.js';

const ICON: Record<string, string> = {
  Succeeded: '✔', Failed: '✖', Error: '⚠', Skipped: '○', Omitted: '○', Running: '●', Pending: '◷',
};

export function formatSeconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  return `${Math.floor(m / 60)}h${m % 60}m`;
}

function duration(start: string | null | undefined, end: string | null | undefined, now: number): string {
  const a = Date.parse(start ?? '');
  if (Number.isNaN(a)) return '';
  const b = Date.parse(end ?? '');
  return formatSeconds((Number.isNaN(b) ? now : b) - a);
}

export function renderRun(wf: Workflow, now: number, wide = false): string {
  const status = wf.status ?? {};
  const lines: string[] = [];
  const pad = (k: string): string => `${k}:`.padEnd(16);
  lines.push(`${pad('Name')}${wf.metadata?.name ?? ''}`);
  lines.push(`${pad('Namespace')}${wf.metadata?.namespace ?? 'default'}`);
  lines.push(`${pad('Status')}${status.phase || 'Pending'}`);
  if (status.message) lines.push(`${pad('Message')}${status.message}`);
  if (status.startedAt) lines.push(`${pad('Duration')}${duration(status.startedAt, status.finishedAt, now)}`);
  if (status.progress) lines.push(`${pad('Progress')}${status.progress}`);
  const params = wf.spec?.arguments?.parameters ?? [];
  if (params.length) {
    lines.push('Parameters:');
    for (const p of params) lines.push(`  ${p.name}: ${p.value ?? ''}`);
  }
  const nodes = status.nodes ?? {};
  const root = nodes[wf.metadata?.name ?? ''];
  if (!root) return `${lines.join('\n')}\n`;
  const kids = new Map<string, NodeStatus[]>();
  const retryParent = new Map<string, string>();
  for (const n of Object.values(nodes)) {
    if (n.type === 'Retry') for (const c of n.children ?? []) retryParent.set(c, n.id);
  }
  for (const n of Object.values(nodes)) {
    if (n.id === root.id || n.type === 'StepGroup' || n.type === 'TaskGroup') continue;
    const parent = retryParent.get(n.id) ?? n.boundaryID ?? root.id;
    const list = kids.get(parent) ?? [];
    list.push(n);
    kids.set(parent, list);
  }
  const rows: string[][] = [];
  const visit = (node: NodeStatus, prefix: string, last: boolean, depth: number): void => {
    const branch = depth === 0 ? '' : `${prefix}${last ? '└─' : '├─'}`;
    const name = depth === 0 ? node.name ?? '' : node.displayName ?? '';
    const tmpl = node.templateName ?? node.templateRef?.template ?? '';
    const row = [`${branch}${ICON[node.phase ?? ''] ?? '?'} ${name}`, tmpl, duration(node.startedAt, node.finishedAt, now), node.message ?? ''];
    if (wide) row.splice(2, 0, node.type ?? '');
    rows.push(row);
    const children = (kids.get(node.id) ?? []).sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || (a.name ?? '').localeCompare(b.name ?? ''));
    const nextPrefix = depth === 0 ? ' ' : `${prefix}${last ? '  ' : '│ '}`;
    children.forEach((c, i) => visit(c, nextPrefix, i === children.length - 1, depth + 1));
  };
  visit(root, ' ', true, 0);
  const head = wide ? ['STEP', 'TEMPLATE', 'TYPE', 'DURATION', 'MESSAGE'] : ['STEP', 'TEMPLATE', 'DURATION', 'MESSAGE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i] - [...c].length))).join('  ').trimEnd();
  lines.push('', fmt(head), ...rows.map(fmt));
  return `${lines.join('\n')}\n`;
}
