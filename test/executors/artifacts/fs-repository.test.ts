// The filesystem artifact repository: .tgz round trips for files and directories with
// Argo's tar layout (one top-level entry named after the source) and untar rules,
// unarchived copies, tarball detection by content, and keys that cannot escape the root.
import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import {
  ARTIFACT_KEY_ERROR,
  ARTIFACT_NOT_FOUND,
  checkArtifactKey,
  createFsArtifactRepository,
  isTarball,
} from '../../../core/executors/artifacts/index.js';
import type { ArtifactRepository } from '../../../core/executors/index.js';
import { UserError } from '../../../core/spec/index.js';

let dir: string;
let repo: ArtifactRepository;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'weft-fs-repo-'));
  repo = createFsArtifactRepository(path.join(dir, 'repo'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function entriesOf(tgz: string): Promise<string[]> {
  const names: string[] = [];
  await tar.list({ file: tgz, onReadEntry: (e) => names.push(e.path) });
  return names.sort();
}

describe('fs artifact repository', () => {
  it('a file round-trips through a .tgz holding its basename', async () => {
    const src = path.join(dir, 'hello_world.txt');
    await writeFile(src, 'hello world\n');
    await chmod(src, 0o750);
    await repo.save('wf/pod/hello.tgz', src, 'tar');
    const stored = path.join(dir, 'repo', 'wf/pod/hello.tgz');
    assert.deepEqual(await entriesOf(stored), ['hello_world.txt']);
    assert.equal(await isTarball(stored), true);
    const dest = path.join(dir, 'out', 'message');
    await repo.load('wf/pod/hello.tgz', dest);
    assert.equal(await readFile(dest, 'utf8'), 'hello world\n');
    assert.equal((await stat(dest)).mode & 0o777, 0o750);
  });

  it('a directory round-trips: dest becomes the directory (nested files, empty dirs, symlinks)', async () => {
    const src = path.join(dir, 'tree');
    await mkdir(path.join(src, 'sub', 'empty'), { recursive: true });
    await writeFile(path.join(src, 'a.txt'), 'a');
    await writeFile(path.join(src, 'sub', 'b.txt'), 'b');
    await symlink('a.txt', path.join(src, 'link'));
    await repo.save('k/tree.tgz', src, 'tar');
    const names = await entriesOf(path.join(dir, 'repo', 'k/tree.tgz'));
    assert.ok(names.every((n) => n.startsWith('tree/') || n === 'tree'), names.join(','));
    const dest = path.join(dir, 'restored');
    await repo.load('k/tree.tgz', dest);
    assert.deepEqual((await readdir(dest)).sort(), ['a.txt', 'link', 'sub']);
    assert.equal(await readFile(path.join(dest, 'sub', 'b.txt'), 'utf8'), 'b');
    assert.ok((await stat(path.join(dest, 'sub', 'empty'))).isDirectory());
    assert.equal(await readlink(path.join(dest, 'link')), 'a.txt');
  });

  it('a tarball with several top-level entries unpacks into a directory (Argo unpack)', async () => {
    const work = path.join(dir, 'multi');
    await mkdir(work);
    await writeFile(path.join(work, 'one'), '1');
    await writeFile(path.join(work, 'two'), '2');
    const tgz = path.join(dir, 'repo', 'multi.tgz');
    await mkdir(path.dirname(tgz), { recursive: true });
    await tar.create({ gzip: true, file: tgz, cwd: work }, ['one', 'two']);
    const dest = path.join(dir, 'multi-out');
    await repo.load('multi.tgz', dest);
    assert.deepEqual((await readdir(dest)).sort(), ['one', 'two']);
  });

  it('archive none stores the plain file, and a directory as a tree', async () => {
    const file = path.join(dir, 'plain.txt');
    await writeFile(file, 'plain');
    await repo.save('none/plain', file, 'none');
    assert.equal(await readFile(path.join(dir, 'repo', 'none/plain'), 'utf8'), 'plain');
    await repo.load('none/plain', path.join(dir, 'plain-out'));
    assert.equal(await readFile(path.join(dir, 'plain-out'), 'utf8'), 'plain');

    const tree = path.join(dir, 'etc-like');
    await mkdir(path.join(tree, 'deep'), { recursive: true });
    await writeFile(path.join(tree, 'deep', 'x.conf'), 'x');
    await repo.save('none/etc', tree, 'none');
    assert.ok((await lstat(path.join(dir, 'repo', 'none/etc'))).isDirectory());
    await repo.load('none/etc', path.join(dir, 'etc-out'));
    assert.equal(await readFile(path.join(dir, 'etc-out', 'deep', 'x.conf'), 'utf8'), 'x');
  });

  it('a gzip file that is not a tar is loaded as is (not unpacked)', async () => {
    const gz = path.join(dir, 'data.gz');
    await writeFile(gz, gzipSync(Buffer.from('just text, no tar header here\n'.repeat(40))));
    assert.equal(await isTarball(gz), false);
    await repo.save('plain/data.gz', gz, 'none');
    await repo.load('plain/data.gz', path.join(dir, 'data-out.gz'));
    assert.deepEqual(await readFile(path.join(dir, 'data-out.gz')), await readFile(gz));
  });

  it('saving again replaces the stored artifact; has() reports presence', async () => {
    const file = path.join(dir, 'v.txt');
    await writeFile(file, 'v1');
    await repo.save('ver/v', file, 'none');
    await writeFile(file, 'v2');
    await repo.save('ver/v', file, 'none');
    assert.equal(await readFile(path.join(dir, 'repo', 'ver/v'), 'utf8'), 'v2');
    assert.equal(await repo.has('ver/v'), true);
    assert.equal(await repo.has('ver/missing'), false);
  });

  it('loading a missing key fails with WEFT_E_ARTIFACT_NOT_FOUND', async () => {
    await assert.rejects(repo.load('nope/missing.tgz', path.join(dir, 'x')), (err: Error & { code?: string }) => err.code === ARTIFACT_NOT_FOUND);
  });

  describe('keys stay inside the repository', () => {
    const rejected: Array<[string, string]> = [
      ['parent traversal', '../outside'],
      ['traversal in the middle', 'wf/../../etc/passwd'],
      ['absolute key', '/etc/passwd'],
      ['empty key', ''],
      ['only dots', './.'],
      ['backslash separators', '..\\windows'],
      ['NUL byte', 'a\0b'],
    ];
    for (const [name, key] of rejected) {
      it(`rejects ${name}: ${JSON.stringify(key)}`, async () => {
        assert.throws(() => checkArtifactKey(key), (err: unknown) => err instanceof UserError && err.code === ARTIFACT_KEY_ERROR);
        await assert.rejects(repo.save(key, __filenameOf(), 'none'), UserError);
        await assert.rejects(repo.load(key, path.join(dir, 'never')), UserError);
      });
    }
    it('accepts nested relative keys and ignores ./ and doubled slashes', () => {
      assert.deepEqual(checkArtifactKey('./wf//pod/art.tgz'), ['wf', 'pod', 'art.tgz']);
    });
  });
});

function __filenameOf(): string {
  return new URL(import.meta.url).pathname;
}
