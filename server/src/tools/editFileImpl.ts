/**
 * `edit_file`: exact-text replacement in a text file, written atomically. The model gets back the
 * edited lines, numbered as read_file numbers them, so it can check the result without reading
 * the file again.
 */
import { readFile } from 'node:fs/promises';
import { writeTextAtomic } from './atomicWrite';
import { withFileLock } from './fileLocks';
import { openTextFile } from './fileAccess';
import type { z } from 'zod';
import type { editFileParameters } from './fileTools';
import { EDIT_MAX_BYTES, EDIT_SNIPPET_MAX_LINES, formatBytes, numberLine, plural } from './limits';
import { errorResult, okResult } from './results';
import type { ToolImplementation, ToolResult } from './types';

type EditFileArgs = z.infer<typeof editFileParameters>;

/** Implementation of `edit_file {path, old_string, new_string, replace_all?}`. */
export const editFileImplementation: ToolImplementation<typeof editFileParameters> = async (args, context, signal) => {
  if (args.old_string === '') {
    return errorResult('old_string is empty; give the exact text to replace, or use write_file to create a file');
  }
  if (args.old_string === args.new_string) {
    return errorResult('old_string and new_string are the same, so the edit would change nothing; give the new text in new_string');
  }
  const opened = await openTextFile(context.workingDir, args.path);
  if (!opened.ok) return opened.result;
  const { file, stats } = opened;
  if (stats.size > EDIT_MAX_BYTES) {
    return errorResult(`${file.display} is ${formatBytes(stats.size)}, more than edit_file handles (${formatBytes(EDIT_MAX_BYTES)}); edit a smaller file`);
  }
  // Read, change and write under the file's lock: a parallel agent's edit waits, then reads this one's result.
  return withFileLock(file.real, () => replaceInFile(file, args, signal));
};

/** The read-change-write of {@link editFileImplementation}, run under the file's lock. */
async function replaceInFile(file: { real: string; display: string }, args: EditFileArgs, signal: AbortSignal): Promise<ToolResult> {
  signal.throwIfAborted();
  const original = await readFile(file.real, { encoding: 'utf8', signal });
  let oldText = args.old_string;
  let newText = args.new_string;
  let count = countOccurrences(original, oldText);
  if (count === 0 && original.includes('\r\n') && oldText.includes('\n')) {
    // The file has Windows line ends; models write `\n`. Match and replace in the file's style.
    oldText = toCrlf(oldText);
    newText = toCrlf(newText);
    count = countOccurrences(original, oldText);
  }
  if (count === 0) {
    return errorResult(
      `old_string was not found in ${file.display}; read the file again with read_file and copy the text exactly, ` +
        'including whitespace and indentation, without the line numbers',
    );
  }
  if (count > 1 && !args.replace_all) {
    return errorResult(
      `old_string occurs ${count} times in ${file.display}; add surrounding lines to old_string so that it occurs once, ` +
        'or set replace_all to true to replace all of them',
    );
  }
  const updated = original.split(oldText).join(newText);
  const bytes = Buffer.byteLength(updated, 'utf8');
  if (bytes > EDIT_MAX_BYTES) {
    return errorResult(`the edited ${file.display} would be ${formatBytes(bytes)}, more than edit_file handles (${formatBytes(EDIT_MAX_BYTES)}); make a smaller change`);
  }
  await writeTextAtomic(file.real, updated, signal);
  const replacements = plural(count, 'occurrence');
  const snippet = editedLines(updated, original.indexOf(oldText), newText);
  return okResult(`Edited ${file.display}: replaced ${replacements}.${snippet}`, `edited ${file.display} (${plural(count, 'replacement')})`);
}

/** Non-overlapping occurrences of `needle` (not empty) in `text`. */
function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** The lines of the first replacement (with one line of context each side), numbered. */
function editedLines(updated: string, start: number, newText: string): string {
  const lines = updated.split(/\r?\n/);
  const firstLine = updated.slice(0, start).split('\n').length; // 1-based
  const lastLine = firstLine + newText.split('\n').length - 1;
  const from = Math.max(1, firstLine - 1);
  const to = Math.min(lines.length, lastLine + 1, from + EDIT_SNIPPET_MAX_LINES - 1);
  const shown = lines.slice(from - 1, to).map((line, index) => numberLine(from + index, line));
  return `\nLines ${from}–${to} now read:\n${shown.join('\n')}`;
}
