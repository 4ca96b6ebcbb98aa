/**
 * Writing a commit message (server/src/git/commitMessage.ts) with an in-process scripted model:
 * the answer cleaned, the partials streamed and reset on a retry, the scope, the notes (cut,
 * summaries, commitlint), usage and cost; and the repository states it refuses or accepts.
 */
import { stat, utimes } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { CommitMessagePartial } from '../../protocol/git';
import type { MocoEngine } from '../../server/src/engine/engine';
import { writeCommitMessage } from '../../server/src/git/commitMessage';
import { cleanMessage } from '../../server/src/git/messageText';
import { openRepository, repositoryState } from '../../server/src/git/repository';
import type { ModelBinding } from '../../server/src/orchestrator/context';
import type { ModelCallObserver, ModelProvider, ModelRequest, ModelResponse } from '../../server/src/providers/types';
import { commitAll, createRepo, git, writeFiles } from '../support/gitRepos';

const signal = new AbortController().signal;

/** A model that streams `pieces` (after an optional void attempt) and records its requests. */
function scriptedEngine(pieces: string[], options: { retryFirst?: boolean; usage?: boolean } = {}) {
  const requests: ModelRequest[] = [];
  const provider: ModelProvider = {
    id: 'openai',
    complete(request: ModelRequest, observer: ModelCallObserver): Promise<ModelResponse> {
      requests.push(request);
      if (options.retryFirst) {
        observer.onDelta({ kind: 'text', text: 'half an ans' });
        observer.onRetry?.({ attempt: 1, delayMs: 0, reason: 'socket closed', discardsPartialOutput: true });
      }
      observer.onDelta({ kind: 'thinking', text: 'let me think' });
      for (const text of pieces) observer.onDelta({ kind: 'text', text });
      const response: ModelResponse = { text: pieces.join(''), thinking: 'let me think', toolCalls: [], finishReason: 'stop' };
      if (options.usage !== false) response.usage = { inputTokens: 1000, outputTokens: 20 };
      return Promise.resolve(response);
    },
  };
  const binding: ModelBinding = {
    provider,
    providerId: 'openai',
    model: 'gpt-4o-mini',
    supportsTools: true,
    cost: (usage) => usage.inputTokens * 1e-6 + usage.outputTokens * 2e-6,
    estimateTokens: () => Promise.resolve(777),
  };
  const engine: Pick<MocoEngine, 'modelFor'> = { modelFor: () => Promise.resolve({ binding, target: {} as never }) };
  return { engine, requests };
}

describe('cleaning the answer', () => {
  it('removes a code fence, a label, trailing spaces, and puts a blank line after the subject', () => {
    expect(cleanMessage('```\nAdd the panel  \n\nIt was missing.\n```')).toBe('Add the panel\n\nIt was missing.');
    expect(cleanMessage('```text\nfix: close it\n```\n')).toBe('fix: close it');
    expect(cleanMessage('```\nfeat: add x\n\nExample:\n```\ncode\n```\n```')).toBe('feat: add x\n\nExample:\n```\ncode\n```');
    expect(cleanMessage('Commit message:\nAdd x\nbecause y')).toBe('Add x\n\nbecause y');
    expect(cleanMessage('**Commit message:** Add x')).toBe('Add x');
    expect(cleanMessage('Message queue: retry twice')).toBe('Message queue: retry twice');
    expect(cleanMessage('\n\nAdd x\n\n\n\nBody\r\n')).toBe('Add x\n\nBody');
    expect(cleanMessage('   ')).toBe('');
  });
});

describe('writeCommitMessage', () => {
  it('streams the text as partials, cleans the whole, and describes the staged changes only', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, { commit: 'first' });
    await writeFiles(repo, { 'a.txt': 'staged change\n', 'b.txt': 'unstaged change\n' });
    await git(repo, 'add', 'a.txt');
    const { engine, requests } = scriptedEngine(['```\nChange ', 'a\n\nBecause.', '\n```']);
    const partials: CommitMessagePartial[] = [];

    const result = await writeCommitMessage(engine, { repositoryPath: repo }, (partial) => partials.push(partial), signal);

    expect(partials).toEqual([{ delta: '```\nChange ' }, { delta: 'a\n\nBecause.' }, { delta: '\n```' }]);
    expect(result).toMatchObject({ message: 'Change a\n\nBecause.', scope: 'staged', notes: [], usage: { inputTokens: 1000, outputTokens: 20 } });
    expect(result.costUsd).toBeCloseTo(0.00104, 10);
    expect(result.usage.costUsd).toBe(result.costUsd);
    const request = requests[0]!;
    expect(request).toMatchObject({ model: 'gpt-4o-mini', tools: [], temperature: 0.2, maxOutputTokens: 400 });
    expect(request.messages[1]!.content).toContain('+staged change');
    expect(request.messages[1]!.content).not.toContain('unstaged change');
    expect(request.messages[1]!.content).toContain('Describe the staged changes below.');
  });

  it('sends a reset when a retry voids the text, and estimates usage the endpoint did not send', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n' }, { commit: 'first' });
    await writeFiles(repo, { 'a.txt': 'b\n' });
    const { engine } = scriptedEngine(['Change a'], { retryFirst: true, usage: false });
    const partials: CommitMessagePartial[] = [];

    const result = await writeCommitMessage(engine, { repositoryPath: repo }, (partial) => partials.push(partial), signal);

    expect(partials).toEqual([{ delta: 'half an ans' }, { delta: '', reset: true }, { delta: 'Change a' }]);
    expect(result.scope).toBe('all');
    expect(result.usage).toMatchObject({ inputTokens: 777, outputTokens: 3 });
  });

  it('puts the commitlint violations and the summaries in the notes', async () => {
    const repo = await createRepo({ '.commitlintrc.json': JSON.stringify({ extends: ['@commitlint/config-conventional'] }), 'yarn.lock': 'a\n' }, { commit: 'chore: init' });
    await writeFiles(repo, { 'yarn.lock': 'b\n', 'src/x.ts': 'x\n' });
    await git(repo, 'add', '-A');
    const { engine, requests } = scriptedEngine(['Added X.']);

    const result = await writeCommitMessage(engine, { repositoryPath: repo }, () => undefined, signal);

    expect(requests[0]!.messages[1]!.content).toContain('The type must be one of: build, chore');
    expect(result.notes).toEqual([
      'Summarised rather than quoted: yarn.lock (lockfile).',
      'commitlint subject-empty: subject may not be empty.',
      'commitlint subject-full-stop: subject may not end with full stop.',
      'commitlint type-empty: type may not be empty.',
    ]);
  });

  it('refuses no changes, merge conflicts and a folder outside any repository with clear errors', async () => {
    const clean = await createRepo({ 'a.txt': 'a\n' }, { commit: 'first' });
    const { engine } = scriptedEngine(['x']);
    await expect(writeCommitMessage(engine, { repositoryPath: clean }, () => undefined, signal)).rejects.toMatchObject({
      code: 1602,
      message: `No changes to describe in ${clean}: stage or make a change first.`,
    });

    const conflicted = await conflictedRepo();
    await expect(writeCommitMessage(engine, { repositoryPath: conflicted }, () => undefined, signal)).rejects.toMatchObject({
      code: 1601,
      message: `${conflicted} has unresolved merge conflicts in a.txt. Resolve them and stage the files (git add), or abort the merge, first.`,
    });

    await expect(writeCommitMessage(engine, { repositoryPath: '/nonexistent/folder' }, () => undefined, signal)).rejects.toMatchObject({ code: 1601 });
  });
});

/** A repository in the middle of a merge with a conflict in a.txt. */
async function conflictedRepo(): Promise<string> {
  const repo = await createRepo({ 'a.txt': 'base\n' }, { commit: 'base' });
  await git(repo, 'checkout', '-q', '-b', 'other');
  await writeFiles(repo, { 'a.txt': 'other\n' });
  await commitAll(repo, 'other');
  await git(repo, 'checkout', '-q', 'main');
  await writeFiles(repo, { 'a.txt': 'main\n' });
  await commitAll(repo, 'main');
  await git(repo, 'merge', 'other').catch(() => undefined);
  return repo;
}

describe('repository state', () => {
  it('tells a detached HEAD, an unborn branch and conflicts apart', async () => {
    const fresh = await createRepo({ 'a.txt': 'a\n' });
    expect(await repositoryState(await openRepository(fresh), signal)).toEqual({ branch: 'main', detached: false, hasCommits: false, conflicts: [], hasStaged: false });
    const detached = await createRepo({ 'a.txt': 'a\n' }, { commit: 'first' });
    await git(detached, 'checkout', '-q', '--detach');
    expect(await repositoryState(await openRepository(detached), signal)).toEqual({ branch: undefined, detached: true, hasCommits: true, conflicts: [], hasStaged: false });
    const conflicted = await conflictedRepo();
    expect((await repositoryState(await openRepository(conflicted), signal)).conflicts).toEqual(['a.txt']);
  });

  it('says whether anything is staged, and reading it never writes the index (no optional locks)', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, { commit: 'first' });
    const index = `${repo}/.git/index`;
    // A file whose time changed but not its content: a plain `git status` would refresh the index and write it.
    const later = new Date(Date.now() + 60_000);
    await utimes(`${repo}/a.txt`, later, later);
    const before = await stat(index);
    expect((await repositoryState(await openRepository(repo), signal)).hasStaged).toBe(false);
    expect((await stat(index)).mtimeMs).toBe(before.mtimeMs);
    await writeFiles(repo, { 'b.txt': 'b2\n' });
    await git(repo, 'add', 'b.txt');
    expect((await repositoryState(await openRepository(repo), signal)).hasStaged).toBe(true);
  });

  it('opens from a folder inside the repository, and says a bare repository has no working tree', async () => {
    const repo = await createRepo({ 'sub/a.txt': 'a\n' });
    expect(await openRepository(`${repo}/sub`)).toEqual({ root: repo });
    const bare = await createRepo({});
    await git(bare, 'config', 'core.bare', 'true');
    await expect(openRepository(`${bare}/.git`)).rejects.toMatchObject({ code: 1601, message: expect.stringContaining('is not in a git repository with a working tree') as unknown });
  });
});
