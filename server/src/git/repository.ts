/**
 * A repository's root and state, read with git itself (`rev-parse`, `symbolic-ref`, `ls-files -u`),
 * and the checks that turn a state MOCO cannot work in into a clear {@link MocoError}.
 */
import { stat } from 'node:fs/promises';
import { MocoErrorCodes } from '../../../protocol/errors';
import { MocoError } from '../orchestrator/errors';
import { gitClient, gitErrorText, runGit } from './gitClient';

/** An opened repository. */
export interface Repository {
  /** Absolute path of the working tree's root (`git rev-parse --show-toplevel`). */
  root: string;
}

/** What HEAD is and what stands in the way of a commit. */
export interface RepositoryState {
  /** The current branch's short name; undefined when HEAD is detached. */
  branch: string | undefined;
  /** True when HEAD points at a commit, not a branch. */
  detached: boolean;
  /** False on an unborn branch (a new repository): there is nothing to diff against but the empty tree. */
  hasCommits: boolean;
  /** Files with unresolved merge conflicts (unmerged index entries), repository-relative, sorted. */
  conflicts: string[];
  /** Whether the index holds changes (outside the conflicts) that a commit would record. */
  hasStaged: boolean;
}

/** The empty tree's object name per object format (`git hash-object -t tree /dev/null`). */
const EMPTY_TREE: Record<string, string> = {
  sha1: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  sha256: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
};

/**
 * Opens the repository that holds `path` (a folder; the root or any folder inside).
 * @throws {MocoError} `GitStateInvalid` when `path` does not exist, is not in a git repository, or
 *   is in a bare repository (no working tree); the signal's reason when aborted.
 */
export async function openRepository(path: string, signal: AbortSignal = new AbortController().signal): Promise<Repository> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new MocoError(MocoErrorCodes.GitStateInvalid, `${path} is not a folder. Give the path of a git repository's folder.`);
  }
  try {
    const root = (await runGit(path, ['rev-parse', '--show-toplevel'], signal)).trim();
    if (root === '') throw new Error('no working tree');
    return { root };
  } catch (error) {
    signal.throwIfAborted();
    throw new MocoError(
      MocoErrorCodes.GitStateInvalid,
      `${path} is not in a git repository with a working tree (${gitErrorText(error)}). Open a folder inside one, or run "git init" there.`,
    );
  }
}

/**
 * HEAD, the unresolved conflicts and whether anything is staged, from simple-git's parsed
 * `git status` (tracked files only) and `git rev-parse --verify HEAD`.
 * @throws the signal's reason when aborted; a simple-git `GitError` when git fails otherwise.
 */
export async function repositoryState(repo: Repository, signal: AbortSignal): Promise<RepositoryState> {
  const [status, head] = await Promise.all([
    gitClient(repo.root, signal).then((client) => client.status(['--untracked-files=no', '--ignore-submodules=all'])),
    // On an unborn branch: exit 1 without a message, which simple-git resolves as empty output.
    runGit(repo.root, ['rev-parse', '--quiet', '--verify', 'HEAD^{commit}'], signal).then(
      (out) => out.trim(),
      () => '',
    ),
  ]);
  signal.throwIfAborted();
  const conflicts = [...new Set(status.conflicted)].sort();
  const conflicted = new Set(conflicts);
  const hasStaged = status.files.some((file) => !conflicted.has(file.path) && file.index !== ' ' && file.index !== '?' && file.index !== '!');
  const detached = status.detached;
  return { branch: detached ? undefined : (status.current ?? undefined), detached, hasCommits: head !== '', conflicts, hasStaged };
}

/**
 * The state of `repo`, refusing unresolved merge conflicts (a message would describe a half-done
 * merge). A detached HEAD and an unborn branch are fine.
 * @throws {MocoError} `GitStateInvalid` naming the conflicted files (at most 10, then a count).
 */
export async function requireResolvedState(repo: Repository, signal: AbortSignal): Promise<RepositoryState> {
  const state = await repositoryState(repo, signal);
  if (state.conflicts.length > 0) {
    const shown = state.conflicts.slice(0, 10).join(', ');
    const more = state.conflicts.length > 10 ? ` and ${state.conflicts.length - 10} more` : '';
    throw new MocoError(
      MocoErrorCodes.GitStateInvalid,
      `${repo.root} has unresolved merge conflicts in ${shown}${more}. Resolve them and stage the files (git add), or abort the merge, first.`,
    );
  }
  return state;
}

/**
 * What the changes of a repository are compared with: `HEAD`, or the empty tree on an unborn
 * branch (the first commit), in the repository's object format.
 */
export async function diffBase(repo: Repository, state: RepositoryState, signal: AbortSignal): Promise<string> {
  if (state.hasCommits) return 'HEAD';
  const format = (await runGit(repo.root, ['rev-parse', '--show-object-format'], signal).catch(() => 'sha1')).trim();
  return EMPTY_TREE[format] ?? EMPTY_TREE.sha1!;
}
