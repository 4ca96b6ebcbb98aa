/**
 * Inline code review in a real VS Code (code-server): `MOCO: Review Current File` on a file with a
 * planted bug (`if (items.length = 0)` on line 3) puts a comment thread on line 3 with the
 * reviewer's message and suggestion, a finding out of the file is skipped and said, Apply
 * Suggestion rewrites the line and saves the file, the finding left open is still there after
 * Developer: Reload Window, in the Comments and Problems panels, and Fix with Agent on it starts
 * a coder run that the Agents view shows and that rewrites the loop. The reviewer and the coder
 * are the mock OpenAI-compatible server: the reviewer answers the review task with a JSON Lines
 * block.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MockScript } from '../support/mockLlm';
import { agentOf, taskOf, turnOf, writeTeam } from '../support/teams';
import { API_KEY, createGitWorkspace } from './support/e2eTeam';
import { screenshot } from './support/failure';
import { QuickInput, TreePane } from './support/mocoViews';
import { releasesUnderTest } from './support/paths';
import { mockProviderSettings, useMockLlm } from './support/mockModel';
import { useVsCode } from './support/session';
import type { Workbench } from './support/workbench';

const TEAM = 'review-team';
const FILE = 'cart.ts';
const CART = [
  'export function total(items: number[]): number {',
  '  let sum = 0;',
  '  if (items.length = 0) {',
  '    return 0;',
  '  }',
  '  for (let i = 0; i < items.length; i++) sum += items[i];',
  '  return sum;',
  '}',
  '',
].join('\n');
const BUG_MESSAGE = '`items.length = 0` assigns instead of comparing: it empties the cart.';
const LOOP_MESSAGE = 'An index loop where `for…of` says the same more plainly.';
const FIXED_LOOP = '  for (const item of items) sum += item;';

/** The reviewer's answer: two findings, and one on a line the file does not have. */
const REVIEW_ANSWER = [
  'Two problems in cart.ts.',
  '',
  '```json',
  JSON.stringify({ file: FILE, startLine: 3, endLine: 3, severity: 'high', category: 'bug', message: BUG_MESSAGE, suggestion: '  if (items.length === 0) {' }),
  JSON.stringify({ file: FILE, startLine: 6, endLine: 6, severity: 'low', category: 'maintainability', message: LOOP_MESSAGE }),
  JSON.stringify({ file: FILE, startLine: 120, endLine: 124, severity: 'medium', category: 'bug', message: 'A finding beyond the end of the file.' }),
  '```',
].join('\n');

const script: MockScript = (request) => {
  if (request.headers.authorization !== `Bearer ${API_KEY}`) {
    return { status: 401, errorBody: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } } };
  }
  if (agentOf(request) === 'code-reviewer' && taskOf(request).includes(`Review the file ${FILE}`)) return { content: REVIEW_ANSWER };
  if (agentOf(request) === 'coder' && taskOf(request).includes(`Fix this code review finding in ${FILE}:6`)) {
    if (turnOf(request) > 0) return { content: 'The loop is a for…of loop now.' };
    const fixed = CART.replace('  for (let i = 0; i < items.length; i++) sum += items[i];', FIXED_LOOP).replace('items.length = 0', 'items.length === 0');
    return { toolCalls: [{ name: 'write_file', arguments: { path: FILE, content: fixed } }] };
  }
  return { status: 500, errorBody: { error: { message: `mock: nothing scripted for ${agentOf(request)}: ${taskOf(request).slice(0, 80)}` } } };
};

/** The editor's review comment widgets and the Comments and Problems panels. */
class ReviewPage {
  constructor(
    private readonly workbench: Workbench,
    private readonly page: Page,
  ) {}

  /** Opens a workspace file with Go to File. */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input').first();
    await input.waitFor({ timeout: 10_000 });
    await input.fill(name);
    await this.page.locator('.quick-input-widget').getByRole('option', { name: new RegExp(name.replace('.', '\\.')) }).first().click({ timeout: 15_000 });
    await this.page.getByRole('tab', { name: new RegExp(name.replace('.', '\\.')) }).first().waitFor({ timeout: 10_000 });
  }

  /** The comment thread widget in the editor whose header has the label. */
  thread(label: string | RegExp): Locator {
    return this.page.locator('.monaco-editor .review-widget').filter({ has: this.page.locator('.review-title', { hasText: label }) });
  }

  /** A title button of a comment thread (Apply Suggestion, Fix with Agent, Dismiss). */
  threadAction(thread: Locator, name: string): Locator {
    return thread.locator('.head').getByRole('button', { name });
  }

  /** Opens a panel view by its command (`Comments: Focus on Comments View`) and returns the panel. */
  async openPanel(command: string): Promise<Locator> {
    await this.workbench.runCommand(command);
    const panel = this.page.locator('.part.panel');
    await panel.waitFor({ timeout: 10_000 });
    return panel;
  }

  /** The rows of the panel's tree (Comments, Problems): each its accessible label and text, on one line. */
  async rows(panel: Locator): Promise<string[]> {
    const rows = await panel.getByRole('treeitem').all();
    const text = async (row: Locator): Promise<string> => `${(await row.getAttribute('aria-label')) ?? ''} ${(await row.textContent()) ?? ''}`;
    return Promise.all(rows.map(async (row) => (await text(row)).replace(/\s+/g, ' ')));
  }
}

describe.each(releasesUnderTest())('inline code review in VS Code $vscode (code-server $codeServer)', (release) => {
  const label = `review-${release.codeServer}`;
  const openVsCode = useVsCode(label);
  const mock = useMockLlm(script);

  it('reviews a file into comment threads and problems, applies a suggestion to disk, and keeps the open finding over a reload', async () => {
    const workspace = await createGitWorkspace();
    await writeTeam(path.join(workspace, '.moco', 'profiles'), {
      name: TEAM,
      agents: [
        { name: 'code-reviewer', tools: ['read_file'], mode: 'primary' },
        { name: 'coder', tools: ['write_file'] },
      ],
    });
    const file = path.join(workspace, FILE);
    await writeFile(file, CART);

    const { workbench } = await openVsCode({
      release,
      workspace,
      copyWorkspace: false,
      settings: mockProviderSettings(mock(), TEAM),
    });
    const page = workbench.page;
    const review = new ReviewPage(workbench, page);
    const quick = new QuickInput(page);
    // The key is set once the server runs, as the other end-to-end tests do.
    await workbench.openMoco();
    await workbench.connectedServerPid();
    await workbench.runCommand('MOCO: Set API Key');
    await quick.pick(/OpenAI/);
    // The key's input box replaces the provider pick: type only once it is there.
    await page.locator('.quick-input-widget input[type="password"]').waitFor({ timeout: 15_000 });
    await quick.type(API_KEY);
    // Stored before the review asks for it: Set API Key lists the key as stored.
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
    await workbench.runCommand('MOCO: Set API Key');
    await page.locator('.quick-input-widget').getByRole('option').filter({ hasText: /OpenAI.*key stored/ }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');

    // The review: a thread on line 3 with the message and the suggestion, open; the finding out
    // of the file is skipped and said.
    await review.openFile(FILE);
    await workbench.runCommand('MOCO: Review Current File');
    const bug = review.thread('MOCO · high · bug');
    await bug.waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await bug.textContent()) ?? '').toContain('assigns instead of comparing: it empties the cart.');
    expect(await bug.textContent()).toContain('if (items.length === 0) {');
    expect(await bug.textContent()).toContain('MOCO code-reviewer');
    await workbench.notification(/1 finding skipped: lines 120–124 .*outside cart\.ts \(\d+ lines\)/).waitFor({ timeout: 15_000 });
    // The Comments panel places it on line 3, and the other finding on line 6.
    const comments = await review.openPanel('Comments: Focus on Comments View');
    await expect.poll(async () => (await review.rows(comments)).join('\n'), { timeout: 15_000 }).toMatch(/assigns instead of comparing[^\n]*(Ln 3|line 3)/i);
    expect((await review.rows(comments)).join('\n')).toMatch(/plainly[^\n]*(Ln 6|line 6)/i);
    await screenshot(page, `${label}-1-thread`);

    // Apply Suggestion rewrites line 3 on disk; the thread goes, the other stays.
    await review.threadAction(bug, 'Apply Suggestion').click();
    await expect.poll(() => readFile(file, 'utf8'), { timeout: 15_000 }).toBe(CART.replace('items.length = 0', 'items.length === 0'));
    await bug.waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(page, `${label}-2-applied`);

    // After a reload the open finding is back: in the Comments panel and in the Problems panel.
    await workbench.runCommand('Developer: Reload Window');
    await workbench.ready();
    // MOCO activates when one of its views or commands is used (never at start-up): its view
    // container, open before the reload and restored, activates it and brings the findings back.
    await workbench.viewPaneHeader('Chat').waitFor({ timeout: 30_000 });
    const reloadedComments = await review.openPanel('Comments: Focus on Comments View');
    await expect.poll(async () => (await review.rows(reloadedComments)).join('\n'), { timeout: 30_000 }).toMatch(/plainly[^\n]*(Ln 6|line 6)/i);
    expect((await review.rows(reloadedComments)).join('\n')).not.toContain('assigns instead of comparing');
    await screenshot(page, `${label}-3-reloaded-comments`);
    const problems = await review.openPanel('Problems: Focus on Problems View');
    await expect.poll(async () => (await review.rows(problems)).join('\n'), { timeout: 15_000 }).toMatch(/plainly/);
    await screenshot(page, `${label}-4-reloaded-problems`);

    // Fix with Agent on it (the thread opened from the Comments panel): the Agents view shows the
    // coder's run, which rewrites the loop on disk.
    await (await review.openPanel('Comments: Focus on Comments View')).getByRole('treeitem').filter({ hasText: 'plainly' }).first().click();
    const loop = review.thread('MOCO · low · maintainability');
    await loop.waitFor({ timeout: 15_000 });
    expect(await review.threadAction(loop, 'Apply Suggestion').count()).toBe(0);
    await review.threadAction(loop, 'Fix with Agent').click();
    const agents = new TreePane(workbench, 'Agents');
    await agents.expandAll();
    await expect.poll(async () => (await agents.labels()).join('\n'), { timeout: 60_000 }).toMatch(/^coder, done/m);
    await expect.poll(() => readFile(file, 'utf8'), { timeout: 15_000 }).toContain(FIXED_LOOP);
    // The editor takes the file from disk when the file watcher reports it, or at once with File:
    // Revert File; the finding's line is replaced, so the finding goes with it. (Its thread going
    // can close an open palette, hence the retries.)
    const panel = page.locator('.part.panel');
    const findingGone = async (): Promise<boolean> => !(await review.rows(panel)).join('\n').includes('plainly');
    await expect
      .poll(
        async () => {
          if (await findingGone()) return true;
          await page.locator('.monaco-editor .view-lines').first().click(); // the focus back in the editor, from the Agents view
          await workbench.runCommand('File: Revert File', 5_000).catch(() => undefined);
          return findingGone();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(true);
    expect(await panel.textContent()).toContain('There are no comments in this workspace yet.');
    await screenshot(page, `${label}-5-fixed`);
  });
});
