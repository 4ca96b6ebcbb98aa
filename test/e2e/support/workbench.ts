/**
 * A page object for the VS Code workbench and MOCO's views in it. Elements are found by role and
 * text, as a user finds them; waits poll what is on screen, never sleep.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly extensionId: string,
  ) {}

  /** Waits until the workbench has rendered its activity bar and status bar. */
  async ready(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.part.statusbar').waitFor({ timeout: 30_000 });
    await this.page.locator('.part.activitybar').waitFor({ timeout: 30_000 });
  }

  /** The activity bar entry of the MOCO view container. */
  mocoActivity(): Locator {
    return this.page.locator('.part.activitybar').getByRole('tab', { name: 'MOCO' });
  }

  /** Opens the MOCO view container from the activity bar. */
  async openMoco(): Promise<void> {
    await this.mocoActivity().click({ timeout: 30_000 });
    await this.viewPaneHeader('Chat').waitFor({ timeout: 30_000 });
  }

  /** The header of a view pane in the side bar, found by its title. */
  viewPaneHeader(title: string): Locator {
    return this.page.locator('.part.sidebar').locator(paneHeader(this.page, title));
  }

  /** A whole view pane (header and body): the pane whose header has the title. */
  viewPane(title: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({ has: paneHeader(this.page, title) });
  }

  /** Expands a collapsed view pane. */
  async expandView(title: string): Promise<void> {
    const header = this.viewPaneHeader(title);
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  }

  /** The document inside MOCO's Chat webview (two iframes down). */
  chat(): FrameLocator {
    return this.page
      .frameLocator(`iframe.webview.ready[src*="extensionId=${this.extensionId}"]`)
      .frameLocator('#active-frame');
  }

  /** Waits until the Chat view's connection panel says it is connected, and returns the pid. */
  async connectedServerPid(timeoutMs = 60_000): Promise<number> {
    const panel = this.chat().getByRole('region', { name: 'MOCO server connection' });
    let pid = 0;
    await expect
      .poll(
        async () => {
          const text = (await panel.textContent({ timeout: 2_000 }).catch(() => '')) ?? '';
          const match = /Connected to MOCO server [\d.]+.*?pid (\d+)/s.exec(text);
          pid = match ? Number(match[1]) : 0;
          return pid;
        },
        { timeout: timeoutMs, interval: 500 },
      )
      .toBeGreaterThan(0);
    return pid;
  }

  /**
   * Runs a command from the palette by its full title ("MOCO: Show Server Status"). A newly
   * installed extension's commands appear a little after the workbench looks ready, and an open
   * palette does not refresh, so it reopens the palette until the command is listed.
   */
  async runCommand(title: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const widget = this.page.locator('.quick-input-widget');
    while (Date.now() < deadline) {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      // The palette's input is a combobox in some releases and a plain textbox in others.
      const input = widget.getByRole('combobox').or(widget.getByRole('textbox')).first();
      await input.waitFor({ timeout: 5_000 });
      await input.fill(`>${title}`);
      const option = widget.getByRole('option', { name: new RegExp(`^${escapeRegExp(title)}`) }).first();
      try {
        await option.waitFor({ timeout: 3_000 });
        await input.press('Enter');
        return;
      } catch {
        // not listed yet: try again
      }
    }
    throw new Error(`The command "${title}" did not appear in the command palette within ${timeoutMs} ms.`);
  }

  /** A modal dialog (VS Code renders `showInformationMessage(..., {modal: true})` in the DOM). */
  dialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** The MOCO status bar item, found by its accessible label. */
  statusBarItem(): Locator {
    return this.page.locator('.part.statusbar').getByRole('button', { name: /^MOCO server:/ });
  }
}

/** A relative locator for a pane header by title (usable inside `filter({ has })`). */
function paneHeader(page: Page, title: string): Locator {
  return page.locator('.pane-header').filter({ hasText: new RegExp(`^${escapeRegExp(title)}`, 'i') });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
