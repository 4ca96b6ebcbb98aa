/**
 * The changes a `changes` review looks at: the working tree against HEAD (staged and unstaged
 * together), or against the empty tree when the branch has no commit yet, plus untracked files as
 * wholly added. The diff comes from `git diff --relative` run in the working directory, so that
 * paths are relative to it and only its part of the repository is reviewed; the files' names from
 * its `-z` raw list, their patches parsed with `parse-diff` (git/diffEntries.ts). Each file is rendered
 * with the new file's line numbers, which are what findings cite; only added lines may carry a
 * finding. Symbolic links, submodules and binary files are left out and said in the notes.
 */
import { lstat, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type parseDiff from 'parse-diff';
import { isBinaryFile } from 'isbinaryfile';
import { MocoErrorCodes } from '../../../protocol/errors';
import { runGit } from '../git/gitClient';
import { diffBase, openRepository, requireResolvedState } from '../git/repository';
import { MocoError } from '../orchestrator/errors';
import { resolveWorkspacePath } from '../tools/workspacePath';
import { readDiffEntries, type DiffEntry } from './diffEntries';
import type { ReviewedFile } from './findings';
import { fenceFor, REVIEW_MAX_BYTES, shownPath, SOURCE_MAX_BYTES, splitLines } from './source';

/** How a file changed. */
export type ChangeStatus = 'modified' | 'added' | 'untracked' | 'deleted' | 'renamed';

/** One changed file, ready for the prompt. */
export interface ChangedFile {
  /** Path relative to the working directory, `/`-separated (the new path of a rename). */
  path: string;
  status: ChangeStatus;
  /** The old path of a rename. */
  from?: string;
  /** The diff with new-file line numbers (see {@link renderChunks}); '' for a deleted file. */
  rendered: string;
  /** The file as it is now, for validating findings; undefined for a deleted file. */
  reviewed?: ReviewedFile;
}

/** The changes of a working directory. */
export interface ChangeSet {
  /** False on an unborn branch: everything is new. */
  hasCommits: boolean;
  /** The files whose diffs fit in the prompt, in path order. */
  files: ChangedFile[];
  /** What was left out, one sentence each (binary files, files past the size limit). */
  notes: string[];
}

/** Label of the lines findings may sit on, for skipped findings' reasons. */
const CHANGED_LINES_LABEL = 'the changed lines';

/** What was left out of a review, by why: paths, as they are. */
interface LeftOut {
  binary: string[];
  /** Symbolic links and submodules (nested repositories), as shown (see `shownPath`) with what they are. */
  notFiles: string[];
  /** Files whose patch could not be read. */
  unread: string[];
  /** Tracked files too large to read (over `SOURCE_MAX_BYTES`). */
  large: string[];
  /** Untracked files whose whole text is over the budget, so not read: with the files cut. */
  cut: string[];
}

/**
 * Reads the changes of `workingDir`.
 * @throws {MocoError} `GitStateInvalid` when it is not in a repository or has unresolved
 *   conflicts; `NothingToCommit` when nothing changed; `InvalidRequest` when no changed file fits
 *   the size limit; the signal's reason when aborted.
 */
export async function collectChanges(workingDir: string, signal: AbortSignal): Promise<ChangeSet> {
  const repo = await openRepository(workingDir, signal);
  const state = await requireResolvedState(repo, signal);
  const base = await diffBase(repo, state, signal);
  const [tracked, untracked] = await Promise.all([
    readDiffEntries(workingDir, base, signal),
    runGit(workingDir, ['ls-files', '--others', '--exclude-standard', '-z'], signal),
  ]);
  const left: LeftOut = { binary: [], notFiles: [], unread: [], large: [], cut: [] };
  const files: ChangedFile[] = [];
  for (const { entry, patch } of tracked) {
    const changed = await fromDiff(workingDir, entry, patch, left);
    if (changed) files.push(changed);
  }
  for (const name of untracked.split('\0').filter((entry) => entry !== '')) {
    const changed = await fromUntracked(workingDir, name, left);
    if (changed) files.push(changed);
  }
  if (files.length === 0 && Object.values(left).every((names: string[]) => names.length === 0)) {
    throw new MocoError(MocoErrorCodes.NothingToCommit, `No changes to review in ${workingDir}: the working tree matches ${state.hasCommits ? 'HEAD' : 'the empty repository'}. Change something first, or review a file.`);
  }
  const notes = leftOutNotes(left);
  const fitting = fitInBudget(files, REVIEW_MAX_BYTES);
  const cut = [...files.filter((file) => !fitting.includes(file)).map((file) => file.path), ...left.cut];
  if (fitting.length === 0) {
    throw new MocoError(
      MocoErrorCodes.InvalidRequest,
      cut.length > 0
        ? `The changes are too large to review at once (each file's diff is over ${REVIEW_MAX_BYTES / 1000} KB). Review the files one by one, or select a part and run Review Selection.`
        : left.notFiles.length === 0 && left.unread.length === 0 && left.large.length === 0
          ? 'Only binary files changed: there is no text to review.'
          : `No changed text file could be reviewed. ${notes.join(' ')}`,
    );
  }
  if (cut.length > 0) {
    notes.push(`The changes were cut to fit ${REVIEW_MAX_BYTES / 1000} KB: ${cut.length} changed ${cut.length === 1 ? 'file was' : 'files were'} not reviewed (${listed(cut.map(shownPath))}). Review them on their own.`);
  }
  return { hasCommits: state.hasCommits, files: fitting.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), notes };
}

/** One sentence per reason files were left out. */
function leftOutNotes(left: LeftOut): string[] {
  const notes: string[] = [];
  if (left.binary.length > 0) notes.push(`Binary files were not reviewed: ${listed(left.binary.map(shownPath))}.`);
  if (left.notFiles.length > 0) notes.push(`Only files are reviewed, not: ${listed(left.notFiles)}.`);
  if (left.large.length > 0) notes.push(`Files over ${SOURCE_MAX_BYTES / 1_000_000} MB are not read for a review: ${listed(left.large.map(shownPath))}. Select a part of ${left.large.length === 1 ? 'it' : 'one'} and run Review Selection.`);
  if (left.unread.length > 0) notes.push(`git's diff of ${listed(left.unread.map(shownPath))} could not be read, so ${left.unread.length === 1 ? 'it was' : 'they were'} not reviewed. Review ${left.unread.length === 1 ? 'it' : 'them'} as a file.`);
  return notes;
}

/** The smallest diffs first, as many as fit in `budget` bytes: more files reviewed, the huge ones (lockfiles, generated code) left out. */
function fitInBudget(files: ChangedFile[], budget: number): ChangedFile[] {
  const fitting: ChangedFile[] = [];
  let used = 0;
  for (const file of [...files].sort((a, b) => a.rendered.length - b.rendered.length)) {
    const size = Buffer.byteLength(file.rendered);
    if (used + size > budget) continue;
    used += size;
    fitting.push(file);
  }
  return fitting;
}

/** Git's modes of a symbolic link and of a submodule (a gitlink). */
const SYMLINK_MODE = '120000';
const GITLINK_MODE = '160000';

/**
 * A tracked change ready for the prompt; undefined when there is nothing to review (a mode change
 * or a rename alone, an empty file) or it was left out (said in `left`).
 */
async function fromDiff(workingDir: string, entry: DiffEntry, patch: parseDiff.File | undefined, left: LeftOut): Promise<ChangedFile | undefined> {
  const name = entry.path;
  if (entry.status === 'D') return { path: name, status: 'deleted', rendered: '' };
  if (entry.newMode === SYMLINK_MODE || entry.newMode === GITLINK_MODE) {
    left.notFiles.push(`${shownPath(name)} (${entry.newMode === SYMLINK_MODE ? 'a symbolic link' : 'a submodule'})`);
    return undefined;
  }
  if (!patch) {
    left.unread.push(name);
    return undefined;
  }
  const current = await readCurrent(workingDir, name, SOURCE_MAX_BYTES);
  if (current === 'binary') left.binary.push(name);
  if (current === 'large') left.large.push(name);
  if (typeof current !== 'object') return undefined;
  if (patch.chunks.length === 0) {
    // A mode change or a rename alone, or an empty file, has nothing to review; any other change
    // without a chunk is one git shows as binary (`.gitattributes` `-diff` or `binary`).
    const alone = (entry.status === 'M' && entry.oldMode !== entry.newMode) || (entry.status === 'R' && entry.score === 100) || current.length === 0;
    if (!alone) left.binary.push(name);
    return undefined;
  }
  const status: ChangeStatus = entry.status === 'A' ? 'added' : entry.status === 'R' ? 'renamed' : 'modified';
  const changedLines = new Set<number>();
  for (const chunk of patch.chunks) for (const change of chunk.changes) if (change.type === 'add') changedLines.add(change.ln);
  return {
    path: name,
    status,
    ...(status === 'renamed' && entry.from !== undefined ? { from: entry.from } : {}),
    rendered: renderChunks(patch.chunks),
    reviewed: { path: name, lines: current, commentable: changedLines, commentableLabel: CHANGED_LINES_LABEL },
  };
}

async function fromUntracked(workingDir: string, name: string, left: LeftOut): Promise<ChangedFile | undefined> {
  // A nested repository is listed as `dir/`; a symbolic link would be read through.
  if (name.endsWith('/')) {
    left.notFiles.push(`${shownPath(name.slice(0, -1))} (a repository inside this one)`);
    return undefined;
  }
  if ((await lstat(path.join(workingDir, name)).catch(() => undefined))?.isSymbolicLink()) {
    left.notFiles.push(`${shownPath(name)} (a symbolic link)`);
    return undefined;
  }
  // Its whole text is its diff: past the budget, it cannot be reviewed, and is not read.
  const current = await readCurrent(workingDir, name, REVIEW_MAX_BYTES);
  if (current === 'binary') left.binary.push(name);
  if (current === 'large') left.cut.push(name);
  if (typeof current !== 'object') return undefined;
  const lines = new Set(current.map((_line, index) => index + 1));
  const chunk = { content: `@@ -0,0 +1,${current.length} @@`, changes: current.map((content, index) => ({ type: 'add' as const, add: true as const, ln: index + 1, content: `+${content}` })), oldStart: 0, oldLines: 0, newStart: 1, newLines: current.length };
  return {
    path: name,
    status: 'untracked',
    rendered: renderChunks([chunk]),
    reviewed: { path: name, lines: current, commentable: lines, commentableLabel: CHANGED_LINES_LABEL },
  };
}

/**
 * The lines of a changed file as they are on disk, 'binary' for a binary file, 'large' (not read)
 * past `maxBytes`, undefined when it is gone, not a regular file, or outside the working directory
 * (through a symbolic link).
 */
async function readCurrent(workingDir: string, name: string, maxBytes: number): Promise<string[] | 'binary' | 'large' | undefined> {
  const resolved = await resolveWorkspacePath(workingDir, name);
  if (!resolved.ok) return undefined;
  const info = await stat(resolved.real).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  if (info.size > maxBytes) return 'large';
  if (info.size > 0 && (await isBinaryFile(resolved.real))) return 'binary';
  return splitLines(await readFile(resolved.real, 'utf8'));
}

/**
 * A diff's chunks with the new file's line numbers: each chunk's `@@` header, then one line per
 * change, `<new line number> + text` for an added line, `<new line number>   text` for an
 * unchanged one and `<blank> - text` for a removed one (it has no line in the new file).
 */
export function renderChunks(chunks: readonly parseDiff.Chunk[]): string {
  const last = Math.max(1, ...chunks.map((chunk) => chunk.newStart + chunk.newLines));
  const width = String(last).length;
  const out: string[] = [];
  for (const chunk of chunks) {
    out.push(chunk.content);
    for (const change of chunk.changes) {
      const text = change.content.slice(1);
      // parse-diff gives "\ No newline at end of file" the type and number of the line before it.
      if (change.content.startsWith('\\')) out.push(`${' '.repeat(width)}   ${change.content}`);
      else if (change.type === 'add') out.push(`${String(change.ln).padStart(width)} + ${text}`);
      else if (change.type === 'normal') out.push(`${String(change.ln2).padStart(width)}   ${text}`);
      else out.push(`${' '.repeat(width)} - ${text}`);
    }
  }
  return out.join('\n');
}

/** A file's diff as it goes into the prompt: a header naming it and how it changed, then its rendered chunks in a fence. */
export function fileSection(file: ChangedFile): string {
  const how = file.status === 'renamed' ? `renamed from ${shownPath(file.from ?? '?')}` : file.status === 'untracked' ? 'new, not yet added to git' : file.status;
  if (file.status === 'deleted') return `### ${shownPath(file.path)} (deleted)`;
  const fence = fenceFor(file.rendered);
  return `### ${shownPath(file.path)} (${how})\n${fence}diff\n${file.rendered}\n${fence}`;
}

function listed(names: string[]): string {
  const shown = names.slice(0, 10).join(', ');
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}
