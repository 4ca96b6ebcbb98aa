/**
 * The main job in a real VS Code (code-server): a developer gives the team a task in the Chat
 * view, watches the orchestrator delegate to three writers at once (one delegating again), sees
 * the tool cards and the answer stream in, finds every agent done in the Agents view, stops a long
 * run, approves a write from the chat, reloads the window and finds the session again, and runs a
 * task in the background from the palette. The provider is the mock OpenAI-compatible server, set
 * through settings, with its key typed into `MOCO: Set API Key`.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  APPROVAL_TASK,
  BACKGROUND_TASK,
  createGitWorkspace,
  DELEGATION_TASK,
  e2eScript,
  FILES,
  LONG_TASK,
  SUMMARY,
  TEAM,
} from './support/e2eTeam';
import { screenshot } from './support/failure';
import { ChatPage, QuickInput, TreePane, widenSideBar } from './support/mocoViews';
import { releasesUnderTest } from './support/paths';
import { mockProviderSettings, useMockLlm } from './support/mockModel';
import { useVsCode } from './support/session';

describe.each(releasesUnderTest())('the chat, the Agents and Tasks views in VS Code $vscode (code-server $codeServer)', (release) => {
  const label = `chat-${release.codeServer}`;
  const openVsCode = useVsCode(label);
  const mock = useMockLlm(e2eScript);

  it('runs a team from the chat, stops, approves, survives a reload and runs a background task', async () => {
    const workspace = await createGitWorkspace();
    const { workbench } = await openVsCode({
      release,
      workspace,
      copyWorkspace: false,
      settings: mockProviderSettings(mock(), TEAM),
    });
    const page = workbench.page;
    const chat = new ChatPage(workbench);
    const agents = new TreePane(workbench, 'Agents');
    const tasks = new TreePane(workbench, 'Tasks');
    const quick = new QuickInput(page);
    await workbench.openMoco();
    await widenSideBar(page, 520);
    await workbench.connectedServerPid();
    await screenshot(page, `${label}-1-empty`);

    // The key goes through MOCO: Set API Key into SecretStorage.
    await workbench.runCommand('MOCO: Set API Key');
    await quick.pick(/OpenAI/);
    await quick.type(API_KEY);

    // The team works: text streams, tool cards appear and complete, the answer shows.
    await chat.send(DELEGATION_TASK);
    await chat.toolCards().first().waitFor({ timeout: 30_000 });
    // The summary streams in 12 pieces: part of it shows while the run is still running.
    await chat.rootWithStatus(DELEGATION_TASK, 'running').filter({ hasText: 'All four files' }).waitFor({ timeout: 60_000 });
    await screenshot(page, `${label}-2-streaming`);
    await chat.waitForRootStatus(DELEGATION_TASK, 'done');
    expect(await chat.root(DELEGATION_TASK).textContent()).toContain(SUMMARY);
    // The orchestrator's 3 delegations, writer-a's write and delegation, and the writes of
    // writer-b, writer-c and the helper: 8 tool calls, all done.
    await expect.poll(() => chat.toolCards('done').count()).toBe(8);
    expect(await chat.toolCards('failed').count()).toBe(0);
    await screenshot(page, `${label}-3-done`);
    // The whole transcript, with the delegations opened (the README's picture of the chat).
    await workbench.viewPaneHeader('Agents').click();
    await workbench.viewPaneHeader('Tasks').click();
    await screenshot(page, `${label}-3-chat`);
    await workbench.expandView('Agents');
    await workbench.expandView('Tasks');

    // The files are on disk.
    for (const file of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) {
      expect(await readFile(path.join(workspace, file), 'utf8')).toBe(FILES[file]);
    }

    // The Agents view shows every node of the tree done, with tokens.
    await workbench.expandView('Agents');
    // Chat and Tasks collapsed, to give the tree room (its rows out of view are not rendered).
    await workbench.viewPaneHeader('Chat').click();
    await workbench.viewPaneHeader('Tasks').click();
    await agents.expandAll();
    for (const agent of ['orchestrator', 'writer-a', 'writer-b', 'writer-c', 'helper']) {
      // A run's accessible label: "writer-a, done, gpt-4o-mini, 341 tokens, …".
      await expect.poll(async () => (await agents.labels()).join('\n'), { timeout: 15_000 }).toMatch(new RegExp(`^${agent}, done, gpt-4o-mini, [1-9]\\d* tokens`, 'm'));
    }
    await screenshot(page, `${label}-4-agents`);
    await workbench.expandView('Chat');

    // Stop cancels a long run within 1 s, and the tree shows it cancelled.
    await chat.send(LONG_TASK);
    await chat.root(LONG_TASK).filter({ hasText: 'Thinking…' }).waitFor({ timeout: 30_000 });
    await chat.stopButton().click();
    await chat.waitForRootStatus(LONG_TASK, 'cancelled', 1_000);
    await expect.poll(async () => (await agents.labels()).join('\n'), { timeout: 5_000 }).toMatch(/orchestrator[^\n]*cancelled/);
    await screenshot(page, `${label}-5-stopped`);

    // A write that needs approval waits, shows as waiting in the tree, and is approved from the chat.
    await writeFile(path.join(workspace, '.env'), 'MOCO_REQUIRE_APPROVAL=write_file\n');
    await chat.send(APPROVAL_TASK);
    const approve = chat.root('approved.txt').getByRole('button', { name: 'Approve' });
    await approve.waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await agents.labels()).join('\n'), { timeout: 10_000 }).toMatch(/writer-b[^\n]*waiting for approval/i);
    await screenshot(page, `${label}-6-approval`);
    await approve.click();
    await chat.waitForRootStatus('approved.txt', 'done');
    expect(await readFile(path.join(workspace, 'approved.txt'), 'utf8')).toBe(FILES['approved.txt']);
    // A background task cannot ask: its calls that need approval are denied. This one needs none.
    await rm(path.join(workspace, '.env'));

    // After Developer: Reload Window, the session's history is back in the chat and the tree.
    await workbench.runCommand('Developer: Reload Window');
    await workbench.ready();
    await workbench.openMoco();
    await chat.waitForRootStatus(DELEGATION_TASK, 'done', 60_000);
    expect(await chat.root(DELEGATION_TASK).textContent()).toContain(SUMMARY);
    await chat.waitForRootStatus(LONG_TASK, 'cancelled', 10_000);
    await screenshot(page, `${label}-7-reloaded`);
    await workbench.expandView('Agents');
    await workbench.viewPaneHeader('Chat').click();
    await agents.expandAll();
    await expect.poll(async () => (await agents.labels()).join('\n'), { timeout: 15_000 }).toMatch(/^helper, done/m);
    await screenshot(page, `${label}-8-reloaded-agents`);
    await workbench.expandView('Chat');

    // A background task from the palette appears in the Tasks view and finishes, with a notification.
    await workbench.runCommand('MOCO: Run Task in Background…');
    await quick.type(BACKGROUND_TASK);
    await workbench.expandView('Tasks');
    await workbench.viewPaneHeader('Agents').click(); // collapsed, to give the tasks room
    await tasks.row(BACKGROUND_TASK).waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await tasks.labels()).join('\n'), { timeout: 60_000 }).toMatch(/Write the background report[^\n]*done/);
    await workbench.notification(/Task finished/).waitFor({ timeout: 15_000 });
    expect(await readFile(path.join(workspace, 'report.txt'), 'utf8')).toBe(FILES['report.txt']);
    await screenshot(page, `${label}-9-task`);

    // The key reached the mock and nothing else did: every request carried it.
    expect(mock().chatRequests().every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
  });
});
