// Stopping `moco run` in the middle of a run tree: Ctrl+C (SIGINT) cancels every node and exits
// 130; `kill -9` leaves the tree interrupted, and `moco resume` continues it without running
// again the sub-agent that had finished.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, eventsOfKind, lastLine, toolResults, type CliProcess, type Sandbox } from '../support/cliHarness';
import type { MockLlm, MockReply } from '../support/mockLlm';
import { agentOf, teamScript, turnOf, writeTeam } from '../support/teams';

const TEAM = 'team';
/** A model call that does not answer while the test runs (ms). */
const NEVER_MS = 60_000;

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
  await writeTeam(sandbox.profilesDir, {
    name: TEAM,
    agents: [
      { name: 'orchestrator', tools: ['delegate_to_agent'] },
      { name: 'worker-a', tools: ['write_file'] },
      { name: 'worker-b', tools: ['write_file'] },
    ],
  });
});
afterEach(async () => {
  await sandbox.cleanup();
});

function runTask(task: string, ...flags: string[]): string[] {
  return ['run', '-p', TEAM, '-w', sandbox.workspace, ...flags, task];
}

function delegateBoth(turn: number, answer: string): MockReply {
  if (turn > 0) return { content: answer };
  return {
    toolCalls: [
      { id: 'call_a', name: 'delegate_to_agent', arguments: { agent_name: 'worker-a', task: 'Write a.txt.' } },
      { id: 'call_b', name: 'delegate_to_agent', arguments: { agent_name: 'worker-b', task: 'Write b.txt.' } },
    ],
  };
}

function writeThenAnswer(turn: number, file: string, answer: string): MockReply {
  return turn === 0 ? { toolCalls: [{ name: 'write_file', arguments: { path: file, content: `${file}\n` } }] } : { content: answer };
}

function requestsFrom(mock: MockLlm, agent: string): number {
  return mock.chatRequests().filter((request) => agentOf(request) === agent).length;
}

/** The id of the first node of `agent` the CLI reported with `--json`. */
function nodeIdOf(cli: CliProcess, agent: string): string | undefined {
  return eventsOfKind(cli.events(), 'runStarted').find((event) => event.node.agent === agent)?.runId;
}

describe('moco run: stopped in the middle', () => {
  it('cancels the root and its sub-agents on SIGINT and exits 130', async () => {
    const mock = await sandbox.startMock(
      teamScript({
        orchestrator: (_request, turn) => delegateBoth(turn, 'never reached'),
        'worker-a': () => ({ latencyMs: NEVER_MS, content: 'too late' }),
        'worker-b': () => ({ latencyMs: NEVER_MS, content: 'too late' }),
      }),
    );

    const cli = sandbox.start(runTask('Write two files.', '--json'));
    await cli.waitFor(() => requestsFrom(mock, 'worker-a') === 1 && requestsFrom(mock, 'worker-b') === 1, 'both sub-agents calling the model');
    cli.child.kill('SIGINT');
    const result = await cli.exited;

    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Cancelling…');
    expect(lastLine(result.stderr)).toBe('moco: the run was cancelled');
    const finished = eventsOfKind(cli.events(), 'runFinished');
    expect(finished.map((event) => event.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);

    const [session] = await sandbox.sessionsList();
    expect(session?.resumable).toBe(false);
    const { runs } = await sandbox.showSession(session!.id);
    expect(runs.map((node) => [node.agent, node.status])).toEqual(
      expect.arrayContaining([
        ['orchestrator', 'cancelled'],
        ['worker-a', 'cancelled'],
        ['worker-b', 'cancelled'],
      ]),
    );
    expect(runs).toHaveLength(3);
    // No model call was made after the cancel: the orchestrator did not go on with the results.
    expect(requestsFrom(mock, 'orchestrator')).toBe(1);

    // A cancelled tree is over: there is nothing to resume.
    const resumed = await sandbox.run(['resume', session!.id]);
    expect(resumed.code).toBe(1);
    expect(lastLine(resumed.stderr)).toBe(`moco: Nothing to resume in ${session!.id}: it has no interrupted run.`);
  });

  it('resumes a tree killed with SIGKILL without running again the sub-agent that had finished', async () => {
    let workerBAnswers = false;
    const mock = await sandbox.startMock(
      teamScript({
        orchestrator: (_request, turn) => delegateBoth(turn, 'Both files are written.'),
        'worker-a': (_request, turn) => writeThenAnswer(turn, 'a.txt', 'A wrote a.txt'),
        'worker-b': (_request, turn) => (workerBAnswers ? writeThenAnswer(turn, 'b.txt', 'B wrote b.txt') : { latencyMs: NEVER_MS, content: 'too late' }),
      }),
    );

    const cli = sandbox.start(runTask('Write two files.', '--json'));
    await cli.waitFor(() => {
      const workerA = nodeIdOf(cli, 'worker-a');
      const aDone = eventsOfKind(cli.events(), 'runFinished').some((event) => event.runId === workerA && event.status === 'done');
      return aDone && requestsFrom(mock, 'worker-b') === 1;
    }, 'worker-a done and worker-b waiting for the model');
    const ids = { root: nodeIdOf(cli, 'orchestrator'), a: nodeIdOf(cli, 'worker-a'), b: nodeIdOf(cli, 'worker-b') };
    cli.child.kill('SIGKILL');
    const killed = await cli.exited;
    expect(killed.signal).toBe('SIGKILL');
    expect(requestsFrom(mock, 'worker-a')).toBe(2);

    const [session] = await sandbox.sessionsList();
    expect(session).toMatchObject({ resumable: true, runCount: 1 });
    const before = await sandbox.showSession(session!.id);
    expect(before.runs.map((node) => [node.id, node.status])).toEqual([
      [ids.root, 'interrupted'],
      [ids.a, 'done'],
      [ids.b, 'interrupted'],
    ]);
    const plainList = await sandbox.run(['sessions', 'list']);
    expect(plainList.stdout).toContain(`[interrupted: moco resume ${session!.id}]`);

    workerBAnswers = true;
    const resumed = await sandbox.run(['resume']);

    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('Both files are written.');
    expect(requestsFrom(mock, 'worker-a')).toBe(2);
    expect(await readFile(path.join(sandbox.workspace, 'a.txt'), 'utf8')).toBe('a.txt\n');
    expect(await readFile(path.join(sandbox.workspace, 'b.txt'), 'utf8')).toBe('b.txt\n');
    // The orchestrator's last call has both answers; worker-a's is the stored one.
    const last = mock.chatRequests().filter((request) => agentOf(request) === 'orchestrator').at(-1);
    expect(last && turnOf(last)).toBe(1);
    expect(last && toolResults(last)).toEqual(['A wrote a.txt', 'B wrote b.txt']);

    const after = await sandbox.showSession(session!.id);
    expect(after.session.resumable).toBe(false);
    expect(after.runs.map((node) => [node.id, node.status])).toEqual([
      [ids.root, 'done'],
      [ids.a, 'done'],
      [ids.b, 'done'],
    ]);
    expect(after.runs[0]?.result).toBe('Both files are written.');
    expect(existsSync(path.join(sandbox.home, 'moco.db'))).toBe(true);
  });

  it('resumes the `@agent` lines of an answer killed in the middle, keeping the finished one', async () => {
    let workerBAnswers = false;
    const mock = await sandbox.startMock(
      teamScript({
        orchestrator: (_request, turn) => ({ content: turn === 0 ? '@worker-a write a.txt\n@worker-b write b.txt' : 'Both agents answered.' }),
        'worker-a': (_request, turn) => writeThenAnswer(turn, 'a.txt', 'A wrote a.txt'),
        'worker-b': (_request, turn) => (workerBAnswers ? writeThenAnswer(turn, 'b.txt', 'B wrote b.txt') : { latencyMs: NEVER_MS, content: 'too late' }),
      }),
    );

    const cli = sandbox.start(runTask('Split the work.', '--json'));
    await cli.waitFor(() => {
      const workerA = nodeIdOf(cli, 'worker-a');
      return eventsOfKind(cli.events(), 'runFinished').some((event) => event.runId === workerA) && requestsFrom(mock, 'worker-b') === 1;
    }, 'worker-a done and worker-b waiting for the model');
    cli.child.kill('SIGKILL');
    await cli.exited;

    workerBAnswers = true;
    const [session] = await sandbox.sessionsList();
    const resumed = await sandbox.run(['resume', session!.id]);

    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('Both agents answered.');
    expect(requestsFrom(mock, 'worker-a')).toBe(2);
    expect(requestsFrom(mock, 'orchestrator')).toBe(2);
    const last = mock.chatRequests().filter((request) => agentOf(request) === 'orchestrator').at(-1);
    expect(last?.lastUserOrToolMessage).toContain('## @worker-a\nA wrote a.txt');
    expect(last?.lastUserOrToolMessage).toContain('## @worker-b\nB wrote b.txt');
    const { runs } = await sandbox.showSession(session!.id);
    expect(runs.map((node) => [node.agent, node.status])).toEqual([
      ['orchestrator', 'done'],
      ['worker-a', 'done'],
      ['worker-b', 'done'],
    ]);
  });
});
