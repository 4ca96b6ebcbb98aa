/**
 * MOCO's GitHub client against the GitHub mock: the calls of a pull request, MOCO's user agent,
 * and failures as GitHubRequestFailed with GitHub's own message and status, never the token.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { createGitHubClient, gitHubApiUrl } from '../../server/src/github/client';
import { loadGitHubDescription, startGitHubMock, type GitHubMock } from '../support/githubMock';

const TOKEN = 'ghp_clienttest000000000000000000000000000';
const ref = { owner: 'octo-org', repo: 'hello-world' };
const signal = new AbortController().signal;
let mock: GitHubMock | undefined;

beforeAll(() => loadGitHubDescription(), 60_000);
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

describe('GitHub client', { timeout: 30_000 }, () => {
  it('reads the default branch, finds no pull request, creates one and then finds it', async () => {
    mock = await startGitHubMock({ token: TOKEN, ...ref, defaultBranch: 'develop' });
    const client = createGitHubClient({ token: TOKEN, apiUrl: `${mock.apiUrl}/` });
    expect(client.apiUrl).toBe(mock.apiUrl);
    expect((await client.repository(ref, signal)).defaultBranch).toBe('develop');
    expect(await client.openPullRequest(ref, 'feature', signal)).toBeUndefined();
    const created = await client.createPullRequest(ref, { title: 'Add x', body: 'Body', head: 'feature', base: 'develop', draft: true }, signal);
    expect(created).toEqual({ number: 1347, url: 'https://github.com/octo-org/hello-world/pull/1347', title: 'Add x', draft: true, head: 'feature', base: 'develop' });
    expect(await client.openPullRequest(ref, 'feature', signal)).toEqual(created);
    expect(mock.violations).toEqual([]);
    const [first] = mock.requests;
    expect(first?.headers['user-agent']).toMatch(/^moco\/\d+\.\d+\.\d+ /);
    expect(first?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(mock.requests.find((request) => request.operationId === 'pulls/list')?.query).toEqual({ state: 'open', head: 'octo-org:feature', per_page: '10' });
  });

  it('turns 401 into GitHubRequestFailed with GitHub\'s message, the status and what to do, without the token', async () => {
    mock = await startGitHubMock({ token: TOKEN, ...ref });
    const client = createGitHubClient({ token: 'ghp_revoked_secret', apiUrl: mock.apiUrl });
    const error = (await client.repository(ref, signal).then(
      () => undefined,
      (caught: unknown) => caught,
    )) as Error & { code: number };
    expect(error.code).toBe(MocoErrorCodes.GitHubRequestFailed);
    expect(error.message).toMatch(/^GitHub answered 401 while reading octo-org\/hello-world: Bad credentials\. The GitHub token is wrong or has expired\./);
    expect(error.message).toContain('GITHUB_TOKEN to a valid token with the repo scope');
    expect(error.message).not.toContain('ghp_revoked_secret');
  });

  it("gives GitHub's validation messages of a refused pull request", async () => {
    mock = await startGitHubMock({ token: TOKEN, ...ref });
    mock.addPull({ title: 'Old', body: '', head: 'feature', base: 'main', draft: false });
    const client = createGitHubClient({ token: TOKEN, apiUrl: mock.apiUrl });
    await expect(client.createPullRequest(ref, { title: 'New', body: '', head: 'feature', base: 'main', draft: false }, signal)).rejects.toThrow(
      'GitHub answered 422 while opening a pull request on octo-org/hello-world: Validation Failed (A pull request already exists for octo-org:feature.).',
    );
  });

  it('says when GitHub cannot be reached, or does not answer in time', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = createGitHubClient({ token: TOKEN, apiUrl: `http://127.0.0.1:${port}` });
    await expect(unreachable.repository(ref, signal)).rejects.toThrow(new RegExp(`^GitHub could not be reached at http://127\\.0\\.0\\.1:${port} while reading octo-org/hello-world \\(.+\\)\\. Check the network`));

    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const slow = createGitHubClient({ token: TOKEN, apiUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeoutMs: 200 });
      await expect(slow.repository(ref, signal)).rejects.toThrow('(no answer within 0.2 s)');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses an API URL that is not http(s), and defaults to api.github.com', () => {
    expect(() => createGitHubClient({ token: TOKEN, apiUrl: 'ghe.example.com/api/v3' })).toThrow('is not an http(s) URL');
    expect(gitHubApiUrl('')).toBe('https://api.github.com');
    expect(gitHubApiUrl(undefined)).toBe('https://api.github.com');
    expect(gitHubApiUrl(' https://ghe.example.com/api/v3/ ')).toBe('https://ghe.example.com/api/v3');
  });
});
