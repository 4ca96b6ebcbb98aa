/**
 * The GitHub repository a branch is pushed to: which remote (git's own order of `pushRemote`
 * settings), and the owner and name in its URL, parsed with `git-url-parse` (ssh `git@host:o/r`,
 * `ssh://`, https, GitHub Enterprise hosts). The URL is the one configured (`remote.<name>.url`,
 * or `pushurl`), before any `url.<base>.insteadOf` rewriting, because it names the repository as
 * the user knows it; where the push goes after rewriting is checked by branches.ts `checkPushUrls`.
 */
import gitUrlParse from 'git-url-parse';
import { MocoErrorCodes } from '../../../protocol/errors';
import { MocoError } from '../orchestrator/errors';
import type { GitHubRepoRef } from './client';

/** Hosts of github.com's git remotes. */
const GITHUB_HOSTS = new Set(['github.com', 'www.github.com', 'ssh.github.com']);

/** The repository config values {@link choosePushRemote} reads (`git config --get ...`). */
export interface RemoteConfig {
  /** Names of the configured remotes (`git remote`). */
  remotes: string[];
  /** `branch.<branch>.pushRemote`. */
  branchPushRemote?: string;
  /** `remote.pushDefault`. */
  pushDefault?: string;
  /** `branch.<branch>.remote`. */
  branchRemote?: string;
}

/**
 * The remote a branch is pushed to, in git's order (git-config(1) `branch.<name>.pushRemote`):
 * `branch.<b>.pushRemote`, `remote.pushDefault`, `branch.<b>.remote`, then `origin`, then the only
 * remote. Names that are not configured remotes are skipped.
 * @throws {MocoError} `GitRemoteMissing` when there is no remote, or several and none chosen.
 */
export function choosePushRemote(config: RemoteConfig): string {
  const known = (name: string | undefined): name is string => name !== undefined && config.remotes.includes(name);
  const chosen = [config.branchPushRemote, config.pushDefault, config.branchRemote, 'origin'].find(known);
  if (chosen) return chosen;
  if (config.remotes.length === 1 && config.remotes[0]) return config.remotes[0];
  if (config.remotes.length === 0) {
    throw new MocoError(
      MocoErrorCodes.GitRemoteMissing,
      'This repository has no remote to push to. Add the GitHub repository as a remote (git remote add origin https://github.com/OWNER/REPO.git) and try again.',
    );
  }
  throw new MocoError(
    MocoErrorCodes.GitRemoteMissing,
    `This repository has several remotes (${config.remotes.join(', ')}) and none is named origin or set as the push remote. Set one with git config remote.pushDefault NAME and try again.`,
  );
}

/**
 * The owner and name of the GitHub repository at a remote URL.
 * @param apiUrl the API in use: its host (and, for `api.HOST`, HOST) also counts as GitHub's, for
 *   GitHub Enterprise Server (`https://HOST/api/v3`) and GHE.com (`https://api.SUB.ghe.com`).
 * @throws {MocoError} `GitRemoteMissing` when the URL is not a GitHub repository's (another host,
 *   a local path, no owner/name), naming the remote and what to do.
 */
export function gitHubRepoFromRemote(remote: string, url: string, apiUrl: string): GitHubRepoRef & { host: string } {
  const shown = withoutCredentials(url);
  let parsed: ReturnType<typeof gitUrlParse> | undefined;
  try {
    parsed = gitUrlParse(url.trim());
  } catch {
    parsed = undefined;
  }
  const host = parsed?.resource.toLowerCase() ?? '';
  const hosts = gitHubHosts(apiUrl);
  if (!parsed || !host || !hosts.has(host)) {
    throw new MocoError(
      MocoErrorCodes.GitRemoteMissing,
      `The remote ${remote} (${shown}) is not on GitHub (${[...hosts].filter((h) => h !== 'www.github.com' && h !== 'ssh.github.com').join(' or ')}), so no pull request can be opened there. Push to a GitHub remote (git remote add origin https://github.com/OWNER/REPO.git), or for GitHub Enterprise set moco.github.apiUrl / GITHUB_API_URL to https://HOST/api/v3.`,
    );
  }
  const owner = parsed.owner;
  const repo = parsed.name.replace(/\.git$/, '');
  if (!owner || !repo || owner.includes('/')) {
    throw new MocoError(
      MocoErrorCodes.GitRemoteMissing,
      `The URL of the remote ${remote} (${shown}) does not name a GitHub repository as OWNER/REPO. Set it with git remote set-url ${remote} https://${host}/OWNER/REPO.git.`,
    );
  }
  return { owner, repo, host };
}

/** The hosts whose remotes the API at `apiUrl` serves: github.com's, and the API URL's own. */
export function gitHubHosts(apiUrl: string): Set<string> {
  const hosts = new Set(GITHUB_HOSTS);
  let apiHost: string;
  try {
    apiHost = new URL(apiUrl).hostname.toLowerCase();
  } catch {
    return hosts;
  }
  if (apiHost === 'api.github.com') return hosts;
  hosts.add(apiHost);
  if (apiHost.startsWith('api.')) hosts.add(apiHost.slice('api.'.length));
  return hosts;
}

/**
 * Whether git reaches `url` on this machine rather than over the network, as git decides it
 * (connect.c `url_is_local_not_ssh`, transport.c): `file://`, or no `scheme://`, no `helper::`,
 * and no `:` before the first `/` (`host:path` is SSH), or a Windows drive path.
 */
export function isLocalGitUrl(url: string): boolean {
  if (/^file:\/\//i.test(url)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[a-z0-9+.-]+::/i.test(url)) return false;
  const colon = url.indexOf(':');
  const slash = url.indexOf('/');
  return colon < 0 || (slash >= 0 && slash < colon) || /^[a-z]:[\\/]/i.test(url);
}

/** The host of a network git URL (`git-url-parse`'s resource), lower-cased; '' when it has none. */
export function gitUrlHost(url: string): string {
  try {
    return gitUrlParse(url.trim()).resource.toLowerCase();
  } catch {
    return '';
  }
}

/** A URL for messages: `https://user:secret@host/...` without the user and secret. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}
