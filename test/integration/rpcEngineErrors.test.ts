// Errors the editor's user meets, through the real server over JSON-RPC (Node IPC): wire errors
// with the codes of protocol/errors.ts and messages that say what to change (bad profile file,
// unknown profile or agent, no provider key, unknown session), and a provider that keeps failing,
// which ends the run `failed` with a RunError.
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { ProfilesListRequest } from '../../protocol/profiles';
import { SessionsGetRequest, SessionsListRequest } from '../../protocol/sessions';
import { always, startMockLlm, type MockLlm } from '../support/mockLlm';
import {
  makeWorkspace,
  mockEnv,
  serverEnv,
  startEngineServer,
  wireError,
  type EngineClient,
  type TestWorkspace,
} from '../support/rpcHarness';
import { writeTeam } from '../support/teams';

let workspace: TestWorkspace;
let mock: MockLlm;
let client: EngineClient | undefined;

beforeEach(async () => {
  workspace = await makeWorkspace();
  // Every model call fails: only the last test reaches the model.
  mock = await startMockLlm(always({ status: 500 }));
  await writeTeam(workspace.profilesDir, { name: 'squad', agents: [{ name: 'orchestrator', tools: ['delegate_to_agent'] }, { name: 'coder', tools: ['write_file'] }] });
});

afterEach(async () => {
  await client?.kill();
  client = undefined;
  await mock.close();
  await workspace.cleanup();
});

async function start(env = mockEnv(mock, workspace)): Promise<EngineClient> {
  client = await startEngineServer(workspace, env);
  return client;
}

describe('errors over JSON-RPC', () => {
  it('names the file and line of a bad agent file (ProfileInvalid)', async () => {
    const file = path.join(workspace.profilesDir, 'squad', 'agents', 'coder.md');
    await writeFile(file, ['---', 'description: Writes code', 'mode: main', 'tools:', '  - write_file', '---', 'You write code.', ''].join('\n'));
    const server = await start();

    const error = await wireError(server.send({ text: 'Build it', profile: 'squad' }));
    expect(error.code).toBe(MocoErrorCodes.ProfileInvalid);
    expect(error.message).toBe(`${file}:3: mode must be one of primary, chat, subagent, not "main". Write for example: mode: subagent`);
    const { errors } = await server.connection.sendRequest(ProfilesListRequest, {});
    expect(errors).toEqual([expect.objectContaining({ name: 'squad', file, line: 3 })]);
    // Nothing was started: no session was left behind.
    expect(await server.connection.sendRequest(SessionsListRequest)).toEqual([]);
  });

  it('lists the profiles found for an unknown profile (ProfileNotFound)', async () => {
    const server = await start();
    const error = await wireError(server.send({ text: 'Build it', profile: 'nope' }));
    expect(error.code).toBe(MocoErrorCodes.ProfileNotFound);
    expect(error.message).toContain('No profile named "nope".');
    expect(error.message).toMatch(/Profiles found: .*\bcode\b.*\bdefault\b.*\bdevelopment\b.*\bsquad\b/);
    expect(error.message).toContain(`${workspace.profilesDir} (MOCO_PROFILES_DIR)`);
  });

  it('lists the agents for an unknown @agent (UnknownAgent), and refuses an empty message or a missing folder (InvalidRequest)', async () => {
    const server = await start();
    const unknown = await wireError(server.send({ text: '@nobody fix the bug', profile: 'squad' }));
    expect(unknown.code).toBe(MocoErrorCodes.UnknownAgent);
    expect(unknown.message).toContain('No agent named "nobody" in profile "squad". Valid agents: ');
    expect(unknown.message).toMatch(/coder/);
    expect(unknown.message).toMatch(/orchestrator/);
    const empty = await wireError(server.send({ text: '   ', profile: 'squad' }));
    expect(empty.code).toBe(MocoErrorCodes.InvalidRequest);
    expect(empty.message).toContain('The message is empty');
    const missing = path.join(workspace.root, 'missing');
    const noDir = await wireError(server.send({ text: 'Build it', profile: 'squad', workingDir: missing }));
    expect(noDir).toMatchObject({ code: MocoErrorCodes.InvalidRequest, message: expect.stringContaining(`The working directory ${missing} does not exist`) as unknown });
  });

  it('names the variables to set when no provider is configured (ProviderNotConfigured)', async () => {
    const server = await start(serverEnv({ MOCO_PROFILES_DIR: workspace.profilesDir }));
    const error = await wireError(server.send({ text: 'Build it', profile: 'squad' }));
    expect(error.code).toBe(MocoErrorCodes.ProviderNotConfigured);
    // The editor's message names its command first, and the variables too.
    expect(error.message).toContain('"MOCO: Set API Key"');
    for (const variable of ['ZAI_API_KEY', 'OPENROUTER_API_KEY', 'GEMINI_API_KEY', 'OPENAI_API_KEY', 'OPENAI_BASE_URL']) {
      expect(error.message).toContain(variable);
    }
    expect(await server.connection.sendRequest(SessionsListRequest)).toEqual([]);
    expect(mock.chatRequests()).toEqual([]);
  });

  it('answers SessionNotFound for an unknown session, in sessions/get and chat/send', async () => {
    const server = await start();
    const get = await wireError(server.connection.sendRequest(SessionsGetRequest, { sessionId: 'no-such-session' }));
    expect(get).toMatchObject({ code: MocoErrorCodes.SessionNotFound, message: expect.stringContaining('No session no-such-session') as unknown });
    const send = await wireError(server.send({ sessionId: 'no-such-session', text: 'Hello' }));
    expect(send.code).toBe(MocoErrorCodes.SessionNotFound);
  });

  it('fails the run with ProviderUnavailable when the provider keeps answering 500', async () => {
    const server = await start();
    const { sessionId, runId } = await server.send({ text: 'Build it', profile: 'squad' });
    const finish = await server.finished(sessionId, runId);

    expect(finish.status).toBe('failed');
    expect(finish.result).toBeUndefined();
    expect(finish.error?.code).toBe(MocoErrorCodes.ProviderUnavailable);
    expect(finish.error?.message).toBe(
      `OpenAI (${mock.baseURL}) kept failing (HTTP 500: The server had an error while processing your request) after 3 attempts. ` +
        'Try again later, or choose another provider with --provider.',
    );
    // The profile's retry policy (3 attempts) was followed, and each retry was shown.
    expect(mock.chatRequests()).toHaveLength(3);
    expect(server.eventsOf(sessionId, 'retry').map((event) => event.attempt)).toEqual([2, 3]);
    expect(server.eventsOf(sessionId, 'textDelta')).toEqual([]);

    const detail = await server.connection.sendRequest(SessionsGetRequest, { sessionId });
    expect(detail.runs).toMatchObject([{ id: runId, status: 'failed', error: finish.error }]);
    expect(detail.session.resumable).toBe(false);
  });
});
