/**
 * The file a `file` or `selection` review looks at: the editor's text when it sends one (unsaved
 * changes included), else the file on disk, confined to the working directory
 * (tools/workspacePath.ts) and refused when binary (isbinaryfile) or too large for one review.
 */
import { readFile, stat } from 'node:fs/promises';
import { isBinaryFile } from 'isbinaryfile';
import { MocoErrorCodes } from '../../../protocol/errors';
import { MocoError } from '../orchestrator/errors';
import { resolveWorkspacePath } from '../tools/workspacePath';

/**
 * The most lines one review quotes: a whole file, a selection. About 2,000 lines of code is some
 * 20–25k tokens with line numbers, which leaves room in a 128k-token context for the reviewer's
 * own reading and answer; past it, reviews get shallow, so the user is asked to select a part.
 */
export const REVIEW_MAX_LINES = 2_000;

/** The most bytes one review quotes (a file, a selection, or the whole diff of `changes`): 200 KB. */
export const REVIEW_MAX_BYTES = 200_000;

/**
 * A file past this size (bytes: 20 MB) is not read at all. Smaller files are read, and then a
 * whole-file review still needs {@link REVIEW_MAX_BYTES}; a selection of them is fine.
 */
export const SOURCE_MAX_BYTES = 20_000_000;

/** A file's text as it was reviewed. */
export interface SourceFile {
  /** Path relative to the working directory, `/`-separated. */
  path: string;
  /** Its lines (see {@link splitLines}). */
  lines: string[];
  /** Its size in bytes (UTF-8). */
  bytes: number;
}

/**
 * A text's lines without their line breaks (`\n`, `\r\n` or `\r`). A final line break ends the
 * last line rather than starting an empty one, as git and `wc -l` count: `a\nb\n` has 2 lines,
 * '' has none.
 */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** A Markdown fence longer than any run of backticks in `text`, so that the text cannot close it. */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * A path as a prompt or a note shows it: as it is, or as a JSON string when it holds a control
 * character (a tab, a line break), which would otherwise break the line it is on. A reviewer who
 * copies it into its JSON answer writes the same string.
 */
export function shownPath(name: string): string {
  return [...name].some((char) => char < ' ' || char === '\x7f') ? JSON.stringify(name) : name;
}

/**
 * Reads the file a review names.
 *
 * @param workingDir real path of the working directory.
 * @param file the path: relative to `workingDir`, or absolute inside it.
 * @param content the editor's text, when it sent one (the file need not exist on disk then).
 * @throws {MocoError} `InvalidRequest` when the path is outside the working directory, missing,
 *   not a regular file, binary, or over {@link SOURCE_MAX_BYTES}.
 */
export async function readSource(workingDir: string, file: string, content: string | undefined): Promise<SourceFile> {
  const resolved = await resolveWorkspacePath(workingDir, file, { allowMissing: true });
  if (!resolved.ok) throw new MocoError(MocoErrorCodes.InvalidRequest, `Cannot review ${file}: ${resolved.message}.`);
  const name = resolved.display;
  let text = content;
  if (text === undefined) {
    if (!resolved.exists) throw new MocoError(MocoErrorCodes.InvalidRequest, `Cannot review ${name}: there is no such file in ${workingDir}. Check the path.`);
    const info = await stat(resolved.real);
    if (!info.isFile()) throw new MocoError(MocoErrorCodes.InvalidRequest, `Cannot review ${name}: it is not a regular file. Review a text file.`);
    if (info.size > SOURCE_MAX_BYTES) throw unreadable(name, info.size);
    if (info.size > 0 && (await isBinaryFile(resolved.real))) throw binary(name);
    text = await readFile(resolved.real, 'utf8');
  } else {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > SOURCE_MAX_BYTES) throw unreadable(name, bytes.length);
    if (bytes.length > 0 && (await isBinaryFile(bytes))) throw binary(name);
  }
  return { path: name, lines: splitLines(text), bytes: Buffer.byteLength(text, 'utf8') };
}

/**
 * Checks that a whole file fits one review.
 * @throws {MocoError} `InvalidRequest` past {@link REVIEW_MAX_LINES} lines or {@link REVIEW_MAX_BYTES} bytes.
 */
export function checkWholeFile(source: SourceFile): void {
  if (source.lines.length > REVIEW_MAX_LINES) throw tooLarge(source.path, `${source.lines.length} lines`);
  if (source.bytes > REVIEW_MAX_BYTES) throw tooLarge(source.path, `${kilobytes(source.bytes)} KB`);
}

/**
 * Checks a selection against the file and the limits; an end past the last line (an editor's
 * selection that takes in the final line break) is moved back to the last line.
 * @returns the selection's lines, 1-based and inclusive.
 * @throws {MocoError} `InvalidRequest` for lines that are not in the file, or a selection past
 *   {@link REVIEW_MAX_LINES} lines or {@link REVIEW_MAX_BYTES} bytes.
 */
export function checkSelection(source: SourceFile, startLine: number, endLine: number): { startLine: number; endLine: number } {
  const count = source.lines.length;
  if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 1 || endLine < startLine) {
    throw new MocoError(MocoErrorCodes.InvalidRequest, `The selection ${startLine}–${endLine} is not a range of lines (1-based, start ≤ end). Select the lines to review.`);
  }
  if (startLine > count) {
    throw new MocoError(MocoErrorCodes.InvalidRequest, `The selection starts at line ${startLine}, past the end of ${source.path} (${count} lines). Select lines of the file.`);
  }
  const end = Math.min(endLine, count);
  const selected = source.lines.slice(startLine - 1, end);
  const bytes = selected.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0);
  if (selected.length > REVIEW_MAX_LINES || bytes > REVIEW_MAX_BYTES) {
    throw new MocoError(
      MocoErrorCodes.InvalidRequest,
      `The selection (${selected.length} lines, ${kilobytes(bytes)} KB) is too large to review at once: the limit is ${REVIEW_MAX_LINES.toLocaleString('en')} lines and ${REVIEW_MAX_BYTES / 1000} KB. Select fewer lines.`,
    );
  }
  return { startLine, endLine: end };
}

function tooLarge(name: string, size: string): MocoError {
  return new MocoError(
    MocoErrorCodes.InvalidRequest,
    `${name} (${size}) is too large to review at once: the limit is ${REVIEW_MAX_LINES.toLocaleString('en')} lines and ${REVIEW_MAX_BYTES / 1000} KB. Select a part and run Review Selection.`,
  );
}

function unreadable(name: string, bytes: number): MocoError {
  return new MocoError(MocoErrorCodes.InvalidRequest, `${name} (${kilobytes(bytes)} KB) is too large to read for a review: the limit is ${SOURCE_MAX_BYTES / 1_000_000} MB.`);
}

function binary(name: string): MocoError {
  return new MocoError(MocoErrorCodes.InvalidRequest, `${name} is a binary file; only text files can be reviewed.`);
}

function kilobytes(bytes: number): string {
  return (bytes / 1000).toFixed(bytes < 10_000 ? 1 : 0);
}
