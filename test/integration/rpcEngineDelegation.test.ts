// Delegation through the real server over JSON-RPC (Node IPC): an orchestrator delegates to three
// sub-agents in one turn, their model calls overlap, each writes a real file in a git workspace,
// one delegates once more; the events, the stored session and the next message of the session
// are what the editor's user would see.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { ProfilesListRequest } from '../../protocol/profiles';
import type { RunEvent } from '../../protocol/run';
import { SessionsGetRequest, SessionsListRequest } from '../../protocol/sessions';
import { startMockLlm, toolCall, type MockLlm, type MockReply, type MockScript } from '../support/mockLlm';
import {
  barrier,
  joinedText,
  latch,
  makeWorkspace,
  mockEnv,
  replayRuns,
  startEngineServer,
  wireError,
  withoutEndedAt,
  type EngineClient,
  type TestWorkspace,
} from '../support/rpcHarness';
import { agentOf, taskOf, turnOf, writeTeam } from '../support/teams';

const FIRST_TASK = 'Write the three files';
const SECOND_TASK = 'What did you just do?';
const FINAL_ANSWER = 'All three files are written.';
const REASONING = 'Weighing the three reports.';
const THINK_BLOCK = 'Every file exists.';

const delegate = (id: string, agentName: string, task: string) => ({ id, name: 'delegate_to_agent', arguments: { agent_name: agentName, task } });
const write = (file: string): MockReply => toolCall('write_file', { path: file, content: `${file} by its agent\n` }, { latencyMs: 30 });

let workspace: TestWorkspace;
let mock: MockLlm;
let client: EngineClient;
/** Holds the orchestrator's final answer until the test opens it. */
let finalAnswer: ReturnType<typeof latch>;

beforeEach(async () => {
  workspace = await makeWorkspace();
  finalAnswer = latch();
  const overlap = barrier(3);
  const script: MockScript = async (request) => {
    const agent = agentOf(request);
    const turn = turnOf(request);
    if (['alpha', 'beta', 'gamma'].includes(agent) && turn === 0) await overlap();
    if (agent === 'orchestrator') {
      if (taskOf(request) === SECOND_TASK) return { content: 'I had three agents write three files.' };
      if (turn === 0) {
        return { toolCalls: [delegate('call_a', 'alpha', 'Write alpha.txt'), delegate('call_b', 'Beta', 'Write beta.txt'), delegate('call_g', 'gamma', 'Write gamma.txt and have helper.txt written')] };
      }
      await finalAnswer.wait;
      return { reasoning: REASONING, content: `<think>${THINK_BLOCK}</think>${FINAL_ANSWER}`, contentChunks: 7 };
    }
    if (agent === 'gamma' && turn === 1) return { toolCalls: [delegate('call_h', 'helper', 'Write helper.txt')] };
    if (turn === 0) return write(`${agent}.txt`);
    return { content: `${agent} is done` };
  };
  mock = await startMockLlm(script);
  await writeTeam(workspace.profilesDir, {
    name: 'squad',
    agents: [
      { name: 'orchestrator', tools: ['delegate_to_agent'] },
      { name: 'alpha', tools: ['write_file'] },
      { name: 'beta', tools: ['write_file'] },
      { name: 'gamma', tools: ['write_file', 'delegate_to_agent'] },
      { name: 'helper', tools: ['write_file'] },
    ],
  });
  client = await startEngineServer(workspace, mockEnv(mock, workspace));
});

afterEach(async () => {
  await client.kill();
  await mock.close();
  await workspace.cleanup();
});

/** Runs the first message to its end; checks on the way that chat/send answers at once. */
async function runFirstMessage(): Promise<{ sessionId: string; runId: string }> {
  const started = await client.send({ text: FIRST_TASK, profile: 'squad' });
  expect(started).toEqual({ sessionId: expect.any(String) as unknown, runId: expect.any(String) as unknown });
  // The answer came while the run goes on: the orchestrator's final answer is still held.
  expect(client.eventsOf(started.sessionId, 'runFinished').some((event) => event.runId === started.runId)).toBe(false);
  const busy = await wireError(client.send({ sessionId: started.sessionId, text: 'Another message' }));
  expect(busy.code).toBe(MocoErrorCodes.RunInProgress);
  expect(busy.message).toMatch(/already has a run in progress/);
  finalAnswer.open();
  await client.finished(started.sessionId, started.runId);
  return started;
}

describe('chat/send with a team that delegates, over JSON-RPC', () => {
  it('runs three sub-agents at once, one delegating further, and streams the whole tree', async () => {
    const { sessionId, runId } = await runFirstMessage();
    const events = client.events(sessionId);

    // The model calls of the three sub-agents overlapped.
    expect(mock.maxInFlight()).toBeGreaterThanOrEqual(3);
    for (const name of ['alpha', 'beta', 'gamma', 'helper']) {
      expect(await readFile(path.join(workspace.dir, `${name}.txt`), 'utf8')).toBe(`${name}.txt by its agent\n`);
    }

    // One runStarted per node, each under the right parent.
    const started = client.eventsOf(sessionId, 'runStarted');
    const byAgent = new Map(started.map((event) => [event.node.agent, event.node]));
    expect(started.map((event) => event.node.agent).sort()).toEqual(['alpha', 'beta', 'gamma', 'helper', 'orchestrator']);
    const root = byAgent.get('orchestrator');
    expect(root).toMatchObject({ id: runId, rootId: runId, sessionId, task: FIRST_TASK, status: 'running' });
    expect(root?.parentId).toBeUndefined();
    for (const agent of ['alpha', 'beta', 'gamma']) expect(byAgent.get(agent)).toMatchObject({ parentId: runId, rootId: runId });
    expect(byAgent.get('helper')).toMatchObject({ parentId: byAgent.get('gamma')?.id, rootId: runId, task: 'Write helper.txt' });
    expect(byAgent.get('beta')?.toolCallId).toBe('call_b');

    // Every node finished done; every tool call started and finished, in that order, and worked.
    const finished = client.eventsOf(sessionId, 'runFinished');
    expect(finished.map((event) => event.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(new Set(finished.map((event) => event.runId))).toEqual(new Set(started.map((event) => event.runId)));
    const toolsStarted = client.eventsOf(sessionId, 'toolStarted');
    const toolsFinished = client.eventsOf(sessionId, 'toolFinished');
    expect(toolsStarted).toHaveLength(8);
    expect(toolsFinished).toHaveLength(8);
    for (const call of toolsStarted) {
      const end = toolsFinished.find((event) => event.runId === call.runId && event.toolCallId === call.toolCallId);
      expect(end, `toolFinished of ${call.name} ${call.toolCallId}`).toMatchObject({ name: call.name, ok: true });
      expect(end!.seq).toBeGreaterThan(call.seq);
    }
    expect(toolsStarted.filter((event) => event.runId === runId).map((event) => event.arguments)).toEqual([
      { agent_name: 'alpha', task: 'Write alpha.txt' },
      { agent_name: 'Beta', task: 'Write beta.txt' },
      { agent_name: 'gamma', task: 'Write gamma.txt and have helper.txt written' },
    ]);

    // Usage: each node reports its own, and the tree's total grows with every model call.
    const usage = client.eventsOf(sessionId, 'usage');
    expect(new Set(usage.map((event) => event.runId))).toEqual(new Set(started.map((event) => event.runId)));
    const treeTokens = usage.map((event) => event.treeUsage.inputTokens + event.treeUsage.outputTokens);
    for (let index = 1; index < treeTokens.length; index += 1) expect(treeTokens[index]).toBeGreaterThan(treeTokens[index - 1]!);

    // The answer: the root's text deltas are the final answer; thinking is apart from it.
    const rootFinish = finished.find((event) => event.runId === runId);
    expect(rootFinish?.result).toBe(FINAL_ANSWER);
    expect(joinedText(events, runId, 'textDelta')).toBe(FINAL_ANSWER);
    const thinking = joinedText(events, runId, 'thinkingDelta');
    expect(thinking).toContain(REASONING);
    expect(thinking).toContain(THINK_BLOCK);
    for (const event of client.eventsOf(sessionId, 'textDelta')) expect(event.text).not.toMatch(/Weighing|Every file|<\/?think/);

    // seq numbers the session's events from 1, without gaps, in the order they arrived.
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
  });

  it('stores the session: sessions/get replays what was received, sessions/list sums it up', async () => {
    const { sessionId, runId } = await runFirstMessage();
    const received = client.events(sessionId);

    const detail = await client.connection.sendRequest(SessionsGetRequest, { sessionId });
    expect(detail.events).toEqual(received);
    expect(detail.runs.map((node) => node.id)).toEqual(client.eventsOf(sessionId, 'runStarted').map((event) => event.runId));
    expect(replayRuns(detail.events)).toEqual(withoutEndedAt(detail.runs));
    expect(detail.runs.every((node) => node.status === 'done' && node.endedAt !== undefined)).toBe(true);
    expect(detail.runs.find((node) => node.id === runId)?.result).toBe(FINAL_ANSWER);

    const lastUsage = client.eventsOf(sessionId, 'usage').at(-1)!;
    const listed = (await client.connection.sendRequest(SessionsListRequest)).find((session) => session.id === sessionId);
    expect(listed).toMatchObject({
      name: FIRST_TASK,
      profile: 'squad',
      model: 'openai/gpt-4.1-mini',
      workingDir: workspace.dir,
      runCount: 1,
      resumable: false,
      usage: { inputTokens: lastUsage.treeUsage.inputTokens, outputTokens: lastUsage.treeUsage.outputTokens },
    });
    expect(listed?.usage.costUsd).toBeGreaterThan(0);
    expect(listed?.usage.costUsd).toBeCloseTo(lastUsage.treeUsage.costUsd, 10);
    expect(detail.session).toEqual(listed);
  });

  it('sends the first exchange, without its thinking, with the next message of the session', async () => {
    const { sessionId } = await runFirstMessage();
    const firstCount = client.events(sessionId).length;

    const next = await client.send({ sessionId, text: SECOND_TASK });
    expect(next.sessionId).toBe(sessionId);
    const finish = await client.finished(sessionId, next.runId);
    expect(finish).toMatchObject({ status: 'done', result: 'I had three agents write three files.' });

    const request = mock.chatRequests().find((candidate) => taskOf(candidate) === SECOND_TASK);
    const messages = (request?.body.messages ?? []).map((message) => ({ role: message.role, content: message.content }));
    expect(messages.slice(1)).toEqual([
      { role: 'user', content: FIRST_TASK },
      { role: 'assistant', content: FINAL_ANSWER },
      { role: 'user', content: SECOND_TASK },
    ]);
    const events: RunEvent[] = client.events(sessionId);
    expect(events.slice(firstCount).map((event) => event.seq)).toEqual(events.slice(firstCount).map((_, index) => firstCount + index + 1));
    const listed = (await client.connection.sendRequest(SessionsListRequest)).find((session) => session.id === sessionId);
    expect(listed?.runCount).toBe(2);
  });

  it('lists the team of MOCO_PROFILES_DIR and the bundled profiles', async () => {
    const { profiles, errors } = await client.connection.sendRequest(ProfilesListRequest, {});
    expect(errors).toEqual([]);
    const squad = profiles.find((profile) => profile.name === 'squad');
    expect(squad).toMatchObject({ source: 'env', path: path.join(workspace.profilesDir, 'squad'), entryAgent: 'orchestrator' });
    expect(squad?.agents.map((agent) => agent.name).sort()).toEqual(['alpha', 'beta', 'gamma', 'helper', 'orchestrator']);
    for (const name of ['default', 'code', 'development']) {
      expect(profiles.find((profile) => profile.name === name)?.source, name).toBe('bundled');
    }
  });
});
