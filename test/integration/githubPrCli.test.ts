// `moco pr create` end to end: the real CLI (dist/cli.js) in a real repository whose origin is a
// local bare repository (its configured URL https://github.com/octo-org/hello-world.git, rewritten
// by url.insteadOf), GitHub replaced by the mock that checks every request against GitHub's REST
// description, and the model by the mock LLM. Run `npm run build` first.
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../support/cliHarness';
import { loadGitHubDescription, pointRemoteAtGitHub, startGitHubMock, type GitHubMock } from '../support/githubMock';
import { commitAll, createBareRemote, createRepo, git, writeFiles } from '../support/gitRepos';
import { always, type MockLlm } from '../support/mockLlm';

const TOKEN = 'ghp_integration00000000000000000000000000';
const TEMPLATE = '## Summary\n<!-- What changes, and why? -->\n\n## Checklist\n- [ ] Tests added\n- [ ] Docs updated\n';
const ANSWER = 'Limit login attempts\n\n## Summary\nLogins are limited to five attempts a minute.\n\n## Checklist\n- [x] Tests added\n- [ ] Docs updated\n';

let sandbox: Sandbox;
let github: GitHubMock | undefined;
const folders: string[] = [];

beforeAll(() => loadGitHubDescription(), 60_000);
beforeEach(async () => {
  sandbox = await createSandbox();
});
afterEach(async () => {
  await github?.close();
  github = undefined;
  await sandbox.cleanup();
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A repository with the template, main pushed to the bare origin, then a commit on `branch` (on main when 'main'). */
async function repository(branch: string, remoteHost = 'github.com'): Promise<{ repo: string; bare: string }> {
  const repo = await createRepo({ 'README.md': '# Hello\n', '.github/pull_request_template.md': TEMPLATE }, { commit: 'Initial commit', parent: sandbox.root });
  const bare = await createBareRemote(repo);
  folders.push(path.dirname(bare));
  await pointRemoteAtGitHub(repo, bare, 'octo-org', 'hello-world', 'origin', remoteHost);
  await git(repo, 'push', '-q', 'origin', 'main');
  if (branch !== 'main') await git(repo, 'switch', '-q', '-c', branch);
  await writeFiles(repo, { 'src/login.ts': 'export const MAX_ATTEMPTS = 5;\n' });
  await commitAll(repo, 'Limit login attempts to five a minute');
  return { repo, bare };
}

async function startGitHub(bare: string): Promise<GitHubMock> {
  github = await startGitHubMock({ token: TOKEN, owner: 'octo-org', repo: 'hello-world', defaultBranch: 'main', remoteBranches: () => branches(bare) });
  return github;
}

async function branches(bare: string): Promise<string[]> {
  return (await git(bare, 'for-each-ref', '--format=%(refname:short)', 'refs/heads')).split('\n').filter(Boolean);
}

function pr(repo: string, args: string[], env: Record<string, string>): ReturnType<Sandbox['run']> {
  return sandbox.run(['pr', 'create', '-w', repo, ...args], { env });
}

function lastUserMessage(mock: MockLlm): string {
  const user = mock.chatRequests()[0]?.body.messages?.find((message) => message.role === 'user');
  return typeof user?.content === 'string' ? user.content : '';
}

describe('moco pr create', () => {
  it('pushes the branch and opens a draft pull request whose body fills the template, printing its URL', async () => {
    const { repo, bare } = await repository('feature/login-limit');
    const mock = await sandbox.startMock(always({ content: ANSWER }));
    const gh = await startGitHub(bare);
    const result = await pr(repo, ['--draft'], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('https://github.com/octo-org/hello-world/pull/1347\n');

    expect(await branches(bare)).toEqual(['feature/login-limit', 'main']);
    expect((await git(bare, 'rev-parse', 'feature/login-limit')).trim()).toBe((await git(repo, 'rev-parse', 'HEAD')).trim());
    const create = gh.requests.find((request) => request.operationId === 'pulls/create');
    expect(create?.body).toEqual({
      title: 'Limit login attempts',
      body: '## Summary\nLogins are limited to five attempts a minute.\n\n## Checklist\n- [x] Tests added\n- [ ] Docs updated',
      head: 'feature/login-limit',
      base: 'main',
      draft: true,
    });
    expect(gh.requests.map((request) => `${request.operationId} ${request.status}`)).toEqual(['repos/get 200', 'pulls/list 200', 'pulls/create 201']);
    expect(gh.violations).toEqual([]);

    // The model saw the commits, the diff and the template.
    const prompt = lastUserMessage(mock);
    expect(prompt).toContain('Pull request: feature/login-limit into main.');
    expect(prompt).toContain('- Limit login attempts to five a minute');
    expect(prompt).toContain('+export const MAX_ATTEMPTS = 5;');
    expect(prompt).toContain(`Template (.github/pull_request_template.md):\n${TEMPLATE.trim()}`);
    // The token went to GitHub only, not to the model.
    expect(create?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(JSON.stringify(mock.requests)).not.toContain(TOKEN);
  });

  it('creates moco/<slug> from the first new commit when run on the base branch', async () => {
    const { repo, bare } = await repository('main');
    await writeFiles(repo, { 'docs/login.md': 'Five attempts.\n' });
    await commitAll(repo, 'Document the login limit');
    await sandbox.startMock(always({ content: ANSWER }));
    const gh = await startGitHub(bare);
    const mainBefore = (await git(bare, 'rev-parse', 'main')).trim();
    const result = await pr(repo, [], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('moco: created the branch moco/limit-login-attempts-to-five-a-minute.\n');
    expect(result.stdout).toBe('https://github.com/octo-org/hello-world/pull/1347\n');
    expect(await branches(bare)).toEqual(['main', 'moco/limit-login-attempts-to-five-a-minute']);
    expect((await git(bare, 'rev-parse', 'main')).trim()).toBe(mainBefore);
    expect((await git(repo, 'branch', '--show-current')).trim()).toBe('moco/limit-login-attempts-to-five-a-minute');
    expect(gh.pulls).toMatchObject([{ head: 'moco/limit-login-attempts-to-five-a-minute', base: 'main', draft: false }]);
    expect(gh.violations).toEqual([]);
  });

  it('returns the open pull request of the branch instead of opening a second one', async () => {
    const { repo, bare } = await repository('feature');
    const mock = await sandbox.startMock(always({ content: ANSWER }));
    const gh = await startGitHub(bare);
    const open = gh.addPull({ title: 'Earlier work', body: '', head: 'feature', base: 'main', draft: false });
    const result = await pr(repo, ['--draft'], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`https://github.com/octo-org/hello-world/pull/${open.number}\n`);
    expect(result.stderr).toBe('moco: a pull request of feature was open already; feature was pushed to it.\n');
    expect(gh.requests.map((request) => request.operationId)).toEqual(['repos/get', 'pulls/list']);
    expect(mock.chatRequests()).toHaveLength(0);
    expect(await branches(bare)).toEqual(['feature', 'main']);
    expect(gh.violations).toEqual([]);
  });
});

describe('moco pr create, when it cannot', () => {
  it('says there is no remote', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n' }, { commit: 'First', parent: sandbox.root });
    const result = await pr(repo, [], { GITHUB_TOKEN: TOKEN });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('moco: This repository has no remote to push to. Add the GitHub repository as a remote (git remote add origin https://github.com/OWNER/REPO.git) and try again.\n');
  });

  it('says there is no token, and pushes nothing', async () => {
    const { repo, bare } = await repository('feature');
    const gh = await startGitHub(bare);
    const result = await pr(repo, [], { GITHUB_API_URL: gh.apiUrl });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('moco: No GitHub token. Sign in to GitHub when VS Code asks (MOCO: Create Pull Request), or set GITHUB_TOKEN for the moco CLI.\n');
    expect(await branches(bare)).toEqual(['main']);
    expect(gh.requests).toEqual([]);
  });

  it('says the branch has no commits ahead of the base, and pushes nothing', async () => {
    const { repo, bare } = await repository('feature');
    await git(repo, 'switch', '-q', '-c', 'idle', 'main');
    const gh = await startGitHub(bare);
    const result = await pr(repo, [], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('moco: idle has no commits ahead of main; commit first.\n');
    expect(await branches(bare)).toEqual(['main']);
    expect(gh.violations).toEqual([]);
  });

  it("gives GitHub's answer to a bad token and what to do, without the token, and pushes nothing", async () => {
    const { repo, bare } = await repository('feature');
    const gh = await startGitHub(bare);
    const result = await pr(repo, [], { GITHUB_TOKEN: 'ghp_revoked_but_secret', GITHUB_API_URL: gh.apiUrl });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'moco: GitHub answered 401 while reading octo-org/hello-world: Bad credentials. The GitHub token is wrong or has expired. Sign in to GitHub again when VS Code asks (MOCO: Create Pull Request), or set GITHUB_TOKEN to a valid token with the repo scope for the moco CLI.\n',
    );
    expect(result.stderr).not.toContain('ghp_revoked_but_secret');
    expect(await branches(bare)).toEqual(['main']);
    expect(gh.violations).toEqual([]);
  });

  it('refuses a remote that is not on GitHub, and pushes nothing', async () => {
    const { repo, bare } = await repository('feature', 'gitlab.com');
    const gh = await startGitHub(bare);
    const result = await pr(repo, [], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: 'https://api.github.com' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^moco: The remote origin \(https:\/\/gitlab\.com\/octo-org\/hello-world\.git\) is not on GitHub \(github\.com\), so no pull request can be opened there\. /);
    expect(await branches(bare)).toEqual(['main']);
    expect(gh.requests).toEqual([]);
  });
});
