/**
 * The git side of a pull request, with git itself (A's `runGit`, simple-git): the push remote and
 * its configured URL, the base as the remote has it, the commits ahead of it, the head branch
 * (given, current, or a new `moco/<slug>`), and the push. Nothing here writes to the repository
 * except {@link switchToNewBranch} and {@link pushBranch}, which the caller runs last.
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import { gitErrorText, runGit } from '../git/gitClient';
import type { RepositoryState } from '../git/repository';
import { MocoError } from '../orchestrator/errors';
import { branchSlug } from './prText';
import { choosePushRemote, gitUrlHost, isLocalGitUrl, withoutCredentials } from './remote';

/** How long a push may take (ms): a safety net for a push that waits on a credential prompt. */
export const PUSH_TIMEOUT_MS = 5 * 60_000;

/** How long the fetch of the base may take (ms) before the local base is used. */
export const FETCH_TIMEOUT_MS = 60_000;

/** One commit ahead of the base. */
export interface AheadCommit {
  hash: string;
  subject: string;
  body: string;
}

/** The head branch a pull request will have. */
export interface HeadPlan {
  branch: string;
  /** True when the branch does not exist yet and is made at HEAD before the push. */
  create: boolean;
  /** What the commits ahead are counted from: the branch, or HEAD for a branch to create. */
  tip: string;
}

/** `git config --get NAME`, undefined when unset. */
async function config(root: string, name: string, signal: AbortSignal): Promise<string | undefined> {
  const value = await runGit(root, ['config', '--get', name], signal).catch(() => '');
  signal.throwIfAborted();
  return value.trim() || undefined;
}

/**
 * The remote `branch` is pushed to (remote.ts {@link choosePushRemote}) and its URL as configured
 * (`remote.<name>.pushurl`, else `url`), before `insteadOf` rewriting.
 * @throws {MocoError} `GitRemoteMissing`.
 */
export async function pushRemote(root: string, branch: string | undefined, signal: AbortSignal): Promise<{ remote: string; url: string }> {
  const remotes = (await runGit(root, ['remote'], signal)).split('\n').map((line) => line.trim()).filter(Boolean);
  const [branchPushRemote, pushDefault, branchRemote] = await Promise.all([
    branch ? config(root, `branch.${branch}.pushRemote`, signal) : undefined,
    config(root, 'remote.pushDefault', signal),
    branch ? config(root, `branch.${branch}.remote`, signal) : undefined,
  ]);
  const remote = choosePushRemote({ remotes, branchPushRemote, pushDefault, branchRemote });
  if (remote.startsWith('-')) {
    throw new MocoError(MocoErrorCodes.GitRemoteMissing, `The remote "${remote}" has a name git would read as an option. Rename it (git remote rename -- ${remote} origin) and try again.`);
  }
  const url = (await config(root, `remote.${remote}.pushurl`, signal)) ?? (await config(root, `remote.${remote}.url`, signal));
  if (!url) {
    throw new MocoError(MocoErrorCodes.GitRemoteMissing, `The remote ${remote} has no URL. Set one with git remote set-url ${remote} https://github.com/OWNER/REPO.git.`);
  }
  return { remote, url };
}

/** Config scopes the user writes themselves (`git config --show-scope`). */
const USER_SCOPES = new Set(['global', 'system']);

/**
 * Checks where `git push <remote>` really goes: every push URL after `url.<base>.insteadOf` and
 * `pushInsteadOf` rewriting (`git remote get-url --push --all`), since the pull request is opened
 * on the repository the configured URL names. A URL on this machine (a path, `file://`) is fine:
 * nothing leaves it (and tests push to a local bare repository this way). A network URL must be on
 * one of `hosts` (GitHub's, or GitHub Enterprise's), unless it is the rewrite of a configured URL
 * that is, and every URL rewrite comes from the user's own global or system config (an SSH host
 * alias such as `git@github-work:`); a rewrite from the repository's config to another host, or a
 * second push URL elsewhere, is refused.
 * @param hosts remote.ts `gitHubHosts(apiUrl)`.
 * @throws {MocoError} `GitRemoteMissing` naming where the push would go and what to do.
 */
export async function checkPushUrls(root: string, remote: string, hosts: Set<string>, signal: AbortSignal): Promise<void> {
  const urls = (await runGit(root, ['remote', 'get-url', '--push', '--all', '--end-of-options', remote], signal))
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const onGitHub = (url: string): boolean => isLocalGitUrl(url) || hosts.has(gitUrlHost(url));
  const elsewhere = urls.filter((url) => !onGitHub(url));
  if (elsewhere.length === 0) return;
  // The rare path: an empty answer costs simple-git's 50 ms wait here only.
  const lines = async (args: string[]): Promise<string[]> => (await runGit(root, args, signal).catch(() => '')).split('\n').filter(Boolean);
  const pushUrls = await lines(['config', '--get-all', `remote.${remote}.pushurl`]);
  const configured = pushUrls.length > 0 ? pushUrls : await lines(['config', '--get-all', `remote.${remote}.url`]);
  // `<scope>\t<name> <value>` per rule.
  const rules = await lines(['config', '--show-scope', '--get-regexp', '^url\\..*\\.(push)?insteadof$']);
  signal.throwIfAborted();
  const usersOwn = rules.length > 0 && rules.every((rule) => USER_SCOPES.has(rule.slice(0, rule.indexOf('\t'))));
  if (usersOwn && configured.every(onGitHub)) return;
  const shown = withoutCredentials(elsewhere[0]!);
  throw new MocoError(
    MocoErrorCodes.GitRemoteMissing,
    `git push ${remote} would go to ${shown}, which is not on GitHub (${[...hosts].filter((host) => host !== 'www.github.com' && host !== 'ssh.github.com').join(' or ')}): the repository's git config sends the push elsewhere (a url.<base>.insteadOf or pushInsteadOf rewrite, or another remote.${remote}.pushurl; see git remote get-url --push --all ${remote}), so the pull request would not hold what was pushed. Remove that setting, or push and open the pull request yourself.`,
  );
}

/** Whether `ref` names a commit. */
async function exists(root: string, ref: string, signal: AbortSignal): Promise<boolean> {
  const out = await runGit(root, ['rev-parse', '--quiet', '--verify', `${ref}^{commit}`], signal).catch(() => '');
  signal.throwIfAborted();
  return out.trim() !== '';
}

/**
 * Checks a branch name given to MOCO (the base, a requested head) before git sees it: a name git
 * accepts for a branch (`git check-ref-format --branch`), not starting with `-`, which git would
 * read as an option (`--output=FILE` makes `git log` write a file).
 * @param role what the name is, for the message (`base branch`, `branch`).
 * @throws {MocoError} `GitStateInvalid` naming it and what to give instead.
 */
export async function checkBranchName(root: string, name: string, role: string, signal: AbortSignal): Promise<void> {
  const valid =
    !name.startsWith('-') &&
    (await runGit(root, ['check-ref-format', '--branch', name], signal).then(
      () => true,
      () => false,
    ));
  signal.throwIfAborted();
  if (!valid) throw new MocoError(MocoErrorCodes.GitStateInvalid, `"${name}" is not a valid ${role} name. Choose a name such as ${role === 'base branch' ? 'main' : 'feature/login'}.`);
}

/**
 * The base as the remote has it: `git fetch <remote> <base>` (which updates `<remote>/<base>`),
 * then `refs/remotes/<remote>/<base>`; when the fetch fails or the remote lacks the branch, the
 * local `refs/heads/<base>`. Full ref names, so that no name is read as an option or as a tag.
 * @param base checked with {@link checkBranchName} first.
 * @throws {MocoError} `GitStateInvalid` when neither exists.
 */
export async function resolveBase(root: string, remote: string, base: string, signal: AbortSignal): Promise<string> {
  const fetching = AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]);
  const refspec = `+refs/heads/${base}:refs/remotes/${remote}/${base}`;
  await runGit(root, ['fetch', '--quiet', '--no-tags', '--end-of-options', remote, refspec], fetching, { access: 'fetch' }).catch(() => undefined);
  signal.throwIfAborted();
  const tracking = `refs/remotes/${remote}/${base}`;
  if (await exists(root, tracking, signal)) return tracking;
  if (await exists(root, `refs/heads/${base}`, signal)) return `refs/heads/${base}`;
  throw new MocoError(
    MocoErrorCodes.GitStateInvalid,
    `The base branch ${base} exists neither on ${remote} nor in this repository. Push it first, or choose another base branch.`,
  );
}

/** The commits of `tip` that `baseRef` lacks, newest first (`git log baseRef..tip`). */
export async function commitsAhead(root: string, baseRef: string, tip: string, signal: AbortSignal): Promise<AheadCommit[]> {
  const out = await runGit(root, ['log', '--no-color', '--format=%H%x1f%s%x1f%b%x1e', '--end-of-options', `${baseRef}..${tip}`, '--'], signal);
  return out
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.trim() !== '')
    .map((record) => {
      const [hash = '', subject = '', body = ''] = record.split('\x1f');
      return { hash, subject, body: body.trim() };
    });
}

/**
 * The head branch: `requested` when given (made at HEAD when it does not exist), else the current
 * branch, else, when the current branch is the base or HEAD is detached, a new branch named by
 * {@link newBranchName} once the commits are known (`branch` is '' until then).
 * @throws {MocoError} `GitStateInvalid` for a requested name git refuses, or one equal to the base.
 */
export async function planHead(root: string, state: RepositoryState, base: string, requested: string | undefined, signal: AbortSignal): Promise<HeadPlan> {
  if (requested) {
    await checkBranchName(root, requested, 'branch', signal);
    if (requested === base) throw new MocoError(MocoErrorCodes.GitStateInvalid, `The head branch ${requested} is the base branch. Choose another head branch, or another base.`);
    const present = await exists(root, `refs/heads/${requested}`, signal);
    return { branch: requested, create: !present, tip: present ? `refs/heads/${requested}` : 'HEAD' };
  }
  if (state.branch && state.branch !== base) return { branch: state.branch, create: false, tip: `refs/heads/${state.branch}` };
  return { branch: '', create: true, tip: 'HEAD' };
}

/**
 * A free branch name `moco/<slug of the oldest commit's subject>`; `-2`, `-3`... when a branch of
 * that name exists already at another commit. A branch of that name at HEAD is reused.
 */
export async function newBranchName(root: string, oldestSubject: string, signal: AbortSignal): Promise<{ branch: string; exists: boolean }> {
  const stem = `moco/${branchSlug(oldestSubject)}`;
  const head = (await runGit(root, ['rev-parse', 'HEAD'], signal)).trim();
  for (let n = 1; ; n++) {
    const branch = n === 1 ? stem : `${stem}-${n}`;
    const at = (await runGit(root, ['rev-parse', '--quiet', '--verify', `refs/heads/${branch}`], signal).catch(() => '')).trim();
    if (at === '') return { branch, exists: false };
    if (at === head) return { branch, exists: true };
  }
}

/** `git switch -c <branch>` at HEAD: the working tree and the index stay as they are. */
export async function switchToNewBranch(root: string, branch: string, signal: AbortSignal): Promise<void> {
  try {
    await runGit(root, ['switch', '--quiet', '-c', branch], signal, { access: 'write' });
  } catch (error) {
    signal.throwIfAborted();
    throw new MocoError(MocoErrorCodes.GitStateInvalid, `Creating the branch ${branch} failed: ${gitErrorText(error)}`);
  }
}

/**
 * `git push -u <remote> <branch>`, which also sets the branch's upstream.
 * @throws {MocoError} `GitStateInvalid` with git's message and what to check; the signal's reason.
 */
export async function pushBranch(root: string, remote: string, branch: string, signal: AbortSignal): Promise<void> {
  const timeout = AbortSignal.timeout(PUSH_TIMEOUT_MS);
  try {
    await runGit(root, ['push', '--quiet', '-u', '--end-of-options', remote, `refs/heads/${branch}:refs/heads/${branch}`], AbortSignal.any([signal, timeout]), {
      access: 'write',
    });
  } catch (error) {
    signal.throwIfAborted();
    const reason = timeout.aborted ? `no answer within ${PUSH_TIMEOUT_MS / 60_000} minutes` : gitErrorText(error);
    throw new MocoError(
      MocoErrorCodes.GitStateInvalid,
      `Pushing ${branch} to ${remote} failed: ${reason}. Check that you can push to ${remote} (git push -u ${remote} ${branch}): your credentials or SSH key, and that the branch is not behind the remote one.`,
    );
  }
}
