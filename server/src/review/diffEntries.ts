/**
 * The tracked changes of a working directory, each file with its exact name and its parsed patch
 * (git/diffEntries.ts: names from git's `-z` raw output, so names git C-quotes keep their patch).
 */
import { SAFE_DIFF_FLAGS } from '../git/gitClient';
import { readDiffEntries as readGitDiffEntries, type DiffEntryPatch } from '../git/diffEntries';

export type { DiffEntry, DiffEntryPatch } from '../git/diffEntries';

/** How the changes are diffed: `--relative` for paths relative to the working directory, 3 lines of context, renames found. */
function diffArgs(base: string): string[] {
  return ['diff', base, '--relative', ...SAFE_DIFF_FLAGS, '-U3', '--find-renames'];
}

/**
 * The tracked changes of `workingDir` against `base` (`HEAD` or the empty tree), in git's order;
 * `patch` undefined for a deleted file (not needed) or one whose patch could not be read.
 * @throws the signal's reason; simple-git's `GitError` when git fails.
 */
export async function readDiffEntries(workingDir: string, base: string, signal: AbortSignal): Promise<DiffEntryPatch[]> {
  return readGitDiffEntries(workingDir, diffArgs(base), signal, { wantPatch: (entry) => entry.status !== 'D' });
}
