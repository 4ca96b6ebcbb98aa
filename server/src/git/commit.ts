/**
 * Making a commit: stage what was asked (everything, the tracked changes, or some paths), refuse an
 * empty message or an empty index, then `git commit -m`. The repository's hooks (pre-commit,
 * commit-msg...) run, as for any `git commit`; their refusal is an error that quotes them.
 * Shared by `moco commit --apply` and the `git_commit` agent tool.
 */
import { lstat } from 'node:fs/promises';
import * as path from 'node:path';
import { MocoErrorCodes } from '../../../protocol/errors';
import { MocoError } from '../orchestrator/errors';
import { literalPathspecBatches } from './diffEntries';
import { gitErrorText, runGit } from './gitClient';
import type { Repository } from './repository';

/**
 * Staging and committing run as the user's own `git add` / `git commit` would, after the user
 * asked (`moco commit --apply`) or approved (`git_commit`): the repository's filters (Git LFS)
 * must turn the files into what is committed, and its hooks are part of committing.
 */
const WRITE = { access: 'write' } as const;

/** What to stage before committing. Nothing set: commit the index as it is. */
export interface StageRequest {
  /** `git add -A`: every change, untracked files included (ignored ones left out). */
  everything?: boolean;
  /** `git add -u`: the changes of tracked files (no new files). */
  tracked?: boolean;
  /** These paths (new files included), relative to {@link StageRequest.cwd}; an unknown one is an error. */
  paths?: string[];
  /**
   * Paths listed a while ago (the files a commit message describes), relative to
   * {@link StageRequest.cwd}: staged like `paths`, except that one deleted since without ever
   * being tracked (an editor's swap file, build output) is left out instead of failing.
   */
  listedPaths?: string[];
  /** The folder `tracked` and `paths` are limited to and relative to; default the root. */
  cwd?: string;
}

/** A commit that was made. */
export interface CommitOutcome {
  /** Full object name of the new commit. */
  hash: string;
  /** Its abbreviated name (`git rev-parse --short`). */
  shortHash: string;
  /** Files it changed, repository-relative, with their status letter (`M src/a.ts`). */
  files: string[];
}

/**
 * The staged changes, as `<status letter> <path>` lines (`A`, `M`, `D`, `R`...), repository-relative.
 * Works in a repository without commits (compares with the empty tree then).
 */
export async function stagedFiles(repo: Repository, signal: AbortSignal): Promise<string[]> {
  const out = await runGit(repo.root, ['diff', '--cached', '--name-status', '--no-renames', '-z'], signal);
  const fields = out.split('\0').filter((field) => field !== '');
  const files: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) files.push(`${fields[i]!.charAt(0)} ${fields[i + 1]!}`);
  return files;
}

/** The commit HEAD points at, or '' on an unborn branch. */
async function headCommit(repo: Repository, signal: AbortSignal): Promise<string> {
  return (await runGit(repo.root, ['rev-parse', '--quiet', '--verify', 'HEAD^{commit}'], signal).catch(() => '')).trim();
}

/**
 * `paths` (relative to `cwd`) that `git add` can take: those on disk, and those gone from disk
 * that the index holds (their deletion is staged). A file listed earlier and deleted since without
 * ever being tracked (an editor's swap file, build output) is dropped, where git would refuse the
 * whole `git add` ("pathspec did not match any files").
 */
async function stageablePaths(cwd: string, paths: readonly string[], signal: AbortSignal): Promise<string[]> {
  const onDisk = await Promise.all(paths.map((file) => lstat(path.resolve(cwd, file)).then(() => true, () => false)));
  const gone = paths.filter((_, index) => !onDisk[index]);
  if (gone.length === 0) return [...paths];
  const indexed = new Set<string>();
  for (const batch of literalPathspecBatches(gone)) {
    const out = await runGit(cwd, ['ls-files', '--cached', '-z', '--full-name', '--', ...batch], signal);
    for (const file of out.split('\0')) if (file !== '') indexed.add(file);
  }
  const prefix = (await runGit(cwd, ['rev-parse', '--show-prefix'], signal)).trim();
  return paths.filter((file, index) => onDisk[index] || indexed.has(path.posix.join(prefix, file)));
}

/** Stages what `stage` asks. @throws {MocoError} `GitStateInvalid` quoting git when `git add` fails (an unknown path). */
export async function stageChanges(repo: Repository, stage: StageRequest, signal: AbortSignal): Promise<void> {
  const cwd = stage.cwd ?? repo.root;
  try {
    if (stage.everything) await runGit(repo.root, ['add', '--all', '--', ':(top)'], signal, WRITE);
    if (stage.tracked) await runGit(cwd, ['add', '--update', '--', '.'], signal, WRITE);
    const listed = stage.listedPaths ? await stageablePaths(cwd, stage.listedPaths, signal) : [];
    // In batches that fit a command line.
    for (const batch of literalPathspecBatches([...(stage.paths ?? []), ...listed])) {
      await runGit(cwd, ['add', '--all', '--', ...batch], signal, WRITE);
    }
  } catch (error) {
    signal.throwIfAborted();
    throw new MocoError(MocoErrorCodes.GitStateInvalid, `git add failed: ${gitErrorText(error)}. Check the paths and try again.`);
  }
}

/**
 * Stages what `stage` asks, then commits the index with `message`.
 * @throws {MocoError} `InvalidRequest` for an empty message; `NothingToCommit` when nothing is
 *   staged; `GitStateInvalid` when git refuses (a hook, a missing identity), with git's words; the
 *   signal's reason when aborted.
 */
export async function commitChanges(repo: Repository, message: string, stage: StageRequest, signal: AbortSignal): Promise<CommitOutcome> {
  if (message.trim() === '') throw new MocoError(MocoErrorCodes.InvalidRequest, 'The commit message is empty. Write a message first.');
  await stageChanges(repo, stage, signal);
  const files = await stagedFiles(repo, signal);
  if (files.length === 0) {
    throw new MocoError(MocoErrorCodes.NothingToCommit, `Nothing is staged in ${repo.root}, so there is nothing to commit. Stage changes (git add) first.`);
  }
  const before = await headCommit(repo, signal);
  try {
    // `whitespace`, not `strip`: a line of the message that starts with # is kept.
    await runGit(repo.root, ['commit', '--quiet', '--cleanup=whitespace', '-m', message], signal, WRITE);
  } catch (error) {
    signal.throwIfAborted();
    throw new MocoError(MocoErrorCodes.GitStateInvalid, `git commit failed: ${gitErrorText(error)}`);
  }
  const hash = await headCommit(repo, signal);
  // simple-git takes an exit status without any message for success: a hook that refuses silently.
  if (hash === before || hash === '') {
    throw new MocoError(MocoErrorCodes.GitStateInvalid, 'git commit made no commit: a hook of the repository (pre-commit, commit-msg) may have refused it without a message.');
  }
  const shortHash = (await runGit(repo.root, ['rev-parse', '--short', 'HEAD'], signal)).trim();
  return { hash, shortHash, files };
}
