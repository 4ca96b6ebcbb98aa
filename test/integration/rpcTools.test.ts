// The tools through the real server over JSON-RPC, as the editor drives them: the server asks for
// the tool settings (settings/get: bubblewrap, the user's policy rules), a command no rule covers
// waits for approval on its tool card, "always" allows its prefix for the session only, a denied
// command never runs, the decisions come back from audit/list, the MCP servers' status from
// mcp/status and mcp/didChange (only the servers the profile gives are started), and a workspace
// profile cannot allow what it wants.
import { access, mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditListRequest } from '../../protocol/audit';
import { McpDidChangeNotification, McpRestartRequest, McpStatusRequest, type McpServerStatus } from '../../protocol/mcp';
import { ApprovalRespondRequest } from '../../protocol/run';
import { DEFAULT_TOOL_SETTINGS, SettingsGetRequest, type ToolSettings } from '../../protocol/settings';
import { EVERYTHING_ENTRY } from '../support/mcpServers';
import { startMockLlm, type MockLlm } from '../support/mockLlm';
import { makeWorkspace, mockEnv, startEngineServer, waitUntil, wireError, type EngineClient, type TestWorkspace } from '../support/rpcHarness';
import { taskOf, teamScript, type AgentHandler } from '../support/teams';

let workspace: TestWorkspace;
let mock: MockLlm;
let client: EngineClient;
let settingsAsked = 0;
const mcpChanges: McpServerStatus[][] = [];

/** Each task is a list of shell commands, one per line: one execute_bash call per turn, then "Done.". */
const shellAgent: AgentHandler = (request, turn) => {
  const command = taskOf(request).split('\n')[turn];
  return command === undefined ? { content: 'Done.' } : { toolCalls: [{ id: `call_${turn}`, name: 'execute_bash', arguments: { command } }] };
};

beforeEach(async () => {
  workspace = await makeWorkspace();
  mock = await startMockLlm(teamScript({ shell: shellAgent }));
  const profile = path.join(workspace.dir, '.moco', 'profiles', 'shell-team');
  await mkdir(path.join(profile, 'agents'), { recursive: true });
  // A profile inside the workspace: agents can write it, so its allow rules must not count.
  await writeFile(
    path.join(profile, 'profile.yaml'),
    'name: shell-team\ndescription: shell\nmcp_servers:\n  - name: everything\npolicy:\n  rules:\n    "touch*": allow\n    "git push*": deny\n',
  );
  await writeFile(path.join(profile, 'agents', 'shell.md'), '---\ndescription: runs commands\nmode: primary\ntools: [execute_bash]\n---\n[agent:shell] You run commands.\n');
  // `unused` is not given to the profile: it must never start (it would leave a marker file).
  const marker = `require('fs').writeFileSync(${JSON.stringify(path.join(workspace.dir, 'unused-started'))}, 'x')`;
  await writeFile(
    path.join(workspace.dir, '.mcp.json'),
    JSON.stringify({
      mcpServers: {
        everything: { command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'] },
        unused: { command: process.execPath, args: ['-e', marker] },
      },
    }),
  );
  client = await startEngineServer(workspace, mockEnv(mock, workspace));
  settingsAsked = 0;
  mcpChanges.length = 0;
  const settings: ToolSettings = { ...DEFAULT_TOOL_SETTINGS, sandbox: { ...DEFAULT_TOOL_SETTINGS.sandbox, mode: 'bubblewrap' }, policyRules: { 'mkdir*': 'allow' } };
  client.connection.onRequest(SettingsGetRequest, () => {
    settingsAsked += 1;
    return settings;
  });
  client.connection.onNotification(McpDidChangeNotification, ({ servers }) => {
    mcpChanges.push(servers);
  });
});

afterEach(async () => {
  await client.kill();
  await mock.close();
  await workspace.cleanup();
});

const exists = (file: string): Promise<boolean> =>
  access(path.join(workspace.dir, file)).then(
    () => true,
    () => false,
  );

describe('tools over JSON-RPC', () => {
  it('asks on the tool card for a command no rule allows; "always" covers that program for the session; deny rules hold', async () => {
    const task = ['mkdir -p out', 'touch one.txt', 'touch two.txt', 'git push origin feature'].join('\n');
    const started = await client.send({ text: task, profile: 'shell-team' });
    // touch: the profile's allow is ignored (it lives in the workspace), so the default asks.
    const asked = await client.waitForEvent(started.sessionId, 'approvalRequested');
    expect(asked).toMatchObject({ name: 'execute_bash', toolCallId: 'call_1', arguments: { command: 'touch one.txt' } });
    expect(asked.reason).toContain('"Always allow" allows "touch*" for this session.');
    await client.connection.sendRequest(ApprovalRespondRequest, { approvalId: asked.approvalId, decision: 'always' });
    const finished = await client.finished(started.sessionId, started.runId);
    expect(finished.status).toBe('done');
    expect(client.eventsOf(started.sessionId, 'approvalRequested')).toHaveLength(1);
    expect(await exists('out')).toBe(true);
    expect(await exists('one.txt')).toBe(true);
    expect(await exists('two.txt')).toBe(true);
    expect(settingsAsked).toBe(1);

    const { entries } = await client.connection.sendRequest(AuditListRequest, { sessionId: started.sessionId });
    expect(entries.map((e) => [e.command, e.decision, e.outcome, e.rule])).toEqual([
      ['git push origin feature', 'deny', 'denied', '"git push*" (profile)'],
      ['touch two.txt', 'allow', 'allowed', '"touch*" (session)'],
      ['touch one.txt', 'ask', 'approved', 'default'],
      ['mkdir -p out', 'allow', 'allowed', '"mkdir*" (settings)'],
    ]);
    expect(entries.every((e) => e.agent === 'shell' && e.tool === 'execute_bash')).toBe(true);
  });

  it('a refused command never runs, and the model reads why', async () => {
    const started = await client.send({ text: 'touch refused.txt', profile: 'shell-team' });
    const asked = await client.waitForEvent(started.sessionId, 'approvalRequested');
    await client.connection.sendRequest(ApprovalRespondRequest, { approvalId: asked.approvalId, decision: 'deny' });
    await client.finished(started.sessionId, started.runId);
    expect(await exists('refused.txt')).toBe(false);
    const last = mock.chatRequests().at(-1);
    const tool = (last?.body.messages ?? []).find((m) => m.role === 'tool');
    expect(String(tool?.content)).toMatch(/^The command was not run: the user refused to run it/);
    const { entries } = await client.connection.sendRequest(AuditListRequest, { sessionId: started.sessionId });
    expect(entries.map((e) => e.outcome)).toEqual(['rejected']);
  });

  it('reports the MCP servers: ready with their tools, by mcp/status and mcp/didChange; restart answers the new status; unknown names are refused', async () => {
    const started = await client.send({ text: 'echo hi', profile: 'shell-team' });
    await client.finished(started.sessionId, started.runId);
    const { servers } = await client.connection.sendRequest(McpStatusRequest);
    expect(servers).toEqual([expect.objectContaining({ name: 'everything', source: '.mcp.json', transport: 'stdio', state: 'ready' })]);
    // A server the profile does not give is a name in the prompt, never a process.
    expect(await exists('unused-started')).toBe(false);
    expect(mock.chatRequests()[0]?.systemPrompt).toContain('not given to you (you cannot call them): unused.');
    expect(servers[0]!.toolCount).toBeGreaterThan(3);
    expect(mcpChanges.some((list) => list[0]?.state === 'starting')).toBe(true);
    const restarted = await client.connection.sendRequest(McpRestartRequest, { name: 'everything' });
    expect(restarted).toMatchObject({ name: 'everything', state: 'ready', restarts: 1 });
    await waitUntil(() => mcpChanges.at(-1)?.[0]?.restarts === 1, 'the restart in mcp/didChange');
    const error = await wireError(client.connection.sendRequest(McpRestartRequest, { name: 'nowhere' }));
    expect(error.message).toContain('No MCP server named "nowhere"');
  });
});
