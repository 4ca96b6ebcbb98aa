/**
 * The GitHub mock itself: it answers Octokit with recorded responses, and it rejects (and records
 * as violations) the requests GitHub's REST description does not allow, so that a test using it
 * can fail.
 */
import { Octokit } from '@octokit/rest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadGitHubDescription, startGitHubMock, type GitHubMock } from '../support/githubMock';

const TOKEN = 'ghp_mocktoken0000000000000000000000000000';
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
let mock: GitHubMock | undefined;

// Reading GitHub's 73 MB description and compiling its schemas takes seconds: a safety net, not a measure.
beforeAll(() => loadGitHubDescription(), 60_000);

async function start(): Promise<GitHubMock> {
  mock = await startGitHubMock({ token: TOKEN, owner: 'octo-org', repo: 'hello-world', defaultBranch: 'trunk' });
  return mock;
}

afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

function raw(github: GitHubMock, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${github.apiUrl}${path}`, {
    method,
    headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body }),
  });
}

describe('GitHub mock', { timeout: 30_000 }, () => {
  it("answers GET /repos/{owner}/{repo} with the recorded fixture, the repository's names rewritten", async () => {
    const github = await start();
    const octokit = new Octokit({ auth: TOKEN, baseUrl: github.apiUrl, log: silent });
    const { data, headers } = await octokit.rest.repos.get({ owner: 'octo-org', repo: 'hello-world' });
    expect(data.full_name).toBe('octo-org/hello-world');
    expect(data.owner.login).toBe('octo-org');
    expect(data.default_branch).toBe('trunk');
    // Recorded, not made up: the fixture's id, node_id and an API URL of the recording.
    expect(data.id).toBe(1000);
    expect(data.node_id).toBe('MDA6RW50aXR5MQ==');
    expect(headers['x-github-media-type']).toBe('github.v3; format=json');
    expect(github.violations).toEqual([]);
    expect(github.requests.map((request) => request.operationId)).toEqual(['repos/get']);
  });

  it("creates a pull request from GitHub's example, with the request's fields, and lists it by head", async () => {
    const github = await start();
    const octokit = new Octokit({ auth: TOKEN, baseUrl: github.apiUrl, log: silent });
    const { data, status } = await octokit.rest.pulls.create({ owner: 'octo-org', repo: 'hello-world', title: 'T', body: 'B', head: 'feature', base: 'trunk', draft: true });
    expect(status).toBe(201);
    expect(data).toMatchObject({ number: 1347, title: 'T', body: 'B', draft: true, state: 'open', html_url: 'https://github.com/octo-org/hello-world/pull/1347' });
    expect(data.head).toMatchObject({ ref: 'feature', label: 'octo-org:feature' });
    expect(data.base.ref).toBe('trunk');
    // The rest is the description's example (its author octocat).
    expect(data.user?.login).toBe('octocat');
    const listed = await octokit.rest.pulls.list({ owner: 'octo-org', repo: 'hello-world', state: 'open', head: 'octo-org:feature' });
    expect(listed.data.map((pull) => pull.number)).toEqual([1347]);
    expect((await octokit.rest.pulls.list({ owner: 'octo-org', repo: 'hello-world', head: 'octo-org:other' })).data).toEqual([]);
    await expect(octokit.rest.pulls.create({ owner: 'octo-org', repo: 'hello-world', title: 'T', head: 'feature', base: 'trunk' })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('A pull request already exists for octo-org:feature.') as unknown,
    });
    expect(github.violations).toEqual([]);
  });

  it("rejects a body that breaks GitHub's schema, with 422, and records the violation", async () => {
    const github = await start();
    const response = await raw(github, 'POST', '/repos/octo-org/hello-world/pulls', JSON.stringify({ title: 'T', head: 'feature', draft: 'yes' }));
    expect(response.status).toBe(422);
    expect(((await response.json()) as { message: string }).message).toContain('Invalid request.');
    expect(github.violations).toHaveLength(1);
    expect(github.violations[0]).toContain("POST /repos/octo-org/hello-world/pulls: the body of pulls/create does not match GitHub's schema");
    expect(github.violations[0]).toContain("must have required property 'base'");
    expect(github.violations[0]).toContain('draft must be boolean');
    expect(github.pulls).toEqual([]);
  });

  it('rejects a body that is not JSON (400), an unknown route (404), a bad query value and a missing token, each recorded', async () => {
    const github = await start();
    expect((await raw(github, 'POST', '/repos/octo-org/hello-world/pulls', '{"title":')).status).toBe(400);
    expect((await raw(github, 'GET', '/repos/octo-org/hello-world/pull-requests')).status).toBe(404);
    expect((await raw(github, 'GET', '/repos/octo-org/hello-world/pulls?state=merged')).status).toBe(422);
    expect((await raw(github, 'GET', '/repos/octo-org/hello-world/pulls?colour=red')).status).toBe(422);
    const anonymous = await fetch(`${github.apiUrl}/repos/octo-org/hello-world`);
    expect(anonymous.status).toBe(401);
    expect(github.violations).toEqual([
      'POST /repos/octo-org/hello-world/pulls: the body of pulls/create is not JSON',
      "GET /repos/octo-org/hello-world/pull-requests is no operation of GitHub's REST API",
      expect.stringContaining('query parameters of pulls/list: data/state must be equal to one of the allowed values') as unknown,
      expect.stringContaining('query parameters of pulls/list: data must NOT have additional properties') as unknown,
      'GET /repos/octo-org/hello-world: repos/get was sent without an Authorization header',
    ]);
  });

  it("answers a wrong token with GitHub's 401 Bad credentials, which is not a violation", async () => {
    const github = await start();
    const octokit = new Octokit({ auth: 'ghp_wrong', baseUrl: github.apiUrl, log: silent });
    await expect(octokit.rest.repos.get({ owner: 'octo-org', repo: 'hello-world' })).rejects.toMatchObject({
      status: 401,
      response: { data: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } },
    });
    expect(github.violations).toEqual([]);
  });

  it('answers 404 for another repository, and takes the GitHub Enterprise /api/v3 prefix', async () => {
    const github = await start();
    const octokit = new Octokit({ auth: TOKEN, baseUrl: `${github.apiUrl}/api/v3`, log: silent });
    await expect(octokit.rest.repos.get({ owner: 'someone', repo: 'else' })).rejects.toMatchObject({ status: 404 });
    expect((await octokit.rest.repos.get({ owner: 'octo-org', repo: 'hello-world' })).status).toBe(200);
    expect(github.violations).toEqual([]);
  });
});
