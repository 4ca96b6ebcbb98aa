/**
 * When the server cannot start, the user sees why and what to do, and MOCO's commands are shown
 * disabled instead of failing one by one. The failure is a real one: a file stands where the
 * extension's storage folder should be (with no folder open, MOCO stores in its global storage).
 */
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/failure';
import { extensionId, releasesUnderTest } from './support/paths';
import { useVsCode } from './support/session';

describe.each(releasesUnderTest())('MOCO in VS Code $vscode (code-server $codeServer)', (release) => {
  const openVsCode = useVsCode(`start-failure-${release.codeServer}`);

  it('explains a server that cannot start, offers Show Logs, and disables its commands', async () => {
    const storage = `User/globalStorage/${extensionId()}`;
    const { workbench } = await openVsCode({
      release,
      userDataFiles: { [storage]: 'a file where MOCO expects its storage folder' },
    });
    await workbench.openMoco();

    // An error notification says what failed and offers Show Logs.
    const toast = workbench.notification(/MOCO could not start its server/);
    await toast.waitFor({ timeout: 60_000 });
    expect(await toast.textContent()).toContain('a file stands where the folder should be');
    // One message for one failure: no second toast from the language client.
    expect(await workbench.page.locator('.notifications-toasts .notification-toast').count()).toBe(1);

    // Show Logs opens the MOCO output channel, which holds the reason.
    await toast.getByRole('button', { name: 'Show Logs' }).click();
    const output = workbench.page.locator('.part.panel');
    await expect
      .poll(async () => ((await output.textContent()) ?? '').replace(/\s+/g, ' '), { timeout: 20_000 })
      .toContain('The MOCO server could not start: MOCO cannot use its storage folder');

    // The Chat view says the same, with buttons that fix it.
    const panel = workbench.chat().getByRole('alert');
    await panel.getByText('The MOCO server could not start.').waitFor({ timeout: 30_000 });
    expect(await panel.textContent()).toContain(`globalStorage/${extensionId()}`);
    await panel.getByRole('button', { name: 'Show Logs' }).waitFor();
    await panel.getByRole('button', { name: 'Restart Server' }).waitFor();

    // Agents and Tasks say why they are empty, with the same actions.
    await workbench.expandView('Agents');
    await workbench.viewPane('Agents').getByText('The MOCO server is not running').waitFor({ timeout: 10_000 });
    await expect.poll(() => workbench.statusBarItem().getAttribute('aria-label')).toMatch(/^MOCO server: failed to start/);
    await screenshot(workbench.page, `start-failure-${release.codeServer}-failed`);

    // Commands that need the server are disabled, not failing when run.
    expect(await workbench.commandPaletteLists('MOCO: Show Server Status')).toBe(false);
    expect(await workbench.commandPaletteLists('MOCO: Restart Server')).toBe(true);

  });
});
