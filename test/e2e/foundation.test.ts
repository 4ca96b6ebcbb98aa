/**
 * The foundation in a real VS Code (code-server), on every release of
 * `code-server-releases.json`: the VSIX installs, the MOCO container shows Chat (connected to the
 * server), Agents (the default profile's agents) and Tasks (its empty state), the status command
 * works, a killed server comes back by itself, and one that keeps crashing is left stopped until
 * the user restarts it.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../support/repo';
import { screenshot } from './support/failure';
import { findMocoLog } from './support/logs';
import { fixtureWorkspace, releasesUnderTest } from './support/paths';
import { useVsCode } from './support/session';

const pkg = readManifest();

describe.each(releasesUnderTest())('MOCO in VS Code $vscode (code-server $codeServer)', (release) => {
  const label = `foundation-${release.codeServer}`;
  const openVsCode = useVsCode(label);

  it('shows the connected server, the profile in Agents, empty Tasks, its status, and recovers from crashes', async () => {
    const { server, workbench } = await openVsCode({ release, workspace: fixtureWorkspace });

    // The MOCO container opens from the activity bar with its three views.
    await workbench.openMoco();
    for (const title of ['Chat', 'Agents', 'Tasks']) {
      await expect.poll(() => workbench.viewPaneHeader(title).count(), { timeout: 10_000 }).toBe(1);
    }

    // Chat shows the server's answer to server/health: version and pid.
    const pid = await workbench.connectedServerPid();
    const chatText = await workbench.chat().getByRole('region', { name: 'MOCO server connection' }).textContent();
    expect(chatText).toContain(`Connected to MOCO server ${pkg.version}`);
    expect(chatText).toMatch(/Node v\d+\.\d+\.\d+/);

    // Agents shows the bundled default profile's agents (the workspace has none of its own);
    // Tasks shows its empty state.
    await workbench.expandView('Agents');
    await workbench.expandView('Tasks');
    await workbench.viewPane('Agents').getByRole('treeitem', { name: /^Profile default/ }).waitFor({ timeout: 10_000 });
    await workbench.viewPane('Agents').getByRole('treeitem', { name: /^Agent orchestrator, entry agent/ }).waitFor({ timeout: 10_000 });
    await workbench.viewPane('Tasks').getByText('No background tasks.').waitFor({ timeout: 10_000 });

    // The status bar item says the server is ready.
    await workbench.statusBarItem().filter({ hasText: 'MOCO' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => workbench.statusBarItem().getAttribute('aria-label')).toContain(`pid ${pid}`);
    await screenshot(workbench.page, `${label}-connected`);

    // MOCO: Show Server Status shows version, uptime, pid, Node version and storage path.
    await workbench.runCommand('MOCO: Show Server Status');
    const dialog = workbench.dialog('MOCO server is ready');
    await dialog.waitFor({ timeout: 10_000 });
    const status = (await dialog.textContent()) ?? '';
    expect(status).toContain('MOCO server is ready');
    expect(status).toContain(`Version: ${pkg.version}`);
    expect(status).toContain(`Process id: ${pid}`);
    expect(status).toMatch(/Uptime: \d+ (s|min)/);
    expect(status).toMatch(/Node\.js: v\d+\.\d+\.\d+/);
    expect(status).toMatch(/Storage: \/\S+/);
    await screenshot(workbench.page, `${label}-status`);
    await workbench.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });

    // Kill the server: it comes back with a new pid, the Chat view reconnects by itself, and the
    // MOCO output channel says what happened.
    process.kill(pid, 'SIGKILL');
    const newPid = await workbench.connectedServerPid({ otherThan: pid });
    expect(() => process.kill(newPid, 0)).not.toThrow();
    await expect.poll(() => workbench.statusBarItem().getAttribute('aria-label')).toContain(`pid ${newPid}`);
    const mocoLog = async (): Promise<string> => readFile(await findMocoLog(server.userDataDir), 'utf8');
    await expect.poll(mocoLog, { timeout: 10_000 }).toContain('The MOCO server stopped unexpectedly; restarting it.');
    await expect.poll(mocoLog, { timeout: 10_000 }).toContain(`Connected to MOCO server ${pkg.version} (pid ${newPid}`);
    await screenshot(workbench.page, `${label}-reconnected`);

    // A server that keeps crashing is restarted 4 times in 3 minutes, then left stopped, with the
    // reason and a Restart Server button that brings it back.
    let current = newPid;
    for (let crash = 2; crash <= 4; crash++) {
      process.kill(current, 'SIGKILL');
      current = await workbench.connectedServerPid({ otherThan: current });
    }
    process.kill(current, 'SIGKILL');
    const stopped = workbench.chat().getByRole('alert');
    await stopped.getByText('The MOCO server is stopped.').waitFor({ timeout: 30_000 });
    expect(await stopped.textContent()).toContain('stopped 5 times in 3 minutes');
    await expect.poll(() => workbench.statusBarItem().getAttribute('aria-label')).toMatch(/^MOCO server: stopped/);
    await stopped.getByRole('button', { name: 'Restart Server' }).click();
    const restarted = await workbench.connectedServerPid({ otherThan: current });
    expect(() => process.kill(restarted, 0)).not.toThrow();
  });
});
