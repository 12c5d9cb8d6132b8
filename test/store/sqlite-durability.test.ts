// What a SQLite store file keeps across close/reopen, a writer killed with SIGKILL in the
// middle of committing, and readers working while another process writes (WAL).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore, type Store } from '../../core/store/index.js';
import { FIXED_NOW, commit, newRun, tempDir } from './store-fixtures.js';

const tmp = tempDir('weft-durability-');
after(() => tmp.remove());

// The child runs the compiled store next to this compiled test (dist/core/store/sqlite.js).
const SQLITE_MODULE = new URL('../../core/store/sqlite.js', import.meta.url).href;
const RUNS = 3;

// The writer child: resumes from whatever the file holds and commits forever, round-robin
// over RUNS runs. Commit c of a run sets status.counter = c, adds step-c and extra-c and
// completes step-(c-1) and extra-(c-1); the ~200 KB padding makes each commit span many
// WAL pages (and checkpoints), so a kill is likely to land inside one.
const WRITER = `
import { openSqliteStore } from ${JSON.stringify(SQLITE_MODULE)};
const store = openSqliteStore(process.argv[1]);
const runs = Number(process.argv[2]);
const pad = (c) => 'x'.repeat(200000 + (c % 7) * 1000);
for (let r = 0; r < runs; r++) {
  if (!store.getRun('default', 'r' + r)) {
    store.createRun({ namespace: 'default', name: 'r' + r, uid: 'u' + r, phase: 'Running', labels: {},
      workflow: { status: { counter: 0 }, pad: pad(0) }, createdAt: new Date(r).toISOString() },
      [{ id: 'step-0', action: { counter: 0 } }]);
  }
}
process.stdout.write('ready\\n');
for (let i = 0; ; i++) {
  const name = 'r' + (i % runs);
  const run = store.getRun('default', name);
  const c = run.workflow.status.counter + 1;
  store.commitRun('default', name, {
    workflow: { status: { counter: c }, pad: pad(c) }, phase: 'Running',
    addActions: [{ id: 'step-' + c, action: { counter: c } }, { id: 'extra-' + c, action: { counter: c } }],
    doneActionIds: ['step-' + (c - 1), 'extra-' + (c - 1)],
    expectedVersion: run.resourceVersion,
  });
}
`;

function spawnWriter(path: string): ChildProcess {
  return spawn(process.execPath, ['--input-type=module', '-e', WRITER, path, String(RUNS)], { stdio: ['ignore', 'pipe', 'inherit'] });
}

async function untilReady(child: ChildProcess): Promise<void> {
  const stdout = child.stdout;
  assert.ok(stdout, 'stdout is piped');
  let seen = '';
  for await (const chunk of stdout) {
    seen += String(chunk);
    if (seen.includes('ready')) return;
  }
  throw new Error('writer exited before it was ready');
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** The counter of a run, checking that status and pending actions come from one commit. */
function consistentCounter(store: Store, name: string): number {
  const run = store.getRun('default', name);
  assert.ok(run, `${name} exists`);
  const status = run.workflow.status as { counter: number };
  const c = status.counter;
  assert.equal(run.resourceVersion, c + 1, `${name}: status and version from the same commit`);
  assert.equal((run.workflow.pad as string).length, 200000 + (c % 7) * 1000, `${name}: the whole workflow JSON`);
  const expected = c === 0 ? [{ id: 'step-0', action: { counter: 0 } }]
    : [{ id: `step-${c}`, action: { counter: c } }, { id: `extra-${c}`, action: { counter: c } }];
  assert.deepEqual(store.pendingActions('default', name), expected, `${name}: actions from the same commit as the status`);
  return c;
}

describe('SQLite store durability', () => {
  it('keeps runs, actions, logs and objects across close and reopen', () => {
    const path = join(tmp.dir, 'reopen', 'weft.db');
    const first = openSqliteStore(path, { now: FIXED_NOW });
    first.createRun(newRun('w'), [{ id: 'a', action: { n: 1 } }]);
    first.commitRun('default', 'w', commit({ phase: 'Succeeded', finishedAt: '2025-01-01T00:05:00.000Z', addActions: [{ id: 'b', action: {} }] }));
    first.appendLogs('uid-w', [{ nodeId: 'n', stream: 'stderr', text: 'boom', at: 't' }]);
    first.putObject({ kind: 'CronWorkflow', namespace: 'default', name: 'nightly', labels: { a: 'b' }, body: { spec: { schedule: '0 0 * * *' } } });
    const before = { run: first.getRun('default', 'w'), actions: first.pendingActions('default', 'w'), logs: first.readLogs('uid-w'), objects: first.listObjects('CronWorkflow') };
    first.close();
    for (const readonly of [false, true]) {
      const again = openSqliteStore(path, { readonly });
      assert.deepEqual(
        { run: again.getRun('default', 'w'), actions: again.pendingActions('default', 'w'), logs: again.readLogs('uid-w'), objects: again.listObjects('CronWorkflow') },
        before,
      );
      assert.deepEqual(again.unfinishedRuns(), []);
      again.close();
    }
  });

  it('a writer killed with SIGKILL mid-commit leaves every run at one whole commit', async () => {
    const path = join(tmp.dir, 'crash', 'weft.db');
    let last = new Array<number>(RUNS).fill(0);
    for (let round = 0; round < 5; round++) {
      const child = spawnWriter(path);
      await untilReady(child);
      await new Promise((r) => setTimeout(r, 40 + Math.floor(Math.random() * 120)));
      await kill(child);

      const db = new Database(path);
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      db.close();
      const store = openSqliteStore(path);
      const counters = Array.from({ length: RUNS }, (_, r) => consistentCounter(store, `r${r}`));
      store.close();
      counters.forEach((c, r) => assert.ok(c >= (last[r] ?? 0), 'committed work is never lost by a process crash'));
      assert.ok(counters.reduce((a, b) => a + b) > last.reduce((a, b) => a + b), `round ${round} made progress`);
      last = counters;
    }
  });

  it('readers see whole commits, never block, and see progress while another process writes', async () => {
    const path = join(tmp.dir, 'readers', 'weft.db');
    const child = spawnWriter(path);
    try {
      await untilReady(child);
      const readers = [openSqliteStore(path, { readonly: true }), openSqliteStore(path, { readonly: true })];
      const seen = new Array<number>(RUNS).fill(-1);
      const first = [...seen];
      let reads = 0;
      const until = Date.now() + 800;
      while (Date.now() < until) {
        for (let r = 0; r < RUNS; r++) {
          const reader = readers[reads++ % readers.length];
          assert.ok(reader);
          const run = reader.getRun('default', `r${r}`);
          assert.ok(run);
          const c = (run.workflow.status as { counter: number }).counter;
          assert.equal(run.resourceVersion, c + 1, 'one row is never half-written');
          assert.ok(c >= (seen[r] ?? 0), 'versions only move forward');
          if (first[r] === -1) first[r] = c;
          seen[r] = c;
          const pending = reader.pendingActions('default', `r${r}`).map((a) => a.id);
          // A separate read, so possibly a later commit, but always one whole commit.
          assert.ok(pending.length === 1 || pending[0]?.replace('step-', 'extra-') === pending[1], `actions ${pending.join(',')}`);
        }
        // Let the event loop breathe so timers and the child's pipe are serviced.
        await new Promise((r) => setImmediate(r));
      }
      readers.forEach((r) => r.close());
      assert.ok(seen.some((c, r) => c > (first[r] ?? 0)), 'the writer progressed while we were reading');
      assert.ok(reads > 50, `readers were not starved (${reads} reads)`);
    } finally {
      await kill(child);
    }
  });
});
