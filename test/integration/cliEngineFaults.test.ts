// Provider faults as a user of `moco run` meets them: a rate limit with Retry-After, a provider
// that keeps failing, a stream cut in the middle, malformed tool arguments, and a model that
// cannot call tools. The mock LLM speaks the real OpenAI wire format over real HTTP.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, eventsOfKind, lastLine, parseEvents, toolResults, type Sandbox } from '../support/cliHarness';
import { always, sequence } from '../support/mockLlm';
import { writeTeam } from '../support/teams';

const TEAM = 'solo';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
  await writeTeam(sandbox.profilesDir, { name: TEAM, agents: [{ name: 'orchestrator', tools: ['read_file', 'write_file'] }] });
});
afterEach(async () => {
  await sandbox.cleanup();
});

function runTask(task: string, ...flags: string[]): string[] {
  return ['run', '-p', TEAM, '-w', sandbox.workspace, ...flags, task];
}

describe('moco run: provider faults', () => {
  it('waits as a 429 Retry-After asks, then finishes', async () => {
    const mock = await sandbox.startMock(sequence([{ status: 429, headers: { 'retry-after': '1' } }, { content: 'Answer after the rate limit.' }]));

    const result = await sandbox.run(runTask('Say something.', '--json'));

    expect(result.code).toBe(0);
    const events = parseEvents(result.stdout);
    expect(eventsOfKind(events, 'retry')).toMatchObject([{ attempt: 2, delayMs: 1000, reason: expect.stringContaining('429') as unknown }]);
    expect(eventsOfKind(events, 'runFinished')).toMatchObject([{ status: 'done', result: 'Answer after the rate limit.' }]);
    expect(mock.chatRequests()).toHaveLength(2);
  });

  it('fails with exit 1 and one line that says the provider kept failing after repeated 500s', async () => {
    const mock = await sandbox.startMock(always({ status: 500 }));

    const result = await sandbox.run(runTask('Say something.'));

    expect(result.code).toBe(1);
    // The profile allows 3 attempts.
    expect(mock.chatRequests()).toHaveLength(3);
    const reason = lastLine(result.stderr);
    expect(reason).toMatch(/^moco: /);
    expect(reason).toContain(`OpenAI (${mock.baseURL}) kept failing`);
    expect(reason).toContain('HTTP 500: The server had an error while processing your request');
    expect(reason).toContain('after 3 attempts');
    expect(result.stdout).not.toContain('moco:');

    const [session] = await sandbox.sessionsList();
    const { runs } = await sandbox.showSession(session!.id);
    expect(runs).toMatchObject([{ agent: 'orchestrator', status: 'failed', error: { message: expect.stringContaining('kept failing') as unknown } }]);
  });

  it('retries a stream cut in the middle and does not take the partial text as the answer', async () => {
    const mock = await sandbox.startMock(
      sequence([
        { content: 'PARTIAL text that breaks off in the middle', contentChunks: 4, cutAfterChunks: 3 },
        { content: 'The complete answer.' },
      ]),
    );

    const result = await sandbox.run(runTask('Say something.', '--json'));

    expect(result.code).toBe(0);
    expect(mock.chatRequests()).toHaveLength(2);
    const events = parseEvents(result.stdout);
    // The first chunks did reach the user as text, and the retry says that they are void.
    expect(eventsOfKind(events, 'textDelta').map((event) => event.text).join('')).toContain('PARTIAL');
    expect(eventsOfKind(events, 'retry')).toMatchObject([{ attempt: 2, discardsPartialOutput: true }]);
    expect(eventsOfKind(events, 'runFinished')).toMatchObject([{ status: 'done', result: 'The complete answer.' }]);

    const [session] = await sandbox.sessionsList();
    const { runs } = await sandbox.showSession(session!.id);
    expect(runs.map((node) => [node.status, node.result])).toEqual([['done', 'The complete answer.']]);
  });

  it('gives the model an error naming the problem when its tool arguments are not valid JSON, and goes on', async () => {
    const mock = await sandbox.startMock(
      sequence([
        { toolCalls: [{ id: 'call_bad', name: 'write_file', arguments: '{"path": "out.txt", "content": "cut' }] },
        { content: 'I could not write the file.' },
      ]),
    );

    const result = await sandbox.run(runTask('Write out.txt.', '--json'));

    expect(result.code).toBe(0);
    const [, second] = mock.chatRequests();
    const [message] = second ? toolResults(second) : [];
    expect(message).toContain('The arguments of write_file are not valid JSON');
    expect(message).toContain('Send one JSON object');
    const events = parseEvents(result.stdout);
    expect(eventsOfKind(events, 'toolStarted')).toMatchObject([{ toolCallId: 'call_bad', name: 'write_file', arguments: '{"path": "out.txt", "content": "cut' }]);
    expect(eventsOfKind(events, 'toolFinished')).toMatchObject([{ toolCallId: 'call_bad', ok: false, summary: 'invalid arguments' }]);
    expect(eventsOfKind(events, 'runFinished')).toMatchObject([{ status: 'done', result: 'I could not write the file.' }]);
    expect(existsSync(path.join(sandbox.workspace, 'out.txt'))).toBe(false);
  });

  it('refuses a model that the model table says cannot call tools, before calling it', async () => {
    // llama3 on Ollama has no tool support in server/src/providers/modelTable.ts.
    const mock = await sandbox.startMock(always({ content: 'never asked' }));

    const result = await sandbox.run(runTask('Read README.md.', '-P', 'ollama/llama3'), {
      env: { OLLAMA_BASE_URL: mock.baseURL, OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
    });

    expect(result.code).toBe(1);
    const reason = lastLine(result.stderr);
    expect(reason).toMatch(/^moco: ollama\/llama3 cannot call tools, and agent orchestrator needs them\. Choose a model with tool support/);
    expect(reason).toContain(path.join(sandbox.profilesDir, TEAM, 'agents', 'orchestrator.md'));
    expect(mock.chatRequests()).toHaveLength(0);
  });
});
