// Delegation through the real engine with a scripted in-process provider: concurrent children,
// cancellation down the tree, `@agent` lines and prefixes, and the history of a session.
import { afterEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { startHarness, type EngineHarness } from '../support/engineHarness';
import { barrier, byAgent, lastToolResult, ScriptedProvider, type AgentReplies } from '../support/scriptedProvider';
import type { TeamOptions } from '../support/teams';

let harness: EngineHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const team = (orchestrator: string[] = []): TeamOptions => ({
  name: 'delegation-team',
  agents: [
    { name: 'orchestrator', tools: ['delegate_to_agent'] },
    { name: 'coder', tools: ['todowrite', 'todoread'] },
    { name: 'reviewer', tools: [] },
  ],
  orchestrator,
});

async function start(replies: AgentReplies, orchestrator: string[] = []): Promise<{ harness: EngineHarness; provider: ScriptedProvider }> {
  const provider = new ScriptedProvider(byAgent(replies));
  harness = await startHarness({ team: team(orchestrator), provider });
  return { harness, provider };
}

const delegate = (agent: string, task: string, id?: string) => ({ ...(id ? { id } : {}), name: 'delegate_to_agent', arguments: { agent_name: agent, task } });

describe('delegation', () => {
  it('runs two delegate calls to the same agent side by side, each with its own messages and todos', async () => {
    const bothWorking = barrier(2);
    const { harness, provider } = await start({
      orchestrator: (call) =>
        call.turn === 0
          ? { toolCalls: [delegate('coder', 'write the parser'), delegate('coder', 'write the printer')] }
          : { text: call.request.messages.filter((message) => message.role === 'tool').map((message) => message.content).join(' | ') },
      coder: async (call) => {
        if (call.turn === 0) {
          // Both runs are in their first call at once before either goes on.
          await bothWorking();
          return { toolCalls: [{ name: 'todowrite', arguments: { todos: [{ id: '1', content: call.task, status: 'in_progress', priority: 'high' }] } }] };
        }
        if (call.turn === 1) return { toolCalls: [{ name: 'todoread', arguments: {} }] };
        return { text: `my todos: ${lastToolResult(call.request)}` };
      },
    });
    const root = await harness.run('build the tool');
    expect(root.status).toBe('done');
    expect(root.result).toBe('my todos: [~] (high) 1: write the parser | my todos: [~] (high) 1: write the printer');
    const children = harness.engine.getSession(root.sessionId).runs.filter((node) => node.parentId === root.id);
    expect(children.map((child) => [child.agent, child.status])).toEqual([['coder', 'done'], ['coder', 'done']]);
    // Both first calls were made before either run went on (the barrier), so the runs overlapped.
    expect(provider.callsOf('coder').slice(0, 2).map((call) => call.turn)).toEqual([0, 0]);
    for (const child of children) {
      const text = JSON.stringify(harness.engine.messages(child.id));
      const other = child.task === 'write the parser' ? 'write the printer' : 'write the parser';
      expect(text).toContain(child.task);
      expect(text).not.toContain(other);
    }
  });

  it('answers a delegation to an unknown agent with the valid names, and matches names case-insensitively', async () => {
    const { harness, provider } = await start({
      orchestrator: (call) =>
        call.turn === 0 ? { toolCalls: [delegate('designer', 'draw'), delegate('REVIEWER', 'review')] } : { text: 'ok' },
      reviewer: () => ({ text: 'looks good' }),
    });
    const root = await harness.run('go');
    expect(root.status).toBe('done');
    const [unknown, reviewed] = provider.calls.at(-1)!.request.messages.flatMap((message) => (message.role === 'tool' ? [message.content] : []));
    expect(unknown).toBe('No agent named "designer" in profile "delegation-team". Valid agents: coder, orchestrator, reviewer.');
    expect(reviewed).toBe('looks good');
  });

  it('cancelling the root stops its children: they end cancelled, and so does the root', async () => {
    const { harness, provider } = await start({
      orchestrator: () => ({ toolCalls: [delegate('coder', 'slow work'), delegate('reviewer', 'slow review')] }),
      coder: () => ({ hang: true }),
      reviewer: () => ({ hang: true }),
    });
    const run = await harness.send('start and stop');
    await harness.waitForEvent('runStarted', (event) => event.node.agent === 'coder');
    await harness.waitForEvent('runStarted', (event) => event.node.agent === 'reviewer');
    expect(harness.engine.cancel(run.runId)).toBe(true);
    const root = await run.done;
    expect(root.status).toBe('cancelled');
    const nodes = harness.engine.getSession(run.sessionId).runs;
    expect(nodes.map((node) => [node.agent, node.status])).toEqual([
      ['orchestrator', 'cancelled'],
      ['coder', 'cancelled'],
      ['reviewer', 'cancelled'],
    ]);
    expect(nodes.every((node) => node.endedAt !== undefined)).toBe(true);
    expect(provider.calls).toHaveLength(3);
    // Nothing of the tree runs any more.
    expect(nodes.map((node) => harness.engine.cancel(node.id))).toEqual([false, false, false]);
  });

  it('cancelling one child tells its parent "cancelled by the user", and the parent goes on', async () => {
    const { harness, provider } = await start({
      orchestrator: (call) =>
        call.turn === 0 ? { toolCalls: [delegate('coder', 'slow work'), delegate('reviewer', 'quick review')] } : { text: 'finished without the coder' },
      coder: () => ({ hang: true }),
      reviewer: () => ({ text: 'reviewed' }),
    });
    const run = await harness.send('start');
    const coderStarted = await harness.waitForEvent('runStarted', (event) => event.node.agent === 'coder');
    await harness.waitForEvent('runFinished', (event) => event.result === 'reviewed');
    expect(harness.engine.cancel(coderStarted.runId)).toBe(true);
    const root = await run.done;
    expect(root).toMatchObject({ status: 'done', result: 'finished without the coder' });
    const results = provider.callsOf('orchestrator')[1]!.request.messages.flatMap((message) => (message.role === 'tool' ? [message.content] : []));
    expect(results).toEqual(['coder was cancelled by the user before it finished.', 'reviewed']);
    const nodes = harness.engine.getSession(run.sessionId).runs;
    expect(nodes.map((node) => [node.agent, node.status])).toEqual([['orchestrator', 'done'], ['coder', 'cancelled'], ['reviewer', 'done']]);
  });

  it('fans out the @agent lines of the orchestrator\'s answer in parallel and gives it their results', async () => {
    const bothWorking = barrier(2);
    const { harness, provider } = await start({
      orchestrator: (call) =>
        call.turn === 0
          ? { text: 'Plan:\n@coder: write src/app.ts\nwith a main function\n@Reviewer check the style' }
          : { text: `summary: ${call.task.includes('## @coder\ncoded') && call.task.includes('## @reviewer\nreviewed') ? 'both answered' : call.task}` },
      coder: async () => {
        await bothWorking();
        return { text: 'coded' };
      },
      reviewer: async () => {
        await bothWorking();
        return { text: 'reviewed' };
      },
    });
    const root = await harness.run('build an app');
    expect(root).toMatchObject({ status: 'done', result: 'summary: both answered' });
    expect(provider.callsOf('coder')[0]?.task).toBe('write src/app.ts\nwith a main function');
    expect(provider.callsOf('reviewer')[0]?.task).toBe('check the style');
  });

  it('sends a message that starts with @agent straight to that agent', async () => {
    const { harness, provider } = await start({ reviewer: (call) => ({ text: `reviewing: ${call.task}` }) });
    const root = await harness.run('@Reviewer look at src/app.ts');
    expect(root).toMatchObject({ agent: 'reviewer', task: 'look at src/app.ts', status: 'done', result: 'reviewing: look at src/app.ts' });
    expect(provider.calls.map((call) => call.agent)).toEqual(['reviewer']);
  });

  it('fails with UnknownAgent, listing the agents, when the @agent of a message is not in the profile', async () => {
    const { harness } = await start({});
    await expect(harness.send('@designer draw a logo')).rejects.toMatchObject({
      code: MocoErrorCodes.UnknownAgent,
      message: 'No agent named "designer" in profile "delegation-team". Valid agents: coder, orchestrator, reviewer.',
    });
  });
});

describe('a session of several messages', () => {
  it('sends the earlier messages and answers before the new message', async () => {
    const { harness, provider } = await start({ reviewer: (call) => ({ text: `answer ${call.index + 1}` }) });
    const first = await harness.run('@reviewer first question');
    const second = await harness.run('@reviewer second question', { sessionId: first.sessionId });
    expect(second.status).toBe('done');
    const sent = provider.calls[1]!.request.messages.filter((message) => message.role !== 'system');
    expect(sent).toEqual([
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'answer 1' },
      { role: 'user', content: 'second question' },
    ]);
  });

  it('gives each message its own max_turns, whatever the length of the session', async () => {
    const { harness, provider } = await start({ reviewer: () => ({ text: 'short answer' }) }, ['max_turns: 1']);
    const first = await harness.run('@reviewer one');
    expect(first.status).toBe('done');
    const second = await harness.run('@reviewer two', { sessionId: first.sessionId });
    // One model call answers the second message too; the earlier answer is history, not a turn of this run.
    expect(second.error?.message).toBeUndefined();
    expect(second.status).toBe('done');
    expect(provider.calls).toHaveLength(2);
  });

  it('stops @agent lines at the delegation depth limit, as delegate_to_agent', async () => {
    const provider = new ScriptedProvider(
      byAgent({
        // Two agents that hand the task to each other for ever with @ lines.
        ping: () => ({ text: '@pong over to you' }),
        pong: () => ({ text: '@ping over to you' }),
      }),
    );
    harness = await startHarness({
      team: { name: 'echo', agents: [{ name: 'ping', tools: ['delegate_to_agent'], mode: 'primary' }, { name: 'pong', tools: ['delegate_to_agent'] }] },
      provider,
    });
    const root = await (await harness.send('start')).done;
    expect(root.status).toBe('done');
    const nodes = harness.engine.getSession(root.sessionId).runs;
    // The root and five levels of delegation (MAX_DELEGATION_DEPTH), no more.
    expect(nodes).toHaveLength(6);
  });

  it('says once per tree that a model is not in the model table', async () => {
    const provider = new ScriptedProvider(byAgent({ orchestrator: () => ({ toolCalls: [delegate('coder', 'a'), delegate('reviewer', 'b')] }), coder: () => ({ text: 'a' }), reviewer: () => ({ text: 'b' }) }));
    harness = await startHarness({ team: team(), provider, env: { OPENAI_MODEL: 'totally-unknown-model-xyz' } });
    await (await harness.send('go')).done;
    const warnings = harness.events.filter((event) => event.kind === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ message: expect.stringContaining('totally-unknown-model-xyz') as unknown });
  });
});
