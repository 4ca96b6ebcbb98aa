// The agent tool create_pr through the real CLI (`moco run`): the engine gives the tool its GitHub
// access (GITHUB_TOKEN, GITHUB_API_URL through the tool settings), the call waits for approval
// (--yes gives it; without a terminal it is denied and nothing is pushed), and the agent reads the
// result. Run `npm run build` first.
import { readdir, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, toolResults, type Sandbox } from '../support/cliHarness';
import { loadGitHubDescription, pointRemoteAtGitHub, startGitHubMock, type GitHubMock } from '../support/githubMock';
import { commitAll, createBareRemote, createRepo, git, writeFiles } from '../support/gitRepos';
import { sequence, toolCall } from '../support/mockLlm';
import { writeTeam } from '../support/teams';

const TOKEN = 'ghp_agenttool0000000000000000000000000000';
const TEAM = 'pr-team';
const ARGS = { title: 'Add the greeting', body: 'Adds `hello()`.', draft: true };

let sandbox: Sandbox;
let github: GitHubMock | undefined;
const folders: string[] = [];

beforeAll(() => loadGitHubDescription(), 60_000);
beforeEach(async () => {
  sandbox = await createSandbox();
  await writeTeam(sandbox.profilesDir, { name: TEAM, agents: [{ name: 'orchestrator', tools: ['create_pr'] }] });
});
afterEach(async () => {
  await github?.close();
  github = undefined;
  await sandbox.cleanup();
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function repository(): Promise<{ repo: string; bare: string }> {
  const repo = await createRepo({ 'README.md': '# Hello\n' }, { commit: 'Initial commit', parent: sandbox.root });
  const bare = await createBareRemote(repo);
  folders.push(path.dirname(bare));
  await pointRemoteAtGitHub(repo, bare, 'octo-org', 'hello-world');
  await git(repo, 'push', '-q', 'origin', 'main');
  await git(repo, 'switch', '-q', '-c', 'greeting');
  await writeFiles(repo, { 'hello.ts': "export const hello = (): string => 'hello';\n" });
  await commitAll(repo, 'Add hello()');
  return { repo, bare };
}

/** Every file under MOCO_HOME (the database and its WAL), as text. */
async function homeFiles(): Promise<string> {
  const entries = await readdir(sandbox.home, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(entries.filter((entry) => entry.isFile()).map((entry) => readFile(path.join(entry.parentPath, entry.name), 'latin1')));
  return texts.join('\n');
}

async function branches(bare: string): Promise<string[]> {
  return (await git(bare, 'for-each-ref', '--format=%(refname:short)', 'refs/heads')).split('\n').filter(Boolean);
}

describe('create_pr in an agent run', () => {
  it('pushes and opens the pull request once approved, and the agent reads its URL', async () => {
    const { repo, bare } = await repository();
    const mock = await sandbox.startMock(sequence([toolCall('create_pr', ARGS), { content: 'Opened the pull request.' }]));
    github = await startGitHubMock({ token: TOKEN, owner: 'octo-org', repo: 'hello-world', remoteBranches: () => branches(bare) });
    const result = await sandbox.run(['run', '-p', TEAM, '-w', repo, '--yes', '--no-stream', 'open a pull request'], { env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.apiUrl } });
    expect(result.code).toBe(0);
    expect(toolResults(mock.chatRequests()[1]!)).toEqual([
      'Opened draft pull request #1347 "Add the greeting": https://github.com/octo-org/hello-world/pull/1347. Head greeting → base main, 1 commit.',
    ]);
    expect(github.pulls).toEqual([{ number: 1347, title: 'Add the greeting', body: 'Adds `hello()`.', head: 'greeting', base: 'main', draft: true }]);
    expect(await branches(bare)).toEqual(['greeting', 'main']);
    expect(github.violations).toEqual([]);
    // The run is stored (its tool result holds the URL); the token that opened it is nowhere in it, nor in the output.
    const stored = await homeFiles();
    expect(stored).toContain('https://github.com/octo-org/hello-world/pull/1347');
    expect(stored).not.toContain(TOKEN);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('pushes nothing when the call is not approved', async () => {
    const { repo, bare } = await repository();
    const mock = await sandbox.startMock(sequence([toolCall('create_pr', ARGS), { content: 'The user said no.' }]));
    github = await startGitHubMock({ token: TOKEN, owner: 'octo-org', repo: 'hello-world' });
    const result = await sandbox.run(['run', '-p', TEAM, '-w', repo, '--no-stream', 'open a pull request'], { env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.apiUrl } });
    expect(result.code).toBe(0);
    expect(toolResults(mock.chatRequests()[1]!)[0]).toContain('The user denied this call of create_pr.');
    expect(await branches(bare)).toEqual(['main']);
    expect(github.requests).toEqual([]);
  });
});
