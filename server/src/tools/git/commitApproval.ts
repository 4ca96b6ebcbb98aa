/**
 * The reason `git_commit` gives when it asks for approval: the branch, the files the commit would
 * hold, and the message, and that the repository's hooks run. The files are listed with git
 * through the git core's read-only path (gitClient.ts: no hook, filter or fsmonitor of the
 * repository runs before the user approved anything), asynchronously (`needsApproval` may return a
 * promise, tools/types.ts), within {@link APPROVAL_GIT_TIMEOUT_MS}; when that fails the reason
 * says so and still asks.
 */
import * as path from 'node:path';
import { runGit, SUBMODULES_UNREAD } from '../../git/gitClient';
import { APPROVAL_GIT_TIMEOUT_MS, APPROVAL_MAX_FILES } from './limits';

/** The arguments of `git_commit` the reason describes. */
export interface CommitApprovalArgs {
  message: string;
  all?: boolean;
  paths?: string[];
}

/** Runs a reading git in `cwd` (gitClient.ts `runGit`); stdout, or undefined on failure. */
async function gitOutput(cwd: string, args: string[], signal: AbortSignal): Promise<string | undefined> {
  return runGit(cwd, args, signal).catch(() => undefined);
}

/** The change of one status entry as the commit would record it, or undefined when it would not be in it. */
function entryChange(x: string, y: string, file: string, args: CommitApprovalArgs, prefix: string, wanted: string[]): string | undefined {
  if (x !== ' ' && x !== '?' && x !== '!') return x;
  const inside = prefix === '' || file.startsWith(prefix);
  if (args.all && inside && x === ' ' && 'MDT'.includes(y)) return y;
  const named = wanted.some((want) => want === '' || file === want || file.startsWith(`${want}/`));
  if (named && x === '?') return 'A';
  if (named && y !== ' ' && y !== '!') return y;
  return undefined;
}

/**
 * The files the commit would hold, `<letter> <path>` repository-relative, with the branch and
 * root; or a sentence saying why they could not be listed.
 */
export async function filesToCommit(args: CommitApprovalArgs, workingDir: string): Promise<{ root: string; branch: string; files: string[] } | { problem: string }> {
  const signal = AbortSignal.timeout(APPROVAL_GIT_TIMEOUT_MS);
  const located = await gitOutput(workingDir, ['rev-parse', '--show-toplevel', '--show-prefix'], signal);
  if (located === undefined) return { problem: `${workingDir} is not in a git repository, so nothing can be committed` };
  const [root = workingDir, prefix = ''] = located.split('\n');
  // Side by side: on a detached HEAD `symbolic-ref` prints nothing, and simple-git then waits 50 ms.
  const [head, status] = await Promise.all([
    gitOutput(workingDir, ['symbolic-ref', '--quiet', '--short', 'HEAD'], signal),
    gitOutput(workingDir, ['status', '--porcelain=v1', '-z', '--untracked-files=all', SUBMODULES_UNREAD], signal),
  ]);
  const branch = head?.trim() || 'a detached HEAD';
  if (status === undefined) return { problem: signal.aborted ? `git status took more than ${APPROVAL_GIT_TIMEOUT_MS / 1000} s, so the files could not be listed` : 'git status failed, so the files could not be listed' };
  const wanted = (args.paths ?? []).map((file) => {
    const relative = path.isAbsolute(file) ? path.relative(root, file) : `${prefix}${file}`;
    return path.posix.normalize(relative.split(path.sep).join('/')).replace(/\/$/, '').replace(/^\.$/, '');
  });
  const files: string[] = [];
  const fields = status.split('\0');
  // `XY <path>\0`, and for a rename or copy `XY <new>\0<old>\0` (git-status(1), porcelain v1 with -z).
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i]!;
    if (entry.length < 4) continue;
    const [x, y, file] = [entry[0]!, entry[1]!, entry.slice(3)];
    if ('RC'.includes(x)) i++;
    const change = entryChange(x, y, file, args, prefix, wanted);
    if (change) files.push(`${change} ${file}`);
  }
  return { root, branch, files };
}

/**
 * `needsApproval` of `git_commit`: false for an empty message (the call is refused without doing
 * anything), else the reason, which always asks.
 */
export async function commitApprovalReason(args: CommitApprovalArgs, workingDir: string): Promise<string | false> {
  if (args.message.trim() === '') return false;
  const listing = await filesToCommit(args, workingDir);
  const message = args.message
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  const hooks = "The repository's git hooks (pre-commit, commit-msg...) run as part of the commit.";
  if ('problem' in listing) return `git_commit wants to commit with the message:\n${message}\nThe files could not be listed: ${listing.problem}.\n${hooks}`;
  const staging = [args.all ? 'the changes of tracked files' : '', args.paths?.length ? args.paths.join(', ') : ''].filter(Boolean).join(' and ');
  const shown = listing.files.slice(0, APPROVAL_MAX_FILES).map((file) => `    ${file}`);
  if (listing.files.length > APPROVAL_MAX_FILES) shown.push(`    … and ${listing.files.length - APPROVAL_MAX_FILES} more`);
  const what = listing.files.length === 0 ? 'Nothing is staged now, so the commit will fail.' : `Files (${listing.files.length}):\n${shown.join('\n')}`;
  return (
    `git_commit wants to commit to ${listing.branch} in ${listing.root}${staging ? `, staging ${staging} first` : ''}.\n` +
    `${what}\nMessage:\n${message}\n${hooks}`
  );
}
