/**
 * The `ripgrep` tool's fallback when no `rg` can run: the `grep` tool's own search (grepImpl.ts:
 * a JavaScript regular expression per line, binary and big files skipped), called per file of the
 * walk that the search tools share (walk.ts, gitignore.ts), with `glob` applied by picomatch.
 * Context lines are not supported; the result says so.
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { GitignoreMatcher } from '../gitignore';
import { grepImplementation } from '../grepImpl';
import { formatBytes, GREP_MAX_FILE_BYTES, plural } from '../limits';
import { errorResult } from '../results';
import type { ToolContext, ToolResult } from '../types';
import { walkFiles } from '../walk';
import type { SearchLine, SearchOutcome, SearchRequest } from './searchOutput';

/** Whether this JavaScript engine has regular expression modifiers (`(?i:...)`, V8 ≥ 12.5, Node ≥ 23). */
const hasModifiers = ((): boolean => {
  try {
    return new RegExp('(?i:a)').test('A');
  } catch {
    return false;
  }
})();

/**
 * Searches as {@link SearchRequest} says, with the JavaScript engine.
 *
 * @returns the lines found, or an error result (an invalid pattern, which the message explains).
 * @throws `signal.reason` when `signal` aborts.
 */
export async function javascriptSearch(request: SearchRequest, context: ToolContext, signal: AbortSignal): Promise<SearchOutcome | ToolResult> {
  const notes: string[] = [];
  const source = request.fixedStrings ? request.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : request.pattern;
  try {
    new RegExp(source, request.caseInsensitive ? 'i' : '');
  } catch (error) {
    return errorResult(
      `pattern ${request.pattern} is not a valid regular expression for the JavaScript search (${(error as Error).message}); ` +
        'fix it, or set fixed_strings to true to search for the text as it is',
    );
  }
  let pattern = source;
  if (request.caseInsensitive) {
    if (hasModifiers) pattern = `(?i:${source})`;
    else notes.push('case_insensitive is not supported by the JavaScript search on this Node version; the search was case-sensitive.');
  }
  if (request.context > 0) notes.push('Context lines are not shown by the JavaScript search.');

  const search: JsSearch = { request, pattern, outcome: { lines: [], matches: 0, capped: false, notes }, tooBig: 0 };
  const target = path.join(request.workingDir, request.target);
  if (!(await stat(target)).isDirectory()) {
    await searchOne(request.target, search, context, signal);
  } else {
    const accepts = request.glob ? picomatch(request.glob, { dot: true, basename: true }) : () => true;
    const matcher = new GitignoreMatcher(request.workingDir);
    for await (const file of walkFiles(request.workingDir, target, matcher, signal)) {
      if (!accepts(file.relative)) continue;
      await searchOne(file.relative, search, context, signal);
      if (search.outcome.capped) break;
    }
  }
  if (search.tooBig > 0) notes.push(`Skipped ${plural(search.tooBig, 'file')} larger than ${formatBytes(GREP_MAX_FILE_BYTES)}; read them with read_file.`);
  return search.outcome;
}

/** One JavaScript search in progress. */
interface JsSearch {
  request: SearchRequest;
  /** The pattern as grep gets it (escaped, with the case modifier). */
  pattern: string;
  outcome: SearchOutcome;
  /** Files grep skipped for their size. */
  tooBig: number;
}

/** Runs `grep` on one file and adds its matching lines, up to the cap. */
async function searchOne(file: string, search: JsSearch, context: ToolContext, signal: AbortSignal): Promise<void> {
  const { request, outcome } = search;
  const result = await grepImplementation({ pattern: search.pattern, path: file }, context, signal);
  // A binary file named directly is an error result of grep; the walk skips such files silently.
  if (result.isError) return;
  const [body = '', ...notes] = result.content.split('\n\n');
  if (notes.some((note) => note.includes('larger than'))) search.tooBig++;
  if (body.startsWith('No lines match')) return;
  const prefix = `${file}:`;
  for (const text of body.split('\n')) {
    if (!text.startsWith(prefix)) continue;
    const parsed = /^(\d+): ([\s\S]*)$/.exec(text.slice(prefix.length));
    if (!parsed) continue;
    if (outcome.matches >= request.maxResults) {
      outcome.capped = true;
      return;
    }
    const line: SearchLine = { path: file, line: Number(parsed[1]), text: parsed[2] ?? '', match: true };
    outcome.lines.push(line);
    outcome.matches++;
  }
}
