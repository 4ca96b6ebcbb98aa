/**
 * Real git repositories in temporary folders, for the git, pull request and review tests. Each
 * repository has its own `user.name`/`user.email` and no signing, set in its local config; the
 * global git config and /work/main's own repository are never touched. Nothing here is timed.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The identity every test repository commits with. */
export const testIdentity = { name: 'MOCO Test', email: 'moco-test@example.com' } as const;

/**
 * Runs `git <args>` in `dir` and resolves its stdout (untrimmed). A fixed environment keeps the
 * output stable: no pager, English messages, no system config, dates of `GIT_*_DATE` when set.
 * @throws an Error whose message holds git's stderr when git exits non-zero.
 */
export async function git(dir: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', args, {
      cwd: dir,
      env: { ...process.env, GIT_PAGER: 'cat', LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`git ${args.join(' ')} failed in ${dir}: ${stderr.trim() || String(error)}`, { cause: error });
  }
}

/** How {@link createRepo} sets the repository up. */
export interface CreateRepoOptions {
  /** Commit the files as the first commit with this message; absent: the files are left untracked. */
  commit?: string;
  /** Parent folder of the new repository; default a fresh `mkdtemp` under the OS temp dir. */
  parent?: string;
}

/**
 * A new repository: `git init -b main` in a fresh temp folder, the test identity and
 * `commit.gpgsign false` in its local config, then `files` written (paths relative to the root,
 * folders created) and, with `options.commit`, committed.
 * @returns the repository's absolute root (realpath of the temp folder, as `git rev-parse` gives it).
 */
export async function createRepo(files: Record<string, string | Buffer> = {}, options: CreateRepoOptions = {}): Promise<string> {
  const parent = options.parent ?? (await mkdtemp(path.join(tmpdir(), 'moco-git-')));
  const dir = options.parent ? await mkdtemp(path.join(parent, 'repo-')) : path.join(parent, 'repo');
  await mkdir(dir, { recursive: true });
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'user.name', testIdentity.name);
  await git(dir, 'config', 'user.email', testIdentity.email);
  await git(dir, 'config', 'commit.gpgsign', 'false');
  await writeFiles(dir, files);
  if (options.commit !== undefined) await commitAll(dir, options.commit);
  return (await git(dir, 'rev-parse', '--show-toplevel')).trim();
}

/** Writes `files` (paths relative to `dir`, `/`-separated) into `dir`, creating folders. */
export async function writeFiles(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, ...name.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

/**
 * Stages everything (`git add -A`) and commits it with `message` (empty commits allowed).
 * @returns the new commit's full hash.
 */
export async function commitAll(dir: string, message: string): Promise<string> {
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return (await git(dir, 'rev-parse', 'HEAD')).trim();
}

/**
 * A bare repository in a fresh temp folder, added to `dir` as the remote `name`.
 * @returns the bare repository's absolute path (also the remote's URL).
 */
export async function createBareRemote(dir: string, name = 'origin'): Promise<string> {
  const bare = path.join(await mkdtemp(path.join(tmpdir(), 'moco-remote-')), 'remote.git');
  await mkdir(bare);
  await git(bare, 'init', '-q', '--bare', '-b', 'main');
  await git(dir, 'remote', 'add', name, bare);
  return bare;
}
