// Resuming an interrupted run tree. The "crash" is a first engine abandoned mid-run (its provider
// never answers again) and a second engine opened on the same SQLite file, as a restarted process
// would: it marks what was left running `interrupted` and resumes it.
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import type { RunEvent } from '../../protocol/run';
import type { MocoEngine } from '../../server/src/engine/engine';
import { startHarness, type EngineHarness, type EventOf } from '../support/engineHarness';
import { byAgent, lastToolResult, ScriptedProvider, type AgentReplies, type ScriptedCall } from '../support/scriptedProvider';
import type { TeamOptions } from '../support/teams';

const teamWith = (orchestrator: string[] = []): TeamOptions => ({
  name: 'resume-team',
  agents: [
    { name: 'orchestrator', tools: ['delegate_to_agent', 'edit_file'] },
    { name: 'coder', tools: [] },
    { name: 'reviewer', tools: [] },
  ],
  orchestrator,
});

let harness: EngineHarness | undefined;
let second: MocoEngine | undefined;
afterEach(async () => {
  await second?.close();
  await harness?.abandon();
  harness = second = undefined;
});

const delegate = (agent: string, task: string, id?: string) => ({ ...(id ? { id } : {}), name: 'delegate_to_agent', arguments: { agent_name: agent, task } });
const toolResults = (call: ScriptedCall): string[] => call.request.messages.flatMap((message) => (message.role === 'tool' ? [message.content] : []));

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

async function crashWhile(
  replies: AgentReplies,
  hangs: (provider: ScriptedProvider, events: RunEvent[]) => boolean,
  orchestrator: string[] = [],
): Promise<{ harness: EngineHarness; rootId: string; sessionId: string }> {
  const provider = new ScriptedProvider(byAgent(replies));
  const started = await startHarness({ team: teamWith(orchestrator), provider });
  harness = started;
  const run = await started.send('build it');
  await until(() => hangs(provider, started.events));
  return { harness: started, rootId: run.runId, sessionId: run.sessionId };
}

describe('resuming an interrupted run tree', () => {
  it('continues where the stored messages end, without running finished children again', async () => {
    const { harness, rootId, sessionId } = await crashWhile(
      {
        orchestrator: () => ({ toolCalls: [delegate('coder', 'part one'), delegate('reviewer', 'part two')] }),
        coder: () => ({ text: 'one done' }),
        reviewer: () => ({ hang: true }),
      },
      (provider, events) => provider.callsOf('reviewer').length === 1 && events.some((event) => event.kind === 'runFinished' && event.result === 'one done'),
    );

    const after = new ScriptedProvider(
      byAgent({
        orchestrator: (call) => ({ text: `summary: ${toolResults(call).join(' + ')}` }),
        reviewer: (call) => ({ text: `two done (${call.task})` }),
      }),
    );
    second = harness.reopen({ provider: after });
    expect(second.interrupted.map((node) => node.agent)).toEqual(['orchestrator', 'reviewer']);
    const eventsBefore = harness.events.length;

    const resumed = await second.resume(rootId);
    expect(resumed.runId).toBe(rootId);
    const root = await resumed.done;
    expect(root).toMatchObject({ id: rootId, status: 'done', result: 'summary: one done + two done (part two)' });
    expect(after.calls.map((call) => call.agent).sort()).toEqual(['orchestrator', 'reviewer']);

    const nodes = second.getSession(sessionId).runs;
    expect(nodes.map((node) => [node.agent, node.status])).toEqual([['orchestrator', 'done'], ['coder', 'done'], ['reviewer', 'done']]);
    const reviewer = nodes.find((node) => node.agent === 'reviewer')!;
    expect(second.messages(reviewer.id).map((message) => message.role)).toEqual(['system', 'user', 'assistant']);
    expect(second.messages(rootId).map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'assistant']);

    // The resumed tree's events continue the session's numbering; no new node was started.
    const resumedEvents: RunEvent[] = harness.events.slice(eventsBefore);
    expect(resumedEvents.some((event) => event.kind === 'runStarted')).toBe(false);
    const seqs = second.events(sessionId).map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_seq, index) => index + 1));
  });

  it('resumes a root interrupted during its model call with one new call, and refuses to resume it twice', async () => {
    const { harness, rootId } = await crashWhile({ orchestrator: () => ({ hang: true }) }, (provider) => provider.calls.length === 1);
    const after = new ScriptedProvider(byAgent({ orchestrator: () => ({ text: 'answered after the restart' }) }));
    second = harness.reopen({ provider: after });
    const root = await (await second.resume(rootId)).done;
    expect(root).toMatchObject({ status: 'done', result: 'answered after the restart' });
    expect(after.calls).toHaveLength(1);
    expect(after.calls[0]!.request.messages.map((message) => message.role)).toEqual(['system', 'user']);
    await expect(second.resume(rootId)).rejects.toMatchObject({ code: MocoErrorCodes.RunNotResumable });
  });

  it('tells a child apart from an earlier one whose delegate call had the same tool call id', async () => {
    // tool_calls[].id is unique within one assistant message; servers may reuse ids in later turns
    // (the HTTP mock of test/support answers `call_mock_1` every time).
    const { harness, rootId } = await crashWhile(
      {
        orchestrator: (call) => (call.turn === 0 ? { toolCalls: [delegate('coder', 'first part', 'call_1')] } : { toolCalls: [delegate('coder', 'second part', 'call_1')] }),
        coder: (call) => (call.task === 'first part' ? { text: 'first done' } : { hang: true }),
      },
      (provider) => provider.callsOf('coder').length === 2,
    );
    const after = new ScriptedProvider(
      byAgent({
        orchestrator: (call) => ({ text: `last result: ${lastToolResult(call.request)}` }),
        coder: (call) => ({ text: `done: ${call.task}` }),
      }),
    );
    second = harness.reopen({ provider: after });
    const root = await (await second.resume(rootId)).done;
    expect(after.callsOf('coder').map((call) => call.task)).toEqual(['second part']);
    expect(root.result).toBe('last result: done: second part');
    expect(second.getSession(root.sessionId).runs.map((node) => [node.task, node.status])).toEqual([
      ['build it', 'done'],
      ['first part', 'done'],
      ['second part', 'done'],
    ]);
  });

  it('counts the tokens of the children that finished before the crash toward the tree\'s budget', async () => {
    const { harness, rootId } = await crashWhile(
      {
        orchestrator: (call) => (call.turn === 0 ? { toolCalls: [delegate('coder', 'spend')], usage: { inputTokens: 10, outputTokens: 5 } } : { hang: true }),
        coder: () => ({ text: 'spent', usage: { inputTokens: 380, outputTokens: 20 } }),
      },
      (provider) => provider.callsOf('orchestrator').length === 2,
      ['budget: { max_tokens: 500 }'],
    );
    const eventsBefore = harness.events.length;
    const after = new ScriptedProvider(byAgent({ orchestrator: () => ({ text: 'answer', usage: { inputTokens: 90, outputTokens: 10 } }) }));
    second = harness.reopen({ provider: after });
    const root = await (await second.resume(rootId)).done;
    // 15 (orchestrator, turn 1) + 400 (coder) + 100 (orchestrator, after the restart) = 515 > 500.
    const usage = harness.events.slice(eventsBefore).find((event): event is EventOf<'usage'> => event.kind === 'usage');
    expect(usage?.treeUsage).toMatchObject({ inputTokens: 480, outputTokens: 35 });
    expect(root.status).toBe('failed');
    expect(root.error?.code).toBe(MocoErrorCodes.BudgetExceeded);
  });

  it('does not apply again an edit that had finished when the process died beside a running child', async () => {
    const started = await startHarness({
      team: teamWith(),
      provider: new ScriptedProvider(
        byAgent({
          orchestrator: () => ({
            toolCalls: [
              { name: 'edit_file', arguments: { path: 'notes.txt', old_string: 'hello', new_string: 'hello world' } },
              delegate('coder', 'slow part'),
            ],
          }),
          coder: () => ({ hang: true }),
        }),
      ),
    });
    harness = started;
    await writeFile(path.join(started.workDir, 'notes.txt'), 'hello\n');
    const run = await started.send('edit and delegate');
    await until(() => started.events.some((event) => event.kind === 'toolFinished' && event.name === 'edit_file'));
    await until(() => started.events.some((event) => event.kind === 'runStarted' && event.node.agent === 'coder'));

    const after = new ScriptedProvider(
      byAgent({
        orchestrator: (call) => ({ text: `done: ${toolResults(call).length} results` }),
        coder: () => ({ text: 'slow part done' }),
      }),
    );
    second = started.reopen({ provider: after });
    const root = await (await second.resume(run.runId)).done;
    expect(root).toMatchObject({ status: 'done', result: 'done: 2 results' });
    expect(await readFile(path.join(started.workDir, 'notes.txt'), 'utf8')).toBe('hello world\n');
  });

  it('refuses a second resume or send of a session while the first is being prepared', async () => {
    const { harness, rootId, sessionId } = await crashWhile(
      { orchestrator: () => ({ hang: true }) },
      (provider) => provider.callsOf('orchestrator').length === 1,
    );
    second = harness.reopen({ provider: new ScriptedProvider(byAgent({ orchestrator: () => ({ text: 'ok' }) })) });
    const first = second.resume(rootId);
    const again = second.resume(rootId);
    const send = second.send({ sessionId, text: 'more' });
    await expect(again).rejects.toMatchObject({ code: MocoErrorCodes.RunInProgress });
    await expect(send).rejects.toMatchObject({ code: MocoErrorCodes.RunInProgress });
    expect(await (await first).done).toMatchObject({ status: 'done', result: 'ok' });
    expect(second.getSession(sessionId).runs.filter((node) => !node.parentId)).toHaveLength(1);
  });
});
