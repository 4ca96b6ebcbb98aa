// run/cancel through the real server over JSON-RPC (Node IPC), while sub-agents wait on their
// model: every node ends `cancelled`, the session stays consistent and takes the next message;
// cancelling one sub-agent lets the rest of the tree go on. Also sessions/rename and
// sessions/delete around a running tree.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { RunCancelRequest } from '../../protocol/run';
import {
  SessionsDeleteRequest,
  SessionsGetRequest,
  SessionsListRequest,
  SessionsRenameRequest,
} from '../../protocol/sessions';
import { startMockLlm, type MockLlm, type MockScript } from '../support/mockLlm';
import {
  makeWorkspace,
  mockEnv,
  startEngineServer,
  waitUntil,
  wireError,
  type EngineClient,
  type TestWorkspace,
} from '../support/rpcHarness';
import { agentOf, taskOf, turnOf, writeTeam } from '../support/teams';

const SUB_AGENTS = ['alpha', 'beta', 'gamma'];
/** A model that does not answer within any test: the request stays pending until cancelled. */
const PENDING_MS = 120_000;

let workspace: TestWorkspace;
let mock: MockLlm;
let client: EngineClient;

beforeEach(async () => {
  workspace = await makeWorkspace();
  const script: MockScript = (request) => {
    const agent = agentOf(request);
    const turn = turnOf(request);
    if (agent === 'orchestrator') {
      if (taskOf(request) === 'Try again') return { content: 'Fresh answer.' };
      if (turn === 0) {
        return { toolCalls: SUB_AGENTS.map((name) => ({ id: `call_${name}`, name: 'delegate_to_agent', arguments: { agent_name: name, task: `Work as ${name}` } })) };
      }
      return { content: 'Summary of the reports.' };
    }
    if (agent === 'alpha') return { content: 'alpha finished' };
    return { latencyMs: PENDING_MS, content: 'never sent' };
  };
  mock = await startMockLlm(script);
  await writeTeam(workspace.profilesDir, {
    name: 'squad',
    agents: [{ name: 'orchestrator', tools: ['delegate_to_agent'] }, ...SUB_AGENTS.map((name) => ({ name, tools: ['write_file'] }))],
  });
  client = await startEngineServer(workspace, mockEnv(mock, workspace));
});

afterEach(async () => {
  await client.kill();
  await mock.close();
  await workspace.cleanup();
});

/** Waits until the mock holds the first model request of each named sub-agent. */
function pendingAt(agents: string[]): Promise<true> {
  return waitUntil(() => agents.every((agent) => mock.chatRequests().some((request) => agentOf(request) === agent)), `model requests of ${agents.join(', ')}`);
}

describe('run/cancel over JSON-RPC', () => {
  it('cancels the whole tree while sub-agents wait on their model, and the session goes on', async () => {
    const { sessionId, runId } = await client.send({ text: 'Do the work', profile: 'squad' });
    await pendingAt(['beta', 'gamma']);
    // alpha answers at once; beta and gamma hang. Cancel once alpha is done.
    await waitUntil(() => client.eventsOf(sessionId, 'runFinished').length === 1, 'alpha to finish');

    expect(await client.connection.sendRequest(RunCancelRequest, { runId })).toEqual({ cancelled: true });
    const started = client.eventsOf(sessionId, 'runStarted');
    expect(started).toHaveLength(4);
    const outcomes = await Promise.all(started.map(async (event) => [event.node.agent, (await client.finished(sessionId, event.runId)).status]));
    expect(Object.fromEntries(outcomes)).toEqual({ orchestrator: 'cancelled', alpha: 'done', beta: 'cancelled', gamma: 'cancelled' });

    // No tool call is left spinning: each delegate call of the root has its toolFinished.
    const finishedCalls = client.eventsOf(sessionId, 'toolFinished').filter((event) => event.runId === runId);
    expect(finishedCalls.map((event) => [event.toolCallId, event.ok]).sort()).toEqual([
      ['call_alpha', true],
      ['call_beta', false],
      ['call_gamma', false],
    ]);

    const detail = await client.connection.sendRequest(SessionsGetRequest, { sessionId });
    expect(detail.runs.map((node) => [node.agent, node.status])).toEqual([
      ['orchestrator', 'cancelled'],
      ['alpha', 'done'],
      ['beta', 'cancelled'],
      ['gamma', 'cancelled'],
    ]);
    expect(detail.runs.every((node) => node.endedAt !== undefined)).toBe(true);
    expect(detail.session.resumable).toBe(false);
    expect(await client.connection.sendRequest(RunCancelRequest, { runId })).toEqual({ cancelled: false });

    const next = await client.send({ sessionId, text: 'Try again' });
    expect(await client.finished(sessionId, next.runId)).toMatchObject({ status: 'done', result: 'Fresh answer.' });
    const listed = (await client.connection.sendRequest(SessionsListRequest)).find((session) => session.id === sessionId);
    expect(listed).toMatchObject({ runCount: 2, resumable: false });
  });

  it('cancels one sub-agent alone: its parent reads that it was cancelled and finishes', async () => {
    const { sessionId, runId } = await client.send({ text: 'Do the work', profile: 'squad' });
    await pendingAt(['beta']);
    const beta = await client.waitForEvent(sessionId, 'runStarted', (event) => event.node.agent === 'beta');

    expect(await client.connection.sendRequest(RunCancelRequest, { runId: beta.runId })).toEqual({ cancelled: true });
    expect(await client.finished(sessionId, beta.runId)).toMatchObject({ status: 'cancelled' });
    // gamma still waits; cancel it too, so that the orchestrator can answer.
    const gamma = await client.waitForEvent(sessionId, 'runStarted', (event) => event.node.agent === 'gamma');
    await client.connection.sendRequest(RunCancelRequest, { runId: gamma.runId });

    expect(await client.finished(sessionId, runId)).toMatchObject({ status: 'done', result: 'Summary of the reports.' });
    const reports = mock.chatRequests().find((request) => agentOf(request) === 'orchestrator' && turnOf(request) === 1)?.body.messages ?? [];
    expect(reports.find((message) => message.tool_call_id === 'call_beta')?.content).toBe('beta was cancelled by the user before it finished.');
    expect(reports.find((message) => message.tool_call_id === 'call_alpha')?.content).toBe('alpha finished');
    const betaCall = client.eventsOf(sessionId, 'toolFinished').find((event) => event.toolCallId === 'call_beta');
    expect(betaCall).toMatchObject({ runId, ok: false, summary: 'beta cancelled' });
  });

  it('refuses to delete a session while it runs; renames and deletes it afterwards', async () => {
    const { sessionId, runId } = await client.send({ text: 'Do the work', profile: 'squad' });
    await pendingAt(['beta']);
    const refused = await wireError(client.connection.sendRequest(SessionsDeleteRequest, { sessionId }));
    expect(refused.code).toBe(MocoErrorCodes.RunInProgress);

    await client.connection.sendRequest(RunCancelRequest, { runId });
    await client.finished(sessionId, runId);
    const renamed = await client.connection.sendRequest(SessionsRenameRequest, { sessionId, name: 'Cancelled work' });
    expect(renamed).toMatchObject({ id: sessionId, name: 'Cancelled work', runCount: 1 });
    expect((await client.connection.sendRequest(SessionsListRequest)).map((session) => session.name)).toEqual(['Cancelled work']);

    expect(await client.connection.sendRequest(SessionsDeleteRequest, { sessionId })).toEqual({ deleted: true });
    expect(await client.connection.sendRequest(SessionsListRequest)).toEqual([]);
    expect((await wireError(client.connection.sendRequest(SessionsGetRequest, { sessionId }))).code).toBe(MocoErrorCodes.SessionNotFound);
  });
});
