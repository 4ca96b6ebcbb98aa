// The providers a server started by the editor uses, over real JSON-RPC: API keys the client
// gives with secrets/get (kept in memory only), a base URL from the settings, and the editor's
// language models (vscode-lm) through lm/chat with streamed $/progress partials.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretsDidChangeNotification } from '../../protocol/editor';
import { MocoErrorCodes } from '../../protocol/errors';
import { RunCancelRequest } from '../../protocol/run';
import { SessionsGetRequest } from '../../protocol/sessions';
import { always, startMockLlm, type MockLlm } from '../support/mockLlm';
import {
  joinedText,
  makeWorkspace,
  serverEnv,
  startEngineServer,
  waitUntil,
  wireError,
  type EngineClient,
  type TestWorkspace,
} from '../support/rpcHarness';
import { writeTeam } from '../support/teams';

let workspace: TestWorkspace;
let mock: MockLlm;
const servers: EngineClient[] = [];

beforeEach(async () => {
  workspace = await makeWorkspace();
  mock = await startMockLlm(always({ content: 'Hello from the mock.' }));
  await writeTeam(workspace.profilesDir, { name: 'solo', agents: [{ name: 'orchestrator', tools: ['write_file'] }] });
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.kill();
  await mock.close();
  await workspace.cleanup();
});

/** A server with no provider key in its environment. */
async function startServer(extra: Record<string, string> = {}): Promise<EngineClient> {
  const server = await startEngineServer(workspace, serverEnv({ MOCO_PROFILES_DIR: workspace.profilesDir, ...extra }));
  servers.push(server);
  return server;
}

/** The bytes of the database and its WAL, as one text, to search for a key. */
async function databaseText(): Promise<string> {
  const parts = await Promise.all(
    ['moco.db', 'moco.db-wal'].map((name) => readFile(path.join(workspace.storagePath, name)).catch(() => Buffer.alloc(0))),
  );
  return Buffer.concat(parts).toString('latin1');
}

describe('API keys from the editor (secrets/get)', () => {
  it('asks the client for the missing keys, sends its key to the provider, and stores it nowhere', async () => {
    const server = await startServer({ OPENROUTER_BASE_URL: mock.baseURL });
    const keys: Record<string, string> = { openrouter: 'sk-or-editor-4242', gemini: 'unused-gemini-key' };
    const asked = server.answerSecrets(keys);

    const first = await server.send({ text: 'Say hello', profile: 'solo', provider: 'openrouter' });
    expect(await server.finished(first.sessionId, first.runId)).toMatchObject({ status: 'done', result: 'Hello from the mock.' });
    expect(asked).toEqual([{ providers: ['zai', 'openrouter', 'gemini', 'openai', 'ollama', 'lmstudio', 'custom'] }]);
    expect(mock.chatRequests()[0]?.headers.authorization).toBe('Bearer sk-or-editor-4242');

    // The answer is kept: the next run does not ask again.
    const second = await server.send({ sessionId: first.sessionId, text: 'Again', provider: 'openrouter' });
    await server.finished(first.sessionId, second.runId);
    expect(asked).toHaveLength(1);

    // The user sets another key: the server forgets the keys and asks again.
    keys.openrouter = 'sk-or-editor-9999';
    await server.connection.sendNotification(SecretsDidChangeNotification, { provider: 'openrouter' });
    const third = await server.send({ sessionId: first.sessionId, text: 'Once more', provider: 'openrouter' });
    await server.finished(first.sessionId, third.runId);
    expect(asked).toHaveLength(2);
    expect(mock.chatRequests().at(-1)?.headers.authorization).toBe('Bearer sk-or-editor-9999');

    await server.kill();
    const stored = await databaseText();
    expect(stored).toContain('Once more');
    for (const key of ['sk-or-editor-4242', 'sk-or-editor-9999', 'unused-gemini-key']) {
      expect(stored).not.toContain(key);
      expect(server.server.stderr()).not.toContain(key);
    }
  });

  it('fails with ProviderNotConfigured naming "MOCO: Set API Key" when the client has no key (or no handler)', async () => {
    const server = await startServer({ OPENROUTER_BASE_URL: mock.baseURL });
    const withoutHandler = await wireError(server.send({ text: 'Say hello', profile: 'solo', provider: 'openrouter' }));
    expect(withoutHandler.code).toBe(MocoErrorCodes.ProviderNotConfigured);
    expect(withoutHandler.message).toContain('run "MOCO: Set API Key"');

    const asked = server.answerSecrets({});
    // The client now answers: the server was told that keys changed, so it asks.
    await server.connection.sendNotification(SecretsDidChangeNotification, { provider: 'openrouter' });
    const noKey = await wireError(server.send({ text: 'Say hello', profile: 'solo', provider: 'openrouter' }));
    expect(noKey.code).toBe(MocoErrorCodes.ProviderNotConfigured);
    expect(asked).toHaveLength(1);
    expect(mock.chatRequests()).toEqual([]);
  });
});

describe('a base URL from the settings (ChatSendParams.baseURL)', () => {
  it('routes the custom provider to it without a URL as provider name, and the session keeps it', async () => {
    const server = await startServer();
    const first = await server.send({ text: 'Say hello', profile: 'solo', provider: 'custom', model: 'mock-model', baseURL: mock.baseURL });
    expect(await server.finished(first.sessionId, first.runId)).toMatchObject({ status: 'done', result: 'Hello from the mock.' });
    expect(mock.chatRequests()).toHaveLength(1);
    expect(mock.chatRequests()[0]?.body.model).toBe('mock-model');

    // A later send that names no provider goes to the same endpoint.
    const second = await server.send({ sessionId: first.sessionId, text: 'Again' });
    expect(await server.finished(first.sessionId, second.runId)).toMatchObject({ status: 'done' });
    expect(mock.chatRequests()).toHaveLength(2);
    const detail = await server.connection.sendRequest(SessionsGetRequest, { sessionId: first.sessionId });
    expect(detail.session).toMatchObject({ model: 'custom/mock-model', kind: 'chat' });
  });
});

describe('the VS Code language models (vscode-lm, lm/chat)', () => {
  it('streams the partials as text, runs the tool call of the result, and counts no cost', async () => {
    const server = await startServer();
    const asked = server.answerLmChat(async (params, progress) => {
      const turn = params.messages.filter((message) => message.role === 'assistant').length;
      if (turn === 0) {
        await progress('I will write ');
        await progress('the notes.');
        return {
          text: 'I will write the notes.',
          toolCalls: [{ id: 'call_lm_1', type: 'function', function: { name: 'write_file', arguments: JSON.stringify({ path: 'notes.txt', content: 'from vscode.lm\n' }) } }],
          finishReason: 'tool_calls',
          usage: { inputTokens: 120, outputTokens: 30 },
        };
      }
      await progress('Wrote ');
      await progress('notes.txt.');
      return { text: 'Wrote notes.txt.', toolCalls: [], finishReason: 'stop' };
    });

    const { sessionId, runId } = await server.send({ text: 'Write the notes', profile: 'solo', provider: 'vscode-lm', model: 'copilot-gpt-4o' });
    expect(await server.finished(sessionId, runId)).toMatchObject({ status: 'done', result: 'Wrote notes.txt.' });
    const events = server.events(sessionId);
    expect(joinedText(events, runId, 'textDelta')).toBe('I will write the notes.Wrote notes.txt.');
    expect(server.eventsOf(sessionId, 'toolFinished')).toMatchObject([{ toolCallId: 'call_lm_1', name: 'write_file', ok: true }]);
    expect(await readFile(path.join(workspace.dir, 'notes.txt'), 'utf8')).toBe('from vscode.lm\n');
    expect(server.eventsOf(sessionId, 'warning')).toEqual([]);
    const usage = server.eventsOf(sessionId, 'usage').at(-1)!.treeUsage;
    expect(usage.inputTokens).toBeGreaterThan(120);
    expect(usage.costUsd).toBe(0);

    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatchObject({ model: 'copilot-gpt-4o', messages: [{ role: 'system' }, { role: 'user', content: 'Write the notes' }] });
    expect(asked[0]?.tools.map((tool) => tool.function.name)).toContain('write_file');
    expect(typeof asked[0]?.partialResultToken).toBe('string');
    expect(asked[1]?.partialResultToken).not.toBe(asked[0]?.partialResultToken);
    expect(asked[1]?.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_lm_1' });
    const detail = await server.connection.sendRequest(SessionsGetRequest, { sessionId });
    expect(detail.runs[0]).toMatchObject({ provider: 'vscode-lm', model: 'copilot-gpt-4o' });
    expect(mock.requests).toEqual([]);
  });

  it('cancels the lm/chat request with $/cancelRequest when the run is cancelled', async () => {
    const server = await startServer();
    let cancelRequested = false;
    server.answerLmChat(async (_params, progress, token) => {
      await progress('Thinking about it');
      await new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
      cancelRequested = true;
      throw new ResponseError(-32800, 'The request was cancelled.');
    });
    const { sessionId, runId } = await server.send({ text: 'Take your time', profile: 'solo', provider: 'vscode-lm/copilot-gpt-4o' });
    await server.waitForEvent(sessionId, 'textDelta', (event) => event.text.includes('Thinking'));
    expect(await server.connection.sendRequest(RunCancelRequest, { runId })).toEqual({ cancelled: true });
    expect(await server.finished(sessionId, runId)).toMatchObject({ status: 'cancelled' });
    await waitUntil(() => cancelRequested, 'the $/cancelRequest of lm/chat');
  });

  it('says that the client offers no language models when it has no lm/chat handler', async () => {
    const server = await startServer();
    const { sessionId, runId } = await server.send({ text: 'Hello', profile: 'solo', provider: 'vscode-lm/copilot-gpt-4o' });
    const finished = await server.finished(sessionId, runId);
    expect(finished).toMatchObject({ status: 'failed', error: { code: MocoErrorCodes.ProviderNotConfigured } });
    expect(finished.error?.message).toContain('does not offer the VS Code language models');
  });
});
