/**
 * Findings move with their text. Pure (no `vscode`), unit-tested:
 * - {@link trackChanges} follows a document's edits (`TextDocumentContentChangeEvent`s): lines
 *   inserted or deleted above a finding shift it, an edit inside it resizes it, and its `anchor`
 *   becomes the lines' new text; lines inserted at the end of its last line (Enter there) are
 *   after it. An edit that replaces the whole of a finding's lines (from the start of its first
 *   line to the end of its last) drops it, unless its anchor is found again in the text put there,
 *   nearest to where it was (a reload of the file from disk, a formatter rewriting the document):
 *   a deleted finding is not kept collapsed, because the code it was about is gone.
 * - {@link relocate} finds a finding's anchor again in a file read afresh (at activation, when a
 *   file is opened): where it was, else the nearest place that holds the same lines, else the
 *   nearest that holds them up to indentation and trailing blanks; else the finding is gone.
 */

/** A position as `vscode.Position`: 0-based line and character (UTF-16 code units). */
export interface LinePosition {
  line: number;
  character: number;
}

/**
 * One change of a document, as `vscode.TextDocumentContentChangeEvent`: the range it replaced (in
 * the document as it was before this change, after the changes listed before it) and the text put
 * there. VS Code lists an event's changes so that applying them one after another is right.
 */
export interface TextChange {
  range: { start: LinePosition; end: LinePosition };
  text: string;
}

/** A document's lines after the changes (`TextDocument.lineAt(i).text`), without line breaks. */
export interface DocumentLines {
  readonly lineCount: number;
  /** The text of a 0-based line. */
  lineText(line: number): string;
}

/** The part of a finding that moves: 1-based inclusive lines and their text (lines joined by `\n`). */
export interface Anchored {
  startLine: number;
  endLine: number;
  anchor: string;
}

/** What {@link trackChanges} did to a document's findings. */
export interface TrackResult<T extends Anchored> {
  /** The findings that moved or whose text changed, with their new lines and anchor. */
  changed: T[];
  /** The findings whose text is gone. */
  dropped: T[];
}

/** The lines of a text, split at `\n` or `\r\n`. */
export function linesOf(text: string): DocumentLines {
  const lines = text.split(/\r?\n/);
  return { lineCount: lines.length, lineText: (line) => lines[line] ?? '' };
}

/** The anchor's lines. */
export function anchorLines(anchor: string): string[] {
  return anchor.split(/\r?\n/);
}

/** The text of 1-based lines `start..end` joined by `\n`, or `undefined` when they are not all in the document. */
export function textAt(lines: DocumentLines, startLine: number, endLine: number): string | undefined {
  if (startLine < 1 || endLine > lines.lineCount || endLine < startLine) return undefined;
  const out: string[] = [];
  for (let line = startLine - 1; line < endLine; line++) out.push(lines.lineText(line));
  return out.join('\n');
}

/**
 * Follows one document's content changes.
 *
 * @param findings the findings of that document, as they were before the changes.
 * @param changes the event's `contentChanges`, in their order.
 * @param after the document's lines after all of them.
 */
export function trackChanges<T extends Anchored>(findings: readonly T[], changes: readonly TextChange[], after: DocumentLines): TrackResult<T> {
  const changed: T[] = [];
  const dropped: T[] = [];
  for (const finding of findings) {
    // 0-based lines; `covered` when a change replaced all of the finding's text, and then the
    // lines are those of the text put in its place.
    let span: Span = { start: finding.startLine - 1, end: finding.endLine - 1, covered: false, near: finding.startLine - 1 };
    const lastLineLength = anchorLines(finding.anchor).at(-1)?.length ?? 0;
    for (const change of changes) span = moveSpan(span, change, span.covered ? Number.MAX_SAFE_INTEGER : lastLineLength);
    const moved = span.covered ? findIn(finding.anchor, after, span.start, span.end, span.near) : clampSpan(span, after);
    if (!moved) {
      dropped.push(finding);
      continue;
    }
    const anchor = textAt(after, moved.start + 1, moved.end + 1) ?? finding.anchor;
    if (moved.start + 1 !== finding.startLine || moved.end + 1 !== finding.endLine || anchor !== finding.anchor) {
      changed.push({ ...finding, startLine: moved.start + 1, endLine: moved.end + 1, anchor });
    }
  }
  return { changed, dropped };
}

interface Span {
  start: number;
  end: number;
  covered: boolean;
  /**
   * Where the finding's first line was, as the changes so far moved it: a covered span's anchor is
   * looked for nearest to it (a reload replaces one block from the first to the last changed line,
   * which may hold the same text several times).
   */
  near: number;
}

/** Moves a 0-based line span through one change. `lastLineLength`: the length of its last line. */
function moveSpan(span: Span, change: TextChange, lastLineLength: number): Span {
  const { start: from, end: to } = change.range;
  const insertedBreaks = countBreaks(change.text);
  const delta = insertedBreaks - (to.line - from.line);
  // Entirely after the span: nothing moves.
  if (from.line > span.end) return span;
  // Entirely before the span's first character (an insertion at its start included): it shifts.
  if (to.line < span.start || (to.line === span.start && to.character === 0)) {
    return { ...span, start: span.start + delta, end: span.end + delta, near: span.near + delta };
  }
  // At or after the end of its last line (Enter there): the lines keep their text, any text before
  // the first inserted line break joins the last line, and the new lines are after the span.
  if (from.line === span.end && from.character >= lastLineLength && to.line === span.end) return span;
  const startsBefore = from.line < span.start || (from.line === span.start && from.character === 0);
  const endsAfter = to.line > span.end || (to.line === span.end && to.character >= lastLineLength);
  // All of the span's text replaced: the span becomes the lines of the new text.
  if (startsBefore && endsAfter && !span.covered) {
    return { start: from.line, end: from.line + insertedBreaks, covered: true, near: span.start };
  }
  // Overlapping: the start stays unless the change began before it; the end follows the text after the change.
  const start = startsBefore ? from.line : span.start;
  const end = to.line > span.end ? from.line + insertedBreaks : span.end + delta;
  return { ...span, start, end: Math.max(start, end) };
}

function countBreaks(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function clampSpan(span: Span, lines: DocumentLines): { start: number; end: number } | undefined {
  const last = lines.lineCount - 1;
  if (span.start > last) return undefined;
  return { start: Math.max(0, span.start), end: Math.min(last, Math.max(span.start, span.end)) };
}

/**
 * Where a finding's anchor is in a file read afresh: its stored lines when they still hold it,
 * else the nearest lines that hold it exactly, else the nearest that hold it up to each line's
 * leading and trailing blanks.
 *
 * @returns the finding with its new lines (and anchor, for a loose match), the same object when
 *   it has not moved, or `undefined` when its text is nowhere in the file.
 */
export function relocate<T extends Anchored>(finding: T, lines: DocumentLines): T | undefined {
  if (textAt(lines, finding.startLine, finding.endLine) === finding.anchor) return finding;
  const found = findIn(finding.anchor, lines, 0, lines.lineCount - 1, finding.startLine - 1);
  if (!found) return undefined;
  const anchor = textAt(lines, found.start + 1, found.end + 1) ?? finding.anchor;
  return { ...finding, startLine: found.start + 1, endLine: found.end + 1, anchor };
}

/** What {@link relocateFindings} did to a file's findings. */
export interface RelocateResult<T extends Anchored> {
  /** The findings still in the file, in their order, at their lines now. */
  placed: T[];
  /** Those of `placed` that moved (or whose anchor changed, for a loose match). */
  moved: T[];
  /** The findings whose text is nowhere in the file. */
  dropped: T[];
}

/**
 * Places findings in their file's text as it is now ({@link relocate} each): the findings of a
 * file read afresh, and a review's new findings, whose lines are those of the text the reviewer
 * read (the file on disk, or the editor's text when the review began) and not of the editor now.
 */
export function relocateFindings<T extends Anchored>(findings: readonly T[], lines: DocumentLines): RelocateResult<T> {
  const result: RelocateResult<T> = { placed: [], moved: [], dropped: [] };
  for (const finding of findings) {
    const placed = relocate(finding, lines);
    if (!placed) {
      result.dropped.push(finding);
      continue;
    }
    result.placed.push(placed);
    if (placed !== finding) result.moved.push(placed);
  }
  return result;
}

/**
 * The 0-based lines within `first..last` that hold `anchor` (exactly, else up to blanks around
 * each line), the nearest to `near` (default `first`) first.
 */
function findIn(anchor: string, lines: DocumentLines, first: number, last: number, near = first): { start: number; end: number } | undefined {
  const wanted = anchorLines(anchor);
  const height = wanted.length;
  const lo = Math.max(0, first);
  const hi = Math.min(lines.lineCount - 1, last) - height + 1;
  if (hi < lo) return undefined;
  const from = Math.min(Math.max(near, lo), hi);
  const exact = nearestMatch(lo, hi, from, (start) => wanted.every((line, i) => lines.lineText(start + i) === line));
  if (exact !== undefined) return { start: exact, end: exact + height - 1 };
  const trimmed = wanted.map((line) => line.trim());
  const loose = nearestMatch(lo, hi, from, (start) => trimmed.every((line, i) => lines.lineText(start + i).trim() === line));
  return loose === undefined ? undefined : { start: loose, end: loose + height - 1 };
}

/** The start in `lo..hi` nearest to `near` (below first on a tie) for which `matches` holds. */
function nearestMatch(lo: number, hi: number, near: number, matches: (start: number) => boolean): number | undefined {
  for (let distance = 0; near - distance >= lo || near + distance <= hi; distance++) {
    const below = near + distance;
    const above = near - distance;
    if (below <= hi && matches(below)) return below;
    if (distance > 0 && above >= lo && matches(above)) return above;
  }
  return undefined;
}
