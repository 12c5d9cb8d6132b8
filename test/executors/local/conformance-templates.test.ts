// Templates of the conformance kit's examples run by hand, chained the way the engine
// chains them (outputs saved to the repository become the next step's inputs), with
// `{{...}}` substituted here as the engine would have.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { StepOutcome } from '../../../core/executors/index.js';
import type { Artifact, Template } from '../../../core/spec/index.js';
import { TemplateSchema } from '../../../core/spec/index.js';
import { createHarness, exampleTemplate, makeRequest } from './harness.js';
import type { Harness, Logs } from './harness.js';

let h: Harness;
before(async () => {
  h = await createHarness();
});
after(() => h.cleanup());

/** The engine's job, reduced to plain `{{name}}` replacement for these tests. */
function substitute(t: Template, vars: Record<string, string>): Template {
  let text = JSON.stringify(t);
  for (const [name, value] of Object.entries(vars)) text = text.split(`{{${name}}}`).join(value.replace(/"/g, '\\"'));
  return TemplateSchema.parse(JSON.parse(text));
}

/** The engine's job: an input artifact gets the location of the output it comes from. */
function withInputs(t: Template, from: Record<string, Artifact | undefined>): Template {
  const artifacts = (t.inputs?.artifacts ?? []).map((a) => {
    const source = from[a.name];
    return source ? { ...a, ...(source.fs ? { fs: source.fs } : {}), ...(source.s3 ? { s3: source.s3 } : {}) } : a;
  });
  return { ...t, inputs: { ...t.inputs, artifacts } };
}

async function run(t: Template, logs?: Logs): Promise<StepOutcome> {
  const out = await h.executor.execute(makeRequest(h, t, logs ? { logs } : {}));
  assert.equal(out.phase, 'Succeeded', `${t.name}: ${out.message}`);
  return out;
}

const artifact = (out: StepOutcome, name: string) => out.outputs?.artifacts?.find((a) => a.name === name);

describe('conformance examples, step by step', () => {
  it('scripts-bash / scripts-python / scripts-javascript: the script result is a number', async () => {
    for (const file of ['scripts-bash.yaml', 'scripts-python.yaml', 'scripts-javascript.yaml']) {
      const out = await run(await exampleTemplate(file, 'gen-random-int'));
      assert.match(out.outputs?.result ?? '', /^\d+$/, file);
    }
  });

  it('key-only-artifact.yaml: generate writes /mnt/file to s3 key my-file; consume cats it', async () => {
    await run(await exampleTemplate('key-only-artifact.yaml', 'generate'));
    const out = await run(await exampleTemplate('key-only-artifact.yaml', 'consume'));
    assert.equal(out.outputs?.result, 'hello');
  });

  it('handle-large-output-results.yaml: items artifact + count parameter feed the jq step', async () => {
    const gen = await run(await exampleTemplate('handle-large-output-results.yaml', 'get-items'));
    assert.equal(gen.outputs?.parameters?.find((p) => p.name === 'count')?.value, '3');
    const echo = await exampleTemplate('handle-large-output-results.yaml', 'echo');
    const out = await run(withInputs(substitute(echo, { 'inputs.parameters.index': '1' }), { items: artifact(gen, 'items') }));
    assert.equal(out.outputs?.result, '"b"');
  });

  it('artifact-disable-archive.yaml: /etc unarchived, text files with and without compression', async () => {
    const gen = await run(await exampleTemplate('artifact-disable-archive.yaml', 'hello-world-to-file'));
    assert.equal(artifact(gen, 'etc')?.fs?.key?.endsWith('/etc'), true);
    const consume = await exampleTemplate('artifact-disable-archive.yaml', 'print-message-from-files');
    const logs: Logs = { stdout: '', stderr: '' };
    await run(withInputs(consume, { etc: artifact(gen, 'etc'), 'hello-txt': artifact(gen, 'hello-txt'), 'hello-txt-nc': artifact(gen, 'hello-txt-nc') }), logs);
    assert.match(logs.stdout, /^hello world\nhello world\n\.\n/);
    assert.match(logs.stdout, /\.\/passwd/);
  });

  it('artifact-passing-subpath.yaml: a /tmp/ directory artifact, listed, then one file by subPath', async () => {
    const gen = await run(await exampleTemplate('artifact-passing-subpath.yaml', 'hello-world-to-file'));
    const art = artifact(gen, 'hello-art');
    const list = await run(withInputs(await exampleTemplate('artifact-passing-subpath.yaml', 'print-message-dir'), { message: art }));
    assert.equal(list.outputs?.result, 'hello_world.txt');
    const consume = withInputs(await exampleTemplate('artifact-passing-subpath.yaml', 'print-message-from-file'), { message: art });
    const withSub = { ...consume, inputs: { artifacts: (consume.inputs?.artifacts ?? []).map((a) => ({ ...a, subPath: 'hello_world.txt' })) } };
    assert.equal((await run(withSub)).outputs?.result, 'hello world');
  });

  it('conditional-artifacts.yaml heads: result.txt written relative to / becomes the artifact', async () => {
    const out = await run(await exampleTemplate('conditional-artifacts.yaml', 'heads'));
    const key = artifact(out, 'result')?.fs?.key ?? '';
    const dest = path.join(h.root, 'heads-result');
    await h.repository.load(key, dest);
    assert.equal(await readFile(dest, 'utf8'), 'it was heads');
  });

  it('map-reduce.yaml: split -> 4 parallel maps -> reduce through key-only artifacts', async () => {
    const vars = { 'workflow.name': 'map-reduce-test', 'inputs.parameters.numParts': '4' };
    const split = await run(substitute(await exampleTemplate('map-reduce.yaml', 'split'), vars));
    const parts: string[] = JSON.parse(split.outputs?.result ?? '[]');
    assert.deepEqual(parts, ['0', '1', '2', '3']);
    const map = await exampleTemplate('map-reduce.yaml', 'map');
    await Promise.all(
      parts.map((id) => {
        const t = substitute(map, { ...vars, 'inputs.parameters.partId': id });
        const part: Artifact = { name: 'part', s3: { key: `map-reduce-test/parts/${id}.json` } };
        return run(withInputs(t, { part }));
      }),
    );
    const reduce = await run(substitute(await exampleTemplate('map-reduce.yaml', 'reduce'), vars));
    assert.deepEqual(artifact(reduce, 'total')?.s3, { key: 'map-reduce-test/total.json' });
    const total = path.join(h.root, 'total.json');
    await h.repository.load('map-reduce-test/total.json', total);
    assert.deepEqual(JSON.parse(await readFile(total, 'utf8')), { total: 20 });
  });

  it('archive-location.yaml: archiveLogs saves the log as main-logs', async () => {
    const out = await run(await exampleTemplate('archive-location.yaml', 'hello-world'));
    const key = artifact(out, 'main-logs')?.fs?.key ?? '';
    assert.ok(key.endsWith('/main.log'), key);
    const dest = path.join(h.root, 'main.log');
    await h.repository.load(key, dest);
    assert.equal(await readFile(dest, 'utf8'), 'hello world\n');
  });

  it('input-artifact-git.yaml: the clone is the working directory (a local origin stands in for GitHub)', async () => {
    const origin = path.join(h.root, 'origin');
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: origin, env });
    await mkdir(origin);
    git('init', '-q', '-b', 'master');
    await writeFile(path.join(origin, 'VERSION'), '2.1.1\n');
    git('add', '.');
    git('commit', '-q', '-m', 'release');
    git('tag', 'v2.1.1');
    const t = await exampleTemplate('input-artifact-git.yaml', 'git-clone');
    const local = {
      ...t,
      inputs: { artifacts: (t.inputs?.artifacts ?? []).map((a) => ({ ...a, git: { repo: `file://${origin}`, revision: 'v2.1.1' } })) },
    };
    const logs: Logs = { stdout: '', stderr: '' };
    await run(local, logs);
    assert.match(logs.stdout, /HEAD detached at [0-9a-f]+[\s\S]*VERSION\n2\.1\.1\n$/);
  });

  it('input-artifact-raw.yaml: the raw artifact is at its path', async () => {
    const out = await run(await exampleTemplate('input-artifact-raw.yaml', 'raw-contents'));
    assert.match(out.outputs?.result ?? '', /this is\s+the raw file/);
  });
});
