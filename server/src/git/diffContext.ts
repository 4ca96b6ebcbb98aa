/**
 * The diff of a repository as prompt text, for commit messages, pull requests and reviews:
 * lockfiles, generated, vendored and binary files summarised in one line each, the rest quoted
 * while it fits the budget, and what was cut said in `notes`.
 */
import { plural } from '../tools/limits';
import { listChangedFiles, readPatches, withDiffQuery } from './diffFiles';
import { renderDiff, type PlannedFile } from './diffRender';
import { builtInClass, classifyPaths } from './fileClasses';
import { diffBase, openRepository, repositoryState, type Repository } from './repository';

/**
 * The changes a diff covers: the staged ones; all of them (staged, unstaged and untracked files
 * that are not ignored); or those of `to` since it forked from `from`.
 */
export type DiffRange = { kind: 'staged' } | { kind: 'all' } | { kind: 'between'; from: string; to: string };

/** A diff rendered for a prompt. */
export interface DiffSection {
  /** The quoted patches, then the summary lines; '' when the range has no changes. */
  text: string;
  /** Sentences for the user: the files summarised by kind, and the cut when there was one. */
  notes: string[];
  /** Files quoted, in full or in part. */
  filesShown: number;
  /** Files given as one summary line: by kind (lockfile, binary...) or because they did not fit. */
  filesSummarised: number;
  /** Added and deleted lines not quoted because of the budget (lines of files summarised by kind not counted). */
  linesLeftOut: number;
  /** Repository-relative paths of every changed file in the range: new names, and a rename's old name too. */
  files: string[];
}

/** Names listed in the note of the files summarised by kind; the rest are counted. */
const NOTE_MAX_NAMES = 8;

function kindNote(files: PlannedFile[]): string | undefined {
  const byKind = files.filter((file) => file.summaryClass !== undefined);
  if (byKind.length === 0) return undefined;
  const names = byKind.slice(0, NOTE_MAX_NAMES).map((file) => `${file.path} (${file.summaryClass === 'no-diff' ? '-diff' : file.summaryClass})`);
  const more = byKind.length > NOTE_MAX_NAMES ? ` and ${byKind.length - NOTE_MAX_NAMES} more` : '';
  return `Summarised rather than quoted: ${names.join(', ')}${more}.`;
}

/**
 * The diff of `range` in the repository `repo` against `base`, as prompt text (see {@link diffSection}).
 * @throws the signal's reason; simple-git's `GitError` when git fails (a bad ref).
 */
export async function renderRange(repo: Repository, range: DiffRange, base: string, maxTokens: number, signal: AbortSignal): Promise<DiffSection> {
  return withDiffQuery(repo, range, base, signal, async (query) => {
    const changed = await listChangedFiles(repo.root, query, signal);
    if (changed.length === 0) return { text: '', notes: [], filesShown: 0, filesSummarised: 0, linesLeftOut: 0, files: [] };
    // Lockfiles, generated and vendored files known by name are not read (a lockfile may be
    // megabytes); binary and `-diff` ones are, for the one line git gives them (added, changed).
    // `.gitattributes` is read at the same time; a file it marks is summarised once both are in.
    const byName = new Set(changed.filter((file) => builtInClass(file.path) !== undefined).map((file) => file.path));
    const [classes, patches] = await Promise.all([
      classifyPaths(repo.root, changed.map((file) => file.path), signal),
      readPatches(repo.root, query, { skip: byName }, signal),
    ]);
    // Known by name but quoted all the same (`.gitattributes` says `-linguist-generated`): read now.
    const quotedAnyway = [...byName].filter((file) => !classes.has(file));
    if (quotedAnyway.length > 0) for (const [file, patch] of await readPatches(repo.root, query, { only: quotedAnyway }, signal)) patches.set(file, patch);
    const files: PlannedFile[] = changed.map((file) => {
      const summaryClass = classes.get(file.path) ?? (file.binary ? 'binary' : undefined);
      const patch = patches.get(file.path);
      return { ...file, ...(summaryClass ? { summaryClass } : {}), ...(patch ? { patch } : {}) };
    });
    const rendered = renderDiff(files, maxTokens);
    const notes: string[] = [];
    const byKind = kindNote(files);
    if (byKind) notes.push(byKind);
    if (rendered.filesCut > 0 || rendered.filesInPart > 0) {
      const inPart = rendered.filesInPart > 0 ? `${rendered.filesInPart} in part, ` : '';
      notes.push(
        `The diff was cut to fit the model's context: ${rendered.filesInFull} of ${plural(files.length, 'file')} in full, ${inPart}` +
          `${rendered.filesByKind + rendered.filesCut} summarised, ${rendered.linesLeftOut.toLocaleString('en-US')} ${rendered.linesLeftOut === 1 ? 'line' : 'lines'} left out.`,
      );
    }
    return {
      text: rendered.text,
      notes,
      filesShown: rendered.filesInFull + rendered.filesInPart,
      filesSummarised: rendered.filesByKind + rendered.filesCut,
      linesLeftOut: rendered.linesLeftOut,
      files: changed.flatMap((file) => (file.oldPath && file.oldPath !== file.path ? [file.path, file.oldPath] : [file.path])),
    };
  });
}

/**
 * The diff of `range` as prompt text: lockfiles, generated, vendored and binary files summarised
 * (one line each), cut to `maxTokens` (estimated tokens, see `diffRender.ts` `estimateTokens`;
 * and the cut said in `notes`). `staged` and `all` compare with HEAD, or with the empty tree in a
 * repository without commits; `all` includes untracked files that are not ignored; `between` is
 * `git diff from...to` (the changes of `to` since it forked from `from`). A detached HEAD is fine.
 *
 * @param repoPath a folder in the repository (its root or below).
 * @throws {MocoError} `GitStateInvalid` when `repoPath` is not in a repository; simple-git's
 *   `GitError` for a ref git does not know; the signal's reason when aborted.
 */
export async function diffSection(repoPath: string, range: DiffRange, maxTokens: number, signal: AbortSignal): Promise<DiffSection> {
  const repo = await openRepository(repoPath, signal);
  const base = range.kind === 'between' ? '' : await diffBase(repo, await repositoryState(repo, signal), signal);
  return renderRange(repo, range, base, maxTokens, signal);
}
