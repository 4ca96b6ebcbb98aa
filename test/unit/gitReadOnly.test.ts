/**
 * Reading a repository whose own config names programs (filters, hooks, a signature program, an
 * SSH command for a partial clone's lazy fetch) runs none of them: the git tools, the commit
 * message's prompt, the review's changes and the pull request's commits, on real repositories
 * whose programs would leave a marker file. Committing still runs the repository's hooks.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commitsAhead } from '../../server/src/github/branches';
import { buildCommitPrompt } from '../../server/src/git/commitPrompt';
import { diffSection } from '../../server/src/git/diffContext';
import { runGit } from '../../server/src/git/gitClient';
import { collectChanges } from '../../server/src/review/changes';
import { gitTools } from '../../server/src/tools/git/index';
import type { ToolContext, ToolResult } from '../../server/src/tools/types';
import { createRepo, git, writeFiles } from '../support/gitRepos';

const signal = new AbortController().signal;
const folders: string[] = [];
const tools = new Map(gitTools().map((tool) => [tool.definition.name, tool]));

afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

function context(workingDir: string): ToolContext {
  return { workingDir, runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => [], set: () => undefined } };
}

async function call(name: string, args: object, workingDir: string): Promise<ToolResult> {
  return tools.get(name)!.implementation(args, context(workingDir), signal);
}

/** git_commit's approval text for `args` in `workingDir`. */
function needsApproval(args: object, workingDir: string): Promise<string> {
  const needs = tools.get('git_commit')!.definition.needsApproval as (args: object, context: ToolContext) => Promise<string>;
  return needs(args, context(workingDir));
}

/** A folder the hostile programs leave their marker files in. */
async function markerFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'moco-markers-'));
  folders.push(folder);
  return folder;
}

/** A shell line that leaves the marker `name` in `markers`. */
function touch(markers: string, name: string): string {
  return `touch '${path.join(markers, name)}'`;
}

/**
 * A repository with a commit whose config runs a marker-leaving program for: the filter `evil`
 * on every .txt file (clean, smudge, process), every hook (`core.hooksPath`), and signatures
 * (`log.showSignature` with `gpg.program`) of its signed-looking last commit. Then a same-size
 * edit of a.txt (git must read it to see the change) and an untracked b.txt.
 */
async function hostileRepo(markers: string): Promise<string> {
  const repo = await createRepo({ 'a.txt': 'hello\n', '.gitattributes': '*.txt filter=evil\n' }, { commit: 'feat: first' });
  folders.push(path.dirname(repo));
  // A signed-looking commit on top (git runs gpg.program to check it when showing signatures).
  await writeFiles(repo, { 'c.md': 'c\n' });
  await git(repo, 'add', 'c.md');
  const tree = (await git(repo, 'write-tree')).trim();
  const parent = (await git(repo, 'rev-parse', 'HEAD')).trim();
  const commit = [
    `tree ${tree}`,
    `parent ${parent}`,
    'author t <t@example.com> 1700000000 +0000',
    'committer t <t@example.com> 1700000000 +0000',
    'gpgsig -----BEGIN PGP SIGNATURE-----',
    ' ',
    ' iQ',
    ' -----END PGP SIGNATURE-----',
    '',
    'fix: signed',
    '',
  ].join('\n');
  const signed = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: repo, input: commit, encoding: 'utf8' }).trim();
  await git(repo, 'update-ref', 'refs/heads/main', signed);

  await git(repo, 'config', 'filter.evil.clean', `sh -c "${touch(markers, 'filter-clean')}; cat"`);
  await git(repo, 'config', 'filter.evil.smudge', `sh -c "${touch(markers, 'filter-smudge')}; cat"`);
  await git(repo, 'config', 'filter.evil.process', `sh -c "${touch(markers, 'filter-process')}; exit 1"`);
  const hooks = path.join(path.dirname(repo), 'hooks');
  const hookScript = `#!/bin/sh\n${touch(markers, 'hook')}-$(basename "$0")\n`;
  const names = ['post-index-change', 'reference-transaction', 'pre-commit', 'post-checkout', 'pre-auto-gc'];
  const scripts: Record<string, string> = { gpg: `#!/bin/sh\n${touch(markers, 'gpg')}\n` };
  for (const name of names) scripts[name] = hookScript;
  await writeFiles(hooks, scripts);
  for (const name of [...names, 'gpg']) await chmod(path.join(hooks, name), 0o755);
  await git(repo, 'config', 'core.hooksPath', hooks);
  await git(repo, 'config', 'log.showSignature', 'true');
  await git(repo, 'config', 'gpg.program', path.join(hooks, 'gpg'));
  await writeFiles(repo, { 'a.txt': 'HELLO\n', 'b.txt': 'new\n' });
  return repo;
}

describe("a repository's programs do not run when MOCO reads it", () => {
  it('the marker programs do run with plain git (the test repository is hostile indeed)', async () => {
    const markers = await markerFolder();
    const repo = await hostileRepo(markers);
    // The process filter fails git (exit 1) once it ran; without it, the clean filter runs.
    await git(repo, 'diff').catch(() => undefined);
    await git(repo, 'log', '-1');
    await git(repo, 'config', '--unset', 'filter.evil.process');
    await git(repo, 'diff');
    await git(repo, 'add', '--intent-to-add', 'b.txt');
    expect(await readdir(markers)).toEqual(expect.arrayContaining(['filter-process', 'filter-clean', 'gpg', 'hook-post-index-change']));
  });

  it('git_status, git_diff, git_log (with and without a ref) and the commit message prompt run none of them', async () => {
    const markers = await markerFolder();
    const repo = await hostileRepo(markers);

    expect((await call('git_status', {}, repo)).content).toContain('Unstaged (1):\n  M a.txt');
    expect((await call('git_diff', {}, repo)).content).toContain('-hello\n+HELLO');
    expect((await call('git_diff', { ref: 'HEAD~1' }, repo)).content).toContain('+HELLO');
    expect((await call('git_log', {}, repo)).content).toContain('fix: signed');
    expect((await call('git_log', { ref: 'HEAD~1' }, repo)).content).toContain('feat: first');
    // Nothing staged: the range "all" adds b.txt to a temporary index (post-index-change), and
    // the recent commits are read for their style (the signed one).
    const prompt = await buildCommitPrompt(repo, { contextWindow: 100_000 }, signal);
    expect(prompt.scope).toBe('all');
    expect(prompt.messages[1]!.content).toContain('+new');
    expect(prompt.messages[1]!.content).toContain('fix: signed');

    expect(await readdir(markers)).toEqual([]);
  });

  it("the review's changes, a diff between refs and a pull request's commits run none of them", async () => {
    const markers = await markerFolder();
    const repo = await hostileRepo(markers);

    const changes = await collectChanges(repo, signal);
    expect(changes.files.map((file) => file.path)).toEqual(['a.txt', 'b.txt']);
    expect((await diffSection(repo, { kind: 'between', from: 'HEAD~1', to: 'HEAD' }, 1000, signal)).text).toContain('+c');
    expect((await commitsAhead(repo, 'HEAD~1', 'HEAD', signal)).map((commit) => commit.subject)).toEqual(['fix: signed']);

    expect(await readdir(markers)).toEqual([]);
  });

  it("git_commit's approval lists the files to commit, before anything is approved, running none of them", async () => {
    const markers = await markerFolder();
    const repo = await hostileRepo(markers);
    expect(await needsApproval({ message: 'feat: all', all: true, paths: ['b.txt'] }, repo)).toContain('Files (2):\n    M a.txt\n    A b.txt');
    expect(await readdir(markers)).toEqual([]);
  });

  it("a submodule's own filter does not run, even when its config says to look inside it; its new commit is still seen", async () => {
    const markers = await markerFolder();
    const inner = await createRepo({ 'f.txt': 'hello\n', '.gitattributes': '*.txt filter=evil\n' }, { commit: 'inner' });
    const repo = await createRepo({ 'x.txt': 'x\n' }, { commit: 'outer' });
    folders.push(path.dirname(inner), path.dirname(repo));
    await git(repo, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', inner, 'sub');
    await git(repo, 'commit', '-qm', 'add sub');
    // The submodule's config lives in the outer repository's .git, out of reach of MOCO's `-c`.
    await git(repo, 'config', '-f', '.git/modules/sub/config', 'filter.evil.clean', `sh -c "${touch(markers, 'submodule-filter')}; cat"`);
    await git(repo, 'config', 'submodule.sub.ignore', 'none');
    await git(repo, 'config', 'diff.submodule', 'diff');
    const sameSizeEdit = async (): Promise<void> => {
      await writeFiles(repo, { 'sub/f.txt': 'HELLO\n' });
      await writeFiles(repo, { 'x.txt': 'y\n' });
    };
    await sameSizeEdit();
    await git(repo, 'status', '--porcelain');
    expect(await readdir(markers)).toEqual(['submodule-filter']);
    await rm(path.join(markers, 'submodule-filter'));

    await sameSizeEdit();
    expect((await call('git_status', {}, repo)).content).toContain('M x.txt');
    await sameSizeEdit();
    expect((await call('git_diff', {}, repo)).content).toContain('+y');
    await sameSizeEdit();
    expect(await needsApproval({ message: 'fix: y', all: true }, repo)).toContain('M x.txt');
    await sameSizeEdit();
    expect((await collectChanges(repo, signal)).files.map((file) => file.path)).toEqual(['x.txt']);
    await sameSizeEdit();
    expect((await buildCommitPrompt(repo, { contextWindow: 100_000 }, signal)).diff.files).toEqual(['x.txt']);
    expect(await readdir(markers)).toEqual([]);

    // A new commit in the submodule is a change MOCO sees and describes.
    await git(path.join(repo, 'sub'), '-c', 'filter.evil.clean=cat', 'commit', '-qam', 'inner change', '--no-verify');
    expect((await buildCommitPrompt(repo, { contextWindow: 100_000 }, signal)).diff.files).toEqual(['sub', 'x.txt']);
    expect(await readdir(markers)).toEqual([]);
  });

  it("a partial clone's missing object is not fetched through the repository's core.sshCommand", async () => {
    const markers = await markerFolder();
    const source = await createRepo({ 'f.txt': 'one\n' }, { commit: 'one' });
    folders.push(path.dirname(source));
    await writeFiles(source, { 'f.txt': 'two\n' });
    await git(source, 'commit', '-qam', 'two');
    await git(source, 'config', 'uploadpack.allowFilter', 'true');
    const partial = path.join(path.dirname(source), 'partial');
    await git(path.dirname(source), 'clone', '-q', '--filter=blob:none', `file://${source}`, partial);
    await git(partial, 'remote', 'set-url', 'origin', 'ssh://example.invalid/x.git');
    await git(partial, 'config', 'core.sshCommand', `${touch(markers, 'ssh')}; false`);
    await writeFiles(partial, { 'f.txt': 'three\n' });

    // f.txt as of HEAD~1 was never fetched: git would fetch it from origin.
    const result = await call('git_diff', { ref: 'HEAD~1' }, partial);

    expect(result.isError).toBe(true);
    expect(result.content).toContain('This looks like a partial clone: git needed an object it has not downloaded yet');
    expect(await readdir(markers)).toEqual([]);
  });

  it("a push refused a transport by git's own rules is not explained as a partial clone", async () => {
    const repo = await createRepo({ 'a.txt': 'a\n' }, { commit: 'first' });
    folders.push(path.dirname(repo));
    const refusal = await runGit(repo, ['push', 'ext::sh -c false', 'HEAD:main'], signal, { access: 'write' }).then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(refusal).toContain("transport 'ext' not allowed");
    expect(refusal).not.toContain('partial clone');
  });

  it("committing still runs the repository's hooks and filters, as the user's own git commit does", async () => {
    const markers = await markerFolder();
    const repo = await hostileRepo(markers);
    // A process filter that fails (as the hostile one does) would fail the commit.
    await git(repo, 'config', '--unset', 'filter.evil.process');
    const result = await call('git_commit', { message: 'feat: commit', paths: ['a.txt'] }, repo);
    expect(result.content).toMatch(/^Committed /);
    const left = await readdir(markers);
    expect(left).toContain('hook-pre-commit');
    expect(left.some((name) => name.startsWith('filter-'))).toBe(true);
  });
});
