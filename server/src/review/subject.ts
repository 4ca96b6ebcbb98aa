/**
 * What one review looks at, prepared before the reviewer starts: the task text (prompt.ts), the
 * files and lines findings may cite (findings.ts `ReviewScope`), and notes for the user.
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import type { ReviewTarget } from '../../../protocol/review';
import { MocoError } from '../orchestrator/errors';
import { collectChanges } from './changes';
import type { ReviewedFile, ReviewScope } from './findings';
import { changesTask, fileTask, selectionTask } from './prompt';
import { checkSelection, checkWholeFile, readSource, type SourceFile } from './source';

/** A review, ready to send. */
export interface ReviewSubject {
  /** The task for the reviewer (what follows `@<agent> `). */
  task: string;
  scope: ReviewScope;
  /**
   * The files put in the task (relative to the working directory, `/` separators), in path order:
   * the file of a file or selection review; every changed file in the task (deleted ones too, not
   * those left out) of a changes review. `ReviewRunResult.reviewedFiles`.
   */
  reviewedFiles: string[];
  /** Things the user should know (files left out of the diff...). */
  notes: string[];
}

/**
 * Reads what `target` names and writes the task.
 *
 * @param workingDir real path of the working directory.
 * @throws {MocoError} `InvalidRequest` (outside the working directory, missing, binary, empty, too
 *   large, a bad selection or target); for `changes`, `GitStateInvalid` and `NothingToCommit`
 *   (collectChanges); the signal's reason when aborted.
 */
export async function prepareSubject(workingDir: string, target: ReviewTarget, signal: AbortSignal): Promise<ReviewSubject> {
  const kind = (target as { kind?: unknown }).kind;
  if (kind === 'changes') {
    const changes = await collectChanges(workingDir, signal);
    const files = changes.files.flatMap((file) => (file.reviewed ? [file.reviewed] : []));
    return { task: changesTask(changes), scope: scopeOf(workingDir, files), reviewedFiles: changes.files.map((file) => file.path), notes: changes.notes };
  }
  if ((kind !== 'file' && kind !== 'selection') || typeof (target as { file?: unknown }).file !== 'string') {
    throw new MocoError(MocoErrorCodes.InvalidRequest, 'The review target must be {kind: "file", file}, {kind: "selection", file, startLine, endLine} or {kind: "changes"}.');
  }
  const named = target as Extract<ReviewTarget, { kind: 'file' | 'selection' }>;
  const source = await readSource(workingDir, named.file, named.content);
  signal.throwIfAborted();
  if (source.lines.length === 0) throw new MocoError(MocoErrorCodes.InvalidRequest, `${source.path} is empty: there is nothing to review.`);
  if (named.kind === 'file') {
    checkWholeFile(source);
    return { task: fileTask(source), scope: scopeOf(workingDir, [reviewedOf(source)]), reviewedFiles: [source.path], notes: [] };
  }
  const { startLine, endLine } = checkSelection(source, named.startLine, named.endLine);
  const selected = new Set<number>();
  for (let line = startLine; line <= endLine; line += 1) selected.add(line);
  const range = startLine === endLine ? `the selected line ${startLine}` : `the selected lines ${startLine}–${endLine}`;
  return {
    task: selectionTask(source, startLine, endLine),
    scope: scopeOf(workingDir, [{ ...reviewedOf(source), commentable: selected, commentableLabel: range }]),
    reviewedFiles: [source.path],
    notes: [],
  };
}

function reviewedOf(source: SourceFile): ReviewedFile {
  return { path: source.path, lines: source.lines };
}

function scopeOf(workingDir: string, files: ReviewedFile[]): ReviewScope {
  return { workingDir, files: new Map(files.map((file) => [file.path, file])) };
}
