// What a run tells the world as it goes: node and workflow phase changes and log lines.
// The CLI's live tree, the server's SSE stream and notifier plugins subscribe to these.
import type { Workflow } from '../spec/index.js';
import type { NodeStatus } from '../engine/index.js';

export type RunEvent =
  | { type: 'workflow'; run: string; workflow: Workflow; previousPhase?: string }
  | { type: 'node'; run: string; node: NodeStatus; previousPhase?: string }
  | { type: 'log'; run: string; nodeId: string; stream: 'stdout' | 'stderr'; text: string };

// Node and workflow objects are the live ones: they keep changing as the run goes on, so a
// listener that keeps one for later copies it (structuredClone).
export type RunEventListener = (event: RunEvent) => void;
