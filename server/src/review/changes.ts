/**
 * The changes a `changes` review looks at: the working tree against HEAD (staged and unstaged
 * together), or against the empty tree when the branch has no commit yet, plus untracked files as
 * wholly added. The diff comes from `git diff --relative` run in the working directory, so that
 * paths are relative to it and only its part of the repository is reviewed, and is parsed with
 * `parse-diff`. Each file is rendered with the new file's line numbers, which are what findings
 * cite; only added lines may carry a finding.
 */
import { readFile, stat } from 'node:fs/promises';
import parseDiff from 'parse-diff';
import { isBinaryFile } from 'isbinaryfile';
import { MocoErrorCodes } from '../../../protocol/errors';
import { runGit, SAFE_DIFF_FLAGS } from '../git/gitClient';
import { diffBase, openRepository, requireResolvedState } from '../git/repository';
import { MocoError } from '../orchestrator/errors';
import { resolveWorkspacePath } from '../tools/workspacePath';
import type { ReviewedFile } from './findings';
import { fenceFor, REVIEW_MAX_BYTES, splitLines } from './source';

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
  const [diff, untracked] = await Promise.all([
    runGit(workingDir, ['diff', base, '--relative', ...SAFE_DIFF_FLAGS, '-U3', '--find-renames'], signal),
    runGit(workingDir, ['ls-files', '--others', '--exclude-standard', '-z'], signal),
  ]);
  const notes: string[] = [];
  const binary: string[] = [];
  const files: ChangedFile[] = [];
  for (const file of parseDiff(diff)) {
    const changed = await fromDiff(workingDir, file);
    if (changed === 'binary') binary.push(file.to && file.to !== '/dev/null' ? file.to : (file.from ?? '?'));
    else if (changed) files.push(changed);
  }
  for (const name of untracked.split('\0').filter((entry) => entry !== '')) {
    const changed = await fromUntracked(workingDir, name);
    if (changed === 'binary') binary.push(name);
    else if (changed) files.push(changed);
  }
  if (files.length === 0 && binary.length === 0) {
    throw new MocoError(MocoErrorCodes.NothingToCommit, `No changes to review in ${workingDir}: the working tree matches ${state.hasCommits ? 'HEAD' : 'the empty repository'}. Change something first, or review a file.`);
  }
  if (binary.length > 0) notes.push(`Binary files were not reviewed: ${listed(binary)}.`);
  const fitting = fitInBudget(files, REVIEW_MAX_BYTES);
  if (fitting.length === 0) {
    throw new MocoError(
      MocoErrorCodes.InvalidRequest,
      files.length === 0
        ? 'Only binary files changed: there is no text to review.'
        : `The changes are too large to review at once (each file's diff is over ${REVIEW_MAX_BYTES / 1000} KB). Review the files one by one, or select a part and run Review Selection.`,
    );
  }
  const left = files.filter((file) => !fitting.includes(file));
  if (left.length > 0) {
    notes.push(`The changes were cut to fit ${REVIEW_MAX_BYTES / 1000} KB: ${left.length} changed ${left.length === 1 ? 'file was' : 'files were'} not reviewed (${listed(left.map((file) => file.path))}). Review them on their own.`);
  }
  return { hasCommits: state.hasCommits, files: fitting.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), notes };
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

async function fromDiff(workingDir: string, file: parseDiff.File): Promise<ChangedFile | 'binary' | undefined> {
  if (file.deleted) return { path: file.from ?? '?', status: 'deleted', rendered: '' };
  const name = file.to ?? file.from;
  if (!name) return undefined;
  const status: ChangeStatus = file.new ? 'added' : file.from && file.from !== name ? 'renamed' : 'modified';
  const current = await readCurrent(workingDir, name);
  if (current === 'binary') return 'binary';
  // A mode change or a rename alone has no chunk, and nothing to review.
  if (!current || file.chunks.length === 0) return undefined;
  const changedLines = new Set<number>();
  for (const chunk of file.chunks) for (const change of chunk.changes) if (change.type === 'add') changedLines.add(change.ln);
  return {
    path: name,
    status,
    ...(status === 'renamed' && file.from ? { from: file.from } : {}),
    rendered: renderChunks(file.chunks),
    reviewed: { path: name, lines: current, commentable: changedLines, commentableLabel: CHANGED_LINES_LABEL },
  };
}

async function fromUntracked(workingDir: string, name: string): Promise<ChangedFile | 'binary' | undefined> {
  const current = await readCurrent(workingDir, name);
  if (current === 'binary') return 'binary';
  if (!current) return undefined;
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
 * The lines of a changed file as they are on disk, 'binary' for a binary file, undefined when it
 * is gone, not a regular file, or outside the working directory (through a symbolic link). Files
 * over the byte limit are read too: the budget decides later what fits.
 */
async function readCurrent(workingDir: string, name: string): Promise<string[] | 'binary' | undefined> {
  const resolved = await resolveWorkspacePath(workingDir, name);
  if (!resolved.ok) return undefined;
  const info = await stat(resolved.real).catch(() => undefined);
  if (!info?.isFile()) return undefined;
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
  const how = file.status === 'renamed' ? `renamed from ${file.from ?? '?'}` : file.status === 'untracked' ? 'new, not yet added to git' : file.status;
  if (file.status === 'deleted') return `### ${file.path} (deleted)`;
  const fence = fenceFor(file.rendered);
  return `### ${file.path} (${how})\n${fence}diff\n${file.rendered}\n${fence}`;
}

function listed(names: string[]): string {
  const shown = names.slice(0, 10).join(', ');
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}
