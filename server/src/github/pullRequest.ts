/**
 * Opening a pull request in two steps, shared by `pr/create` / `moco pr create` (which let a
 * model write the text) and the agent tool `create_pr` (whose agent wrote it):
 * 1. {@link preparePullRequest} checks everything and changes nothing: the repository, the push
 *    remote on GitHub, the token, the base (the repository's default branch unless given), the
 *    head branch, the commits ahead of the base, and an open pull request of the head already;
 * 2. {@link publishPullRequest} creates the head branch when needed, pushes it, and opens the pull
 *    request (or returns the open one).
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import type { PullRequestCreateResult } from '../../../protocol/git';
import { openRepository, requireResolvedState } from '../git/repository';
import { MocoError } from '../orchestrator/errors';
import { checkBranchName, checkPushUrls, commitsAhead, newBranchName, planHead, pushBranch, pushRemote, resolveBase, switchToNewBranch, type AheadCommit } from './branches';
import { createGitHubClient, gitHubApiUrl, type GitHubClient, type GitHubPullRequest, type GitHubRepoRef } from './client';
import { gitHubHosts, gitHubRepoFromRemote } from './remote';

/** Where and from what a pull request is opened. */
export interface PullRequestTarget {
  /** A folder of the repository (its root or inside it). */
  repositoryPath: string;
  /** Base branch; absent for the GitHub repository's default branch. */
  base?: string;
  /** Head branch; absent for the current one, or a new `moco/<slug>` (see branches.ts `planHead`). */
  branch?: string;
  /** The API; absent or '' for https://api.github.com. */
  apiUrl?: string;
}

/** Everything checked, nothing changed yet. */
export interface PreparedPullRequest {
  /** The repository's root. */
  root: string;
  remote: string;
  repo: GitHubRepoRef;
  client: GitHubClient;
  base: string;
  /** What the commits are counted from: `refs/remotes/<remote>/<base>`, or `refs/heads/<base>` when the remote lacks it. */
  baseRef: string;
  branch: string;
  /** True when {@link publishPullRequest} makes the branch at HEAD (and switches to it). */
  createBranch: boolean;
  /** The commits ahead of the base, newest first; never empty. */
  commits: AheadCommit[];
  /** The open pull request of the head branch, when there is one. */
  existing?: GitHubPullRequest;
}

/** What the user reads when there is no token. */
export const NO_TOKEN_MESSAGE = 'No GitHub token. Sign in to GitHub when VS Code asks (MOCO: Create Pull Request), or set GITHUB_TOKEN for the moco CLI.';

/**
 * Checks that a pull request can be opened, in the order a user fixes things, and changes nothing.
 * @param token asked once the repository and its remote are known to be fine.
 * @throws {MocoError} `GitStateInvalid` (not a repository, conflicts, no commits, bad branch name,
 *   base unknown), `GitRemoteMissing`, `GitHubAuthRequired`, `NoCommitsAhead`,
 *   `GitHubRequestFailed`; the signal's reason.
 */
export async function preparePullRequest(target: PullRequestTarget, token: () => Promise<string | undefined>, signal: AbortSignal): Promise<PreparedPullRequest> {
  const repository = await openRepository(target.repositoryPath, signal);
  const { root } = repository;
  const state = await requireResolvedState(repository, signal);
  if (!state.hasCommits) {
    throw new MocoError(MocoErrorCodes.NoCommitsAhead, `${root} has no commits yet, so there is nothing to open a pull request for. Commit first.`);
  }
  const headName = target.branch || state.branch;
  const { remote, url } = await pushRemote(root, headName, signal);
  const apiUrl = gitHubApiUrl(target.apiUrl);
  const repo = gitHubRepoFromRemote(remote, url, apiUrl);
  await checkPushUrls(root, remote, gitHubHosts(apiUrl), signal);
  const secret = await token();
  signal.throwIfAborted();
  if (!secret) throw new MocoError(MocoErrorCodes.GitHubAuthRequired, NO_TOKEN_MESSAGE);
  const client = createGitHubClient({ token: secret, apiUrl });
  const base = target.base || (await client.repository({ owner: repo.owner, repo: repo.repo }, signal)).defaultBranch;
  await checkBranchName(root, base, 'base branch', signal);
  const plan = await planHead(root, state, base, target.branch || undefined, signal);
  const baseRef = await resolveBase(root, remote, base, signal);
  const commits = await commitsAhead(root, baseRef, plan.tip, signal);
  if (commits.length === 0) {
    const name = plan.branch || (state.branch ?? 'HEAD');
    throw new MocoError(MocoErrorCodes.NoCommitsAhead, `${name} has no commits ahead of ${base}; commit first.`);
  }
  let { branch, create } = plan;
  if (!branch) {
    const named = await newBranchName(root, commits.at(-1)?.subject ?? '', signal);
    branch = named.branch;
    create = !named.exists;
  }
  const ref = { owner: repo.owner, repo: repo.repo };
  const existing = await client.openPullRequest(ref, branch, signal);
  return { root, remote, repo: ref, client, base, baseRef, branch, createBranch: create, commits, ...(existing ? { existing } : {}) };
}

/** The title and description of a new pull request. */
export interface PullRequestText {
  title: string;
  body: string;
}

/**
 * Creates the head branch when planned (at HEAD, switching to it), pushes it (`push -u`), and
 * opens the pull request; when one is open already, pushes and returns it (`existing: true`).
 * @param text required unless `prepared.existing` is set.
 * @throws {MocoError} `GitStateInvalid` (branch or push failed), `GitHubRequestFailed`; the signal's reason.
 */
export async function publishPullRequest(prepared: PreparedPullRequest, text: PullRequestText | undefined, draft: boolean, signal: AbortSignal): Promise<PullRequestCreateResult> {
  const { root, remote, branch, base, existing } = prepared;
  if (prepared.createBranch) await switchToNewBranch(root, branch, signal);
  await pushBranch(root, remote, branch, signal);
  const createdBranch = prepared.createBranch;
  if (existing) {
    return { url: existing.url, number: existing.number, title: existing.title, branch, base: existing.base, draft: existing.draft, createdBranch, existing: true };
  }
  if (!text) throw new Error('publishPullRequest needs the text of a new pull request');
  const pull = await prepared.client.createPullRequest(prepared.repo, { title: text.title, body: text.body, head: branch, base, draft }, signal);
  return { url: pull.url, number: pull.number, title: pull.title, branch, base: pull.base, draft: pull.draft, createdBranch, existing: false };
}
