// review/run through the real server over JSON-RPC (Node IPC), with the mock LLM as the reviewer:
// the editor's unsaved text is what is reviewed, findings come back validated, the run is streamed
// like any other; errors carry their codes; cancelling the request cancels the reviewer's run.
import { writeFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { LSPErrorCodes } from 'vscode-languageserver/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { ReviewRunRequest, type ReviewRunParams } from '../../protocol/review';
import { startMockLlm, type MockLlm, type MockReply } from '../support/mockLlm';
import { makeWorkspace, mockEnv, startEngineServer, waitUntil, wireError, type EngineClient, type TestWorkspace } from '../support/rpcHarness';
import { writeTeam } from '../support/teams';

/** A model that does not answer within any test: the request stays pending until cancelled. */
const PENDING_MS = 120_000;

let workspace: TestWorkspace;
let mock: MockLlm;
let client: EngineClient;
let reply: MockReply;

beforeEach(async () => {
  workspace = await makeWorkspace();
  reply = { content: '```json\n```' };
  mock = await startMockLlm(() => reply);
  await writeTeam(workspace.profilesDir, { name: 'reviewers', agents: [{ name: 'orchestrator', tools: ['delegate_to_agent'] }, { name: 'code-reviewer', tools: ['read_file'] }] });
  await mkdir(path.join(workspace.dir, 'src'));
  await writeFile(path.join(workspace.dir, 'src/app.ts'), 'saved line 1\nsaved line 2\n');
  client = await startEngineServer(workspace, mockEnv(mock, workspace));
});
afterEach(async () => {
  await client.kill();
  await mock.close();
  await workspace.cleanup();
});

function params(target: ReviewRunParams['target']): ReviewRunParams {
  return { workingDir: workspace.dir, profile: 'reviewers', target };
}

describe('review/run', () => {
  it("reviews the editor's unsaved text and answers with the validated findings once the reviewer is done", async () => {
    reply = {
      content: [
        '```json',
        JSON.stringify({ file: 'src/app.ts', startLine: 3, endLine: 3, severity: 'error', category: 'Bug', message: 'Unsaved bug.', suggestion: 'fixed' }),
        JSON.stringify({ file: 'src/app.ts', startLine: 9, endLine: 9, severity: 'low', category: 'bug', message: 'Past the end.' }),
        '```',
      ].join('\n'),
    };
    const content = 'unsaved 1\nunsaved 2\nunsaved 3\n';
    const result = await client.connection.sendRequest(ReviewRunRequest, params({ kind: 'file', file: path.join(workspace.dir, 'src/app.ts'), content }));
    expect(result.agent).toBe('code-reviewer');
    expect(result.findings).toEqual([
      { id: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown, file: 'src/app.ts', startLine: 3, endLine: 3, severity: 'high', category: 'bug', message: 'Unsaved bug.', suggestion: 'fixed', anchor: 'unsaved 3' },
    ]);
    expect(result.skipped).toEqual([{ reason: 'line 9 is outside src/app.ts (3 lines)', text: expect.stringContaining('"startLine":9') as unknown }]);
    expect(result.reviewedFiles).toEqual(['src/app.ts']);
    const user = mock.chatRequests()[0]!.body.messages!.find((message) => message.role === 'user');
    expect(user?.content).toContain('3 | unsaved 3');
    expect(user?.content).not.toContain('saved line 1');
    const finished = await client.finished(result.sessionId, result.runId);
    expect(finished.status).toBe('done');
  });

  it('answers NothingToCommit for changes when nothing changed, and InvalidRequest for a file outside the workspace', async () => {
    const clean = await makeWorkspace();
    try {
      expect(await wireError(client.connection.sendRequest(ReviewRunRequest, { workingDir: clean.dir, profile: 'reviewers', target: { kind: 'changes' } }))).toMatchObject({
        code: MocoErrorCodes.NothingToCommit,
        message: expect.stringContaining('No changes to review') as unknown,
      });
    } finally {
      await clean.cleanup();
    }
    expect(await wireError(client.connection.sendRequest(ReviewRunRequest, params({ kind: 'file', file: '../elsewhere.ts', content: 'x' })))).toMatchObject({
      code: MocoErrorCodes.InvalidRequest,
      message: expect.stringContaining('outside the working directory') as unknown,
    });
    reply = { content: 'Mostly fine, but line 2 looks odd to me.' };
    expect(await wireError(client.connection.sendRequest(ReviewRunRequest, params({ kind: 'file', file: 'src/app.ts' })))).toMatchObject({ code: MocoErrorCodes.ReviewAnswerInvalid });
    expect(mock.chatRequests()).toHaveLength(1);
  });

  it("cancelling the request cancels the reviewer's run and answers RequestCancelled", async () => {
    reply = { latencyMs: PENDING_MS, content: 'never sent' };
    const source = new CancellationTokenSource();
    const review = client.connection.sendRequest(ReviewRunRequest, params({ kind: 'file', file: 'src/app.ts' }), source.token);
    await waitUntil(() => mock.chatRequests().length === 1, "the reviewer's model call");
    source.cancel();
    expect(await wireError(review)).toMatchObject({ code: LSPErrorCodes.RequestCancelled, message: 'The review was cancelled.' });
    const finished = await waitUntil(() => client.received.find((entry) => entry.event.kind === 'runFinished')?.event, "the reviewer's runFinished");
    expect(finished).toMatchObject({ status: 'cancelled' });
  });
});
