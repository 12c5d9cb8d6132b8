// Placing input artifacts (raw, repository keys incl. key-only s3, subPath, http,
// git, optional) and saving output artifacts (default keys, given keys, archive none,
// optional and missing ones), with Argo's messages.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import {
  OUTPUT_NOT_FOUND,
  collectOutputArtifact,
  createFsArtifactRepository,
  materializeInputArtifact,
} from '../../../core/executors/artifacts/index.js';
import type { ArtifactRepository, ValueSources } from '../../../core/executors/index.js';
import type { Artifact } from '../../../core/spec/index.js';

let dir: string;
let repo: ArtifactRepository;
const values: ValueSources = { secret: () => undefined, configMap: () => undefined };
const ctx = () => ({ repository: repo, values, signal: new AbortController().signal });
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'weft-artifacts-'));
  repo = createFsArtifactRepository(path.join(dir, 'repo'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('input artifacts', () => {
  it('input-artifact-raw.yaml: raw data is written to the path, mode applied', async () => {
    const dest = path.join(dir, 'raw', 'file');
    const art: Artifact = { name: 'myfile', path: '/tmp/file', raw: { data: 'this is\nthe raw file\n' }, mode: 0o600 };
    assert.equal(await materializeInputArtifact(art, dest, ctx()), 'placed');
    assert.equal(await readFile(dest, 'utf8'), 'this is\nthe raw file\n');
    assert.equal((await stat(dest)).mode & 0o777, 0o600);
  });

  it('key-only-artifact.yaml: s3: {key} names a key of the default repository', async () => {
    const src = path.join(dir, 'my-file-src');
    await writeFile(src, 'hello');
    const stored = await collectOutputArtifact({ name: 'file', path: '/mnt/file', s3: { key: 'my-file' } }, src, { repository: repo, artifactKeyPrefix: 'wf/pod' });
    assert.deepEqual(stored, { name: 'file', path: '/mnt/file', s3: { key: 'my-file' } }, 'kept as written');
    const dest = path.join(dir, 'consume', 'file');
    await materializeInputArtifact({ name: 'file', path: '/tmp/file', s3: { key: 'my-file' } }, dest, ctx());
    assert.equal(await readFile(dest, 'utf8'), 'hello');
  });

  it('artifact-passing-subpath.yaml: subPath picks a file of an unarchived directory artifact', async () => {
    const tmp = path.join(dir, 'gen-tmp');
    await mkdir(tmp, { recursive: true });
    await writeFile(path.join(tmp, 'hello_world.txt'), 'hello world\n');
    const stored = await collectOutputArtifact({ name: 'hello-art', path: '/tmp/', archive: { none: {} } }, tmp, { repository: repo, artifactKeyPrefix: 'wf/gen' });
    assert.ok(stored);
    assert.equal(stored.fs?.key, 'wf/gen/hello-art');
    const listing = path.join(dir, 'list', 'message');
    await materializeInputArtifact({ ...stored, name: 'message', path: '/tmp/message' }, listing, ctx());
    assert.deepEqual(await readdir(listing), ['hello_world.txt']);
    const one = path.join(dir, 'one', 'message');
    await materializeInputArtifact({ ...stored, name: 'message', path: '/tmp/message', subPath: 'hello_world.txt' }, one, ctx());
    assert.equal(await readFile(one, 'utf8'), 'hello world\n');
  });

  it('subPath also works on an archived (.tgz) artifact', async () => {
    const tree = path.join(dir, 'tgz-tree');
    await mkdir(path.join(tree, 'inner'), { recursive: true });
    await writeFile(path.join(tree, 'inner', 'x.txt'), 'x');
    const stored = await collectOutputArtifact({ name: 'tree', path: '/out' }, tree, { repository: repo, artifactKeyPrefix: 'wf/t' });
    assert.equal(stored?.fs?.key, 'wf/t/tree.tgz');
    const dest = path.join(dir, 'tgz-sub');
    await materializeInputArtifact({ name: 'in', path: '/in', fs: { key: 'wf/t/tree.tgz' }, subPath: 'inner/x.txt' }, dest, ctx());
    assert.equal(await readFile(dest, 'utf8'), 'x');
  });

  it('an optional artifact with no source, or a missing key, is skipped', async () => {
    const dest = path.join(dir, 'optional');
    assert.equal(await materializeInputArtifact({ name: 'o', path: '/o', optional: true }, dest, ctx()), 'skipped');
    assert.equal(await materializeInputArtifact({ name: 'o', path: '/o', optional: true, fs: { key: 'absent' } }, dest, ctx()), 'skipped');
    await assert.rejects(stat(dest));
  });

  it("a required artifact with no source fails with Argo's message", async () => {
    await assert.rejects(materializeInputArtifact({ name: 'message', path: '/tmp/m' }, path.join(dir, 'req'), ctx()), {
      message: "required artifact 'message' not supplied",
    });
  });

  it('a location with its own bucket is refused with a clear message', async () => {
    const art: Artifact = { name: 'x', path: '/x', s3: { bucket: 'my-bucket', key: 'k', endpoint: 's3.amazonaws.com' } };
    await assert.rejects(materializeInputArtifact(art, path.join(dir, 'nope'), ctx()), /not supported by the local executor.*give only the key/);
  });

  describe('http', () => {
    let server: Server;
    let base = '';
    before(async () => {
      const tgzDir = path.join(dir, 'http-src');
      await mkdir(path.join(tgzDir, 'pkg'), { recursive: true });
      await writeFile(path.join(tgzDir, 'pkg', 'README'), 'packed');
      const tgz = path.join(dir, 'pkg.tgz');
      await tar.create({ gzip: true, file: tgz, cwd: tgzDir }, ['pkg']);
      const tgzBytes = await readFile(tgz);
      server = createServer((req, res) => {
        if (req.url === '/lines.txt') return res.end('a\nb\nc\n');
        if (req.url === '/pkg.tgz') return res.end(tgzBytes);
        res.statusCode = 404;
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    it('http-input-artifact.yaml: a plain file is downloaded to the path', async () => {
      const dest = path.join(dir, 'http', 'lines.txt');
      await materializeInputArtifact({ name: 'lines', path: '/tmp/lines.txt', http: { url: `${base}/lines.txt` } }, dest, ctx());
      assert.equal(await readFile(dest, 'utf8'), 'a\nb\nc\n');
    });

    it('a downloaded tarball is unpacked, as Argo does for every driver', async () => {
      const dest = path.join(dir, 'http', 'pkg');
      await materializeInputArtifact({ name: 'pkg', path: '/pkg', http: { url: `${base}/pkg.tgz` } }, dest, ctx());
      assert.equal(await readFile(path.join(dest, 'README'), 'utf8'), 'packed');
    });
  });

  describe('git (host git binary)', () => {
    let origin = '';
    let first = '';
    before(async () => {
      origin = path.join(dir, 'origin');
      await mkdir(origin);
      const git = (...args: string[]) => execFileSync('git', args, { cwd: origin, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();
      git('init', '-q', '-b', 'main');
      await writeFile(path.join(origin, 'VERSION'), 'v1\n');
      git('add', '.');
      git('commit', '-q', '-m', 'one');
      git('tag', 'v1.0.0');
      first = git('rev-parse', 'HEAD');
      await writeFile(path.join(origin, 'VERSION'), 'v2\n');
      git('commit', '-q', '-am', 'two');
      git('checkout', '-q', '-b', 'feature');
      await writeFile(path.join(origin, 'FEATURE'), 'f\n');
      git('add', '.');
      git('commit', '-q', '-m', 'feature');
      git('checkout', '-q', 'main');
    });

    const clone = async (git: NonNullable<Artifact['git']>, name: string) => {
      const dest = path.join(dir, 'clones', name);
      await materializeInputArtifact({ name: 'src', path: '/src', git }, dest, ctx());
      return dest;
    };

    it('input-artifact-git.yaml: revision as a tag', async () => {
      const dest = await clone({ repo: `file://${origin}`, revision: 'v1.0.0' }, 'tag');
      assert.equal(await readFile(path.join(dest, 'VERSION'), 'utf8'), 'v1\n');
    });

    it('revision as a commit outside a shallow clone is fetched by id', async () => {
      const dest = await clone({ repo: `file://${origin}`, revision: first, depth: 1 }, 'sha');
      assert.equal(await readFile(path.join(dest, 'VERSION'), 'utf8'), 'v1\n');
    });

    it('singleBranch + branch clones that branch; a revision naming a remote branch works too', async () => {
      const single = await clone({ repo: `file://${origin}`, singleBranch: true, branch: 'feature' }, 'single');
      assert.equal(await readFile(path.join(single, 'FEATURE'), 'utf8'), 'f\n');
      const byRevision = await clone({ repo: `file://${origin}`, revision: 'feature' }, 'branch-rev');
      assert.equal(await readFile(path.join(byRevision, 'FEATURE'), 'utf8'), 'f\n');
    });

    it('singleBranch without a branch is refused; clone errors hide credentials', async () => {
      await assert.rejects(clone({ repo: `file://${origin}`, singleBranch: true }, 'bad'), /single branch mode without a branch/);
      await assert.rejects(clone({ repo: 'https://user:tok3n@127.0.0.1:9/repo.git' }, 'creds'), (err: Error) => !err.message.includes('tok3n'));
    });
  });
});

describe('output artifacts', () => {
  const out = { repository: () => repo, prefix: 'wf/wf-step-123' };

  it('default key: <prefix>/<name>.tgz, recorded as fs: {key}', async () => {
    const src = path.join(dir, 'o1.txt');
    await writeFile(src, 'x');
    const stored = await collectOutputArtifact({ name: 'result', path: '/tmp/o1.txt' }, src, { repository: out.repository(), artifactKeyPrefix: out.prefix });
    assert.deepEqual(stored, { name: 'result', path: '/tmp/o1.txt', fs: { key: 'wf/wf-step-123/result.tgz' } });
  });

  it('artifact-disable-archive.yaml: archive none stores under <prefix>/<name>', async () => {
    const src = path.join(dir, 'hello_world.txt');
    await writeFile(src, 'hello world\n');
    const stored = await collectOutputArtifact({ name: 'hello-txt', path: '/tmp/hello_world.txt', archive: { none: {} } }, src, { repository: out.repository(), artifactKeyPrefix: out.prefix });
    assert.equal(stored?.fs?.key, 'wf/wf-step-123/hello-txt');
    assert.equal(await readFile(path.join(dir, 'repo', 'wf/wf-step-123/hello-txt'), 'utf8'), 'hello world\n');
  });

  it('a key the template gave (fs) is kept', async () => {
    const src = path.join(dir, 'o2.txt');
    await writeFile(src, 'y');
    const stored = await collectOutputArtifact({ name: 'r', path: '/o2', fs: { key: 'custom/place.tgz' } }, src, { repository: out.repository(), artifactKeyPrefix: out.prefix });
    assert.deepEqual(stored?.fs, { key: 'custom/place.tgz' });
    assert.ok(await repo.has('custom/place.tgz'));
  });

  it('an optional artifact the step did not produce is omitted; a required one fails naming it', async () => {
    const missing = path.join(dir, 'not-there');
    assert.equal(await collectOutputArtifact({ name: 'maybe', path: '/tmp/maybe', optional: true }, missing, { repository: repo, artifactKeyPrefix: 'p' }), undefined);
    await assert.rejects(
      collectOutputArtifact({ name: 'must', path: '/tmp/must' }, missing, { repository: repo, artifactKeyPrefix: 'p' }),
      (err: Error & { code?: string }) =>
        err.code === OUTPUT_NOT_FOUND && err.message === "failed to save output artifact 'must': open /tmp/must: no such file or directory",
    );
  });
});
