/**
 * The agent tools git_status, git_diff, git_log and git_commit, through the base tool registry as
 * an agent calls them, on real repositories: what they show, their confinement to the working
 * directory, git_commit's approval text, and its refusals.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitChanges } from '../../server/src/git/commit';
import { openRepository } from '../../server/src/git/repository';
import { createBaseToolRegistry } from '../../server/src/tools/baseTools';
import type { ToolContext, ToolResult } from '../../server/src/tools/types';
import { commitAll, createBareRemote, createRepo, git, writeFiles } from '../support/gitRepos';

const registry = createBaseToolRegistry();

function context(workingDir: string): ToolContext {
  return { workingDir, runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => [], set: () => undefined } };
}

async function call(name: string, args: object, workingDir: string): Promise<ToolResult> {
  const parsed = registry.parseArguments(name, JSON.stringify(args));
  if (!parsed.ok) throw new Error(parsed.message);
  return registry.get(name)!.implementation(parsed.args, context(workingDir), new AbortController().signal);
}

function approval(args: object, workingDir: string): Promise<string | boolean> | string | boolean {
  const parsed = registry.parseArguments('git_commit', JSON.stringify(args));
  if (!parsed.ok) throw new Error(parsed.message);
  const needs = registry.get('git_commit')!.definition.needsApproval;
  return typeof needs === 'function' ? needs(parsed.args, context(workingDir)) : needs === true;
}

describe('git_status', () => {
  it('shows the branch with its upstream, and the staged, unstaged, untracked and conflicted files', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, { commit: 'first' });
    await createBareRemote(repo);
    await git(repo, 'push', '-q', '-u', 'origin', 'main');
    await writeFiles(repo, { 'a.txt': 'staged\n' });
    await commitAll(repo, 'ahead by one');
    await writeFiles(repo, { 'a.txt': 'staged again\n', 'b.txt': 'unstaged\n', 'new.txt': 'new\n' });
    await git(repo, 'add', 'a.txt');

    const result = await call('git_status', {}, repo);

    expect(result.isError).toBeUndefined();
    expect(result.content).toBe(
      [`Repository ${repo}.`, 'Branch main, tracking origin/main: 1 ahead, 0 behind.', 'Staged (1):', '  M a.txt', 'Unstaged (1):', '  M b.txt', 'Untracked (1):', '  new.txt'].join('\n'),
    );
    expect(result.summary).toBe('main: 1 staged, 1 unstaged, 1 untracked');
  });

  it('says a detached HEAD, no commits yet, a clean tree and conflicts; and shows only the working directory', async () => {
    const fresh = await createRepo({ 'a.txt': 'a\n' });
    expect((await call('git_status', {}, fresh)).content).toContain('Branch main: no commits yet.\nUntracked (1):\n  a.txt');

    const repo = await createRepo({ 'a.txt': 'a\n', 'sub/b.txt': 'b\n' }, { commit: 'first' });
    await git(repo, 'checkout', '-q', '--detach');
    expect((await call('git_status', {}, repo)).content).toBe(`Repository ${repo}.\nHEAD is detached (no branch).\nNothing to commit: the working tree is clean.`);

    await writeFiles(repo, { 'a.txt': 'outside\n', 'sub/b.txt': 'inside\n' });
    const sub = await call('git_status', {}, path.join(repo, 'sub'));
    expect(sub.content).toContain('showing sub (the working directory) only, paths relative to it.');
    expect(sub.content).toContain('Unstaged (1):\n  M b.txt');
    expect(sub.content).not.toContain('a.txt');

    const conflicted = await createRepo({ 'c.txt': 'base\n' }, { commit: 'base' });
    await git(conflicted, 'checkout', '-q', '-b', 'other');
    await writeFiles(conflicted, { 'c.txt': 'other\n' });
    await commitAll(conflicted, 'other');
    await git(conflicted, 'checkout', '-q', 'main');
    await writeFiles(conflicted, { 'c.txt': 'main\n' });
    await commitAll(conflicted, 'main');
    await git(conflicted, 'merge', 'other').catch(() => undefined);
    expect((await call('git_status', {}, conflicted)).content).toContain('Conflicted (1):\n  c.txt');
  });

  it('is an error result outside a repository', async () => {
    const plain = await mkdtemp(path.join(tmpdir(), 'moco-plain-'));
    const result = await call('git_status', {}, plain);
    expect(result).toMatchObject({ isError: true, summary: 'not a git repository' });
    expect(result.content).toContain('is not in a git repository');
  });
});

describe('git_diff', () => {
  it('shows unstaged changes, staged ones, changes since a ref, and one path', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, { commit: 'first' });
    await writeFiles(repo, { 'a.txt': 'a2\n' });
    await commitAll(repo, 'second');
    await writeFiles(repo, { 'a.txt': 'a3\n', 'b.txt': 'b2\n' });
    await git(repo, 'add', 'b.txt');

    const unstaged = await call('git_diff', {}, repo);
    expect(unstaged.content).toContain('-a2\n+a3');
    expect(unstaged.content).not.toContain('+b2');
    expect((await call('git_diff', { staged: true }, repo)).content).toContain('-b\n+b2');
    const sinceFirst = await call('git_diff', { ref: 'HEAD~1', path: 'a.txt' }, repo);
    expect(sinceFirst.content).toContain('-a\n+a3');
    expect(sinceFirst.content).not.toContain('b.txt');
  });

  it('refuses a path outside the working directory and an unknown or option-like ref; says when there is no diff', async () => {
    const repo = await createRepo({ 'sub/a.txt': 'a\n', 'b.txt': 'b\n' }, { commit: 'first' });
    const sub = path.join(repo, 'sub');
    expect(await call('git_diff', { path: '../b.txt' }, sub)).toMatchObject({ isError: true, content: expect.stringContaining('outside the working directory') as unknown });
    expect(await call('git_diff', { ref: 'nope' }, repo)).toMatchObject({ isError: true, content: expect.stringContaining('"nope" is not a commit, branch or tag') as unknown });
    expect(await call('git_diff', { ref: '--output=/tmp/x' }, repo)).toMatchObject({ isError: true });
    expect((await call('git_diff', {}, repo)).content).toBe('No unstaged changes: see the staged ones with staged: true, and new files with git_status.');
  });

  it('cuts a long diff and lists its files', async () => {
    const big = Array.from({ length: 4000 }, (_, index) => `line ${index} of a long file`).join('\n');
    const repo = await createRepo({ 'big.txt': 'x\n', 'small.txt': 's\n' }, { commit: 'first' });
    await writeFiles(repo, { 'big.txt': big, 'small.txt': 's2\n' });
    const result = await call('git_diff', {}, repo);
    expect(Buffer.byteLength(result.content)).toBeLessThan(70 * 1024);
    expect(result.content).toMatch(/\[The diff was cut after 64\.0 KiB of \d+\.\d KiB\. Every file it holds is listed below; ask again with path for one file\.\]/);
    expect(result.content).toMatch(/ big\.txt +\| 4001 \+/);
    expect(result.content).toMatch(/ small\.txt +\| +2 \+-/);
  });
});

describe('git_log', () => {
  it('lists commits newest first, limited by max_count, path and ref', async () => {
    const repo = await createRepo({ 'a.txt': '1' }, { commit: 'first' });
    for (let index = 2; index <= 4; index++) {
      await writeFiles(repo, index === 3 ? { 'b.txt': 'b' } : { 'a.txt': String(index) });
      await commitAll(repo, `commit ${index}`);
    }
    const all = await call('git_log', {}, repo);
    expect(all.content.split('\n').map((line) => line.split('  ').at(-1))).toEqual(['commit 4', 'commit 3', 'commit 2', 'first']);
    expect(all.content).toMatch(/^[0-9a-f]{7,} {2}\d{4}-\d{2}-\d{2} {2}MOCO Test {2}commit 4$/m);
    expect((await call('git_log', { max_count: 2 }, repo)).content).toMatch(/commit 4\n.*commit 3\n\[2 commits shown, newest first; more may follow/);
    expect((await call('git_log', { path: 'b.txt' }, repo)).content.split('\n')).toHaveLength(1);
    expect((await call('git_log', { ref: 'HEAD~2..HEAD' }, repo)).summary).toBe('2 commits');
    expect(registry.parseArguments('git_log', '{"max_count": 500}').ok).toBe(false);
    expect((await call('git_log', {}, await createRepo({ 'a.txt': 'a' }))).content).toBe('No commits yet: this repository has none.');
  });

  it('at the root, lists empty commits and the commits of a merged side branch', async () => {
    const repo = await createRepo({ 'a.txt': '1' }, { commit: 'first' });
    await git(repo, 'commit', '-q', '--allow-empty', '-m', 'empty');
    await git(repo, 'switch', '-q', '-c', 'side');
    await writeFiles(repo, { 'b.txt': 'b' });
    await commitAll(repo, 'on the side');
    await git(repo, 'switch', '-q', 'main');
    await git(repo, 'merge', '-q', '--no-ff', '-m', 'merge side', 'side');

    const subjects = (await call('git_log', {}, repo)).content.split('\n').map((line) => line.split('  ').at(-1));

    // Commits of the same second: their order among themselves is git's.
    expect(subjects.sort()).toEqual(['empty', 'first', 'merge side', 'on the side']);
    // In a folder, the log is the folder's history.
    await writeFiles(repo, { 'sub/c.txt': 'c' });
    await commitAll(repo, 'add sub');
    expect((await call('git_log', {}, path.join(repo, 'sub'))).content.split('\n').map((line) => line.split('  ').at(-1))).toEqual(['add sub']);
  });
});

describe('git_commit', () => {
  it('asks with the branch, the files and the message, and says that hooks run', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, { commit: 'first' });
    await writeFiles(repo, { 'a.txt': 'a2\n', 'b.txt': 'b2\n', 'new.txt': 'n\n' });
    await git(repo, 'add', 'a.txt');

    expect(await approval({ message: 'Change a\n\nBecause a needed it.' }, repo)).toBe(
      `git_commit wants to commit to main in ${repo}.\nFiles (1):\n    M a.txt\nMessage:\n    Change a\n    \n    Because a needed it.\n` +
        "The repository's git hooks (pre-commit, commit-msg...) run as part of the commit.",
    );
    const all = (await approval({ message: 'Everything', all: true, paths: ['new.txt'] }, repo)) as string;
    expect(all).toContain('staging the changes of tracked files and new.txt first.');
    expect(all).toContain('Files (3):\n    M a.txt\n    M b.txt\n    A new.txt\n');
    expect(await approval({ message: 'x' }, await createRepo({ 'a.txt': 'a' }, { commit: 'c' }))).toContain('Nothing is staged now, so the commit will fail.');
    const detached = await createRepo({ 'a.txt': 'a' }, { commit: 'c' });
    await git(detached, 'checkout', '-q', '--detach');
    expect(await approval({ message: 'x' }, detached)).toContain('git_commit wants to commit to a detached HEAD in');
    const plain = await mkdtemp(path.join(tmpdir(), 'moco-plain-'));
    expect(await approval({ message: 'x' }, plain)).toContain(`The files could not be listed: ${plain} is not in a git repository, so nothing can be committed.`);
  });

  it('lists the files without blocking the server: other work goes on while git runs', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n' }, { commit: 'first' });
    await writeFiles(repo, { 'a.txt': 'a2\n' });
    let ranMeanwhile = false;
    setImmediate(() => {
      ranMeanwhile = true;
    });
    const reason = await approval({ message: 'Change a', all: true }, repo);
    expect(reason).toContain('Files (1):\n    M a.txt');
    expect(ranMeanwhile).toBe(true);
  });

  it('commits what was staged, with all and with paths, and hooks run', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, { commit: 'first' });
    await writeFiles(repo, { 'a.txt': 'a2\n', 'b.txt': 'b2\n', 'new.txt': 'n\n', '.git/hooks/commit-msg': '#!/bin/sh\necho "hooked" >> "$(git rev-parse --git-dir)/hook-ran"\n' });
    const { chmod, readFile } = await import('node:fs/promises');
    await chmod(path.join(repo, '.git/hooks/commit-msg'), 0o755);

    const result = await call('git_commit', { message: 'Change a and add new', all: true, paths: ['new.txt'] }, repo);

    expect(result.isError).toBeUndefined();
    expect(result.content).toMatch(/^Committed [0-9a-f]{7,} \([0-9a-f]{40}\) with 3 files:\n {2}M a\.txt\n {2}M b\.txt\n {2}A new\.txt$/);
    expect(await git(repo, 'log', '-1', '--format=%s')).toBe('Change a and add new\n');
    expect(await git(repo, 'status', '--porcelain')).toBe('');
    expect(await readFile(path.join(repo, '.git/hook-ran'), 'utf8')).toBe('hooked\n');
  });

  it('stages listed paths (moco commit --apply): a tracked file deleted since is staged as deleted, an untracked one gone since is left out', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n', 'tracked.txt': 't\n' }, { commit: 'first' });
    await writeFiles(repo, { 'a.txt': 'a2\n', 'swap.tmp': 'x\n', 'sub/new file.txt': 'n\n' });
    const { rm } = await import('node:fs/promises');
    await rm(path.join(repo, 'tracked.txt'));
    await rm(path.join(repo, 'swap.tmp'));
    const repository = await openRepository(repo, new AbortController().signal);
    const listed = ['a.txt', 'tracked.txt', 'swap.tmp', 'sub/new file.txt'];

    const outcome = await commitChanges(repository, 'Listed', { listedPaths: listed }, new AbortController().signal);

    expect(outcome.files).toEqual(['M a.txt', 'A sub/new file.txt', 'D tracked.txt']);
    // The same list as strict paths: git refuses the path that is gone.
    await writeFiles(repo, { 'a.txt': 'a3\n' });
    await expect(commitChanges(repository, 'Strict', { paths: ['a.txt', 'swap.tmp'] }, new AbortController().signal)).rejects.toMatchObject({
      message: expect.stringContaining("pathspec ':(literal)swap.tmp' did not match any files") as unknown,
    });
  });

  it('refuses an empty message, nothing staged, staged changes outside the working directory, a hook that says no', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n', 'sub/b.txt': 'b\n' }, { commit: 'first' });
    expect(await approval({ message: '  ' }, repo)).toBe(false);
    expect(await call('git_commit', { message: '  ' }, repo)).toMatchObject({
      isError: true,
      content: 'The commit message is empty: nothing was committed. Call git_commit again with a subject line (and a body that says why).',
    });
    expect(await call('git_commit', { message: 'Nothing' }, repo)).toMatchObject({
      isError: true,
      content: `Nothing is staged in ${repo}, so there is nothing to commit. Stage changes (git add) first. Use paths or all to stage files in the same call.`,
    });

    await writeFiles(repo, { 'a.txt': 'outside\n', 'sub/b.txt': 'inside\n' });
    await git(repo, 'add', 'a.txt');
    const outside = await call('git_commit', { message: 'Inside only', all: true }, path.join(repo, 'sub'));
    expect(outside).toMatchObject({ isError: true, summary: 'refused: staged changes outside the working directory' });
    expect(outside.content).toContain('changes outside the working directory are staged (M a.txt)');
    expect(await call('git_commit', { message: 'x', paths: ['../a.txt'] }, path.join(repo, 'sub'))).toMatchObject({ isError: true, content: expect.stringContaining('outside the working directory') as unknown });

    await git(repo, 'reset', '-q');
    await writeFiles(repo, { '.git/hooks/pre-commit': '#!/bin/sh\necho "lint failed: fix a.txt" >&2\nexit 1\n' });
    const { chmod } = await import('node:fs/promises');
    await chmod(path.join(repo, '.git/hooks/pre-commit'), 0o755);
    const refused = await call('git_commit', { message: 'Try', paths: ['a.txt'] }, repo);
    expect(refused).toMatchObject({ isError: true, content: 'git commit failed: lint failed: fix a.txt' });
    expect(await git(repo, 'log', '--format=%s')).toBe('first\n');
  });
});
