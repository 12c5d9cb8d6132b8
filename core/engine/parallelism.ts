// parallelism (workflow and template level) and failFast: whether a node may start now.
// Counts follow Argo's node_counters.go; a pass that cannot start a node leaves it for a
// later pass, which the runtime triggers when a running node finishes.
import type { Template } from '../spec/index.js';
import { type Operation } from './context.js';
import { templateType } from './templates.js';
import type { NodeStatus } from './types.js';

const ACTIVE = new Set(['Pending', 'Running']);
// Argo counts only pods; Weft also counts HTTP and Plugin nodes, which run here in-process
// and would otherwise ignore `parallelism` entirely (a workflow of 1000 http calls would
// open 1000 connections at once).
const LEAF = new Set(['Pod', 'HTTP', 'Plugin']);
const COUNTED = new Set(['Pod', 'HTTP', 'Plugin', 'Steps', 'DAG']);

/** Leaf nodes Pending or Running and not waiting for a lock, over the unfinished ones. */
export function countActivePods(op: Operation): number {
  let leaves = op.memory.unfinishedLeaves;
  if (!leaves) {
    leaves = new Set();
    for (const node of Object.values(op.status.nodes)) if (isUnfinishedLeaf(node)) leaves.add(node.id);
    op.memory.unfinishedLeaves = leaves;
  }
  let n = 0;
  for (const id of leaves) {
    const node = op.status.nodes[id];
    if (!node || !isUnfinishedLeaf(node)) {
      leaves.delete(id);
      continue;
    }
    if (!node.synchronizationStatus?.waiting) n++;
  }
  return n;
}

export function isUnfinishedLeaf(node: NodeStatus): boolean {
  return LEAF.has(node.type ?? '') && ACTIVE.has(node.phase ?? '');
}

function countChildren(op: Operation, boundaryID: string, phases: Set<string>): number {
  let n = 0;
  for (const id of op.boundaryMembers(boundaryID)) {
    const node = op.status.nodes[id];
    if (node && COUNTED.has(node.type ?? '') && phases.has(node.phase ?? '')) n++;
  }
  return n;
}

const UNSUCCESSFUL = new Set(['Failed', 'Error']);

// These run on every pass for every node that waits, so they answer with a boolean rather
// than throwing (Argo's ErrParallelismReached): a throw per waiting node per pass costs more
// than the pass itself on wide workflows.

/** The workflow runs as many leaf nodes as spec.parallelism allows: no new one may start. */
export function workflowAtParallelism(op: Operation): boolean {
  const limit = op.wf.spec?.parallelism;
  return limit !== undefined && op.activePods >= Number(limit);
}

/** Workflow parallelism and the boundary's limits block this node now (no template needed). */
export function blockedBeforeBinding(op: Operation, node: NodeStatus | undefined, boundaryID: string | undefined): boolean {
  if (workflowAtParallelism(op)) return true;
  return blockedByBoundary(op, node, boundaryID);
}

/** The template's own limits block a steps/DAG node that already runs. */
export function blockedByTemplate(op: Operation, tmpl: Template, node: NodeStatus | undefined): boolean {
  const type = templateType(tmpl);
  if (node && (type === 'dag' || type === 'steps')) {
    if (tmpl.failFast && countChildren(op, node.id, UNSUCCESSFUL) > 0) {
      if (countChildren(op, node.id, ACTIVE) === 0) op.markNode(node, 'Failed', 'template has failed or errored children and failFast enabled');
      return true;
    }
    if (tmpl.parallelism !== undefined && countActivePodsUnder(op, node.id) >= Number(tmpl.parallelism)) return true;
  }
  return false;
}

function blockedByBoundary(op: Operation, node: NodeStatus | undefined, boundaryID: string | undefined): boolean {
  if (boundaryID && (!node || !ACTIVE.has(node.phase ?? ''))) {
    const boundaryTmpl = op.boundaryTemplates.get(boundaryID);
    if (!boundaryTmpl) return false;
    if (boundaryTmpl.failFast && countChildren(op, boundaryID, UNSUCCESSFUL) > 0) {
      if (countChildren(op, boundaryID, ACTIVE) === 0) {
        const boundary = op.nodeById(boundaryID);
        if (boundary) op.markNode(boundary, 'Failed', 'template has failed or errored children and failFast enabled');
      }
      return true;
    }
    if (boundaryTmpl.parallelism !== undefined && countChildren(op, boundaryID, ACTIVE) >= Number(boundaryTmpl.parallelism)) return true;
  }
  return false;
}

function countActivePodsUnder(op: Operation, boundaryID: string): number {
  let n = 0;
  for (const id of op.boundaryMembers(boundaryID)) {
    const node = op.status.nodes[id];
    if (node && LEAF.has(node.type ?? '') && ACTIVE.has(node.phase ?? '')) n++;
  }
  return n;
}
