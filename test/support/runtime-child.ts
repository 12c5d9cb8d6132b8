// A child process that drives one workflow with a real SQLite store, for crash tests:
//   node runtime-child.js submit DB FILE WORKROOT   submit FILE and run until done
//   node runtime-child.js resume DB WORKROOT        resume every unfinished run until done
// Prints the final Workflow as JSON on stdout.
import { readFileSync } from 'node:fs';
import { decodeDocument, parseDocuments, type Workflow } from '../../core/spec/index.js';
import { openSqliteStore } from '../../core/store/index.js';
import { composeRuntime, loadConfig, workflowFromDocument } from '../../core/runtime/index.js';

const [mode, db, a, b] = process.argv.slice(2);
const store = openSqliteStore(db);
const workRoot = mode === 'submit' ? b : a;
const runtime = composeRuntime({ config: loadConfig(undefined, workRoot), store, workRoot, artifactsRoot: `${workRoot}/artifacts` });

async function main(): Promise<void> {
  let done: Promise<Workflow>[];
  if (mode === 'submit') {
    const doc = parseDocuments(readFileSync(a, 'utf8'), a).documents[0];
    const decoded = decodeDocument(doc).decoded;
    if (!decoded || decoded.kind !== 'Workflow') throw new Error('not a workflow');
    const wf = workflowFromDocument({ kind: 'Workflow', value: decoded.value as unknown as Record<string, unknown> }, { now: Date.now() });
    done = [runtime.submit(wf).finished];
  } else {
    done = runtime.resumeUnfinished().map((c) => c.finished);
  }
  const results = await Promise.all(done);
  process.stdout.write(`${JSON.stringify(results)}\n`);
  runtime.close();
  store.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(3);
});
