/**
 * Commit messages in a real VS Code (code-server): in a fixture repository with one commit, a change
 * is staged (another is left unstaged); the MOCO button in the Source Control view's title writes
 * the mock model's message into the SCM input box, streaming, from a prompt that quotes the staged
 * diff only. Once the change is committed from the command line, the button says there is nothing
 * to describe and leaves the box alone. The provider is the mock OpenAI-compatible server.
 */
import { execFileSync } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MockRequest, MockScript } from '../support/mockLlm';
import { API_KEY, createGitWorkspace } from './support/e2eTeam';
import { screenshot } from './support/failure';
import { QuickInput, widenSideBar } from './support/mocoViews';
import { releasesUnderTest } from './support/paths';
import { mockProviderSettings, useMockLlm } from './support/mockModel';
import { useVsCode } from './support/session';

/** The mock's commit message: subject, blank line, body. */
const MESSAGE = 'feat(greeting): say hello in French\n\nAdd bonjour(), which greets a name in French.';
/** The staged change to hello.ts. */
const STAGED = '\nexport function bonjour(name: string): string {\n  return `Bonjour, ${name} !`;\n}\n';
/** An unstaged change to README.md, which the message must not describe. */
const UNSTAGED = '\nAn unstaged line that the message must leave out.\n';

const script: MockScript = (request) => {
  if (request.headers.authorization !== `Bearer ${API_KEY}`) {
    return { status: 401, errorBody: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } } };
  }
  // Slow enough to watch the message arrive in the input box.
  return { content: MESSAGE, contentChunks: 8, chunkDelayMs: 400 };
};

/** Every message's text of a chat request, joined: the prompt the model was given. */
function promptOf(request: MockRequest): string {
  return (request.body.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
}

/** The Source Control view: its title buttons, its change rows and its input box. */
class SourceControlView {
  constructor(private readonly page: Page) {}

  private get sideBar(): Locator {
    return this.page.locator('.part.sidebar');
  }

  /** Opens the view from the activity bar, unless it is open already. */
  async open(): Promise<void> {
    if (await this.inputLines().first().isVisible()) return;
    await this.page.locator('.part.activitybar').getByRole('tab', { name: /^Source Control/ }).click();
    await this.inputLines().first().waitFor({ timeout: 30_000 });
  }

  /**
   * A button of the view's title toolbar ("Changes actions", "Source Control actions"), by its
   * title, as its tooltip says. (VS Code 1.139 repeats the first title button inside the input box.)
   */
  titleButton(title: string): Locator {
    return this.sideBar.getByRole('toolbar', { name: /actions$/ }).getByRole('button', { name: title, exact: true });
  }

  /** A row of the changes tree whose text matches. */
  change(text: RegExp): Locator {
    return this.sideBar.getByRole('treeitem').filter({ hasText: text }).first();
  }

  private inputLines(): Locator {
    return this.sideBar.locator('.scm-editor .view-lines .view-line');
  }

  /** The SCM input box's text, line by line as the editor shows it. */
  async inputText(): Promise<string> {
    const lines = await this.inputLines().allTextContents();
    return lines.map((line) => line.replace(/\u00a0/g, ' ')).join('\n');
  }
}

describe.each(releasesUnderTest())('commit messages in the Source Control view in VS Code $vscode (code-server $codeServer)', (release) => {
  const label = `scm-${release.codeServer}`;
  const openVsCode = useVsCode(label);
  const mock = useMockLlm(script);

  it('the title button streams the message of the staged diff into the input box; with no changes it says so', async () => {
    const workspace = await createGitWorkspace();
    const git = (...args: string[]): void =>
      void execFileSync('git', ['-c', 'user.name=MOCO e2e', '-c', 'user.email=e2e@moco.invalid', ...args], { cwd: workspace, stdio: 'ignore' });
    await appendFile(path.join(workspace, 'hello.ts'), STAGED);
    git('add', 'hello.ts');
    await appendFile(path.join(workspace, 'README.md'), UNSTAGED);

    const { workbench } = await openVsCode({
      release,
      workspace,
      copyWorkspace: false,
      settings: {
        'git.enabled': true,
        'workbench.view.alwaysShowHeaderActions': true,
        ...mockProviderSettings(mock()),
      },
    });
    const page = workbench.page;
    const scm = new SourceControlView(page);
    const quick = new QuickInput(page);
    await workbench.runCommand('MOCO: Set API Key');
    await quick.pick(/OpenAI/);
    await quick.type(API_KEY);

    await workbench.notification(/The API key for OpenAI is stored/).waitFor({ timeout: 15_000 });
    await workbench.runCommand('Notifications: Clear All Notifications');
    await scm.open();
    await widenSideBar(page, 520);
    await scm.change(/hello\.ts/).waitFor({ timeout: 30_000 });
    await scm.titleButton('Generate Commit Message').click();

    // It streams: the cancellable notification shows, and the box holds a beginning of the message first.
    await workbench.notification(/MOCO: writing the commit message/).waitFor({ timeout: 60_000 });
    await expect.poll(() => scm.inputText(), { timeout: 30_000 }).toSatisfy((text: string) => text !== '' && text.length < MESSAGE.length && MESSAGE.startsWith(text));
    await expect.poll(() => scm.inputText(), { timeout: 30_000 }).toBe(MESSAGE);
    await expect.poll(() => workbench.notification(/MOCO: writing the commit message/).count(), { timeout: 15_000 }).toBe(0);

    // The model was asked about the staged diff, and only about it.
    const [request, ...others] = mock().chatRequests();
    expect(others).toHaveLength(0);
    const prompt = request ? promptOf(request) : '';
    expect(prompt).toContain('hello.ts');
    expect(prompt).toContain('+export function bonjour(name: string): string {');
    expect(prompt).not.toContain('An unstaged line');

    await scm.change(/hello\.ts/).click(); // the staged diff beside the message
    await page.locator('.monaco-diff-editor .view-lines').filter({ hasText: 'bonjour' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, `${label}-1-message`);

    // Committed from the command line, with the README change dropped: nothing left to describe.
    git('commit', '-q', '-m', 'feat(greeting): say hello in French');
    git('checkout', '--', 'README.md');
    await expect.poll(() => scm.change(/hello\.ts|README\.md/).count(), { timeout: 30_000 }).toBe(0);
    await scm.titleButton('Generate Commit Message').click();
    await workbench.notification(/No changes to describe\./).waitFor({ timeout: 30_000 });
    expect(await scm.inputText()).toBe(MESSAGE);
    expect(mock().chatRequests()).toHaveLength(1);
    await screenshot(page, `${label}-2-nothing`);
  });
});
