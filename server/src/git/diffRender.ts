/**
 * A diff as prompt text, cut to a token budget: the files to quote are rendered from their parsed
 * patch, as many in full as fit (smallest first, shown in git's order), the next one in part, and
 * every other file as one summary line with its line counts. Token counts are estimates (see
 * {@link estimateTokens}), fast enough to cut a 5,000-line diff in a few milliseconds.
 */
import type parseDiff from 'parse-diff';
import { plural } from '../tools/limits';
import type { ChangedFile } from './diffFiles';
import { describeClass, type SummaryClass } from './fileClasses';

/**
 * Characters per token, for a fast estimate. OpenAI's rule of thumb is about 4 characters of
 * English text per token; code and diffs, with more symbols and indentation, tokenise denser, so
 * 3.5 errs on the side of a shorter prompt. An estimate, not a count (no tokenizer runs): the
 * budget keeps a margin for that.
 */
export const CHARS_PER_TOKEN = 3.5;

/** Estimated tokens of `text`: its UTF-16 length / {@link CHARS_PER_TOKEN}, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Summary lines listed one by one; the rest are counted in one line. */
const MAX_SUMMARY_LINES = 200;
/** A file is shown in part only when at least this many tokens are left for it. */
const MIN_PARTIAL_TOKENS = 120;

/** A changed file with what the prompt does with it. */
export interface PlannedFile extends ChangedFile {
  /** Set when the file is summarised by its kind (lockfile, generated, vendored, `-diff`, binary). */
  summaryClass?: SummaryClass | 'binary';
  /** Its parsed patch, for a file to quote. */
  patch?: parseDiff.File;
}

/** The rendered section and its counts (see `DiffSection`). */
export interface RenderedDiff {
  text: string;
  filesInFull: number;
  filesInPart: number;
  /** Files summarised by kind. */
  filesByKind: number;
  /** Files summarised because they did not fit. */
  filesCut: number;
  /** Added and deleted lines of the cut files and of the parts left out. */
  linesLeftOut: number;
}

/** `diff --git a/x b/x`, the status lines, then each hunk's header and lines. */
export function renderPatch(file: PlannedFile): string {
  const patch = file.patch;
  const from = file.oldPath ?? file.path;
  const lines = [`diff --git a/${from} b/${file.path}`];
  if (patch?.new) lines.push('new file');
  if (patch?.deleted) lines.push('deleted file');
  if (file.oldPath) lines.push(`renamed from ${file.oldPath}`);
  if (patch?.oldMode && patch.newMode && patch.oldMode !== patch.newMode) lines.push(`mode ${patch.oldMode} → ${patch.newMode}`);
  for (const chunk of patch?.chunks ?? []) {
    lines.push(chunk.content);
    for (const change of chunk.changes) lines.push(change.content);
  }
  return lines.join('\n');
}

function counts(file: ChangedFile): string {
  return `+${file.added} −${file.deleted} lines`;
}

/** One summary line: `- package-lock.json (lockfile): +120 −30 lines`, `- logo.png: binary file added`. */
export function summaryLine(file: PlannedFile, why?: string): string {
  const name = file.oldPath ? `${file.oldPath} → ${file.path}` : file.path;
  if (file.binary) {
    const change = file.patch?.new ? 'added' : file.patch?.deleted ? 'deleted' : 'changed';
    const kind = file.summaryClass && file.summaryClass !== 'binary' ? ` (${describeClass(file.summaryClass)})` : '';
    return `- Binary file ${name} ${change}${kind}`;
  }
  const kind = file.summaryClass ? ` (${describeClass(file.summaryClass)})` : '';
  return `- ${name}${kind}: ${counts(file)}${why ? `, ${why}` : ''}`;
}

/** The first lines of a file's patch that fit `maxTokens`, and the changed lines left out. */
function partialPatch(file: PlannedFile, full: string, maxTokens: number): { text: string; left: number } {
  const lines = full.split('\n');
  const maxChars = maxTokens * CHARS_PER_TOKEN;
  let used = 0;
  let kept = 0;
  while (kept < lines.length && used + lines[kept]!.length + 1 <= maxChars) used += lines[kept++]!.length + 1;
  const left = lines.slice(kept).filter((line) => line.startsWith('+') || line.startsWith('-')).length;
  const text = `${lines.slice(0, kept).join('\n')}\n… ${plural(left, 'more changed line')} of ${file.path} left out to fit the model's context`;
  return { text, left };
}

/** The summary lines, at most {@link MAX_SUMMARY_LINES}, then one line for the rest. */
function summaryBlock(entries: { file: PlannedFile; why?: string }[]): string {
  if (entries.length === 0) return '';
  const shown = entries.slice(0, MAX_SUMMARY_LINES).map(({ file, why }) => summaryLine(file, why));
  const rest = entries.slice(MAX_SUMMARY_LINES);
  if (rest.length > 0) {
    const added = rest.reduce((sum, { file }) => sum + file.added, 0);
    const deleted = rest.reduce((sum, { file }) => sum + file.deleted, 0);
    shown.push(`- … and ${plural(rest.length, 'more file')}: +${added} −${deleted} lines`);
  }
  return `Files summarised, not quoted:\n${shown.join('\n')}`;
}

/**
 * Renders `files` (in git's order) into at most about `maxTokens` tokens.
 * Files with a `summaryClass` become summary lines; the others are quoted in full while they fit,
 * smallest first, then one in part, and the rest become summary lines marked as left out.
 */
export function renderDiff(files: PlannedFile[], maxTokens: number): RenderedDiff {
  const byKind = files.filter((file) => file.summaryClass !== undefined);
  const quotable = files.filter((file) => file.summaryClass === undefined).map((file) => ({ file, text: renderPatch(file) }));
  const cutWhy = 'left out to fit';
  // Room for every summary line as if every quotable file were cut; a quoted file frees its line.
  const reserve = (file: PlannedFile, why?: string): number => estimateTokens(summaryLine(file, why)) + 1;
  const kindTokens = estimateTokens(summaryBlock(byKind.map((file) => ({ file }))));
  let available = maxTokens - kindTokens - quotable.reduce((sum, { file }) => sum + reserve(file, cutWhy), 0) - 20;

  const shown = new Map<PlannedFile, string>();
  let partial: PlannedFile | undefined;
  let linesLeftOut = 0;
  for (const entry of [...quotable].sort((a, b) => a.text.length - b.text.length)) {
    const cost = estimateTokens(entry.text) + 1 - reserve(entry.file, cutWhy);
    if (cost <= available) {
      shown.set(entry.file, entry.text);
      available -= cost;
    } else if (partial === undefined && available + reserve(entry.file, cutWhy) >= MIN_PARTIAL_TOKENS) {
      const part = partialPatch(entry.file, entry.text, available + reserve(entry.file, cutWhy));
      shown.set(entry.file, part.text);
      partial = entry.file;
      linesLeftOut += part.left;
      available = 0;
    }
  }
  const cut = quotable.filter(({ file }) => !shown.has(file)).map(({ file }) => file);
  linesLeftOut += cut.reduce((sum, file) => sum + file.added + file.deleted, 0);
  const quoted = files.filter((file) => shown.has(file)).map((file) => shown.get(file)!);
  const summary = summaryBlock([...byKind.map((file) => ({ file })), ...cut.map((file) => ({ file, why: cutWhy }))]);
  return {
    text: [...quoted, summary].filter((part) => part !== '').join('\n\n'),
    filesInFull: shown.size - (partial ? 1 : 0),
    filesInPart: partial ? 1 : 0,
    filesByKind: byKind.length,
    filesCut: cut.length,
    linesLeftOut,
  };
}
