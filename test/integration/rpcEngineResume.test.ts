// `kill -9` of the real server mid-run, then a new server on the same storage: the session and
// its run tree are intact (what was running is `interrupted`, what had finished is `done`, every
// event the user saw is stored), and run/resume finishes the tree without running the finished
// sub-agent again.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { RunResumeRequest } from '../../protocol/run';
import { SessionsGetRequest, SessionsListRequest } from '../../protocol/sessions';
import { startMockLlm, toolCall, type MockLlm, type MockScript } from '../support/mockLlm';
import {
  joinedText,
  makeWorkspace,
  mockEnv,
  startEngineServer,
  waitUntil,
  wireError,
  type EngineClient,
  type TestWorkspace,
} from '../support/rpcHarness';
import { agentOf, turnOf, writeTeam } from '../support/teams';

/** beta's first model call: it does not answer before the server is killed. */
const PENDING_MS = 120_000;

let workspace: TestWorkspace;
let mock: MockLlm;
const servers: EngineClient[] = [];

const requestsOf = (agent: string): number => mock.chatRequests().filter((request) => agentOf(request) === agent).length;

beforeEach(async () => {
  workspace = await makeWorkspace();
  let betaCalls = 0;
  const script: MockScript = (request) => {
    const agent = agentOf(request);
    const turn = turnOf(request);
    if (agent === 'orchestrator') {
      if (turn === 0) {
        return {
          toolCalls: [
            { id: 'call_alpha', name: 'delegate_to_agent', arguments: { agent_name: 'alpha', task: 'Write alpha.txt' } },
            { id: 'call_beta', name: 'delegate_to_agent', arguments: { agent_name: 'beta', task: 'Write beta.txt' } },
          ],
        };
      }
      return { content: 'Both files are written.' };
    }
    if (agent === 'beta' && (betaCalls += 1) === 1) return { latencyMs: PENDING_MS, content: 'never sent' };
    if (turn === 0) return toolCall('write_file', { path: `${agent}.txt`, content: `${agent}\n` });
    return { content: `${agent} wrote ${agent}.txt` };
  };
  mock = await startMockLlm(script);
  await writeTeam(workspace.profilesDir, {
    name: 'pair',
    agents: [
      { name: 'orchestrator', tools: ['delegate_to_agent'] },
      { name: 'alpha', tools: ['write_file'] },
      { name: 'beta', tools: ['write_file'] },
    ],
  });
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.kill();
  await mock.close();
  await workspace.cleanup();
});

async function startServer(): Promise<EngineClient> {
  const server = await startEngineServer(workspace, mockEnv(mock, workspace));
  servers.push(server);
  return server;
}

describe('a server killed mid-run, and run/resume on a new one', () => {
  it('keeps the session and run tree, and resumes without running the finished sub-agent again', async () => {
    const first = await startServer();
    const { sessionId, runId } = await first.send({ text: 'Write both files', profile: 'pair' });
    const alpha = await first.waitForEvent(sessionId, 'runFinished', (event) => event.status === 'done');
    await waitUntil(() => requestsOf('beta') === 1, "beta's model request");
    // The mock can get beta's request before this process has read the events the server sent
    // just before it. An answer comes after every notification sent before it, so one request
    // brings the client's events up to date with what the server had stored and sent.
    const stored = await first.connection.sendRequest(SessionsGetRequest, { sessionId });
    const seen = first.events(sessionId);
    expect(seen).toEqual(stored.events);
    const alphaRequests = requestsOf('alpha');
    expect(alphaRequests).toBe(2);

    await first.kill();
    expect(first.server.child.signalCode).toBe('SIGKILL');

    const second = await startServer();
    const detail = await second.connection.sendRequest(SessionsGetRequest, { sessionId });
    expect(detail.runs.map((node) => [node.agent, node.status])).toEqual([
      ['orchestrator', 'interrupted'],
      ['alpha', 'done'],
      ['beta', 'interrupted'],
    ]);
    expect(detail.runs[1]).toMatchObject({ id: alpha.runId, result: 'alpha wrote alpha.txt', parentId: runId });
    expect(detail.events.slice(0, seen.length)).toEqual(seen);
    // Replaying the stored events tells what became of the nodes that were running.
    expect(
      detail.events.slice(seen.length).map((event) => (event.kind === 'statusChanged' ? [event.runId, event.status] : event.kind)),
    ).toEqual([
      [runId, 'interrupted'],
      [detail.runs[2]!.id, 'interrupted'],
    ]);
    expect(detail.session.resumable).toBe(true);
    expect((await second.connection.sendRequest(SessionsListRequest)).find((session) => session.id === sessionId)?.resumable).toBe(true);

    expect(await second.connection.sendRequest(RunResumeRequest, { runId })).toEqual({ sessionId, runId });
    const finish = await second.finished(sessionId, runId);
    expect(finish).toMatchObject({ status: 'done', result: 'Both files are written.' });
    const received = second.events(sessionId);
    // The new server also pushed the interrupted statuses it stored when it opened the database.
    expect(received.slice(0, 2)).toEqual(detail.events.slice(seen.length));
    const resumed = received.slice(2);
    expect(joinedText(resumed, runId, 'textDelta')).toBe('Both files are written.');
    // The events go on from where the stored ones stopped.
    expect(received.map((event) => event.seq)).toEqual(received.map((_, index) => seen.length + index + 1));

    // alpha was not run again; beta ran to its end, and the orchestrator read both results.
    expect(requestsOf('alpha')).toBe(alphaRequests);
    expect(second.eventsOf(sessionId, 'runStarted')).toEqual([]);
    const betaNode = detail.runs[2]!;
    expect(await second.finished(sessionId, betaNode.id)).toMatchObject({ status: 'done', result: 'beta wrote beta.txt' });
    expect(await readFile(path.join(workspace.dir, 'alpha.txt'), 'utf8')).toBe('alpha\n');
    expect(await readFile(path.join(workspace.dir, 'beta.txt'), 'utf8')).toBe('beta\n');
    const last = mock.chatRequests().at(-1)!;
    expect(agentOf(last)).toBe('orchestrator');
    expect((last.body.messages ?? []).filter((message) => message.role === 'tool').map((message) => [message.tool_call_id, message.content])).toEqual([
      ['call_alpha', 'alpha wrote alpha.txt'],
      ['call_beta', 'beta wrote beta.txt'],
    ]);

    const after = await second.connection.sendRequest(SessionsGetRequest, { sessionId });
    expect(after.runs.map((node) => [node.agent, node.status])).toEqual([
      ['orchestrator', 'done'],
      ['alpha', 'done'],
      ['beta', 'done'],
    ]);
    expect(after.session).toMatchObject({ resumable: false, runCount: 1 });
    // The tree's usage after the resume counts every node, the one not run again included.
    const treeUsage = second.eventsOf(sessionId, 'usage').at(-1)?.treeUsage;
    const tokens = (usage: { inputTokens: number; outputTokens: number }) => usage.inputTokens + usage.outputTokens;
    expect(treeUsage && tokens(treeUsage)).toBe(after.runs.reduce((sum, node) => sum + tokens(node.usage), 0));
    expect(tokens(after.session.usage)).toBe(treeUsage && tokens(treeUsage));
    // The client learns that the nodes were interrupted, then that they run again.
    expect(second.eventsOf(sessionId, 'statusChanged').map((event) => [event.runId, event.status])).toEqual([
      [runId, 'interrupted'],
      [betaNode.id, 'interrupted'],
      [runId, 'running'],
      [betaNode.id, 'running'],
    ]);
    expect((await second.connection.sendRequest(SessionsListRequest)).find((session) => session.id === sessionId)?.resumable).toBe(false);
  });

  it('refuses to resume a run that is done, or unknown', async () => {
    const server = await startServer();
    const { sessionId, runId } = await server.send({ text: '@alpha Write alpha.txt', profile: 'pair' });
    expect(await server.finished(sessionId, runId)).toMatchObject({ status: 'done' });

    const done = await wireError(server.connection.sendRequest(RunResumeRequest, { runId }));
    expect(done.code).toBe(MocoErrorCodes.RunNotResumable);
    expect(done.message).toContain('not interrupted');
    const unknown = await wireError(server.connection.sendRequest(RunResumeRequest, { runId: 'no-such-run' }));
    expect(unknown.code).toBe(MocoErrorCodes.RunNotFound);
  });
});
