/**
 * The agent tool `create_pr`, through the base tool registry as an agent calls it: a real
 * repository pushing to a local bare one, GitHub replaced by the mock through `services.github`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { tmpdir } from 'node:os';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { checkPushUrls } from '../../server/src/github/branches';
import { gitHubHosts } from '../../server/src/github/remote';
import type { ToolContext, ToolResult } from '../../server/src/tools/types';
import { createBaseToolRegistry } from '../../server/src/tools/baseTools';
import { commitAll, createBareRemote, createRepo, git, writeFiles } from '../support/gitRepos';
import { loadGitHubDescription, pointRemoteAtGitHub, startGitHubMock, type GitHubMock } from '../support/githubMock';

const TOKEN = 'ghp_tooltest0000000000000000000000000000';
const registry = createBaseToolRegistry();
let mock: GitHubMock | undefined;
const folders: string[] = [];

beforeAll(() => loadGitHubDescription(), 60_000);
afterEach(async () => {
  await mock?.close();
  mock = undefined;
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A repository whose main is on the bare remote, on a branch `feature` with one commit more. */
async function repository(host = 'github.com'): Promise<{ repo: string; bare: string }> {
  const repo = await createRepo({ 'README.md': '# Hello\n' }, { commit: 'Initial commit' });
  const bare = await createBareRemote(repo);
  folders.push(path.dirname(repo), path.dirname(bare));
  await pointRemoteAtGitHub(repo, bare, 'octo-org', 'hello-world', 'origin', host);
  await git(repo, 'push', '-q', 'origin', 'main');
  await git(repo, 'switch', '-q', '-c', 'feature');
  await writeFiles(repo, { 'src/login.ts': 'export const limit = 5;\n' });
  await commitAll(repo, 'Limit login attempts');
  return { repo, bare };
}

async function call(args: object, workingDir: string, token: string | undefined, apiUrl = mock?.apiUrl ?? ''): Promise<ToolResult> {
  const parsed = registry.parseArguments('create_pr', JSON.stringify(args));
  if (!parsed.ok) throw new Error(parsed.message);
  const github = { token: () => Promise.resolve(token), apiUrl };
  const context: ToolContext = { workingDir, runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => [], set: () => undefined }, services: { github } };
  return registry.get('create_pr')!.implementation(parsed.args, context, new AbortController().signal);
}

async function remoteBranches(bare: string): Promise<string[]> {
  return (await git(bare, 'for-each-ref', '--format=%(refname:short)', 'refs/heads')).split('\n').filter(Boolean);
}

describe('create_pr', { timeout: 30_000 }, () => {
  it('is a base tool that asks for approval, naming the title, the branch and the base', () => {
    const tool = registry.get('create_pr')!;
    const needsApproval = tool.definition.needsApproval as (args: unknown, context: unknown) => string;
    expect(needsApproval({ title: 'Limit login attempts', body: '', branch: 'feature', base: 'main', draft: true }, {})).toBe(
      'create_pr pushes feature to GitHub and opens a draft pull request "Limit login attempts" into main. The repository\'s git hooks (pre-push...) run as part of the push.',
    );
    expect(needsApproval({ title: 'T', body: '' }, {})).toContain('the current branch (or a new moco/… branch)');
    expect(registry.parseArguments('create_pr', '{"body": "x"}')).toMatchObject({ ok: false, message: expect.stringContaining('title') as unknown });
  });

  it("pushes the branch and opens the pull request with the agent's title and body", async () => {
    const { repo, bare } = await repository();
    mock = await startGitHubMock({ token: TOKEN, owner: 'octo-org', repo: 'hello-world', remoteBranches: () => remoteBranches(bare) });
    const result = await call({ title: 'Limit login attempts', body: '## Summary\nFive tries.', draft: true }, repo, TOKEN);
    expect(result.isError).toBeUndefined();
    expect(result.content).toBe('Opened draft pull request #1347 "Limit login attempts": https://github.com/octo-org/hello-world/pull/1347. Head feature → base main, 1 commit.');
    expect(result.summary).toBe('opened draft pull request #1347: https://github.com/octo-org/hello-world/pull/1347');
    expect(await remoteBranches(bare)).toEqual(['feature', 'main']);
    expect(mock.pulls).toEqual([{ number: 1347, title: 'Limit login attempts', body: '## Summary\nFive tries.', head: 'feature', base: 'main', draft: true }]);
    expect(mock.violations).toEqual([]);
    // The branch tracks its pushed copy (push -u).
    expect((await git(repo, 'rev-parse', '--abbrev-ref', 'feature@{upstream}')).trim()).toBe('origin/feature');
  });

  it('answers the model, and pushes nothing, without a token, without commits ahead, or without GitHub here', async () => {
    const { repo, bare } = await repository();
    mock = await startGitHubMock({ token: TOKEN, owner: 'octo-org', repo: 'hello-world' });
    const noToken = await call({ title: 'T', body: '' }, repo, undefined);
    expect(noToken).toMatchObject({ isError: true, content: 'create_pr failed: No GitHub token. Sign in to GitHub when VS Code asks (MOCO: Create Pull Request), or set GITHUB_TOKEN for the moco CLI.' });

    await git(repo, 'switch', '-q', '-c', 'empty', 'main');
    const nothing = await call({ title: 'T', body: '' }, repo, TOKEN);
    expect(nothing).toMatchObject({ isError: true, content: 'create_pr failed: empty has no commits ahead of main; commit first.' });

    const badToken = await call({ title: 'T', body: '', branch: 'feature' }, repo, 'ghp_wrong');
    expect(badToken.isError).toBe(true);
    expect(badToken.content).toContain('create_pr failed: GitHub answered 401 while reading octo-org/hello-world: Bad credentials.');

    const context: ToolContext = { workingDir: repo, runId: 'r', agent: 'coder', toolCallId: 'c', todos: { get: () => [], set: () => undefined } };
    const parsed = registry.parseArguments('create_pr', '{"title": "T", "body": ""}');
    const unavailable = await registry.get('create_pr')!.implementation(parsed.ok ? parsed.args : {}, context, new AbortController().signal);
    expect(unavailable.isError).toBe(true);
    expect(unavailable.content).toContain('create_pr is unavailable here');
    expect(await remoteBranches(bare)).toEqual(['main']);
    expect(mock.pulls).toEqual([]);
    expect(mock.violations).toEqual([]);
  });

  it('works with GitHub Enterprise Server: the remote on the API URL\'s host, the API under /api/v3', async () => {
    mock = await startGitHubMock({ token: TOKEN, owner: 'octo-org', repo: 'hello-world' });
    const { repo, bare } = await repository(new URL(mock.apiUrl).hostname);
    const result = await call({ title: 'Limit login attempts', body: 'B', base: 'main' }, repo, TOKEN, `${mock.apiUrl}/api/v3`);
    expect(result.content).toContain('Opened pull request #1347');
    expect(mock.requests.map((request) => request.operationId)).toEqual(['pulls/list', 'pulls/create']);
    expect(await remoteBranches(bare)).toEqual(['feature', 'main']);
    expect(mock.violations).toEqual([]);
    // The same remote is not GitHub's while the API is github.com.
    const refused = await call({ title: 'T', body: '' }, repo, TOKEN, 'https://api.github.com');
    expect(refused.content).toContain('create_pr failed: The remote origin (https://127.0.0.1/octo-org/hello-world.git) is not on GitHub (github.com)');
  });

  it('makes a moco/<slug> branch from a detached HEAD, and a requested branch at HEAD, switching to it', async () => {
    const { repo, bare } = await repository();
    mock = await startGitHubMock({ token: TOKEN, owner: 'octo-org', repo: 'hello-world', remoteBranches: () => remoteBranches(bare) });
    await git(repo, 'switch', '-q', '--detach', 'feature');
    const detached = await call({ title: 'T', body: '' }, repo, TOKEN);
    expect(detached.content).toContain('Head moco/limit-login-attempts (branch moco/limit-login-attempts created at HEAD) → base main, 1 commit.');
    expect((await git(repo, 'branch', '--show-current')).trim()).toBe('moco/limit-login-attempts');
    await git(repo, 'switch', '-q', 'main');
    await git(repo, 'merge', '-q', '--ff-only', 'feature');
    const named = await call({ title: 'T2', body: '', branch: 'topic/limits' }, repo, TOKEN);
    expect(named.content).toContain('Head topic/limits (branch topic/limits created at HEAD) → base main');
    expect(await remoteBranches(bare)).toEqual(['main', 'moco/limit-login-attempts', 'topic/limits']);
    expect(mock.violations).toEqual([]);
  });

  it('says when the push is refused, with git\'s message, and opens nothing', async () => {
    const { repo, bare } = await repository();
    // The remote has another `feature`: a push that is not a fast-forward is rejected.
    const other = await createRepo({ 'x.txt': 'x\n' }, { commit: 'Unrelated' });
    folders.push(path.dirname(other));
    await git(other, 'push', '-q', bare, 'main:feature');
    mock = await startGitHubMock({ token: TOKEN, owner: 'octo-org', repo: 'hello-world' });
    const result = await call({ title: 'T', body: '' }, repo, TOKEN);
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/^create_pr failed: Pushing feature to origin failed: .*rejected/s);
    expect(result.content).toContain('Check that you can push to origin (git push -u origin feature)');
    expect(mock.pulls).toEqual([]);
  });

  it('refuses a repository without commits, a folder outside any repository and an invalid branch name', async () => {
    mock = await startGitHubMock({ token: TOKEN, owner: 'octo-org', repo: 'hello-world' });
    const empty = await createRepo({ 'a.txt': 'a\n' });
    folders.push(path.dirname(empty));
    expect((await call({ title: 'T', body: '' }, empty, TOKEN)).content).toBe(`create_pr failed: ${empty} has no commits yet, so there is nothing to open a pull request for. Commit first.`);
    const outside = path.dirname(empty);
    expect((await call({ title: 'T', body: '' }, outside, TOKEN)).content).toContain('is not in a git repository with a working tree');
    const { repo } = await repository();
    expect((await call({ title: 'T', body: '', branch: 'bad..name' }, repo, TOKEN)).content).toBe('create_pr failed: "bad..name" is not a valid branch name. Choose a name such as feature/login.');
    expect((await call({ title: 'T', body: '', branch: 'main', base: 'main' }, repo, TOKEN)).content).toContain('The head branch main is the base branch');
    expect(mock.pulls).toEqual([]);
  });

  it('refuses a base or branch that git would read as an option, even when a branch of that name exists', async () => {
    mock = await startGitHubMock({ token: TOKEN, owner: 'octo-org', repo: 'hello-world' });
    const { repo, bare } = await repository();
    const written = path.join(path.dirname(repo), 'pwned');
    // update-ref takes any name; `git log --output=FILE..feature` would write FILE.
    await git(repo, 'update-ref', `refs/heads/--output=${written}`, 'main');
    const base = await call({ title: 'T', body: '', base: `--output=${written}` }, repo, TOKEN);
    expect(base.content).toBe(`create_pr failed: "--output=${written}" is not a valid base branch name. Choose a name such as main.`);
    expect(existsSync(`${written}..refs/heads/feature`)).toBe(false);
    expect((await readdir(path.dirname(repo))).filter((name) => name.startsWith('pwned'))).toEqual([]);
    const branch = await call({ title: 'T', body: '', branch: '-f' }, repo, TOKEN);
    expect(branch.content).toBe('create_pr failed: "-f" is not a valid branch name. Choose a name such as feature/login.');
    expect(await remoteBranches(bare)).toEqual(['main']);
    expect(mock.pulls).toEqual([]);
  });
});

describe('where create_pr pushes', { timeout: 30_000 }, () => {
  it("refuses a push that the repository's config sends to another host, and pushes nothing", async () => {
    mock = await startGitHubMock({ token: TOKEN, owner: 'octo-org', repo: 'hello-world' });
    const { repo, bare } = await repository();
    await git(repo, 'config', 'url.https://evil.example/.pushInsteadOf', 'https://github.com/');
    const rewritten = await call({ title: 'T', body: '' }, repo, TOKEN);
    // 127.0.0.1: the mock's API host counts as a GitHub Enterprise host.
    expect(rewritten.content).toBe(
      'create_pr failed: git push origin would go to https://evil.example/octo-org/hello-world.git, which is not on GitHub (github.com or 127.0.0.1): the repository\'s git config sends the push elsewhere ' +
        '(a url.<base>.insteadOf or pushInsteadOf rewrite, or another remote.origin.pushurl; see git remote get-url --push --all origin), so the pull request would not hold what was pushed. ' +
        'Remove that setting, or push and open the pull request yourself.',
    );

    await git(repo, 'config', '--unset', 'url.https://evil.example/.pushInsteadOf');
    await git(repo, 'remote', 'set-url', '--add', '--push', 'origin', 'https://evil.example/copy.git');
    await git(repo, 'remote', 'set-url', '--add', '--push', 'origin', 'https://github.com/octo-org/hello-world.git');
    expect((await call({ title: 'T', body: '' }, repo, TOKEN)).content).toContain('git push origin would go to https://evil.example/copy.git, which is not on GitHub');
    expect(await remoteBranches(bare)).toEqual(['main']);
    expect(mock.pulls).toEqual([]);
  });

  it("allows a rewrite to GitHub over SSH, a path on this machine, and the user's own rewrite to an SSH host alias", async () => {
    const repo = await createRepo({ 'a.txt': 'a\n' }, { commit: 'first' });
    folders.push(path.dirname(repo));
    await git(repo, 'remote', 'add', 'origin', 'https://github.com/octo-org/hello-world.git');
    const hosts = gitHubHosts('https://api.github.com');
    const signal = new AbortController().signal;
    await git(repo, 'config', 'url.git@github.com:.pushInsteadOf', 'https://github.com/');
    await expect(checkPushUrls(repo, 'origin', hosts, signal)).resolves.toBeUndefined();
    await git(repo, 'config', 'url./srv/mirror/.pushInsteadOf', 'https://github.com/');
    await expect(checkPushUrls(repo, 'origin', hosts, signal)).resolves.toBeUndefined();

    // An SSH host alias (~/.ssh/config) is not GitHub's host by its name: the repository may not
    // rewrite to it, the user's global config may.
    await git(repo, 'config', '--remove-section', 'url./srv/mirror/');
    await git(repo, 'config', '--remove-section', 'url.git@github.com:');
    await git(repo, 'config', 'url.git@github-work:.pushInsteadOf', 'https://github.com/');
    await expect(checkPushUrls(repo, 'origin', hosts, signal)).rejects.toMatchObject({ code: MocoErrorCodes.GitRemoteMissing });
    await git(repo, 'config', '--remove-section', 'url.git@github-work:');
    const home = await mkdtemp(path.join(tmpdir(), 'moco-home-'));
    folders.push(home);
    await writeFiles(home, { '.gitconfig': '[url "git@github-work:"]\n\tpushInsteadOf = https://github.com/\n' });
    vi.stubEnv('HOME', home);
    vi.stubEnv('XDG_CONFIG_HOME', path.join(home, '.config'));
    try {
      expect((await git(repo, 'remote', 'get-url', '--push', 'origin')).trim()).toBe('git@github-work:octo-org/hello-world.git');
      await expect(checkPushUrls(repo, 'origin', hosts, signal)).resolves.toBeUndefined();
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
