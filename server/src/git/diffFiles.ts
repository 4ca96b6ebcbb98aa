/**
 * The changed files of a diff range, from git: the list with line counts (`git diff --numstat -z`),
 * and the patch of the files to quote (`git diff`, parsed with `parse-diff`). The range "all"
 * (tracked modifications and untracked files) is diffed through a copy of the index in which the
 * untracked files are added as intent-to-add, so the repository's own index is never written.
 */
import { copyFile, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type parseDiff from 'parse-diff';
import { MocoErrorCodes } from '../../../protocol/errors';
import { MocoError } from '../orchestrator/errors';
import { literalPathspec, literalPathspecBatches, readDiffEntries } from './diffEntries';
import { runGit, SAFE_DIFF_FLAGS } from './gitClient';
import type { DiffRange } from './diffContext';
import type { Repository } from './repository';


/** One changed file, from numstat. */
export interface ChangedFile {
  /** Repository-relative path after the change (`/`-separated). */
  path: string;
  /** The path before a rename; undefined when not renamed. */
  oldPath?: string;
  /** Lines added and deleted; 0 and 0 for a binary file. */
  added: number;
  deleted: number;
  /** Numstat `-\t-`: git sees the file as binary (or `.gitattributes` says `-diff`). */
  binary: boolean;
}

/** How git is asked for one range: the `git diff` arguments before the pathspecs, and the index to use. */
export interface DiffQuery {
  args: string[];
  /** A temporary index (range "all"); undefined for the repository's own. */
  indexFile?: string;
}

/** 3 lines of context whatever `diff.context` says. It implies `--patch`. */
const UNIFIED = '--unified=3';

/** Diff options of every query: renames found, {@link UNIFIED}. */
const COMMON = [...SAFE_DIFF_FLAGS, '--find-renames', UNIFIED];

/**
 * Copies the index to `copy` with the original's modification time: git trusts an entry whose
 * file has not changed size or time since an index write only when the file is older than the
 * index file ("racy git", Documentation/technical/racy-git.txt); a copy with a newer time would make
 * a file changed in the same second as the index look unchanged. No index yet: nothing is copied
 * (git starts from an empty one).
 */
async function copyIndex(index: string, copy: string): Promise<void> {
  const info = await stat(index).catch(() => undefined);
  if (!info) return;
  await copyFile(index, copy);
  // Milliseconds, which may set the copy a little earlier than the original: more files are then
  // read to be compared, never fewer.
  await utimes(copy, info.atime, info.mtime);
}

/**
 * Runs `body` with the query of `range` against `base` (`HEAD` or the empty tree). For "all", a
 * copy of the index with the untracked, not ignored files added as intent-to-add lives in a
 * temporary folder for the time of `body`, and is removed after.
 * @throws {MocoError} `GitStateInvalid` for a `between` ref that starts with `-`; the signal's reason.
 */
export async function withDiffQuery<T>(
  repo: Repository,
  range: DiffRange,
  base: string,
  signal: AbortSignal,
  body: (query: DiffQuery) => Promise<T>,
): Promise<T> {
  if (range.kind === 'staged') return body({ args: ['diff', ...COMMON, '--cached', base] });
  if (range.kind === 'between') {
    for (const ref of [range.from, range.to]) {
      if (ref.startsWith('-') || ref.trim() === '') {
        throw new MocoError(MocoErrorCodes.GitStateInvalid, `"${ref}" is not a branch, tag or commit name. Give a name such as main or HEAD~1.`);
      }
    }
    // Three dots: the changes of `to` since it forked from `from`, as a pull request shows them.
    return body({ args: ['diff', ...COMMON, `${range.from}...${range.to}`] });
  }
  const folder = await mkdtemp(path.join(tmpdir(), 'moco-index-'));
  try {
    const indexFile = path.join(folder, 'index');
    const realIndex = path.resolve(repo.root, (await runGit(repo.root, ['rev-parse', '--git-path', 'index'], signal)).trim());
    await copyIndex(realIndex, indexFile);
    const untracked = (await runGit(repo.root, ['ls-files', '--others', '--exclude-standard', '-z'], signal)).split('\0').filter(Boolean);
    for (const batch of literalPathspecBatches(untracked)) {
      await runGit(repo.root, ['add', '--intent-to-add', '--', ...batch], signal, { indexFile });
    }
    return await body({ args: ['diff', ...COMMON, base], indexFile });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * The changed files of `query`, in git's order.
 * @throws the signal's reason; simple-git's `GitError` when git fails (a bad ref).
 */
export async function listChangedFiles(root: string, query: DiffQuery, signal: AbortSignal): Promise<ChangedFile[]> {
  // Without UNIFIED, which would add the whole patch after the counts.
  const out = await runGit(root, [...query.args.filter((arg) => arg !== UNIFIED), '--numstat', '-z'], signal, query);
  const fields = out.split('\0');
  const files: ChangedFile[] = [];
  // `<added>\t<deleted>\t<path>\0`, or for a rename `<added>\t<deleted>\t\0<old>\0<new>\0`.
  for (let i = 0; i < fields.length; i++) {
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(fields[i]!);
    if (!match) continue;
    const binary = match[1] === '-';
    const counts = { added: binary ? 0 : Number(match[1]), deleted: binary ? 0 : Number(match[2]), binary };
    if (match[3] !== '') files.push({ path: match[3]!, ...counts });
    else {
      files.push({ path: fields[i + 2] ?? '', oldPath: fields[i + 1] ?? '', ...counts });
      i += 2;
    }
  }
  return files;
}

/** Excluded paths given to git one by one; beyond this the whole patch is read and filtered. */
const MAX_EXCLUDES = 200;

/** Which files {@link readPatches} reads: all but `skip`, or only `only`. */
export type PatchSelection = { skip: Set<string> } | { only: string[] };

/**
 * The parsed patch of `query`: of every file but `skip` (summarised ones, whose text is not
 * quoted and may be large), or of the files `only`. Keyed by the path after the change (the old
 * one for a deletion), exactly as numstat gives it: names come from git's `-z` raw list, not from
 * the patch, where git C-quotes a name with `"`, `\`, a tab or a line break (git/diffEntries.ts).
 * Git runs in `root`, so literal pathspecs are relative to the root.
 * @throws the signal's reason; simple-git's `GitError`.
 */
export async function readPatches(root: string, query: DiffQuery, selection: PatchSelection, signal: AbortSignal): Promise<Map<string, parseDiff.File>> {
  const skip = 'skip' in selection ? selection.skip : new Set<string>();
  const only = 'only' in selection ? new Set(selection.only) : undefined;
  // Beyond MAX_EXCLUDES paths, the whole patch is read and filtered here instead.
  const pathspecs = only
    ? only.size <= MAX_EXCLUDES
      ? [...only].map((file) => literalPathspec(file))
      : []
    : skip.size > 0 && skip.size <= MAX_EXCLUDES
      ? [':(top)', ...[...skip].map((file) => literalPathspec(file, true))]
      : [];
  const wanted = (file: string): boolean => !skip.has(file) && (!only || only.has(file));
  const entries = await readDiffEntries(root, query.args, signal, {
    pathspecs,
    wantPatch: (entry) => wanted(entry.path),
    ...(query.indexFile ? { git: { indexFile: query.indexFile } } : {}),
  });
  const patches = new Map<string, parseDiff.File>();
  for (const { entry, patch } of entries) if (patch && wanted(entry.path)) patches.set(entry.path, patch);
  return patches;
}
