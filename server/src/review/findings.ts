/**
 * Turns the items of a reviewer's answer into {@link ReviewFinding}s: each is checked against the
 * schema (findingSchema.ts), then against what was reviewed (the file, its line count, and the
 * lines a finding may sit on: the selection, or the changed lines). What fails is kept as a
 * {@link SkippedFinding} with the reason; the rest get their anchor and stable id, are sorted most
 * severe first, then by file and line, and are given once each.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { FindingSeverities, type ReviewFinding, type SkippedFinding } from '../../../protocol/review';
import type { AnswerItem } from './answer';
import { checkRawFinding, type RawFinding } from './findingSchema';
import { wholeFencedBlock } from '../text/fencedBlock';

/** A file under review, as the reviewer saw it. */
export interface ReviewedFile {
  /** Path relative to the working directory, with `/` separators. */
  path: string;
  /** Its lines at review time, without line breaks (a final line break ends the last line). */
  lines: readonly string[];
  /**
   * The lines a finding must touch (1-based): the selection, or the changed lines of a diff.
   * Absent: any line of the file.
   */
  commentable?: ReadonlySet<number>;
  /** What {@link commentable} is, for a skipped finding's reason: `the changed lines`, `the selected lines 10–20`. */
  commentableLabel?: string;
}

/** What a review looked at: the working directory and the files, by {@link ReviewedFile.path}. */
export interface ReviewScope {
  /** Real path of the working directory. */
  workingDir: string;
  files: ReadonlyMap<string, ReviewedFile>;
}

/** The findings kept and those skipped. */
export interface MappedFindings {
  findings: ReviewFinding[];
  skipped: SkippedFinding[];
}

/** Characters of a skipped finding's text that are kept (protocol/review.ts `SkippedFinding.text`). */
export const SKIPPED_TEXT_MAX_CHARS = 500;

/** Validates and maps every item; never throws. */
export function mapFindings(items: readonly AnswerItem[], scope: ReviewScope): MappedFindings {
  const byId = new Map<string, ReviewFinding>();
  const skipped: SkippedFinding[] = [];
  for (const item of items) {
    const outcome = 'error' in item ? { ok: false as const, reason: item.error } : mapOne(item.value, scope);
    if (!outcome.ok) skipped.push({ reason: outcome.reason, text: cut(item.text) });
    else if (!byId.has(outcome.finding.id)) byId.set(outcome.finding.id, outcome.finding);
  }
  return { findings: [...byId.values()].sort(compareFindings), skipped };
}

function mapOne(value: unknown, scope: ReviewScope): { ok: true; finding: ReviewFinding } | { ok: false; reason: string } {
  const checked = checkRawFinding(value);
  if (!checked.ok) return checked;
  const raw = checked.finding;
  const located = locate(raw.file, scope);
  if (!located.ok) return located;
  const file = located.file;
  const range = rangeText(raw.startLine, raw.endLine);
  if (raw.endLine > file.lines.length) {
    return { ok: false, reason: `${range} ${isAre(raw)} outside ${file.path} (${file.lines.length} ${file.lines.length === 1 ? 'line' : 'lines'})` };
  }
  if (file.commentable && !touches(raw, file.commentable)) {
    return { ok: false, reason: `${range} of ${file.path} ${isAre(raw)} not among ${file.commentableLabel ?? 'the reviewed lines'}` };
  }
  return { ok: true, finding: toFinding(raw, file) };
}

function toFinding(raw: RawFinding, file: ReviewedFile): ReviewFinding {
  const suggestion = raw.suggestion === undefined ? undefined : cleanSuggestion(raw.suggestion);
  return {
    id: findingId(file.path, raw.startLine, raw.endLine, raw.category, raw.message),
    file: file.path,
    startLine: raw.startLine,
    endLine: raw.endLine,
    severity: raw.severity,
    category: raw.category,
    message: raw.message,
    ...(suggestion !== undefined ? { suggestion } : {}),
    anchor: file.lines.slice(raw.startLine - 1, raw.endLine).join('\n'),
  };
}

/**
 * The stable id of a finding: the first 16 hex characters of the SHA-256 of its file, lines,
 * category and message (protocol/review.ts `ReviewFinding.id`).
 */
export function findingId(file: string, startLine: number, endLine: number, category: string, message: string): string {
  return createHash('sha256').update([file, startLine, endLine, category, message].join('\0')).digest('hex').slice(0, 16);
}

/** Most severe first, then by file, then by line (then by end line and id, so the order is total). */
export function compareFindings(a: ReviewFinding, b: ReviewFinding): number {
  return (
    FindingSeverities.indexOf(b.severity) - FindingSeverities.indexOf(a.severity) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.startLine - b.startLine ||
    a.endLine - b.endLine ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * The reviewed file a finding's path names: exactly a reviewed path (whatever it holds: `\`,
 * quotes), that path written as a JSON string (as the prompt shows a name with a control
 * character, see `shownPath`), or relative to the working directory or absolute inside it, `\` or
 * `/` separated, with `./` or a diff's `a/`/`b/` prefix tolerated.
 */
function locate(written: string, scope: ReviewScope): { ok: true; file: ReviewedFile } | { ok: false; reason: string } {
  const exact = scope.files.get(written) ?? scope.files.get(jsonString(written) ?? '');
  if (exact) return { ok: true, file: exact };
  const slashed = written.trim().replace(/^[`'"]+|[`'"]+$/g, '').replace(/\\/g, '/');
  const relative = path.isAbsolute(slashed) ? path.relative(scope.workingDir, slashed).split(path.sep).join('/') : slashed;
  const normal = path.posix.normalize(relative);
  if (path.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) {
    return { ok: false, reason: `${written} is outside the working directory ${scope.workingDir}` };
  }
  const candidates = [normal, normal.replace(/^[ab]\//, '')];
  for (const candidate of candidates) {
    const file = scope.files.get(candidate);
    if (file) return { ok: true, file };
  }
  const reviewed = [...scope.files.keys()];
  const listed = reviewed.slice(0, 5).join(', ') + (reviewed.length > 5 ? `, and ${reviewed.length - 5} more` : '');
  return { ok: false, reason: `${written} was not under review (reviewed: ${listed || 'no file'})` };
}

/** The string a JSON string literal (`"a\\tb"`) means, or undefined when `text` is not one. */
function jsonString(text: string): string | undefined {
  if (!text.startsWith('"') || !text.endsWith('"')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function touches(raw: RawFinding, lines: ReadonlySet<number>): boolean {
  for (let line = raw.startLine; line <= raw.endLine; line += 1) if (lines.has(line)) return true;
  return false;
}

/** `line 5` or `lines 5–7`. */
export function rangeText(startLine: number, endLine: number): string {
  return startLine === endLine ? `line ${startLine}` : `lines ${startLine}–${endLine}`;
}

function isAre(raw: RawFinding): string {
  return raw.startLine === raw.endLine ? 'is' : 'are';
}

/** A suggestion without a Markdown fence around it and without its last line break. */
function cleanSuggestion(suggestion: string): string {
  return (wholeFencedBlock(suggestion) ?? suggestion).replace(/\r?\n$/, '');
}

function cut(text: string): string {
  return text.length <= SKIPPED_TEXT_MAX_CHARS ? text : `${text.slice(0, SKIPPED_TEXT_MAX_CHARS - 1)}…`;
}
