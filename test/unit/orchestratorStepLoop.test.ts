// The step loop of one agent through the real engine (SQLite file, base tools, profile files) with
// a scripted in-process provider: limits, and the malformed calls a model makes.
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import type { ChatMessage, RunEvent } from '../../protocol/run';
import { startHarness, type EngineHarness } from '../support/engineHarness';
import { byAgent, ScriptedProvider, type AgentReplies } from '../support/scriptedProvider';
import type { TeamOptions } from '../support/teams';

let harness: EngineHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

function solo(tools: string[], orchestrator: string[] = []): TeamOptions {
  return { name: 'solo-team', agents: [{ name: 'solo', tools, mode: 'primary' }], orchestrator };
}

async function start(team: TeamOptions, replies: AgentReplies): Promise<{ harness: EngineHarness; provider: ScriptedProvider }> {
  const provider = new ScriptedProvider(byAgent(replies));
  harness = await startHarness({ team, provider });
  for (const name of ['a.txt', 'b.txt', 'c.txt']) await writeFile(path.join(harness.workDir, name), `contents of ${name}\n`);
  return { harness, provider };
}

/** The `tool` messages of a request, in order. */
function toolMessages(messages: ChatMessage[]): string[] {
  return messages.flatMap((message) => (message.role === 'tool' ? [message.content] : []));
}

function eventsOf<K extends RunEvent['kind']>(events: RunEvent[], kind: K): Extract<RunEvent, { kind: K }>[] {
  return events.filter((event): event is Extract<RunEvent, { kind: K }> => event.kind === kind);
}

describe('the step loop', () => {
  it('runs tool calls and feeds their results back until the model answers', async () => {
    const { harness, provider } = await start(solo(['read_file']), {
      solo: ({ turn }) => (turn === 0 ? { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] } : { text: 'a.txt is read' }),
    });
    const root = await harness.run('read a.txt');
    expect(root).toMatchObject({ status: 'done', result: 'a.txt is read', agent: 'solo' });
    expect(toolMessages(provider.calls[1]!.request.messages)[0]).toContain('contents of a.txt');
    expect(eventsOf(harness.events, 'toolFinished')).toMatchObject([{ name: 'read_file', ok: true }]);
    expect(harness.engine.messages(root.id).map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
  });

  it('stops a run at max_turns: failed with LimitReached and a message naming the limit', async () => {
    const { harness, provider } = await start(solo(['read_file'], ['max_turns: 2']), {
      solo: ({ turn }) => ({ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt', offset: turn + 1 } }] }),
    });
    const root = await harness.run('never finish');
    expect(root.status).toBe('failed');
    expect(root.error).toMatchObject({ code: MocoErrorCodes.LimitReached, message: expect.stringMatching(/limit of 2 turns.*max_turns/) as unknown });
    expect(provider.calls).toHaveLength(2);
    expect(eventsOf(harness.events, 'limit')).toMatchObject([{ limit: 'maxTurns', runId: root.id }]);
    expect(eventsOf(harness.events, 'runFinished').at(-1)).toMatchObject({ status: 'failed', error: { code: MocoErrorCodes.LimitReached } });
  });

  it('runs at most max_tool_calls_per_turn calls of one turn; the others get a "not run" result', async () => {
    const { harness, provider } = await start(solo(['read_file'], ['max_tool_calls_per_turn: 2']), {
      solo: ({ turn }) =>
        turn === 0
          ? { toolCalls: ['a.txt', 'b.txt', 'c.txt'].map((file) => ({ name: 'read_file', arguments: { path: file } })) }
          : { text: 'read two of them' },
    });
    const root = await harness.run('read three files');
    expect(root.status).toBe('done');
    const results = toolMessages(provider.calls[1]!.request.messages);
    expect(results).toHaveLength(3);
    expect(results[0]).toContain('contents of a.txt');
    expect(results[1]).toContain('contents of b.txt');
    expect(results[2]).toMatch(/^Not run: at most 2 tool calls are run per turn and you made 3\./);
    expect(eventsOf(harness.events, 'toolStarted').map((event) => event.arguments)).toEqual([{ path: 'a.txt' }, { path: 'b.txt' }]);
    expect(eventsOf(harness.events, 'limit')).toMatchObject([{ limit: 'maxToolCallsPerTurn' }]);
  });

  it('answers a call of an unknown tool, or of a tool the agent lacks, with the tools it may call', async () => {
    const { harness, provider } = await start(solo(['read_file', 'todoread']), {
      solo: ({ turn }) =>
        turn === 0
          ? { toolCalls: [{ name: 'frobnicate', arguments: {} }, { name: 'write_file', arguments: { path: 'x.txt', content: 'x' } }] }
          : { text: 'I cannot do that' },
    });
    const root = await harness.run('do something odd');
    expect(root.status).toBe('done');
    const [unknown, notGranted] = toolMessages(provider.calls[1]!.request.messages);
    expect(unknown).toBe('Unknown tool "frobnicate". The tools you can call are: read_file, todoread.');
    expect(notGranted).toBe('Unknown tool "write_file". The tools you can call are: read_file, todoread.');
    expect(eventsOf(harness.events, 'toolFinished').map((event) => [event.name, event.ok])).toEqual([['frobnicate', false], ['write_file', false]]);
  });

  it('answers malformed JSON arguments with an error result the model reads, and goes on', async () => {
    const { harness, provider } = await start(solo(['read_file']), {
      solo: ({ turn }) =>
        turn === 0
          ? { toolCalls: [{ name: 'read_file', arguments: '{"path": "a.txt"' }] }
          : turn === 1
            ? { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }
            : { text: 'fixed my call' },
    });
    const root = await harness.run('read a.txt');
    expect(root).toMatchObject({ status: 'done', result: 'fixed my call' });
    const [malformed, fixed] = toolMessages(provider.calls[2]!.request.messages);
    expect(malformed).toMatch(/^The arguments of read_file are not valid JSON \(.+\)\. Send one JSON object\. read_file takes: /);
    expect(fixed).toContain('contents of a.txt');
    // The event shows the raw text the model sent.
    expect(eventsOf(harness.events, 'toolStarted')[0]?.arguments).toBe('{"path": "a.txt"');
  });

  it('blocks a call repeated a 3rd time, tells the model, and stops the run when it keeps repeating', async () => {
    const { harness, provider } = await start(solo(['read_file']), {
      solo: () => ({ toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] }),
    });
    const root = await harness.run('loop forever');
    expect(provider.calls).toHaveLength(5);
    const results = toolMessages(provider.calls[4]!.request.messages);
    expect(results.slice(0, 2).every((result) => result.includes('contents of a.txt'))).toBe(true);
    expect(results.slice(2)).toEqual([expect.stringMatching(/^Blocked: you called read_file with the same arguments 3 times/), expect.stringMatching(/^Blocked:/)]);
    expect(root.status).toBe('failed');
    expect(root.error).toMatchObject({ code: MocoErrorCodes.LimitReached, message: expect.stringContaining('kept repeating read_file') as unknown });
    expect(eventsOf(harness.events, 'limit').map((event) => event.limit)).toEqual(['loop', 'loop', 'loop', 'loop']);
  });

  it('keeps thinking apart from the answer, as its own events', async () => {
    const { harness } = await start(solo([]), { solo: () => ({ thinking: 'The user greets me.', text: 'Hello!' }) });
    const root = await harness.run('hi');
    expect(root.result).toBe('Hello!');
    expect(eventsOf(harness.events, 'thinkingDelta').map((event) => event.text).join('')).toBe('The user greets me.');
    expect(eventsOf(harness.events, 'textDelta').map((event) => event.text).join('')).toBe('Hello!');
    const answer = harness.engine.messages(root.id).at(-1);
    expect(answer).toMatchObject({ role: 'assistant', content: 'Hello!', reasoning: 'The user greets me.' });
  });
});

describe('the token budget of a tree', () => {
  it('stops every node when spent: each ends failed with BudgetExceeded, and one limit event says why', async () => {
    const team: TeamOptions = {
      name: 'budget-team',
      agents: [
        { name: 'orchestrator', tools: ['delegate_to_agent'] },
        { name: 'spender', tools: [] },
        { name: 'waiter', tools: [] },
      ],
      orchestrator: ['budget: { max_tokens: 500 }'],
    };
    const { harness } = await start(team, {
      orchestrator: () => ({
        toolCalls: [
          { name: 'delegate_to_agent', arguments: { agent_name: 'waiter', task: 'wait' } },
          { name: 'delegate_to_agent', arguments: { agent_name: 'spender', task: 'spend' } },
        ],
      }),
      spender: () => ({ text: 'spent', usage: { inputTokens: 900, outputTokens: 100 } }),
      waiter: () => ({ hang: true }),
    });
    const root = await harness.run('spend the budget');
    const nodes = harness.engine.getSession(root.sessionId).runs;
    expect(nodes.map((node) => [node.agent, node.status, node.error?.code])).toEqual([
      ['orchestrator', 'failed', MocoErrorCodes.BudgetExceeded],
      ['waiter', 'failed', MocoErrorCodes.BudgetExceeded],
      ['spender', 'failed', MocoErrorCodes.BudgetExceeded],
    ]);
    expect(root.error?.message).toMatch(/1015 tokens, above its budget of 500/);
    expect(eventsOf(harness.events, 'limit')).toMatchObject([{ limit: 'tokenBudget' }]);
  });
});
