// The editor's side of commit messages and pull requests, without VS Code: the message streaming
// into the SCM input box, which repository a command works on, the Git extension's states, the
// draft question and what the user is told after each outcome.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { REQUEST_CANCELLED } from '../../client/src/commands/errorActions';
import {
  GitUnavailableError,
  GitUnavailableMessages,
  openGitApi,
  type GitApiState,
  type GitExtensionExports,
  type GitExtensionHandle,
  type GitRepository,
} from '../../client/src/scm/gitApi';
import { InputBoxStream } from '../../client/src/scm/inputBoxStream';
import { chooseRepository, repositoryPickItem } from '../../client/src/scm/repositoryChoice';
import {
  commitMessageFailure,
  commitNotesMessage,
  draftChoices,
  NothingToCommitMessage,
  pullRequestFailure,
  pullRequestOpenedMessage,
} from '../../client/src/scm/scmOutcomes';

describe('the commit message streaming into the SCM input box', () => {
  it('shows the text so far as the partial results arrive, in order, in place of what the box held', () => {
    const box = { value: 'wip' };
    const stream = new InputBoxStream(box);
    const seen: string[] = [];
    for (const delta of ['feat(greeting): ', 'say hello', ' in French']) {
      stream.partial({ delta });
      seen.push(box.value);
    }
    expect(seen).toEqual(['feat(greeting): ', 'feat(greeting): say hello', 'feat(greeting): say hello in French']);
  });

  it('a reset (the provider retried) clears the text so far before its delta', () => {
    const box = { value: '' };
    const stream = new InputBoxStream(box);
    stream.partial({ delta: 'fix: half a mess' });
    stream.partial({ delta: 'feat: ', reset: true });
    stream.partial({ delta: 'add greet()' });
    expect(box.value).toBe('feat: add greet()');
  });

  it('the final message replaces the streamed text, and partial results after it are ignored', () => {
    const box = { value: 'old' };
    const stream = new InputBoxStream(box);
    stream.partial({ delta: 'feat: say hello  ' });
    stream.finish('feat(greeting): say hello in French\n\nGreet French speakers with Bonjour.');
    stream.partial({ delta: 'late' });
    expect(box.value).toBe('feat(greeting): say hello in French\n\nGreet French speakers with Bonjour.');
  });

  it('a cancellation or an error gives the box back what it held before, and ignores what comes after', () => {
    const box = { value: 'my own words' };
    const stream = new InputBoxStream(box);
    stream.partial({ delta: 'feat: half' });
    expect(box.value).toBe('feat: half');
    stream.restore();
    expect(box.value).toBe('my own words');
    stream.partial({ delta: ' written' });
    stream.finish('feat: whole');
    expect(box.value).toBe('my own words');
  });

  it('a failure before any partial result leaves the box untouched, even if the user typed meanwhile', () => {
    const box = { value: 'before' };
    const stream = new InputBoxStream(box);
    box.value = 'typed while waiting';
    stream.restore();
    expect(box.value).toBe('typed while waiting');
    expect(stream.previousValue).toBe('before');
  });
});

const repo = (root: string): GitRepository => ({ rootUri: { fsPath: root } as GitRepository['rootUri'], inputBox: { value: '' } });

describe('which repository a git command works on', () => {
  const app = repo(path.resolve('/work/app'));
  const lib = repo(path.resolve('/work/app/vendor/lib'));
  const docs = repo(path.resolve('/work/docs'));
  const all = [docs, app, lib];

  it("the Source Control title button's repository (its SourceControl's rootUri), even when another file is open", () => {
    const sourceControl = { id: 'git', label: 'Git', rootUri: { fsPath: path.resolve('/work/docs/') } };
    const choice = chooseRepository(all, { argument: sourceControl, activeFile: path.resolve('/work/app/src/a.ts') });
    expect(choice).toEqual({ kind: 'chosen', repository: docs });
  });

  it('a Uri argument names the repository too', () => {
    expect(chooseRepository(all, { argument: { fsPath: path.resolve('/work/app') } })).toEqual({ kind: 'chosen', repository: app });
  });

  it('the only repository, whatever the active editor shows', () => {
    expect(chooseRepository([app], { activeFile: path.resolve('/elsewhere/x.ts') })).toEqual({ kind: 'chosen', repository: app });
  });

  it("the innermost repository holding the active editor's file (a nested repository before its parent)", () => {
    expect(chooseRepository(all, { activeFile: path.resolve('/work/app/vendor/lib/index.ts') })).toEqual({ kind: 'chosen', repository: lib });
    expect(chooseRepository(all, { activeFile: path.resolve('/work/app/src/a.ts') })).toEqual({ kind: 'chosen', repository: app });
  });

  it('a folder whose name only starts like a repository is not inside it', () => {
    const choice = chooseRepository([app, docs], { activeFile: path.resolve('/work/application/a.ts') });
    expect(choice.kind).toBe('pick');
  });

  it('otherwise the user picks, among all repositories sorted by path; a button for no known repository falls through', () => {
    const choice = chooseRepository(all, { argument: { rootUri: { fsPath: path.resolve('/gone') } } });
    expect(choice).toEqual({ kind: 'pick', repositories: [app, lib, docs] });
    expect(repositoryPickItem(lib)).toEqual({ label: 'lib', description: path.resolve('/work/app/vendor/lib'), repository: lib });
  });
});

/** A Git extension whose API starts in `state` with `repositories`. */
function gitExtension(options: { active?: boolean; enabled?: boolean; state?: GitApiState; repositories?: GitRepository[] }) {
  const listeners: ((state: GitApiState) => void)[] = [];
  let heard: () => void = () => undefined;
  /** Resolves once someone listens to `onDidChangeState`. */
  const listening = new Promise<void>((resolve) => (heard = resolve));
  const api = {
    state: options.state ?? 'initialized',
    repositories: options.repositories ?? [],
    onDidChangeState: (listener: (state: GitApiState) => void) => {
      listeners.push(listener);
      heard();
      return { dispose: () => listeners.splice(listeners.indexOf(listener), 1) };
    },
  };
  const exports: GitExtensionExports = { enabled: options.enabled ?? true, getAPI: () => api };
  let activations = 0;
  const handle: GitExtensionHandle = {
    isActive: options.active ?? true,
    exports: options.active === false ? undefined : exports,
    activate: () => {
      activations++;
      return Promise.resolve(exports);
    },
  };
  const initialize = (repositories: GitRepository[]): void => {
    api.repositories = repositories;
    api.state = 'initialized';
    for (const listener of [...listeners]) listener('initialized');
  };
  return { handle, initialize, listening, activations: () => activations, listeners };
}

describe('the Git extension', () => {
  it('a disabled or missing Git extension, git.enabled false, and no repository are each said with what to do', async () => {
    await expect(openGitApi(undefined)).rejects.toThrow(GitUnavailableError);
    await expect(openGitApi(undefined)).rejects.toThrow(/Enable "Git" in the Extensions view/);
    await expect(openGitApi(gitExtension({ enabled: false }).handle)).rejects.toThrow(GitUnavailableMessages.disabled);
    await expect(openGitApi(gitExtension({ repositories: [] }).handle)).rejects.toThrow(/^Open a folder with a git repository/);
  });

  it('activates an inactive Git extension and waits until it has found the repositories', async () => {
    const app = repo('/work/app');
    const git = gitExtension({ active: false, state: 'uninitialized' });
    let settled = false;
    const opened = openGitApi(git.handle).finally(() => (settled = true));
    await git.listening;
    expect(settled).toBe(false);
    git.initialize([app]);
    expect((await opened).repositories).toEqual([app]);
    expect(git.activations()).toBe(1);
    expect(git.listeners).toHaveLength(0);
  });
});

describe('what the user is told', () => {
  it('no changes: "No changes to describe." as information; a cancellation: nothing', () => {
    expect(commitMessageFailure(MocoErrorCodes.NothingToCommit, 'There are no staged or unstaged changes.')).toEqual({ kind: 'information', message: NothingToCommitMessage });
    expect(NothingToCommitMessage).toBe('No changes to describe.');
    expect(commitMessageFailure(REQUEST_CANCELLED, 'cancelled')).toEqual({ kind: 'none' });
    expect(pullRequestFailure(REQUEST_CANCELLED, 'cancelled')).toEqual({ kind: 'none' });
  });

  it("a repository's state is said in the server's words; provider errors get their fixes (Set API Key...)", () => {
    expect(commitMessageFailure(MocoErrorCodes.GitStateInvalid, 'The repository has merge conflicts in a.ts. Resolve them first.')).toEqual({
      kind: 'error',
      message: 'Could not write the commit message. The repository has merge conflicts in a.ts. Resolve them first.',
    });
    expect(commitMessageFailure(MocoErrorCodes.ProviderNotConfigured, 'No API key.')).toEqual({ kind: 'withActions', prefix: 'Could not write the commit message.' });
    expect(commitMessageFailure(undefined, 'socket hang up')).toEqual({ kind: 'withActions', prefix: 'Could not write the commit message.' });
  });

  it('pull requests: no sign-in offers "Sign in to GitHub"; no remote and no commits ahead are said in the server\'s words', () => {
    expect(pullRequestFailure(MocoErrorCodes.GitHubAuthRequired, 'Sign in to GitHub to open pull requests.')).toEqual({
      kind: 'signIn',
      message: 'Could not open the pull request. Sign in to GitHub to open pull requests.',
    });
    expect(pullRequestFailure(MocoErrorCodes.GitRemoteMissing, 'The repository has no GitHub remote. Add one with git remote add origin URL.')).toEqual({
      kind: 'error',
      message: 'Could not open the pull request. The repository has no GitHub remote. Add one with git remote add origin URL.',
    });
    expect(pullRequestFailure(MocoErrorCodes.NoCommitsAhead, 'main has no commits ahead of main. Commit first.')).toEqual({
      kind: 'warning',
      message: 'Could not open the pull request. main has no commits ahead of main. Commit first.',
    });
    expect(pullRequestFailure(MocoErrorCodes.ProviderRejected, 'Bad key.')).toEqual({ kind: 'withActions', prefix: 'Could not open the pull request.' });
  });

  it('an opened pull request by number and title; a draft and an existing one say so', () => {
    const result = { number: 12, title: 'Say hello in French', draft: false, existing: false };
    expect(pullRequestOpenedMessage(result)).toBe('Pull request #12 opened: Say hello in French');
    expect(pullRequestOpenedMessage({ ...result, draft: true })).toBe('Draft pull request #12 opened: Say hello in French');
    expect(pullRequestOpenedMessage({ ...result, existing: true })).toBe('Pull request #12 is already open: Say hello in French');
  });

  it("a commit message's notes become one message; none, no message", () => {
    expect(commitNotesMessage([])).toBeUndefined();
    expect(commitNotesMessage(['  '])).toBeUndefined();
    expect(commitNotesMessage(['The diff was cut to 12,000 of 80,000 tokens.', 'package-lock.json is summarised.'])).toBe(
      "MOCO's commit message: The diff was cut to 12,000 of 80,000 tokens. package-lock.json is summarised.",
    );
  });

  it('"Open as draft?" preselects the setting\'s answer, Ready for review first', () => {
    const ready = draftChoices(false);
    expect(ready.items.map((i) => [i.label, i.draft])).toEqual([
      ['Ready for review', false],
      ['Draft', true],
    ]);
    expect(ready.active.draft).toBe(false);
    expect(draftChoices(true).active).toMatchObject({ label: 'Draft', draft: true });
  });
});
