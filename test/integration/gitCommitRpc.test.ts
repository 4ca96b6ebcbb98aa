// git/commitMessage through the real server over JSON-RPC (Node IPC), with the mock LLM: the
// message's text arrives as partial results ($/progress on the request's partialResultToken) in
// order, the result is their whole; errors carry their codes; cancelling stops the request.
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { LSPErrorCodes } from 'vscode-languageserver/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommitMessageProgress, CommitMessageRequest, type CommitMessagePartial } from '../../protocol/git';
import { MocoErrorCodes } from '../../protocol/errors';
import { createRepo, git, writeFiles } from '../support/gitRepos';
import { startMockLlm, type MockLlm, type MockReply } from '../support/mockLlm';
import { makeWorkspace, mockEnv, startEngineServer, waitUntil, wireError, type EngineClient, type TestWorkspace } from '../support/rpcHarness';

let workspace: TestWorkspace;
let mock: MockLlm;
let client: EngineClient;
let reply: MockReply;
let repo: string;

beforeEach(async () => {
  workspace = await makeWorkspace();
  reply = { content: 'Greet users by name\n\nThe greeting used to be anonymous.', contentChunks: 6 };
  mock = await startMockLlm(() => reply);
  client = await startEngineServer(workspace, mockEnv(mock, workspace));
  repo = await createRepo({ 'greet.ts': 'export const hi = "hi";\n' }, { commit: 'Initial commit' });
});
afterEach(async () => {
  await client.kill();
  await mock.close();
  await workspace.cleanup();
});

/** Sends git/commitMessage with a partial result token; the partials land in `partials` as they come. */
function request(partials: CommitMessagePartial[], token?: CancellationTokenSource) {
  const partialResultToken = `commit-${Math.random()}`;
  const listener = client.connection.onProgress(CommitMessageProgress, partialResultToken, (partial) => {
    partials.push(partial);
  });
  const pending = client.connection.sendRequest(CommitMessageRequest, { repositoryPath: repo, partialResultToken }, token?.token);
  return { pending, dispose: () => listener.dispose() };
}

describe('git/commitMessage', () => {
  it('streams the message as partial results in order; the result is their whole', async () => {
    await writeFiles(repo, { 'greet.ts': 'export const hi = (name: string) => `hi ${name}`;\n' });
    await git(repo, 'add', '-A');
    const partials: CommitMessagePartial[] = [];

    const { pending, dispose } = request(partials);
    const result = await pending;
    dispose();

    expect(partials.length).toBeGreaterThanOrEqual(2);
    expect(partials.map((partial) => partial.delta).join('')).toBe('Greet users by name\n\nThe greeting used to be anonymous.');
    expect(result).toMatchObject({ message: 'Greet users by name\n\nThe greeting used to be anonymous.', scope: 'staged', notes: [] });
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    const prompt = String(mock.chatRequests()[0]!.body.messages![1]!.content);
    expect(prompt).toContain('+export const hi = (name: string) => `hi ${name}`;');
  });

  it('answers NothingToCommit and GitStateInvalid with their codes and messages', async () => {
    const nothing = await wireError(client.connection.sendRequest(CommitMessageRequest, { repositoryPath: repo }));
    expect(nothing).toEqual({ code: MocoErrorCodes.NothingToCommit, message: `No changes to describe in ${repo}: stage or make a change first.` });
    const notRepo = await wireError(client.connection.sendRequest(CommitMessageRequest, { repositoryPath: workspace.storagePath }));
    expect(notRepo.code).toBe(MocoErrorCodes.GitStateInvalid);
    expect(notRepo.message).toContain('is not in a git repository');
    expect(mock.chatRequests()).toHaveLength(0);
  });

  it('cancelling the request stops the stream and answers RequestCancelled', async () => {
    await writeFiles(repo, { 'greet.ts': 'changed\n' });
    reply = { content: Array.from({ length: 40 }, (_, index) => `word${index} `).join(''), contentChunks: 40, chunkDelayMs: 250 };
    const partials: CommitMessagePartial[] = [];
    const source = new CancellationTokenSource();

    const { pending, dispose } = request(partials, source);
    await waitUntil(() => partials.length > 0, 'the first partial result');
    source.cancel();
    const error = await wireError(pending);
    dispose();

    expect(error).toEqual({ code: LSPErrorCodes.RequestCancelled, message: 'Writing the commit message was cancelled.' });
    expect(partials.length).toBeLessThan(40);
    // No commit, and the repository is as it was.
    expect(await git(repo, 'status', '--porcelain')).toBe(' M greet.ts\n');
  });
});
