/**
 * The agents' hands in a real VS Code (code-server): a command no policy rule covers waits for
 * approval on its tool card in the chat, runs in the bubblewrap sandbox once approved, an MCP
 * tool of the workspace's `.mcp.json` answers, the Agents view shows the MCP server ready with its
 * tools, and `MOCO: Show Command Audit Log` lists the decision. The provider is the mock
 * OpenAI-compatible server.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVERYTHING_ENTRY } from '../support/mcpServers';
import type { MockScript } from '../support/mockLlm';
import { taskOf, turnOf, writeTeam } from '../support/teams';
import { API_KEY, createGitWorkspace } from './support/e2eTeam';
import { screenshot } from './support/failure';
import { ChatPage, QuickInput, TreePane, widenSideBar } from './support/mocoViews';
import { releasesUnderTest } from './support/paths';
import { mockProviderSettings, useMockLlm } from './support/mockModel';
import { useVsCode } from './support/session';

const TEAM = 'tools-team';
const TASK = 'Check the project and say hello over MCP.';
/** `touch` has no built-in rule, so the command asks; echo and cat are allowed read-only. */
const COMMAND = 'touch checked.txt && echo "checked in $(basename "$PWD")" > checked.txt && cat checked.txt';

const script: MockScript = (request) => {
  if (!taskOf(request).includes(TASK)) return { content: 'Nothing to do.' };
  switch (turnOf(request)) {
    case 0:
      return { toolCalls: [{ id: 'call_shell', name: 'execute_bash', arguments: { command: COMMAND } }] };
    case 1:
      return { toolCalls: [{ id: 'call_mcp', name: 'everything__echo', arguments: { message: 'hello from the agent' } }] };
    default:
      return { content: 'The project is checked, and the MCP server answered.' };
  }
};

describe.each(releasesUnderTest())('tools, the command policy and MCP in VS Code $vscode (code-server $codeServer)', (release) => {
  const label = `tools-${release.codeServer}`;
  const openVsCode = useVsCode(label);
  const mock = useMockLlm(script);

  it('asks before a shell command on its card, runs it in the sandbox, calls an MCP tool, shows the server and the audit log', async () => {
    const workspace = await createGitWorkspace();
    const profiles = path.join(workspace, '.moco', 'profiles');
    await writeTeam(profiles, { name: TEAM, agents: [{ name: 'shell', tools: ['execute_bash', 'everything__echo'], mode: 'primary' }] });
    const profileYaml = path.join(profiles, TEAM, 'profile.yaml');
    await writeFile(profileYaml, `${await readFile(profileYaml, 'utf8')}mcp_servers:\n  - name: everything\n`);
    await writeFile(path.join(workspace, '.mcp.json'), JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'] } } }));

    const { workbench } = await openVsCode({
      release,
      workspace,
      copyWorkspace: false,
      settings: {
        ...mockProviderSettings(mock(), TEAM),
        'moco.sandbox.mode': 'bubblewrap',
      },
    });
    const page = workbench.page;
    const chat = new ChatPage(workbench);
    const agents = new TreePane(workbench, 'Agents');
    const quick = new QuickInput(page);
    await workbench.openMoco();
    await widenSideBar(page, 560);
    await workbench.connectedServerPid();
    await workbench.runCommand('MOCO: Set API Key');
    await quick.pick(/OpenAI/);
    await quick.type(API_KEY);

    // The command is covered by no rule: the card asks, with the command and the rule "always" adds.
    await chat.send(TASK);
    const root = chat.root(TASK);
    const approve = root.getByRole('button', { name: 'Approve' });
    await approve.waitFor({ timeout: 60_000 });
    await workbench.viewPaneHeader('Tasks').click(); // collapsed, to give the card room
    expect(await root.textContent()).toContain('checked.txt');
    await expect.poll(async () => (await agents.labels()).join('\n'), { timeout: 10_000 }).toMatch(/shell[^\n]*waiting for approval/i);
    await workbench.viewPaneHeader('Agents').click(); // collapsed, to show the whole card
    await screenshot(page, `${label}-1-approval`);
    await workbench.expandView('Agents');
    await approve.click();
    await chat.waitForRootStatus(TASK, 'done');
    expect(await readFile(path.join(workspace, 'checked.txt'), 'utf8')).toBe('checked in project\n');
    await expect.poll(() => chat.toolCards('done').count()).toBe(2);
    expect(await root.textContent()).toContain('The project is checked, and the MCP server answered.');
    // The MCP tool's answer reached the model.
    const last = mock().chatRequests().at(-1);
    expect((last?.body.messages ?? []).some((m) => m.role === 'tool' && typeof m.content === 'string' && m.content.includes('Echo: hello from the agent'))).toBe(true);
    await screenshot(page, `${label}-2-done`);

    // The Agents view: the MCP server, ready with its tools.
    await workbench.viewPaneHeader('Chat').click();
    await agents.expandAll();
    await expect.poll(async () => (await agents.labels()).join('\n'), { timeout: 15_000 }).toMatch(/^MCP server everything, ready, \d+ tools/m);
    await screenshot(page, `${label}-3-agents`);
    await workbench.expandView('Chat');

    // The audit log lists the decision: asked, approved.
    await workbench.runCommand('MOCO: Show Command Audit Log');
    await expect.poll(async () => (await page.locator('.monaco-editor .view-lines').first().textContent()) ?? '', { timeout: 15_000 }).toMatch(/execute_bash.*checked\.txt.*ask.*default.*approved/);
    // A read-only document, not an unsaved one.
    expect(await page.getByRole('tab', { name: /Command audit log|\.md/ }).first().textContent()).not.toContain('Untitled');
    await screenshot(page, `${label}-4-audit`);
  });
});
