// `moco chat` fed from a pipe: messages of one session, slash commands, and end of input.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../support/cliHarness';
import type { MockRequest } from '../support/mockLlm';
import { taskOf, teamScript, writeTeam } from '../support/teams';

const TEAM = 'solo';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
  await writeTeam(sandbox.profilesDir, { name: TEAM, agents: [{ name: 'orchestrator', tools: ['read_file'] }] });
});
afterEach(async () => {
  await sandbox.cleanup();
});

/** The user and assistant messages of a request, as `role: content`. */
function conversation(request: MockRequest): string[] {
  return (request.body.messages ?? []).filter((message) => message.role !== 'system').map((message) => `${message.role}: ${String(message.content)}`);
}

describe('moco chat from a pipe', () => {
  it('keeps two messages in one session, runs slash commands, and exits 0 at the end of input', async () => {
    const mock = await sandbox.startMock(
      teamScript({
        orchestrator: (request) => ({ content: taskOf(request) === 'What is two plus two?' ? 'It is four.' : 'You asked about two plus two.' }),
      }),
    );
    const input = ['What is two plus two?', '/workdir', 'What did I ask?', '/help', '/frobnicate', ''].join('\n');

    const result = await sandbox.run(['chat', '-p', TEAM, '-w', sandbox.workspace], { input });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('MOCO chat. /help for commands, /quit to leave.');
    expect(result.stdout).toContain('It is four.');
    expect(result.stdout).toContain('You asked about two plus two.');
    expect(result.stdout.split('\n')).toContain(sandbox.workspace);
    expect(result.stdout).toContain('Commands:');
    expect(result.stdout).toMatch(/\/workdir +print the working directory/);
    expect(result.stderr).toContain('Unknown command /frobnicate. Valid commands: /help, /cd, /workdir');

    const requests = mock.chatRequests();
    expect(requests).toHaveLength(2);
    // The second message is sent after the first turn, which it carries.
    expect(conversation(requests[1]!)).toEqual([
      'user: What is two plus two?',
      'assistant: It is four.',
      'user: What did I ask?',
    ]);

    const sessions = await sandbox.sessionsList();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ name: 'What is two plus two?', profile: TEAM, runCount: 2, workingDir: sandbox.workspace });
    const { runs } = await sandbox.showSession(sessions[0]!.id);
    expect(runs.map((node) => [node.task, node.status, node.result])).toEqual([
      ['What is two plus two?', 'done', 'It is four.'],
      ['What did I ask?', 'done', 'You asked about two plus two.'],
    ]);
  });

  it('starts a new session after /clear and changes directory with /cd', async () => {
    const mock = await sandbox.startMock(teamScript({ orchestrator: (request) => ({ content: `answer to ${taskOf(request)}` }) }));
    const input = ['first', '/clear', '/cd ..', '/workdir', 'second', '/quit', 'never sent'].join('\n');

    const result = await sandbox.run(['chat', '-p', TEAM, '-w', sandbox.workspace], { input });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Started a new session.');
    expect(result.stdout).toContain(`Working directory: ${sandbox.root}`);
    expect(mock.chatRequests().map((request) => taskOf(request))).toEqual(['first', 'second']);
    // The second session has no history of the first.
    expect(conversation(mock.chatRequests()[1]!)).toEqual(['user: second']);
    const sessions = await sandbox.sessionsList();
    expect(sessions.map((session) => [session.name, session.workingDir]).sort()).toEqual([
      ['first', sandbox.workspace],
      ['second', sandbox.root],
    ]);
  });
});
