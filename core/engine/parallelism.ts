// parallelism (workflow and template level) and failFast: whether a node may start now.
// Counts follow Argo's node_counters.go; a pass that cannot start a node leaves it for a
// later pass, which the runtime triggers when a running node finishes.
import type { Template } from '../spec/index.js';
import { type Operation } from './context.js';
import { PARALLELISM_REACHED } from './signals.js';
import { templateType } from './templates.js';
import type { NodeStatus } from './types.js';

const ACTIVE = new Set(['Pending', 'Running']);
// Argo counts only pods; Weft also counts HTTP and Plugin nodes, which run here in-process
// and would otherwise ignore `parallelism` entirely (a workflow of 1000 http calls would
// open 1000 connections at once).
const LEAF = new Set(['Pod', 'HTTP', 'Plugin']);
const COUNTED = new Set(['Pod', 'HTTP', 'Plugin', 'Steps', 'DAG']);

export function countActivePods(op: Operation, boundaryID?: string): number {
  let n = 0;
  for (const node of Object.values(op.status.nodes)) {
    if (LEAF.has(node.type ?? '') && ACTIVE.has(node.phase ?? '') && !node.synchronizationStatus?.waiting
      && (boundaryID === undefined || node.boundaryID === boundaryID)) n++;
  }
  return n;
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

/** The checks that need no template: workflow parallelism, and the boundary's limits. */
export function checkParallelismBefore(op: Operation, node: NodeStatus | undefined, boundaryID: string | undefined): void {
  const wfLimit = op.wf.spec?.parallelism;
  if (wfLimit !== undefined && op.activePods >= Number(wfLimit)) throw PARALLELISM_REACHED;
  checkBoundary(op, node, boundaryID);
}

/** The template's own limits, for steps/DAG nodes that already run. */
export function checkParallelism(op: Operation, tmpl: Template, node: NodeStatus | undefined): void {
  const type = templateType(tmpl);
  if (node && (type === 'dag' || type === 'steps')) {
    if (tmpl.failFast && countChildren(op, node.id, UNSUCCESSFUL) > 0) {
      if (countChildren(op, node.id, ACTIVE) === 0) op.markNode(node, 'Failed', 'template has failed or errored children and failFast enabled');
      throw PARALLELISM_REACHED;
    }
    if (tmpl.parallelism !== undefined && countActivePodsUnder(op, node.id) >= Number(tmpl.parallelism)) throw PARALLELISM_REACHED;
  }
}

function checkBoundary(op: Operation, node: NodeStatus | undefined, boundaryID: string | undefined): void {
  if (boundaryID && (!node || !ACTIVE.has(node.phase ?? ''))) {
    const boundaryTmpl = op.boundaryTemplates.get(boundaryID);
    if (!boundaryTmpl) return;
    if (boundaryTmpl.failFast && countChildren(op, boundaryID, UNSUCCESSFUL) > 0) {
      if (countChildren(op, boundaryID, ACTIVE) === 0) {
        const boundary = op.nodeById(boundaryID);
        if (boundary) op.markNode(boundary, 'Failed', 'template has failed or errored children and failFast enabled');
      }
      throw PARALLELISM_REACHED;
    }
    if (boundaryTmpl.parallelism !== undefined && countChildren(op, boundaryID, ACTIVE) >= Number(boundaryTmpl.parallelism)) {
      throw PARALLELISM_REACHED;
    }
  }
}

function countActivePodsUnder(op: Operation, boundaryID: string): number {
  let n = 0;
  for (const id of op.boundaryMembers(boundaryID)) {
    const node = op.status.nodes[id];
    if (node && LEAF.has(node.type ?? '') && ACTIVE.has(node.phase ?? '')) n++;
  }
  return n;
}
