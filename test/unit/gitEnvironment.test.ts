/**
 * The environment git runs with (server/src/git/gitEnvironment.ts): the hooks a commit and a push
 * run on purpose see the user's PATH and HOME but none of the server's API keys or tokens, on real
 * repositories whose hooks write out their environment.
 */
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pushBranch } from '../../server/src/github/branches';
import { passedToGit } from '../../server/src/git/gitEnvironment';
import { gitTools } from '../../server/src/tools/git/index';
import type { ToolContext } from '../../server/src/tools/types';
import { createBareRemote, createRepo, writeFiles } from '../support/gitRepos';

const signal = new AbortController().signal;
const folders: string[] = [];
const SECRETS = { OPENROUTER_API_KEY: 'sk-or-v1-secret', OPENAI_API_KEY: 'sk-secret', GITHUB_TOKEN: 'ghp_secret', GH_TOKEN: 'gho_secret', MOCO_PROVIDER_KEY: 'secret' };

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** Sets the secrets in this process's environment, as the server has them. */
function stubSecrets(): void {
  for (const [name, value] of Object.entries(SECRETS)) vi.stubEnv(name, value);
}

/** A repository whose hook `name` writes its environment to the returned file. */
async function repoWithEnvHook(name: string): Promise<{ repo: string; dump: string }> {
  const repo = await createRepo({ 'a.txt': 'a\n' }, { commit: 'first' });
  const dump = path.join(await mkdtemp(path.join(tmpdir(), 'moco-env-')), `${name}.env`);
  folders.push(path.dirname(repo), path.dirname(dump));
  await writeFiles(repo, { [`.git/hooks/${name}`]: `#!/bin/sh\nenv > '${dump}'\n` });
  await chmod(path.join(repo, '.git/hooks', name), 0o755);
  return { repo, dump };
}

function expectNoSecrets(environment: string): void {
  expect(environment).toMatch(/^PATH=/m);
  expect(environment).toMatch(/^HOME=/m);
  for (const [name, value] of Object.entries(SECRETS)) {
    expect(environment).not.toContain(name);
    expect(environment).not.toContain(value);
  }
}

describe("git's environment", () => {
  it("keeps the server's API keys and tokens from the hooks of a commit", async () => {
    stubSecrets();
    const { repo, dump } = await repoWithEnvHook('pre-commit');
    await writeFiles(repo, { 'a.txt': 'b\n' });
    const context: ToolContext = { workingDir: repo, runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => [], set: () => undefined } };
    const commit = gitTools().find((tool) => tool.definition.name === 'git_commit')!;

    expect((await commit.implementation({ message: 'Change a', all: true }, context, signal)).content).toMatch(/^Committed /);

    expectNoSecrets(await readFile(dump, 'utf8'));
  });

  it("keeps them from the pre-push hook of a pull request's push", async () => {
    stubSecrets();
    const { repo, dump } = await repoWithEnvHook('pre-push');
    const bare = await createBareRemote(repo);
    folders.push(path.dirname(bare));

    await pushBranch(repo, 'origin', 'main', signal);

    expectNoSecrets(await readFile(dump, 'utf8'));
  });

  it('passes on what git, hooks and credential helpers need, and none of git\'s own switches', () => {
    for (const name of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'SSH_AUTH_SOCK', 'XDG_CONFIG_HOME', 'https_proxy', 'Path', 'SystemRoot']) expect(passedToGit(name)).toBe(true);
    for (const name of ['GIT_DIR', 'GIT_CONFIG_GLOBAL', 'GIT_SSH_COMMAND', 'GIT_ASKPASS', 'SSH_ASKPASS', 'EDITOR', 'OPENAI_API_KEY', 'GITHUB_TOKEN', 'NODE_OPTIONS', 'LD_PRELOAD']) {
      expect(passedToGit(name)).toBe(false);
    }
  });
});
