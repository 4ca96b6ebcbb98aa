// pr/create over real JSON-RPC: the server (dist/server.js) asks the editor for its GitHub session
// (github/session, scope repo, sign-in allowed since the user started the command), falls back to
// GITHUB_TOKEN when the editor has none, and says GitHubAuthRequired when neither gives a token.
// Run `npm run build` first.
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { GitHubSessionRequest, PullRequestCreateRequest, type GitHubSessionParams } from '../../protocol/git';
import { loadGitHubDescription, pointRemoteAtGitHub, startGitHubMock, type GitHubMock } from '../support/githubMock';
import { commitAll, createBareRemote, createRepo, git, writeFiles } from '../support/gitRepos';
import { always, startMockLlm, type MockLlm } from '../support/mockLlm';
import { makeWorkspace, mockEnv, startEngineServer, wireError, type EngineClient, type TestWorkspace } from '../support/rpcHarness';

const TOKEN = 'gho_editorsession000000000000000000000000';
const ENV_TOKEN = 'ghp_environment00000000000000000000000000';

let workspace: TestWorkspace | undefined;
let client: EngineClient | undefined;
let llm: MockLlm | undefined;
let github: GitHubMock | undefined;
const folders: string[] = [];

beforeAll(() => loadGitHubDescription(), 60_000);
afterEach(async () => {
  await client?.kill();
  await llm?.close();
  await github?.close();
  await workspace?.cleanup();
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
  client = llm = github = workspace = undefined;
});

/** A repository on branch `feature` one commit ahead of main, main pushed to the bare origin; the server and mocks. */
async function setUp(env: Record<string, string>): Promise<{ repo: string; bare: string }> {
  workspace = await makeWorkspace();
  const repo = await createRepo({ 'README.md': '# Hello\n' }, { commit: 'Initial commit', parent: workspace.root });
  const bare = await createBareRemote(repo);
  folders.push(path.dirname(bare));
  await pointRemoteAtGitHub(repo, bare, 'octo-org', 'hello-world');
  await git(repo, 'push', '-q', 'origin', 'main');
  await git(repo, 'switch', '-q', '-c', 'feature');
  await writeFiles(repo, { 'a.ts': 'export const a = 1;\n' });
  await commitAll(repo, 'Add a');
  llm = await startMockLlm(always({ content: 'Add a\n\nAdds `a`.' }));
  const accepted = env.GITHUB_TOKEN ?? TOKEN;
  github = await startGitHubMock({ token: accepted, owner: 'octo-org', repo: 'hello-world' });
  const serverEnv = mockEnv(llm, workspace, env);
  if (!env.GITHUB_TOKEN) delete serverEnv.GITHUB_TOKEN;
  client = await startEngineServer(workspace, serverEnv);
  return { repo, bare };
}

describe('pr/create', () => {
  it("opens the pull request with the editor's GitHub session, asking with the repo scope and sign-in allowed", async () => {
    const { repo } = await setUp({});
    const asked: GitHubSessionParams[] = [];
    client!.connection.onRequest(GitHubSessionRequest, (params) => {
      asked.push(params);
      return { accessToken: TOKEN, account: 'octocat' };
    });
    const result = await client!.connection.sendRequest(PullRequestCreateRequest, { repositoryPath: repo, draft: true, apiUrl: github!.apiUrl });
    expect(result).toEqual({ url: 'https://github.com/octo-org/hello-world/pull/1347', number: 1347, title: 'Add a', branch: 'feature', base: 'main', draft: true, createdBranch: false, existing: false });
    expect(asked).toEqual([{ scopes: ['repo'], createIfNone: true }]);
    expect(github!.requests.every((request) => request.headers.authorization === `token ${TOKEN}`)).toBe(true);
    expect(github!.violations).toEqual([]);
  });

  it('falls back to GITHUB_TOKEN when the editor has no github/session handler', async () => {
    const { repo, bare } = await setUp({ GITHUB_TOKEN: ENV_TOKEN });
    const result = await client!.connection.sendRequest(PullRequestCreateRequest, { repositoryPath: repo, draft: false, apiUrl: github!.apiUrl });
    expect(result).toMatchObject({ number: 1347, branch: 'feature', draft: false });
    expect((await git(bare, 'for-each-ref', '--format=%(refname:short)', 'refs/heads')).split('\n').filter(Boolean)).toEqual(['feature', 'main']);
  });

  it('answers GitHubAuthRequired when the user declines to sign in and there is no GITHUB_TOKEN', async () => {
    const { repo } = await setUp({});
    client!.connection.onRequest(GitHubSessionRequest, () => ({}));
    const error = await wireError(client!.connection.sendRequest(PullRequestCreateRequest, { repositoryPath: repo, draft: false, apiUrl: github!.apiUrl }));
    expect(error).toEqual({
      code: MocoErrorCodes.GitHubAuthRequired,
      message: 'No GitHub token. Sign in to GitHub when VS Code asks (MOCO: Create Pull Request), or set GITHUB_TOKEN for the moco CLI.',
    });
    expect(github!.requests).toEqual([]);
  });

  it('answers NoCommitsAhead, with its code, for a branch with nothing new', async () => {
    const { repo } = await setUp({ GITHUB_TOKEN: ENV_TOKEN });
    await git(repo, 'switch', '-q', '-c', 'idle', 'main');
    const error = await wireError(client!.connection.sendRequest(PullRequestCreateRequest, { repositoryPath: repo, draft: false, apiUrl: github!.apiUrl }));
    expect(error).toEqual({ code: MocoErrorCodes.NoCommitsAhead, message: 'idle has no commits ahead of main; commit first.' });
  });
});
