/**
 * A page object for the VS Code workbench and MOCO's views in it. Elements are found by role and
 * text, as a user finds them; waits poll what is on screen, never sleep.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';

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

  /**
   * Opens the MOCO view container from the activity bar, unless it is open already (a click on
   * the active container's entry would close the side bar, as after a reload that restored it).
   */
  async openMoco(): Promise<void> {
    await this.mocoActivity().waitFor({ timeout: 30_000 });
    // After a reload the restored views take a moment to show.
    const restored = await this.viewPaneHeader('Chat').waitFor({ timeout: 3_000 }).then(() => true, () => false);
    if (!restored) await this.mocoActivity().click({ timeout: 30_000 });
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

  /**
   * Waits until the Chat view's connection panel says it is connected (to a server other than
   * `otherThan`, if given) and returns the server's pid.
   */
  async connectedServerPid(options: { otherThan?: number; timeoutMs?: number } = {}): Promise<number> {
    const pid = options.otherThan === undefined ? '\\d+' : `(?!${options.otherThan}\\b)\\d+`;
    const connected = this.chat()
      .getByRole('region', { name: 'MOCO server connection' })
      .filter({ hasText: new RegExp(`Connected to MOCO server [\\d.]+.*pid ${pid}`, 's') });
    await connected.waitFor({ timeout: options.timeoutMs ?? 60_000 });
    const match = /pid (\d+)/.exec((await connected.textContent()) ?? '');
    if (!match) throw new Error('The Chat view shows no server pid.');
    return Number(match[1]);
  }

  /**
   * Runs a command from the palette by its full title ("MOCO: Show Server Status"). A newly
   * installed extension's commands appear a little after the workbench looks ready, and an open
   * palette does not refresh, so it reopens the palette until the command is listed.
   */
  async runCommand(title: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const option = await this.findInPalette(title);
      if (option) {
        await option.click();
        return;
      }
    }
    throw new Error(`The command "${title}" did not appear in the command palette within ${timeoutMs} ms.`);
  }

  /** A notification toast whose text matches. */
  notification(text: RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  }

  /**
   * Whether the command palette offers a command (enabled) under its full title. Disabled
   * commands (their `enablement` is false) are not offered.
   */
  async commandPaletteLists(title: string): Promise<boolean> {
    const listed = (await this.findInPalette(title)) !== undefined;
    await this.page.keyboard.press('Escape');
    return listed;
  }

  /**
   * Opens the palette afresh, types `>title`, and returns the option whose label starts with the
   * title, or `undefined` if none is listed within 3 s.
   */
  private async findInPalette(title: string): Promise<Locator | undefined> {
    const widget = this.page.locator('.quick-input-widget');
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    // The palette's input is a combobox in some releases and a plain textbox in others.
    const input = widget.getByRole('combobox').or(widget.getByRole('textbox')).first();
    const opened = await input.waitFor({ timeout: 5_000 }).then(() => true, () => false);
    if (!opened) return undefined;
    await input.fill(`>${title}`);
    const option = widget.getByRole('option', { name: new RegExp(`^${escapeRegExp(title)}`) }).first();
    return option.waitFor({ timeout: 3_000 }).then(() => option, () => undefined);
  }

  /**
   * A modal dialog whose text matches (VS Code renders `showInformationMessage(..., {modal: true})`
   * in the DOM; notification toasts are dialogs too, hence the text).
   */
  dialog(text: string | RegExp): Locator {
    return this.page.locator('.monaco-dialog-box').and(this.page.getByRole('dialog')).filter({ hasText: text });
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
