// Approval of tool calls through the real server over JSON-RPC (Node IPC), with
// MOCO_REQUIRE_APPROVAL=write_file: the run waits, says so, and goes on as the user answers
// with approval/respond (approve, deny, always); unknown or stale approvals are refused.
import { access, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalRespondRequest, RunCancelRequest } from '../../protocol/run';
import { SessionsGetRequest } from '../../protocol/sessions';
import { startMockLlm, type MockLlm, type MockScript } from '../support/mockLlm';
import { makeWorkspace, mockEnv, startEngineServer, type EngineClient, type TestWorkspace } from '../support/rpcHarness';
import { agentOf, taskOf, writeTeam } from '../support/teams';

let workspace: TestWorkspace;
let mock: MockLlm;
let client: EngineClient;

beforeEach(async () => {
  workspace = await makeWorkspace();
  // Each task is "Write <file>": the agent writes the file, then says it did (turns are counted
  // from the task, after the session's earlier exchanges).
  const script: MockScript = (request) => {
    const file = taskOf(request).replace(/^Write /, '');
    const messages = request.body.messages ?? [];
    const task = messages.findLastIndex((message) => message.role === 'user');
    if (!messages.slice(task).some((message) => message.role === 'assistant')) return { toolCalls: [{ id: `call_${file}`, name: 'write_file', arguments: { path: file, content: `${file} content\n` } }] };
    return { content: `Finished with ${file}.` };
  };
  mock = await startMockLlm(script);
  await writeTeam(workspace.profilesDir, { name: 'writer', agents: [{ name: 'orchestrator', tools: ['write_file'] }] });
  client = await startEngineServer(workspace, mockEnv(mock, workspace, { MOCO_REQUIRE_APPROVAL: 'write_file' }));
});

afterEach(async () => {
  await client.kill();
  await mock.close();
  await workspace.cleanup();
});

const exists = (file: string): Promise<boolean> =>
  access(path.join(workspace.dir, file)).then(
    () => true,
    () => false,
  );

/** Starts "Write <file>" and waits for its approval request. */
async function askToWrite(file: string, sessionId?: string) {
  const started = await client.send({ text: `Write ${file}`, profile: 'writer', ...(sessionId ? { sessionId } : {}) });
  const request = await client.waitForEvent(started.sessionId, 'approvalRequested', (event) => event.runId === started.runId);
  return { ...started, request };
}

/** The tool message the model read for a call, in the agent's next request. */
function toolMessageFor(callId: string): unknown {
  const next = mock.chatRequests().find((request) => agentOf(request) === 'orchestrator' && (request.body.messages ?? []).some((message) => message.tool_call_id === callId));
  return next?.body.messages?.find((message) => message.tool_call_id === callId)?.content;
}

describe('approval of tool calls over JSON-RPC', () => {
  it('waits for approval, then writes the file once the user approves', async () => {
    const { sessionId, runId, request } = await askToWrite('approved.txt');
    expect(request).toMatchObject({
      toolCallId: 'call_approved.txt',
      name: 'write_file',
      arguments: { path: 'approved.txt', content: 'approved.txt content\n' },
      reason: expect.stringContaining('listed in MOCO_REQUIRE_APPROVAL') as unknown,
    });
    const waiting = client.eventsOf(sessionId, 'statusChanged').find((event) => event.runId === runId && event.status === 'waiting-for-approval');
    expect(waiting?.seq).toBeLessThan(request.seq);
    const whileWaiting = await client.connection.sendRequest(SessionsGetRequest, { sessionId });
    expect(whileWaiting.runs.map((node) => node.status)).toEqual(['waiting-for-approval']);
    expect(await exists('approved.txt')).toBe(false);

    expect(await client.connection.sendRequest(ApprovalRespondRequest, { approvalId: request.approvalId, decision: 'approve' })).toEqual({ accepted: true });
    expect(await client.finished(sessionId, runId)).toMatchObject({ status: 'done', result: 'Finished with approved.txt.' });
    expect(await readFile(path.join(workspace.dir, 'approved.txt'), 'utf8')).toBe('approved.txt content\n');

    const resolved = await client.waitForEvent(sessionId, 'approvalResolved');
    expect(resolved).toMatchObject({ runId, approvalId: request.approvalId, decision: 'approve' });
    const running = client.eventsOf(sessionId, 'statusChanged').find((event) => event.seq > resolved.seq);
    expect(running).toMatchObject({ runId, status: 'running' });
    expect(client.eventsOf(sessionId, 'toolFinished')).toMatchObject([{ toolCallId: 'call_approved.txt', ok: true }]);
    // Answered already: a second answer is refused.
    expect(await client.connection.sendRequest(ApprovalRespondRequest, { approvalId: request.approvalId, decision: 'deny' })).toEqual({ accepted: false });
  });

  it('does not write the file when the user denies, and tells the model', async () => {
    const { sessionId, runId, request } = await askToWrite('denied.txt');
    expect(await client.connection.sendRequest(ApprovalRespondRequest, { approvalId: request.approvalId, decision: 'deny' })).toEqual({ accepted: true });
    expect(await client.finished(sessionId, runId)).toMatchObject({ status: 'done', result: 'Finished with denied.txt.' });

    expect(await exists('denied.txt')).toBe(false);
    expect(await client.waitForEvent(sessionId, 'approvalResolved')).toMatchObject({ decision: 'deny' });
    expect(client.eventsOf(sessionId, 'toolFinished')).toMatchObject([{ toolCallId: 'call_denied.txt', ok: false, summary: 'denied by the user' }]);
    expect(toolMessageFor('call_denied.txt')).toMatch(/^The user denied this call of write_file\./);
  });

  it('does not ask again in the session after "always"', async () => {
    const first = await askToWrite('first.txt');
    expect(await client.connection.sendRequest(ApprovalRespondRequest, { approvalId: first.request.approvalId, decision: 'always' })).toEqual({ accepted: true });
    await client.finished(first.sessionId, first.runId);

    const second = await client.send({ sessionId: first.sessionId, text: 'Write second.txt' });
    expect(await client.finished(first.sessionId, second.runId)).toMatchObject({ status: 'done' });
    expect(await readFile(path.join(workspace.dir, 'first.txt'), 'utf8')).toBe('first.txt content\n');
    expect(await readFile(path.join(workspace.dir, 'second.txt'), 'utf8')).toBe('second.txt content\n');
    expect(client.eventsOf(first.sessionId, 'approvalRequested')).toHaveLength(1);
    expect(client.eventsOf(first.sessionId, 'approvalResolved')).toMatchObject([{ decision: 'always' }]);
    // Another session still asks.
    const other = await askToWrite('third.txt');
    expect(other.sessionId).not.toBe(first.sessionId);
    expect(other.request.name).toBe('write_file');
  });

  it('refuses an unknown approval id, and one whose run was cancelled', async () => {
    expect(await client.connection.sendRequest(ApprovalRespondRequest, { approvalId: 'no-such-approval', decision: 'approve' })).toEqual({ accepted: false });

    const { sessionId, runId, request } = await askToWrite('cancelled.txt');
    expect(await client.connection.sendRequest(RunCancelRequest, { runId })).toEqual({ cancelled: true });
    expect(await client.finished(sessionId, runId)).toMatchObject({ status: 'cancelled' });
    expect(await client.connection.sendRequest(ApprovalRespondRequest, { approvalId: request.approvalId, decision: 'approve' })).toEqual({ accepted: false });
    expect(await exists('cancelled.txt')).toBe(false);
    const detail = await client.connection.sendRequest(SessionsGetRequest, { sessionId });
    expect(detail.runs.map((node) => node.status)).toEqual(['cancelled']);
  });
});
