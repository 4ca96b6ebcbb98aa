/**
 * Page objects for MOCO's own views: the Chat webview, the Agents and Tasks trees, and the quick
 * inputs of its commands. Elements are found by role, label and text, as a user finds them.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { Workbench } from './workbench';

/** The Chat webview. */
export class ChatPage {
  constructor(private readonly workbench: Workbench) {}

  private get frame(): FrameLocator {
    return this.workbench.chat();
  }

  /** The message input. */
  input(): Locator {
    return this.frame.getByRole('textbox', { name: 'Message MOCO' });
  }

  /** Types a message and sends it with Enter. */
  async send(text: string): Promise<void> {
    const input = this.input();
    await input.waitFor({ timeout: 30_000 });
    await input.click();
    await input.fill(text);
    await input.press('Enter');
  }

  /** The Stop button, shown while a run is active. */
  stopButton(): Locator {
    return this.frame.getByRole('button', { name: 'Stop' });
  }

  /** The section of the root run whose user message contains `text`. */
  root(text: string): Locator {
    return this.frame.locator('[data-root-id]').filter({ hasText: text }).last();
  }

  /** The section of the root run whose text contains `text`, while it has the status (`data-status`). */
  rootWithStatus(text: string, status: string): Locator {
    return this.frame.locator(`[data-root-id][data-status="${status}"]`).filter({ hasText: text }).last();
  }

  /** Waits until the root run of `text` has the status (`data-status`). */
  async waitForRootStatus(text: string, status: string, timeout = 60_000): Promise<void> {
    await this.rootWithStatus(text, status).waitFor({ timeout });
  }

  /** Tool cards in the transcript (all, or those with a status). */
  toolCards(status?: string): Locator {
    return this.frame.locator(status ? `[data-tool-call-id][data-status="${status}"]` : '[data-tool-call-id]');
  }

  /** The error banner. */
  banner(): Locator {
    return this.frame.getByRole('alert');
  }

  /** The whole transcript's text. */
  async text(): Promise<string> {
    return (await this.frame.locator('body').textContent()) ?? '';
  }
}

/** A tree view of the MOCO container (Agents, Tasks). */
export class TreePane {
  constructor(
    private readonly workbench: Workbench,
    readonly title: string,
  ) {}

  /** All visible rows. */
  rows(): Locator {
    return this.workbench.viewPane(this.title).getByRole('treeitem');
  }

  /** The first row whose accessible text matches. */
  row(text: string | RegExp): Locator {
    return this.rows().filter({ hasText: text }).first();
  }

  /** The accessible labels of all visible rows. */
  async labels(): Promise<string[]> {
    const rows = await this.rows().all();
    return Promise.all(rows.map(async (row) => (await row.getAttribute('aria-label')) ?? (await row.textContent()) ?? ''));
  }

  /**
   * Expands every collapsed row by its twistie (a click on the row itself would run its command),
   * until none is left: children appear as their parents open.
   */
  async expandAll(): Promise<void> {
    for (let round = 0; round < 10; round++) {
      const collapsed = this.workbench.viewPane(this.title).locator('[role="treeitem"][aria-expanded="false"]');
      if ((await collapsed.count()) === 0) return;
      await collapsed.first().locator('.monaco-tl-twistie').click();
    }
  }
}

/** The quick input widget (quick picks and input boxes of commands). */
export class QuickInput {
  constructor(private readonly page: Page) {}

  private get widget(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Picks the option whose label matches. */
  async pick(label: string | RegExp): Promise<void> {
    const option = this.widget.getByRole('option', { name: label }).first();
    await option.waitFor({ timeout: 15_000 });
    await option.click();
  }

  /** Types into the input box and accepts with Enter. */
  async type(text: string): Promise<void> {
    const input = this.widget.locator('input').first();
    await input.waitFor({ timeout: 15_000 });
    await input.fill(text);
    await input.press('Enter');
  }
}

/** Drags the side bar's sash to make it `width` px wide, as a user does to give the chat room. */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}
