// The python3 launcher that starts unsandboxed steps: output relayed byte for byte (also
// binary and larger than a pipe), exit codes and signals as a direct spawn reports them,
// spawn errors, terminate with its grace period, a launcher that dies mid-step, and no
// step outliving a Weft process killed with SIGKILL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { Launcher } from '../../../core/executors/local/launcher.js';
import type { RunningProcess } from '../../../core/executors/local/process.js';

const launcher = await Launcher.find();
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

function run(l: Launcher, file: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const proc = l.start({ file, args, env: opts.env ?? env, ...(opts.cwd ? { cwd: opts.cwd } : {}) }, {
    stdout: (c) => out.push(c),
    stderr: (c) => err.push(c),
  }) as RunningProcess;
  return { proc, out: () => Buffer.concat(out), err: () => Buffer.concat(err).toString() };
}

async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !/^\d+ \(.*\) Z/.test(stat); // a zombie counts as gone
}

describe('launcher', { skip: launcher ? false : 'python3 (3.8+) is not installed' }, () => {
  const l = launcher as Launcher;

  it('relays stdout and stderr byte for byte, larger than a pipe buffer, and the exit code', async () => {
    const r = run(l, 'sh', ['-c', 'head -c 300000 /dev/zero | tr "\\0" "\\377"; echo oops >&2; exit 3']);
    const exit = await r.proc.exited;
    assert.equal(exit.exitCode, 3);
    assert.equal(r.out().length, 300000);
    assert.ok(r.out().every((b) => b === 0xff));
    assert.equal(r.err(), 'oops\n');
  });

  it('passes env and cwd, looks the command up on the given PATH', async () => {
    const r = run(l, 'sh', ['-c', 'pwd; echo "$WEFT_X"'], { cwd: '/tmp', env: { ...env, WEFT_X: 'a b' } });
    assert.equal((await r.proc.exited).exitCode, 0);
    assert.equal(r.out().toString(), '/tmp\na b\n');
  });

  it('a missing command or cwd is a spawn error with exit code 127', async () => {
    for (const [file, cwd] of [['weft-no-such-command', undefined], ['true', '/weft/no/such/dir']] as const) {
      const exit = await run(l, file, [], cwd ? { cwd } : {}).proc.exited;
      assert.equal(exit.exitCode, 127);
      assert.match(exit.spawnError?.message ?? '', /ENOENT/);
    }
  });

  it('a signal shows as 128 + its number; terminate escalates to SIGKILL after the grace', async () => {
    const r = run(l, 'sh', ['-c', 'trap "" TERM; echo ready; sleep 30']);
    while (!r.out().toString().includes('ready')) await new Promise((res) => setTimeout(res, 10));
    const started = Date.now();
    const exit = await r.proc.terminate(300);
    assert.equal(exit.exitCode, 137);
    assert.ok(Date.now() - started >= 250, 'waited for the grace period');
    const t = run(l, 'sleep', ['30']);
    await new Promise((res) => setTimeout(res, 100));
    assert.equal((await t.proc.terminate(2000)).exitCode, 143);
  });

  it('kills what a step left in its group when it exits', async () => {
    const r = run(l, 'sh', ['-c', 'sleep 30 & echo $!']);
    assert.equal((await r.proc.exited).exitCode, 0);
    const pid = Number(r.out().toString().trim());
    await new Promise((res) => setTimeout(res, 50));
    assert.equal(await alive(pid), false);
  });

  it('a launcher that dies fails its running steps, and the next step gets a new one', async () => {
    const own = (await Launcher.find()) as Launcher;
    const r = run(own, 'sh', ['-c', 'echo $PPID; sleep 30']);
    while (!r.out().toString().trim()) await new Promise((res) => setTimeout(res, 10));
    const launcherPid = Number(r.out().toString().trim());
    process.kill(launcherPid, 'SIGKILL');
    const exit = await r.proc.exited;
    assert.equal(exit.exitCode, 137);
    assert.match(exit.spawnError?.message ?? '', /launcher exited/);
    const again = run(own, 'echo', ['back']);
    assert.equal((await again.proc.exited).exitCode, 0);
    assert.equal(again.out().toString(), 'back\n');
    own.close();
  });

  it('no step outlives a Weft process killed with SIGKILL', async () => {
    const script = `
      import { Launcher } from ${JSON.stringify(new URL('../../../core/executors/local/launcher.js', import.meta.url).href)};
      const l = await Launcher.find();
      l.start({ file: 'sh', args: ['-c', 'echo $$; exec sleep 60'], env: { PATH: process.env.PATH } }, { stdout: (c) => process.stdout.write(c), stderr: () => {} });
    `;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    parent.stdout.on('data', (c: Buffer) => (text += c.toString()));
    while (!text.trim()) await new Promise((res) => setTimeout(res, 10));
    const stepPid = Number(text.trim());
    assert.equal(await alive(stepPid), true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 5000;
    while ((await alive(stepPid)) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    assert.equal(await alive(stepPid), false, 'the step process died with Weft');
  });
});
