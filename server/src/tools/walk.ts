/**
 * Reading folders for the search tools: entries sorted folders first, then by name, without the
 * ones `.gitignore` skips. Symbolic links are reported as links and never followed, so a walk
 * cannot leave the working directory.
 */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { GitignoreMatcher } from './gitignore';

/** One entry of a folder. */
export interface FolderEntry {
  name: string;
  /** Absolute path (under the working directory's real path). */
  absolute: string;
  /** Relative to the working directory, POSIX separators. */
  relative: string;
  kind: 'dir' | 'file' | 'symlink' | 'other';
}

/**
 * The entries of `folder` that `.gitignore` keeps, folders first, each group sorted by name.
 *
 * @param workingDir real path of the working directory.
 * @param folder absolute real path of a folder inside it.
 * @throws the `readdir` error (ENOENT, EACCES, ENOTDIR) when the folder cannot be read.
 */
export async function visibleEntries(workingDir: string, folder: string, matcher: GitignoreMatcher): Promise<FolderEntry[]> {
  const dirents = await readdir(folder, { withFileTypes: true });
  const entries = dirents.map((dirent): FolderEntry => {
    const absolute = path.join(folder, dirent.name);
    const kind = dirent.isDirectory() ? 'dir' : dirent.isFile() ? 'file' : dirent.isSymbolicLink() ? 'symlink' : 'other';
    return { name: dirent.name, absolute, relative: path.relative(workingDir, absolute).split(path.sep).join('/'), kind };
  });
  const verdicts = await Promise.all(entries.map((entry) => matcher.isIgnored(entry.relative, entry.kind === 'dir')));
  return sortEntries(entries.filter((_, index) => !verdicts[index]));
}

/** Folders first, then the rest, each by name (code-unit order, so the output is stable). */
export function sortEntries<T extends { name: string; kind: string }>(entries: T[]): T[] {
  return entries.sort((a, b) => {
    const folderFirst = Number(b.kind === 'dir') - Number(a.kind === 'dir');
    return folderFirst !== 0 ? folderFirst : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/**
 * Every regular file under `folder` that `.gitignore` keeps, depth first in the order of
 * {@link visibleEntries}. Symbolic links are skipped. Folders that cannot be read are skipped.
 *
 * @throws `signal.reason` when `signal` aborts.
 */
export async function* walkFiles(
  workingDir: string,
  folder: string,
  matcher: GitignoreMatcher,
  signal: AbortSignal,
): AsyncGenerator<FolderEntry> {
  signal.throwIfAborted();
  const entries = await visibleEntries(workingDir, folder, matcher).catch(() => []);
  for (const entry of entries) {
    if (entry.kind === 'dir') yield* walkFiles(workingDir, entry.absolute, matcher, signal);
    else if (entry.kind === 'file') yield entry;
  }
}
