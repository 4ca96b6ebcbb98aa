// MOCO's run flags on the real `moco run` process: -m, -c, -s, --new, --no-stream, -v, and the
// working directory taken from the current one. Each run is a fresh process on the same database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, lastLine, type Sandbox } from '../support/cliHarness';
import type { MockRequest } from '../support/mockLlm';
import { agentOf, taskOf, teamScript, writeTeam } from '../support/teams';

const TEAM = 'team';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
  await writeTeam(sandbox.profilesDir, {
    name: TEAM,
    agents: [
      { name: 'orchestrator', tools: ['delegate_to_agent'] },
      { name: 'helper', tools: ['read_file'] },
    ],
  });
});
afterEach(async () => {
  await sandbox.cleanup();
});

/** The user and assistant messages of a request, as `role: content`. */
function conversation(request: MockRequest | undefined): string[] {
  return (request?.body.messages ?? []).filter((message) => message.role !== 'system').map((message) => `${message.role}: ${String(message.content)}`);
}

describe('moco run: flags', () => {
  it('continues a session with -c and -s, starts a new one with --new, and keeps the model of -m', async () => {
    const mock = await sandbox.startMock(teamScript({ orchestrator: (request) => ({ content: `Answer to ${taskOf(request)}.` }) }));

    const first = await sandbox.run(['run', '-p', TEAM, '-m', 'gpt-4o', 'one']);
    expect(first.code).toBe(0);
    const [session] = await sandbox.sessionsList();
    // Without -w the working directory is the current one.
    expect(session).toMatchObject({ name: 'one', profile: TEAM, model: 'openai/gpt-4o', workingDir: sandbox.workspace });

    const second = await sandbox.run(['run', '-c', 'two']);
    expect(second.code).toBe(0);
    const third = await sandbox.run(['run', '-s', session!.id, '--no-stream', 'three']);
    expect(third.code).toBe(0);
    // --no-stream prints the whole answer on a line of its own.
    expect(third.stdout.split('\n')).toContain('Answer to three.');

    const requests = mock.chatRequests();
    expect(requests.map((request) => request.body.model)).toEqual(['gpt-4o', 'gpt-4o', 'gpt-4o']);
    expect(conversation(requests[2])).toEqual(['user: one', 'assistant: Answer to one.', 'user: two', 'assistant: Answer to two.', 'user: three']);

    const fourth = await sandbox.run(['run', '--new', '-p', TEAM, 'four']);
    expect(fourth.code).toBe(0);
    expect(conversation(mock.chatRequests()[3])).toEqual(['user: four']);
    const sessions = await sandbox.sessionsList();
    expect(sessions.map((listed) => [listed.name, listed.runCount]).sort()).toEqual([
      ['four', 1],
      ['one', 3],
    ]);
  });

  it('fails with exit 1 and says how to list sessions when -s names no session', async () => {
    await sandbox.startMock(teamScript({}));

    const result = await sandbox.run(['run', '-s', 'no-such-session', 'hello']);

    expect(result.code).toBe(1);
    expect(lastLine(result.stderr)).toBe('moco: No session no-such-session. List the sessions with "moco sessions list" or sessions/list.');
  });

  it("shows sub-agents' text with -v only", async () => {
    const mock = await sandbox.startMock(
      teamScript({
        orchestrator: (_request, turn) =>
          turn === 0 ? { toolCalls: [{ name: 'delegate_to_agent', arguments: { agent_name: 'helper', task: 'Say hello.' } }] } : { content: 'The helper said hello.' },
        helper: () => ({ content: 'Hello from the helper.' }),
      }),
    );

    const quiet = await sandbox.run(['run', '-p', TEAM, 'Ask the helper.']);
    const verbose = await sandbox.run(['run', '-p', TEAM, '-v', 'Ask the helper.']);

    expect([quiet.code, verbose.code]).toEqual([0, 0]);
    expect(mock.chatRequests().filter((request) => agentOf(request) === 'helper')).toHaveLength(2);
    expect(quiet.stdout).toContain('[helper] started');
    expect(quiet.stdout).not.toContain('Hello from the helper.');
    expect(verbose.stdout).toContain('[helper] │ Hello from the helper.');
    expect(verbose.stdout).toContain('[helper] started (openai/gpt-4.1-mini): Say hello.');
    for (const output of [quiet.stdout, verbose.stdout]) expect(output).toContain('The helper said hello.');
  });
});
