// What the store costs the runtime per node transition: one commitRun that changes one
// node's status in a ~50-node workflow and adds/completes one pending action, against the
// floor of writing that same JSON to SQLite at all (a raw better-sqlite3 upsert of the
// same document, same pragmas, same process). Target: the store at most 2x the floor.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../core/store/index.js';
import type { BenchHarness } from './harness.js';

const NODES = 50;
const ITERATIONS = 1000;
const ROUNDS = 3;

interface BenchNode {
  id: string;
  name: string;
  displayName: string;
  type: string;
  phase: string;
  templateName: string;
  boundaryID: string;
  children: string[];
  inputs: { parameters: { name: string; value: string }[] };
  outputs: { parameters: { name: string; value: string }[]; exitCode: string };
  message?: string;
  startedAt: string;
  finishedAt?: string;
}

/** An Argo-shaped Workflow of a DAG with `nodes` tasks, storedTemplates included. */
function makeWorkflow(nodes: number): { workflow: Record<string, unknown>; nodeMap: Record<string, BenchNode>; ids: string[] } {
  const nodeMap: Record<string, BenchNode> = {};
  const ids: string[] = [];
  for (let i = 0; i < nodes; i++) {
    const id = `bench-wf-${(1000000000 + i * 7919).toString(36)}`;
    ids.push(id);
    nodeMap[id] = {
      id,
      name: `bench-wf.task-${i}`,
      displayName: `task-${i}`,
      type: 'Pod',
      phase: 'Running',
      templateName: 'step',
      boundaryID: 'bench-wf',
      children: i + 1 < nodes ? [`bench-wf-${(1000000000 + (i + 1) * 7919).toString(36)}`] : [],
      inputs: { parameters: [{ name: 'message', value: `hello from task ${i}` }] },
      outputs: { parameters: [{ name: 'result', value: `result-${i}` }], exitCode: '0' },
      startedAt: '2025-01-01T00:00:00Z',
    };
  }
  const step = { name: 'step', inputs: { parameters: [{ name: 'message' }] }, container: { image: 'argoproj/argosay:v2', args: ['echo', '{{inputs.parameters.message}}'] } };
  const tasks = Array.from({ length: nodes }, (_, i) => ({
    name: `task-${i}`, template: 'step', dependencies: i === 0 ? [] : [`task-${i - 1}`],
    arguments: { parameters: [{ name: 'message', value: `hello from task ${i}` }] },
  }));
  const main = { name: 'main', dag: { tasks } };
  const workflow = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name: 'bench-wf', namespace: 'default', uid: 'bench-uid', labels: { 'workflows.argoproj.io/phase': 'Running' } },
    spec: { entrypoint: 'main', templates: [main, step] },
    status: { phase: 'Running', startedAt: '2025-01-01T00:00:00Z', nodes: nodeMap, storedTemplates: { 'namespaced/bench/main': main, 'namespaced/bench/step': step } },
  };
  return { workflow, nodeMap, ids };
}

function applyFileSettings(db: Database.Database): void {
  // The same pragmas openSqliteStore uses for commitRun (see core/store/sqlite.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
}

export default async function storeBench(h: BenchHarness): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-store-'));
  try {
    const { workflow, nodeMap, ids } = makeWorkflow(NODES);
    h.report('workflow JSON', Math.round(JSON.stringify(workflow).length / 1024), 'KiB', `${NODES} nodes, storedTemplates included`);

    // Both sides change one node per call, so each writes a different document.
    let step = 0;
    const advanceOneNode = (): string => {
      const node = nodeMap[ids[step % NODES] ?? ''];
      if (node !== undefined) {
        node.phase = node.phase === 'Running' ? 'Succeeded' : 'Running';
        node.finishedAt = `2025-01-01T00:${String(step % 60).padStart(2, '0')}:00Z`;
      }
      step++;
      return node?.id ?? '';
    };

    const raw = new Database(join(dir, 'raw.db'));
    applyFileSettings(raw);
    raw.exec('CREATE TABLE runs (uid TEXT PRIMARY KEY, workflow TEXT NOT NULL) STRICT');
    const upsert = raw.prepare('INSERT INTO runs (uid, workflow) VALUES (?, ?) ON CONFLICT (uid) DO UPDATE SET workflow = excluded.workflow');
    const rawTransition = () => {
      advanceOneNode();
      upsert.run('bench-uid', JSON.stringify(workflow));
    };

    const store = openSqliteStore(join(dir, 'store.db'));
    store.createRun(
      { namespace: 'default', name: 'bench-wf', uid: 'bench-uid', phase: 'Running', labels: {}, workflow, createdAt: '2025-01-01T00:00:00Z' },
      [{ id: 'a0', action: { type: 'startNode', nodeId: ids[0] } }],
    );
    let version = 1;
    let action = 0;
    const storeTransition = () => {
      const nodeId = advanceOneNode();
      const done = `a${action}`;
      action++;
      const run = store.commitRun('default', 'bench-wf', {
        workflow,
        phase: 'Running',
        addActions: [{ id: `a${action}`, action: { type: 'startNode', nodeId, attempt: 0 } }],
        doneActionIds: [done],
        expectedVersion: version,
      });
      version = run.resourceVersion;
    };

    const stringify = await h.measure('JSON.stringify of the workflow alone', () => JSON.stringify(workflow), { iterations: ITERATIONS });
    // Alternating rounds, compared on the fastest of each: noise from other processes only
    // ever adds time, and alternation spreads drift (WAL growth, page cache) over both.
    const bases: number[] = [];
    const subjects: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      bases.push((await h.measure(`raw upsert of the same JSON (baseline, round ${round})`, rawTransition, { iterations: ITERATIONS })).perIteration);
      subjects.push((await h.measure(`commitRun: 1 node + 1 action added/done (round ${round})`, storeTransition, { iterations: ITERATIONS })).perIteration);
    }
    const subject = { perIteration: Math.min(...subjects) };
    const baseline = Math.min(...bases);
    h.ratio('commitRun vs raw upsert (fastest rounds)', subject.perIteration, baseline, { max: 2 });
    h.report('store overhead beyond serialising', (subject.perIteration - stringify.perIteration) * 1000, 'µs/op');
    if (store.pendingActions('default', 'bench-wf').length !== 1) throw new Error('bench bug: pending actions should stay at one');

    // For orientation: the durable (synchronous=FULL) writes and the common reads.
    let n = 0;
    await h.measure('createRun (FULL: fsync per call)', () => {
      n++;
      store.createRun({ namespace: 'default', name: `run-${n}`, uid: `uid-${n}`, phase: 'Succeeded', labels: { n: String(n) }, workflow, createdAt: '2025-01-02T00:00:00Z' });
    }, { iterations: 50, warmup: 5 });
    await h.measure('getRun (parse ~50-node workflow)', () => store.getRun('default', 'bench-wf'), { iterations: ITERATIONS });
    const lines = Array.from({ length: 100 }, (_, i) => ({ nodeId: ids[i % NODES] ?? '', stream: 'stdout' as const, text: `line ${i} of some build output`, at: '2025-01-01T00:00:00Z' }));
    const logs = await h.measure('appendLogs: batch of 100 lines', () => store.appendLogs('bench-uid', lines), { iterations: 200 });
    h.report('appendLogs throughput', Math.round(100 / logs.perIteration), 'k lines/s'); // lines per ms = k lines/s
    await h.measure('unfinishedRuns among ~400 finished runs', () => store.unfinishedRuns(), { iterations: 200 });

    store.close();
    raw.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
