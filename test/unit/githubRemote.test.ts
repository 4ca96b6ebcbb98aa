/**
 * Which remote a pull request's branch is pushed to, and the GitHub repository in its URL:
 * github.com over ssh and https, GitHub Enterprise hosts through the API URL, and the clear
 * GitRemoteMissing errors for other hosts, local paths and no remote.
 */
import { describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { choosePushRemote, gitHubHosts, gitHubRepoFromRemote, isLocalGitUrl, withoutCredentials } from '../../server/src/github/remote';
import { MocoError } from '../../server/src/orchestrator/errors';

const API = 'https://api.github.com';

function failure(run: () => unknown): MocoError {
  try {
    run();
  } catch (error) {
    if (error instanceof MocoError) return error;
    throw error;
  }
  throw new Error('expected a MocoError');
}

describe('gitHubRepoFromRemote', () => {
  it.each([
    ['git@github.com:octo-org/hello-world.git'],
    ['https://github.com/octo-org/hello-world.git'],
    ['https://github.com/octo-org/hello-world'],
    ['ssh://git@github.com/octo-org/hello-world.git'],
    ['ssh://git@ssh.github.com:443/octo-org/hello-world.git'],
    ['https://x-access-token:ghp_secret@github.com/octo-org/hello-world.git'],
  ])('reads owner and repository from %s', (url) => {
    expect(gitHubRepoFromRemote('origin', url, API)).toMatchObject({ owner: 'octo-org', repo: 'hello-world' });
  });

  it('accepts a GitHub Enterprise host when the API URL is on it', () => {
    const api = 'https://ghe.example.com/api/v3';
    expect(gitHubRepoFromRemote('origin', 'git@ghe.example.com:team/app.git', api)).toEqual({ owner: 'team', repo: 'app', host: 'ghe.example.com' });
    expect(gitHubRepoFromRemote('origin', 'https://ghe.example.com/team/app.git', api)).toMatchObject({ owner: 'team', repo: 'app' });
    // GHE.com: the API is api.<subdomain>.ghe.com, the remotes <subdomain>.ghe.com.
    expect(gitHubRepoFromRemote('origin', 'https://octocorp.ghe.com/team/app.git', 'https://api.octocorp.ghe.com')).toMatchObject({ owner: 'team', repo: 'app' });
  });

  it('refuses a GitHub Enterprise host while the API is github.com, saying which setting to change', () => {
    const error = failure(() => gitHubRepoFromRemote('origin', 'git@ghe.example.com:team/app.git', API));
    expect(error.code).toBe(MocoErrorCodes.GitRemoteMissing);
    expect(error.message).toContain('The remote origin (git@ghe.example.com:team/app.git) is not on GitHub');
    expect(error.message).toContain('GITHUB_API_URL to https://HOST/api/v3');
  });

  it('refuses another forge and a local path, naming the remote and what to do', () => {
    const gitlab = failure(() => gitHubRepoFromRemote('upstream', 'https://gitlab.com/group/app.git', API));
    expect(gitlab.code).toBe(MocoErrorCodes.GitRemoteMissing);
    expect(gitlab.message).toMatch(/^The remote upstream \(https:\/\/gitlab\.com\/group\/app\.git\) is not on GitHub \(github\.com\)/);
    expect(gitlab.message).toContain('git remote add origin https://github.com/OWNER/REPO.git');
    const local = failure(() => gitHubRepoFromRemote('origin', '/srv/git/app.git', API));
    expect(local.code).toBe(MocoErrorCodes.GitRemoteMissing);
    expect(local.message).toContain('(/srv/git/app.git) is not on GitHub');
  });

  it('never repeats the credentials of a remote URL in its message', () => {
    const error = failure(() => gitHubRepoFromRemote('origin', 'https://bob:hunter2@gitlab.com/group/app.git', API));
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('https://gitlab.com/group/app.git');
    expect(withoutCredentials('https://x-access-token:ghp_abc@github.com/o/r.git')).toBe('https://github.com/o/r.git');
    expect(withoutCredentials('git@github.com:o/r.git')).toBe('git@github.com:o/r.git');
  });

  it('lists github.com and the API URL host as GitHub hosts', () => {
    expect([...gitHubHosts(API)]).toEqual(['github.com', 'www.github.com', 'ssh.github.com']);
    expect(gitHubHosts('https://ghe.example.com/api/v3').has('ghe.example.com')).toBe(true);
  });
});

describe('choosePushRemote', () => {
  it("follows git's order: branch pushRemote, remote.pushDefault, the branch's remote, origin, the only remote", () => {
    const remotes = ['origin', 'fork', 'upstream'];
    expect(choosePushRemote({ remotes, branchPushRemote: 'fork', pushDefault: 'upstream', branchRemote: 'origin' })).toBe('fork');
    expect(choosePushRemote({ remotes, pushDefault: 'upstream', branchRemote: 'fork' })).toBe('upstream');
    expect(choosePushRemote({ remotes, branchRemote: 'fork' })).toBe('fork');
    expect(choosePushRemote({ remotes })).toBe('origin');
    expect(choosePushRemote({ remotes: ['mine'] })).toBe('mine');
    // A setting naming a remote that does not exist is skipped.
    expect(choosePushRemote({ remotes, branchPushRemote: 'gone' })).toBe('origin');
  });

  it('says how to add a remote when there is none, and how to choose among several', () => {
    const none = failure(() => choosePushRemote({ remotes: [] }));
    expect(none.code).toBe(MocoErrorCodes.GitRemoteMissing);
    expect(none.message).toBe(
      'This repository has no remote to push to. Add the GitHub repository as a remote (git remote add origin https://github.com/OWNER/REPO.git) and try again.',
    );
    const several = failure(() => choosePushRemote({ remotes: ['a', 'b'] }));
    expect(several.message).toContain('several remotes (a, b)');
    expect(several.message).toContain('git config remote.pushDefault NAME');
  });
});

describe('isLocalGitUrl', () => {
  it('tells a path on this machine from a network URL, as git does', () => {
    for (const url of ['/srv/git/repo.git', './repo.git', 'repo', 'file:///srv/repo.git', 'C:\\repos\\x.git', 'C:/repos/x.git', 'dir/with:colon']) expect(isLocalGitUrl(url)).toBe(true);
    for (const url of ['https://github.com/o/r.git', 'ssh://git@github.com/o/r.git', 'git@github.com:o/r.git', 'github-work:o/r.git', 'ext::sh -c touch% /tmp/x', 'git://example.com/r']) {
      expect(isLocalGitUrl(url)).toBe(false);
    }
  });
});
