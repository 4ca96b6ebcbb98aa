/**
 * Size caps of the base tools. They keep one tool result from filling the model's context; every
 * cap that cuts output adds a visible note saying what was left out and how to get it.
 */

/** Bytes in one KiB. */
const KIB = 1024;
/** Bytes in one MiB. */
const MIB = 1024 * KIB;

/** `read_file`: lines returned by one call when `limit` is not given, and the most it returns. */
export const READ_MAX_LINES = 2000;
/** `read_file`: bytes (UTF-8) of numbered text returned by one call. */
export const READ_MAX_BYTES = 256 * KIB;
/** `read_file` and `grep`: characters of one line shown before it is cut. */
export const MAX_LINE_CHARS = 2000;
/**
 * `read_file`: files up to this size (bytes) are read to the end when the output is cut, so that
 * the note can give the total number of lines. Bigger files only say that more lines follow.
 */
export const READ_COUNT_LINES_MAX_BYTES = 8 * MIB;
/** `write_file`: bytes (UTF-8) of `content` accepted. */
export const WRITE_MAX_BYTES = 1 * MIB;
/** `edit_file`: size (bytes) of a file it edits, before and after the edit. */
export const EDIT_MAX_BYTES = 4 * MIB;
/** `edit_file`: lines of the edited region shown back to the model. */
export const EDIT_SNIPPET_MAX_LINES = 20;
/** `list_dir`: entries listed. */
export const LIST_MAX_ENTRIES = 1000;
/** `glob_search`: paths returned. */
export const GLOB_MAX_RESULTS = 1000;
/** `tree`: default depth (1 = the folder's own entries). */
export const TREE_DEFAULT_DEPTH = 3;
/** `tree`: deepest depth a call may ask for. */
export const TREE_MAX_DEPTH = 10;
/** `tree`: entries drawn. */
export const TREE_MAX_ENTRIES = 500;
/** `grep`: matching lines returned. */
export const GREP_MAX_MATCHES = 500;
/** `grep`: characters of a matching line shown. */
export const GREP_MAX_LINE_CHARS = 500;
/** `grep`: files bigger than this (bytes) are skipped, and the result says how many were. */
export const GREP_MAX_FILE_BYTES = 2 * MIB;

/**
 * Formats a byte count for people and models: `512 B`, `2.1 KiB`, `1.4 MiB`, `3.0 GiB`
 * (binary units, one decimal).
 */
export function formatBytes(bytes: number): string {
  if (bytes < KIB) return `${bytes} B`;
  if (bytes < MIB) return `${(bytes / KIB).toFixed(1)} KiB`;
  if (bytes < 1024 * MIB) return `${(bytes / MIB).toFixed(1)} MiB`;
  return `${(bytes / (1024 * MIB)).toFixed(1)} GiB`;
}

/** `1 match` / `3 matches`: a count with its noun, singular or plural. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * `   12\t<text>`: a line as read_file and edit_file show it: the 1-based line number
 * right-aligned in 5 columns, a tab, the text cut after {@link MAX_LINE_CHARS} characters with a
 * note of the full length.
 */
export function numberLine(lineNumber: number, text: string): string {
  const shown = text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}… [line cut: ${text.length} characters]` : text;
  return `${String(lineNumber).padStart(5)}\t${shown}`;
}
