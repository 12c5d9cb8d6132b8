// Git input artifacts, cloned with the host's `git` binary the way Argo's git driver
// clones with go-git: depth, singleBranch/branch, extra fetch refspecs, a revision to
// check out, submodules unless disabled. Credentials travel through the environment
// (GIT_ASKPASS, GIT_SSH_COMMAND) and never appear in argv, logs or messages.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OperationalError, UserError } from '../../spec/index.js';
import type { Artifact, SecretKeySelector } from '../../spec/index.js';
import type { ValueSources } from '../types.js';

export const ARTIFACT_GIT_ERROR = 'WEFT_E_ARTIFACT_GIT';

type GitArtifact = NonNullable<Artifact['git']>;

export interface GitCloneContext {
  values: ValueSources;
  signal: AbortSignal;
  /** The git binary; default `git` on PATH. */
  gitBinary?: string;
}

export async function cloneGitArtifact(artifact: Artifact, hostDestPath: string, ctx: GitCloneContext): Promise<void> {
  const git = artifact.git;
  if (!git) throw new UserError(ARTIFACT_GIT_ERROR, `artifact '${artifact.name}' has no git location`);
  if (git.singleBranch && !git.branch) {
    throw new UserError(ARTIFACT_GIT_ERROR, `artifact '${artifact.name}': single branch mode without a branch specified`);
  }
  const secrets: string[] = [];
  const scratch = await mkdtemp(path.join(tmpdir(), 'weft-git-'));
  try {
    const env = await credentialEnv(git, artifact.name, ctx.values, scratch, secrets);
    const run = (args: string[], cwd?: string) => runGit(ctx, args, env, secrets, cwd);
    const tls = git.insecureSkipTLS ? ['-c', 'http.sslVerify=false'] : [];
    const depth = git.depth !== undefined && git.depth > 0 ? ['--depth', String(git.depth)] : [];
    const branch = git.singleBranch && git.branch ? ['--single-branch', '--branch', git.branch] : [];
    await run([...tls, 'clone', '--quiet', ...depth, ...branch, '--', git.repo, hostDestPath]);
    for (const spec of git.fetch ?? []) await run([...tls, 'fetch', '--quiet', ...depth, 'origin', spec], hostDestPath);
    if (git.revision) await checkoutRevision(git.revision, tls, depth, hostDestPath, run);
    if (!git.disableSubmodules) {
      await run([...tls, 'submodule', 'update', '--quiet', '--init', '--recursive'], hostDestPath);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

type Run = (args: string[], cwd?: string) => Promise<string>;

async function checkoutRevision(revision: string, tls: string[], depth: string[], repoDir: string, run: Run): Promise<void> {
  // Branches that exist only as origin/<name>, tags and commits all resolve here;
  // a commit outside a shallow clone is fetched by id.
  for (const candidate of [revision, `origin/${revision}`]) {
    const found = await run(['rev-parse', '--quiet', '--verify', `${candidate}^{commit}`], repoDir).catch(() => '');
    if (found.trim() !== '') {
      await run(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', found.trim()], repoDir);
      return;
    }
  }
  await run([...tls, 'fetch', '--quiet', ...depth, 'origin', revision], repoDir);
  await run(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', 'FETCH_HEAD'], repoDir);
}

async function credentialEnv(
  git: GitArtifact,
  artifactName: string,
  values: ValueSources,
  scratch: string,
  secrets: string[],
): Promise<Record<string, string>> {
  const read = (ref: SecretKeySelector | undefined, what: string): string | undefined => {
    if (!ref) return undefined;
    const value = values.secret(ref.name ?? '', ref.key);
    if (value === undefined) {
      throw new UserError(
        ARTIFACT_GIT_ERROR,
        `artifact '${artifactName}': ${what} secret '${ref.name ?? ''}' has no key '${ref.key}'`,
      );
    }
    if (value !== '') secrets.push(value);
    return value;
  };
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '' };
  const username = read(git.usernameSecret, 'username');
  const password = read(git.passwordSecret, 'password');
  if (username !== undefined || password !== undefined) {
    const askpass = path.join(scratch, 'askpass.sh');
    await writeFile(
      askpass,
      '#!/bin/sh\ncase "$1" in\n  Username*) printf "%s" "$WEFT_GIT_USERNAME" ;;\n  *) printf "%s" "$WEFT_GIT_PASSWORD" ;;\nesac\n',
      { mode: 0o700 },
    );
    Object.assign(env, { GIT_ASKPASS: askpass, WEFT_GIT_USERNAME: username ?? '', WEFT_GIT_PASSWORD: password ?? '' });
  }
  const sshKey = read(git.sshPrivateKeySecret, 'SSH private key');
  const hostKeys = git.insecureIgnoreHostKey ? ' -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null' : '';
  if (sshKey !== undefined) {
    const keyFile = path.join(scratch, 'id_key');
    await writeFile(keyFile, sshKey.endsWith('\n') ? sshKey : `${sshKey}\n`, { mode: 0o600 });
    await chmod(keyFile, 0o600);
    env.GIT_SSH_COMMAND = `ssh -i ${keyFile} -o IdentitiesOnly=yes${hostKeys}`;
  } else if (hostKeys !== '') {
    env.GIT_SSH_COMMAND = `ssh${hostKeys}`;
  }
  return env;
}

function runGit(ctx: GitCloneContext, args: string[], env: Record<string, string>, secrets: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(ctx.gitBinary ?? 'git', args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: ctx.signal,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 16 * 1024) stderr += chunk;
    });
    child.on('error', (err) => reject(new OperationalError(ARTIFACT_GIT_ERROR, `git ${args[0] ?? ''}: ${err.message}`, { cause: err })));
    child.on('close', (code) => {
      if (code === 0) return resolve(stdout);
      const verb = args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? 'git';
      const detail = redact(stderr.trim(), secrets) || `exit code ${code ?? 'unknown'}`;
      reject(new OperationalError(ARTIFACT_GIT_ERROR, `git ${verb} failed: ${detail}`));
    });
  });
}

/** Removes secret values and URL userinfo (https://user:token@host) from git's output. */
export function redact(text: string, secrets: string[]): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return out;
}
