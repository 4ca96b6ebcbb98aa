/** `grep`: a JavaScript regular expression over the text files under a path. */
import { readFile, stat } from 'node:fs/promises';
import { isBinaryFile } from 'isbinaryfile';
import { GitignoreMatcher } from './gitignore';
import { GREP_MAX_FILE_BYTES, GREP_MAX_LINE_CHARS, GREP_MAX_MATCHES, formatBytes, plural } from './limits';
import { errorResult, okResult } from './results';
import type { grepParameters } from './searchTools';
import type { ToolImplementation, ToolResult } from './types';
import { walkFiles } from './walk';
import { displayPath, resolveWorkspacePath } from './workspacePath';

/** What a search found. */
interface GrepState {
  lines: string[];
  files: number;
  /** Files skipped for their size. */
  tooBig: number;
  /** True when the match cap stopped the search. */
  capped: boolean;
}

/**
 * Implementation of `grep {pattern, path?}`: `file:line: text` per matching line, files in walk
 * order (folders first, by name). An invalid pattern is an error result quoting the engine's
 * message.
 */
export const grepImplementation: ToolImplementation<typeof grepParameters> = async (args, context, signal) => {
  let regex: RegExp;
  try {
    regex = new RegExp(args.pattern);
  } catch (error) {
    return errorResult(
      `pattern ${args.pattern} is not a valid JavaScript regular expression (${(error as Error).message}); ` +
        'fix it, and escape characters such as ( [ { . * + ? with a backslash to match them literally',
    );
  }
  const target = await resolveWorkspacePath(context.workingDir, args.path ?? '.');
  if (!target.ok) return errorResult(target.message);
  const state: GrepState = { lines: [], files: 0, tooBig: 0, capped: false };
  if ((await stat(target.real)).isDirectory()) {
    const matcher = new GitignoreMatcher(context.workingDir);
    for await (const file of walkFiles(context.workingDir, target.real, matcher, signal)) {
      await searchFile(file.absolute, file.relative, regex, state, signal);
      if (state.capped) break;
    }
  } else {
    if (await isBinaryFile(target.real)) return errorResult(`${target.display} is a binary file; grep searches text files only`);
    await searchFile(target.real, displayPath(context.workingDir, target.absolute), regex, state, signal);
  }
  return grepResult(args.pattern, target.display, state);
};

async function searchFile(file: string, display: string, regex: RegExp, state: GrepState, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  const stats = await stat(file).catch(() => undefined);
  if (!stats?.isFile()) return;
  if (stats.size > GREP_MAX_FILE_BYTES) {
    state.tooBig++;
    return;
  }
  if (stats.size === 0 || (await isBinaryFile(file).catch(() => true))) return;
  const text = await readFile(file, { encoding: 'utf8', signal }).catch((error: unknown) => {
    if (signal.aborted) throw error;
    return '';
  });
  let matched = false;
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (!regex.test(line)) continue;
    if (state.lines.length >= GREP_MAX_MATCHES) {
      state.capped = true;
      return;
    }
    if (!matched) state.files++;
    matched = true;
    const shown = line.length > GREP_MAX_LINE_CHARS ? `${line.slice(0, GREP_MAX_LINE_CHARS)}… [line cut]` : line;
    state.lines.push(`${display}:${index + 1}: ${shown}`);
  }
}

function grepResult(pattern: string, where: string, state: GrepState): ToolResult {
  const notes: string[] = [];
  if (state.capped) {
    notes.push(`[Stopped at ${GREP_MAX_MATCHES} matches; more exist. Use a more specific pattern, or a path to search a smaller part.]`);
  }
  if (state.tooBig > 0) {
    notes.push(`[Skipped ${plural(state.tooBig, 'file')} larger than ${formatBytes(GREP_MAX_FILE_BYTES)}; read them with read_file.]`);
  }
  const noteText = notes.length > 0 ? `\n\n${notes.join('\n')}` : '';
  if (state.lines.length === 0) {
    return okResult(`No lines match /${pattern}/ in ${where}.${noteText}`, 'no matches');
  }
  const matches = `${state.capped ? 'more than ' : ''}${plural(state.lines.length, 'match', 'matches')}`;
  return okResult(state.lines.join('\n') + noteText, `${matches} in ${plural(state.files, 'file')}`);
}
