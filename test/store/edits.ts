// Random edit sequences for the commit-time copies of a workflow (WorkflowSerializer for
// SQLite, WorkflowSnapshot for memory): each edit changes the workflow in place as the
// runtime does and names the nodes it touched, which is the contract both rely on.
import fc from 'fast-check';

export type EditKind = 'add' | 'edit' | 'remove' | 'status' | 'replace-nodes' | 'spec';
export interface Edit {
  kind: EditKind;
  node: number;
  value: string;
}

export const edits = fc.array(
  fc.record({
    kind: fc.constantFrom<EditKind>('add', 'add', 'edit', 'edit', 'edit', 'remove', 'status', 'replace-nodes', 'spec'),
    node: fc.nat(300),
    value: fc.string({ maxLength: 6 }),
  }),
  { maxLength: 80 },
);

type Node = { id: string; phase: string; children?: string[] };
export interface EditedWorkflow extends Record<string, unknown> {
  status: { phase: string; nodes: Record<string, Node>; message?: string };
}

export function newEditedWorkflow(): EditedWorkflow {
  return { apiVersion: 'v1', metadata: { name: 'x' }, spec: { entrypoint: 'main' }, status: { phase: 'Running', nodes: {} } };
}

/** Applies the edit to the workflow in place; returns the ids of the nodes it touched. */
export function applyEdit(wf: EditedWorkflow, e: Edit): string[] {
  const status = wf.status;
  const ids = Object.keys(status.nodes);
  if (e.kind === 'add' || ids.length === 0) {
    const id = `n${e.node}`;
    status.nodes[id] ??= { id, phase: 'Pending' };
    return [id];
  }
  const id = ids[e.node % ids.length] ?? '';
  switch (e.kind) {
    case 'edit': {
      const n = status.nodes[id];
      if (n) {
        n.phase = e.value;
        (n.children ??= []).push(e.value);
      }
      return [id];
    }
    case 'remove':
      delete status.nodes[id];
      return [id];
    case 'status':
      status.message = e.value;
      return [];
    case 'spec':
      wf.spec = { entrypoint: e.value }; // a new spec object: taken again
      return [];
    default:
      status.nodes = { ...status.nodes }; // a new nodes object: everything is taken again
      return [];
  }
}
