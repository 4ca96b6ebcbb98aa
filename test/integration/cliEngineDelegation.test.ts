// Delegation through the real `moco run` process: parallel delegate_to_agent calls, a second level
// of delegation, agent names in any case, an unknown agent, `@agent task` lines, and
// max_parallel_tasks. The mock LLM answers each agent by the marker in its system prompt.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunNode } from '../../protocol/run';
import { createSandbox, eventsOfKind, parseEvents, toolResults, type Sandbox } from '../support/cliHarness';
import type { MockReply, MockRequest } from '../support/mockLlm';
import { agentOf, teamScript, turnOf, writeTeam, type TeamAgent } from '../support/teams';

const TEAM = 'team';
/** Model latency of the sub-agents' first calls (ms), so that parallel calls overlap at the mock. */
const LATENCY_MS = 400;

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => {
  await sandbox.cleanup();
});

function writeFileCall(file: string, content: string, extra: Partial<MockReply> = {}): MockReply {
  return { toolCalls: [{ name: 'write_file', arguments: { path: file, content } }], ...extra };
}

function delegateCalls(calls: [id: string, agent: string, task: string][]): MockReply {
  return { toolCalls: calls.map(([id, agent, task]) => ({ id, name: 'delegate_to_agent', arguments: { agent_name: agent, task } })) };
}

/** A sub-agent that writes one file (slowly) and then answers `answer`. */
function writer(file: string, content: string, answer: string) {
  return (_request: MockRequest, turn: number): MockReply =>
    turn === 0 ? writeFileCall(file, content, { latencyMs: LATENCY_MS }) : { content: answer };
}

function runTask(task: string, ...flags: string[]): string[] {
  return ['run', '-p', TEAM, '-w', sandbox.workspace, ...flags, task];
}

function requestsOf(requests: MockRequest[], agent: string): MockRequest[] {
  return requests.filter((request) => agentOf(request) === agent);
}

async function writeDefaultTeam(extra: TeamAgent[] = [], orchestrator: string[] = []): Promise<void> {
  await writeTeam(sandbox.profilesDir, {
    name: TEAM,
    agents: [
      { name: 'orchestrator', tools: ['delegate_to_agent'] },
      { name: 'coder-a', tools: ['write_file', 'delegate_to_agent'] },
      { name: 'coder-b', tools: ['write_file'] },
      { name: 'coder-c', tools: ['write_file'] },
      { name: 'helper', tools: ['write_file'] },
      ...extra,
    ],
    orchestrator,
  });
}

describe('moco run: delegation', () => {
  it('runs three delegations of one turn in parallel, one of them delegating again, and stores the tree', async () => {
    await writeDefaultTeam();
    const mock = await sandbox.startMock(
      teamScript({
        orchestrator: (_request, turn) =>
          turn === 0
            ? delegateCalls([
                ['call_a', 'Coder-A', 'Write a.txt, and have the helper write d.txt.'],
                ['call_b', 'coder-b', 'Write b.txt.'],
                ['call_c', 'coder-c', 'Write c.txt.'],
              ])
            : { content: 'All four files are written.' },
        'coder-a': (_request, turn) =>
          [writeFileCall('a.txt', 'from A\n', { latencyMs: LATENCY_MS }), delegateCalls([['call_d', 'helper', 'Write d.txt.']])][turn] ?? { content: 'A wrote a.txt; helper wrote d.txt' },
        'coder-b': writer('b.txt', 'from B\n', 'B wrote b.txt'),
        'coder-c': writer('c.txt', 'from C\n', 'C wrote c.txt'),
        helper: writer('nested/d.txt', 'from the helper\n', 'helper wrote d.txt'),
      }),
    );

    const result = await sandbox.run(runTask('Write the four files.'));

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('All four files are written.');
    const read = (file: string): Promise<string> => readFile(path.join(sandbox.workspace, file), 'utf8');
    expect(await Promise.all(['a.txt', 'b.txt', 'c.txt', 'nested/d.txt'].map(read))).toEqual(['from A\n', 'from B\n', 'from C\n', 'from the helper\n']);
    expect(mock.maxInFlight()).toBeGreaterThanOrEqual(3);

    // The orchestrator's second call carries the three answers, in the order of its calls.
    const second = requestsOf(mock.chatRequests(), 'orchestrator').find((request) => turnOf(request) === 1);
    expect(second && toolResults(second)).toEqual(['A wrote a.txt; helper wrote d.txt', 'B wrote b.txt', 'C wrote c.txt']);

    const [session] = await sandbox.sessionsList();
    expect(session).toMatchObject({ name: 'Write the four files.', profile: TEAM, runCount: 1, resumable: false });
    const { runs, events } = await sandbox.showSession(session!.id);
    expect(events.map((event) => event.seq)).toEqual(events.map((_event, index) => index + 1));
    expect(eventsOfKind(events, 'runFinished').map((event) => event.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    const byAgent = new Map(runs.map((node) => [node.agent, node]));
    const root = byAgent.get('orchestrator')!;
    expect(root).toMatchObject({ status: 'done', result: 'All four files are written.', rootId: root.id });
    expect(root.parentId).toBeUndefined();
    const link = (node: RunNode | undefined): unknown => node && [node.parentId, node.toolCallId, node.status, node.rootId];
    expect(link(byAgent.get('coder-a'))).toEqual([root.id, 'call_a', 'done', root.id]);
    expect(link(byAgent.get('coder-b'))).toEqual([root.id, 'call_b', 'done', root.id]);
    expect(link(byAgent.get('coder-c'))).toEqual([root.id, 'call_c', 'done', root.id]);
    expect(link(byAgent.get('helper'))).toEqual([byAgent.get('coder-a')!.id, 'call_d', 'done', root.id]);
    expect(runs).toHaveLength(5);
    for (const node of runs) expect(node.usage.inputTokens + node.usage.outputTokens).toBeGreaterThan(0);
    expect(session!.usage.inputTokens).toBe(runs.reduce((sum, node) => sum + node.usage.inputTokens, 0));
  });

  it('tells the model the valid agent names when it delegates to an unknown one', async () => {
    await writeDefaultTeam();
    const mock = await sandbox.startMock(
      teamScript({
        orchestrator: (_request, turn) =>
          turn === 0 ? delegateCalls([['call_ghost', 'ghost-writer', 'Write a poem.']]) : { content: 'There is no ghost-writer in this team.' },
      }),
    );

    const result = await sandbox.run(runTask('Get me a poem.', '--json'));

    expect(result.code).toBe(0);
    const [first, second] = mock.chatRequests();
    expect(first && agentOf(first)).toBe('orchestrator');
    const [message] = second ? toolResults(second) : [];
    expect(message).toContain('No agent named "ghost-writer"');
    expect(message).toContain('Valid agents: coder-a, coder-b, coder-c, helper, orchestrator');
    const events = parseEvents(result.stdout);
    expect(eventsOfKind(events, 'toolFinished')).toMatchObject([{ toolCallId: 'call_ghost', name: 'delegate_to_agent', ok: false, summary: 'unknown agent ghost-writer' }]);
    expect(eventsOfKind(events, 'runStarted')).toHaveLength(1);
    expect(eventsOfKind(events, 'runFinished')).toMatchObject([{ status: 'done', result: 'There is no ghost-writer in this team.' }]);
  });

  it('fans out the `@agent task` lines of an answer in parallel and gives the orchestrator their results', async () => {
    await writeDefaultTeam();
    const mock = await sandbox.startMock(
      teamScript({
        orchestrator: (_request, turn) =>
          turn === 0
            ? { content: 'I will split the work.\n@Coder-A write a.txt\nwith a greeting\n@coder-b: write b.txt' }
            : { content: 'Summary: both files are there.' },
        'coder-a': writer('a.txt', 'hello\n', 'A wrote a.txt'),
        'coder-b': writer('b.txt', 'bye\n', 'B wrote b.txt'),
      }),
    );

    const result = await sandbox.run(runTask('Split the work.'));

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Summary: both files are there.');
    expect(await readFile(path.join(sandbox.workspace, 'a.txt'), 'utf8')).toBe('hello\n');
    expect(await readFile(path.join(sandbox.workspace, 'b.txt'), 'utf8')).toBe('bye\n');
    expect(mock.maxInFlight()).toBeGreaterThanOrEqual(2);

    const tasks = requestsOf(mock.chatRequests(), 'coder-a').map((request) => request.lastUserOrToolMessage);
    expect(tasks[0]).toBe('write a.txt\nwith a greeting');
    const next = requestsOf(mock.chatRequests(), 'orchestrator').find((request) => turnOf(request) === 1);
    expect(next?.lastUserOrToolMessage).toContain('## @coder-a\nA wrote a.txt');
    expect(next?.lastUserOrToolMessage).toContain('## @coder-b\nB wrote b.txt');

    const [session] = await sandbox.sessionsList();
    const { runs } = await sandbox.showSession(session!.id);
    const root = runs.find((node) => !node.parentId)!;
    expect(root).toMatchObject({ agent: 'orchestrator', status: 'done', result: 'Summary: both files are there.' });
    expect(runs.filter((node) => node.parentId === root.id).map((node) => [node.agent, node.task, node.status])).toEqual(
      expect.arrayContaining([
        ['coder-a', 'write a.txt\nwith a greeting', 'done'],
        ['coder-b', 'write b.txt', 'done'],
      ]),
    );
    expect(runs).toHaveLength(3);
  });

  it('runs at most max_parallel_tasks delegations at once, and all of them', async () => {
    await writeDefaultTeam([{ name: 'coder-d', tools: ['write_file'] }], ['max_parallel_tasks: 2']);
    const workers = ['coder-a', 'coder-b', 'coder-c', 'coder-d'];
    const mock = await sandbox.startMock(
      teamScript({
        orchestrator: (_request, turn) =>
          turn === 0 ? delegateCalls(workers.map((agent, index) => [`call_${index}`, agent, `Write ${agent}.txt.`])) : { content: 'Four files.' },
        ...Object.fromEntries(workers.map((agent) => [agent, writer(`${agent}.txt`, agent, `${agent} done`)])),
      }),
    );

    const result = await sandbox.run(runTask('Write four files.'));

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Four files.');
    expect(mock.maxInFlight()).toBe(2);
    for (const agent of workers) expect(await readFile(path.join(sandbox.workspace, `${agent}.txt`), 'utf8')).toBe(agent);
    const second = requestsOf(mock.chatRequests(), 'orchestrator').find((request) => turnOf(request) === 1);
    expect(second && toolResults(second)).toEqual(workers.map((agent) => `${agent} done`));
  });
});
