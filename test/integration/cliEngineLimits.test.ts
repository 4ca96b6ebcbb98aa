// Limits and approvals of `moco run` that the model cannot switch off: a tool call repeated for
// ever, a token budget, and MOCO_REQUIRE_APPROVAL without a terminal (denied) and with --yes.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, eventsOfKind, lastLine, parseEvents, toolResults, type Sandbox } from '../support/cliHarness';
import { always, sequence, toolCall } from '../support/mockLlm';
import { agentOf, teamScript, writeTeam } from '../support/teams';

const TEAM = 'solo';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => {
  await sandbox.cleanup();
});

async function writeSoloTeam(orchestrator: string[] = []): Promise<void> {
  await writeTeam(sandbox.profilesDir, { name: TEAM, agents: [{ name: 'orchestrator', tools: ['read_file', 'write_file'] }], orchestrator });
}

function runTask(task: string, ...flags: string[]): string[] {
  return ['run', '-p', TEAM, '-w', sandbox.workspace, ...flags, task];
}

describe('moco run: limits', () => {
  it('blocks a tool call the model repeats for ever, then stops the run with exit 1', async () => {
    await writeSoloTeam();
    await writeFile(path.join(sandbox.workspace, 'notes.txt'), 'the same notes\n');
    const mock = await sandbox.startMock(always(toolCall('read_file', { path: 'notes.txt' })));

    const result = await sandbox.run(runTask('Read the notes.', '--json'));

    expect(result.code).toBe(1);
    expect(lastLine(result.stderr)).toBe('moco: orchestrator kept repeating read_file with the same arguments after being told to stop; the run was stopped.');
    // Far fewer calls than max_turns (50): the loop detector stopped it.
    expect(mock.chatRequests().length).toBeLessThan(10);
    const blocked = mock.chatRequests().flatMap(toolResults).filter((content) => content.startsWith('Blocked: you called read_file with the same arguments'));
    expect(blocked.length).toBeGreaterThan(0);

    const events = parseEvents(result.stdout);
    const limits = eventsOfKind(events, 'limit');
    expect(limits.length).toBeGreaterThan(0);
    expect(limits.every((event) => event.limit === 'loop')).toBe(true);
    expect(eventsOfKind(events, 'runFinished')).toMatchObject([{ status: 'failed', error: { message: expect.stringContaining('kept repeating read_file') as unknown } }]);
  });

  it('stops the run with exit 1 when its usage exceeds the token budget, before running its tool calls', async () => {
    await writeSoloTeam(['budget: { max_tokens: 500 }']);
    const mock = await sandbox.startMock(
      always({ ...toolCall('write_file', { path: 'big.txt', content: 'x' }), usage: { prompt_tokens: 450, completion_tokens: 150 } }),
    );

    const result = await sandbox.run(runTask('Write big.txt.', '--json'));

    expect(result.code).toBe(1);
    const reason = lastLine(result.stderr);
    expect(reason).toBe(
      'moco: The run used 600 tokens, above its budget of 500 (orchestrator.budget.max_tokens in profile.yaml). Raise the budget or split the task.',
    );
    expect(mock.chatRequests()).toHaveLength(1);
    expect(existsSync(path.join(sandbox.workspace, 'big.txt'))).toBe(false);
    const events = parseEvents(result.stdout);
    expect(eventsOfKind(events, 'limit')).toMatchObject([{ limit: 'tokenBudget' }]);
    expect(eventsOfKind(events, 'runFinished')).toMatchObject([{ status: 'failed' }]);

    const [session] = await sandbox.sessionsList();
    expect(session?.usage).toMatchObject({ inputTokens: 450, outputTokens: 150 });
    const { runs } = await sandbox.showSession(session!.id);
    expect(runs).toMatchObject([{ status: 'failed', error: { message: expect.stringContaining('above its budget of 500') as unknown } }]);
  });

  it('stops the whole tree when sub-agents together exceed the budget', async () => {
    await writeTeam(sandbox.profilesDir, {
      name: TEAM,
      agents: [
        { name: 'orchestrator', tools: ['delegate_to_agent'] },
        { name: 'fast', tools: ['write_file'] },
        { name: 'slow', tools: ['write_file'] },
      ],
      orchestrator: ['budget: { max_tokens: 1000 }'],
    });
    const team = teamScript({
      orchestrator: () => ({
        usage: { prompt_tokens: 100, completion_tokens: 10 },
        toolCalls: ['fast', 'slow'].map((agent) => ({ name: 'delegate_to_agent', arguments: { agent_name: agent, task: `Write ${agent}.txt.` } })),
      }),
      fast: () => ({ ...toolCall('write_file', { path: 'fast.txt', content: 'x' }), usage: { prompt_tokens: 900, completion_tokens: 100 } }),
      slow: () => ({ ...toolCall('write_file', { path: 'slow.txt', content: 'x' }), latencyMs: 60_000 }),
    });
    // fast answers (and spends the budget) only once slow is waiting for its model.
    let slowCalled = (): void => {};
    const slowCalling = new Promise<void>((resolve) => (slowCalled = resolve));
    const mock = await sandbox.startMock(async (request, index) => {
      if (agentOf(request) === 'slow') slowCalled();
      if (agentOf(request) === 'fast') await slowCalling;
      return team(request, index);
    });

    const result = await sandbox.run(runTask('Write two files.', '--json'));

    expect(result.code).toBe(1);
    expect(lastLine(result.stderr)).toMatch(/^moco: The run used 1110 tokens, above its budget of 1000 /);
    expect(existsSync(path.join(sandbox.workspace, 'fast.txt'))).toBe(false);
    expect(existsSync(path.join(sandbox.workspace, 'slow.txt'))).toBe(false);
    expect(eventsOfKind(parseEvents(result.stdout), 'limit')).toMatchObject([{ limit: 'tokenBudget' }]);
    expect(mock.chatRequests().filter((request) => agentOf(request) === 'orchestrator')).toHaveLength(1);
    const [session] = await sandbox.sessionsList();
    const { runs } = await sandbox.showSession(session!.id);
    expect(runs.map((node) => [node.agent, node.status, node.error?.message.slice(0, 14)])).toEqual([
      ['orchestrator', 'failed', 'The run used 1'],
      ['fast', 'failed', 'The run used 1'],
      ['slow', 'failed', 'The run used 1'],
    ]);
  });
});

describe('moco run: MOCO_REQUIRE_APPROVAL', () => {
  const script = () =>
    sequence([{ toolCalls: [{ id: 'call_write', name: 'write_file', arguments: { path: 'approved.txt', content: 'written\n' } }] }, { content: 'Finished.' }]);

  it('denies a call that needs approval when there is no terminal: the model is told, the file is not written', async () => {
    await writeSoloTeam();
    const mock = await sandbox.startMock(script());

    const result = await sandbox.run(runTask('Write approved.txt.'), { env: { MOCO_REQUIRE_APPROVAL: 'edit_file, write_file' } });

    expect(result.code).toBe(0);
    expect(existsSync(path.join(sandbox.workspace, 'approved.txt'))).toBe(false);
    expect(result.stdout).toContain('Denied: orchestrator wants to run write_file, which needs approval');
    expect(result.stdout).toContain('Run with --yes to approve tool calls without asking.');
    expect(result.stdout).toContain('[orchestrator] approval: denied');
    const [, second] = mock.chatRequests();
    expect(second && toolResults(second)).toEqual(['The user denied this call of write_file. Do not retry it; continue without it or explain what you need.']);
    expect(result.stdout).toContain('Finished.');
  });

  it('with --json keeps stdout to JSON lines: the denial note goes to stderr', async () => {
    await writeSoloTeam();
    await sandbox.startMock(script());

    const result = await sandbox.run(runTask('Write approved.txt.', '--json'), { env: { MOCO_REQUIRE_APPROVAL: 'write_file' } });

    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').every((line) => line.startsWith('{') && line.endsWith('}'))).toBe(true);
    expect(result.stderr).toContain('Denied: orchestrator wants to run write_file');
    expect(eventsOfKind(parseEvents(result.stdout), 'approvalResolved')).toMatchObject([{ decision: 'deny' }]);
    expect(existsSync(path.join(sandbox.workspace, 'approved.txt'))).toBe(false);
  });

  it('writes the file with --yes', async () => {
    await writeSoloTeam();
    const mock = await sandbox.startMock(script());

    const result = await sandbox.run(runTask('Write approved.txt.', '--yes', '--json'), { env: { MOCO_REQUIRE_APPROVAL: 'write_file' } });

    expect(result.code).toBe(0);
    expect(await readFile(path.join(sandbox.workspace, 'approved.txt'), 'utf8')).toBe('written\n');
    const events = parseEvents(result.stdout);
    expect(eventsOfKind(events, 'approvalRequested')).toMatchObject([{ toolCallId: 'call_write', name: 'write_file', arguments: { path: 'approved.txt', content: 'written\n' } }]);
    expect(eventsOfKind(events, 'approvalResolved')).toMatchObject([{ decision: 'approve' }]);
    const [, second] = mock.chatRequests();
    expect(second && toolResults(second)).toEqual([expect.stringContaining('approved.txt')]);
  });
});
