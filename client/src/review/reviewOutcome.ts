/**
 * What a `review/run` answer does to the stored findings and what the user is told (pure: no
 * `vscode`, unit-tested), and how the commands' arguments name a finding.
 */
import type { ReviewFinding, ReviewRunResult } from '../../../protocol/review';
import type { StoredFinding } from './findingsStore';

/** What was reviewed, in the terms of the stored findings (`folder`: the workspace folder's `uri.toString()`). */
export type ReviewScope =
  | { kind: 'file'; folder: string; file: string }
  | { kind: 'selection'; folder: string; file: string; startLine: number; endLine: number }
  | { kind: 'changes'; folder: string };

/** The findings of an answer as the editor keeps them, in the workspace folder `folder` (its `uri.toString()`). */
export function toStoredFindings(result: Pick<ReviewRunResult, 'findings' | 'agent'>, folder: string): StoredFinding[] {
  return result.findings.map((finding) => ({
    ...finding,
    folder,
    agent: result.agent,
    reviewedText: finding.anchor,
  }));
}

/** A stored finding as `review/fix` takes it: the server's fields, with its current lines and text. */
export function toReviewFinding(finding: StoredFinding): ReviewFinding {
  const { id, file, startLine, endLine, severity, category, message, suggestion, anchor } = finding;
  return { id, file, startLine, endLine, severity, category, message, ...(suggestion === undefined ? {} : { suggestion }), anchor };
}

/**
 * Which earlier findings of the reviewed workspace folder a new review replaces:
 * - a file: all of that file's;
 * - a selection: that file's that touch the selected lines;
 * - the changes: those of the files it reviewed (`ReviewRunResult.reviewedFiles`), so a changed
 *   file with no finding left loses its stale ones, and a file left out of the review keeps them.
 */
export function replacedBy(scope: ReviewScope, reviewedFiles: readonly string[]): (finding: StoredFinding) => boolean {
  const inFolder = (finding: StoredFinding): boolean => finding.folder === scope.folder;
  switch (scope.kind) {
    case 'file':
      return (finding) => inFolder(finding) && finding.file === scope.file;
    case 'selection':
      return (finding) =>
        inFolder(finding) && finding.file === scope.file && finding.startLine <= scope.endLine && finding.endLine >= scope.startLine;
    case 'changes': {
      const files = new Set(reviewedFiles);
      return (finding) => inFolder(finding) && files.has(finding.file);
    }
  }
}

/** What to tell the user after a review. */
export interface ReviewMessage {
  /** `warning` when findings were skipped, `information` otherwise; `none` when the threads say it all. */
  kind: 'information' | 'warning' | 'none';
  text: string;
  /** Lines for the MOCO output channel: each skipped finding's reason and text, each note. */
  details: string[];
}

/**
 * The message after a review of `subject` (`src/a.ts`, `the changes`):
 * - findings skipped: a warning `2 findings skipped: <reasons>`, with the notes;
 * - no findings: `No findings in src/a.ts.`, with the notes;
 * - findings and notes: the notes;
 * - findings only: nothing (the threads show them).
 */
export function reviewMessage(result: Pick<ReviewRunResult, 'findings' | 'skipped' | 'notes' | 'agent'>, subject: string): ReviewMessage {
  const notes = result.notes.map((note) => note.trim()).filter(Boolean);
  const details = [
    ...result.skipped.map((skipped) => `Skipped finding (${skipped.reason}): ${skipped.text}`),
    ...notes.map((note) => `Note: ${note}`),
  ];
  const found = `${result.findings.length === 0 ? 'No' : result.findings.length} finding${result.findings.length === 1 ? '' : 's'} in ${subject}.`;
  const notesText = notes.length ? ` ${notes.map(sentence).join(' ')}` : '';
  if (result.skipped.length > 0) {
    const count = result.skipped.length;
    const reasons = result.skipped.slice(0, 3).map((skipped) => skipped.reason).join('; ');
    const more = count > 3 ? `; and ${count - 3} more` : '';
    return { kind: 'warning', text: `${count} finding${count === 1 ? '' : 's'} skipped: ${reasons}${more}. ${found}${notesText}`, details };
  }
  if (result.findings.length === 0) return { kind: 'information', text: `${found}${notesText}`, details };
  if (notes.length > 0) return { kind: 'information', text: `${found}${notesText}`, details };
  return { kind: 'none', text: found, details };
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * The finding id a command was given: a finding id, `{ findingId }`, or a comment thread
 * (`threadFinding` maps the threads the editor created back to their findings).
 */
export function findingIdOf(arg: unknown, threadFinding: (thread: object) => string | undefined): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { findingId } = arg as { findingId?: unknown };
  if (typeof findingId === 'string') return findingId;
  return threadFinding(arg);
}

/**
 * The 1-based lines of a selection (0-based `start`/`end` positions): a selection that ends at
 * the start of a line does not include that line.
 */
export function selectionLines(start: { line: number; character: number }, end: { line: number; character: number }): { startLine: number; endLine: number } {
  const lastLine = end.line > start.line && end.character === 0 ? end.line - 1 : end.line;
  return { startLine: start.line + 1, endLine: lastLine + 1 };
}

/** Findings grouped by workspace folder (its `uri.toString()`), in their order: one `review/fix` per folder. */
export function byFolder(findings: readonly StoredFinding[]): Map<string | undefined, StoredFinding[]> {
  const groups = new Map<string | undefined, StoredFinding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.folder) ?? [];
    group.push(finding);
    groups.set(finding.folder, group);
  }
  return groups;
}
