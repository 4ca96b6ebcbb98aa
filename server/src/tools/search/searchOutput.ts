/**
 * What a `ripgrep` search found, whichever engine ran (ripgrepRun.ts or javascriptSearch.ts), and
 * how it is shown to the model.
 */
import { plural } from '../limits';
import { okResult } from '../results';
import type { ToolResult } from '../types';
import { RIPGREP_MAX_LINE_CHARS, RIPGREP_MAX_OUTPUT_CHARS } from './limits';

/** A search, with its arguments normalised. */
export interface SearchRequest {
  pattern: string;
  caseInsensitive: boolean;
  fixedStrings: boolean;
  glob?: string;
  /** Context lines before and after each match. */
  context: number;
  /** Matching lines after which the search stops. */
  maxResults: number;
  /** Real path of the working directory; paths in the output are relative to it. */
  workingDir: string;
  /** What to search, relative to the working directory (`.` for all of it). */
  target: string;
}

/** One line of the output: a match, or context around one. */
export interface SearchLine {
  /** Relative to the working directory, `/` separators. */
  path: string;
  /** 1-based. */
  line: number;
  /** The line's text without its line ending. */
  text: string;
  match: boolean;
}

/** What an engine found. */
export interface SearchOutcome {
  /** Lines in output order, a file's lines together. */
  lines: SearchLine[];
  /** Matching lines among `lines`. */
  matches: number;
  /** Whether `maxResults` stopped the search while more matches may exist. */
  capped: boolean;
  /** Notes for the model (time-outs, files skipped, options the engine ignored). */
  notes: string[];
}

/**
 * The tool result: `path:line: text` for matches and `path-line- text` for context (ripgrep's own
 * convention), a blank line between files, `--` between separate stretches of one file when
 * context lines are shown, then the notes and the engine that ran. Lines are cut at
 * {@link RIPGREP_MAX_LINE_CHARS} characters and the output at {@link RIPGREP_MAX_OUTPUT_CHARS}.
 *
 * @param engine for the model: `ripgrep (/usr/bin/rg)` or `the JavaScript search (no ripgrep found)`.
 */
export function searchResult(request: SearchRequest, outcome: SearchOutcome, engine: string): ToolResult {
  const files = new Set(outcome.lines.filter((line) => line.match).map((line) => line.path)).size;
  const notes = [...outcome.notes];
  const body = render(outcome.lines, request.context > 0, notes);
  if (outcome.capped) {
    notes.unshift(`Stopped at ${plural(request.maxResults, 'match', 'matches')}; more exist. Use a more specific pattern, a path or a glob, or raise max_results.`);
  }
  notes.push(`Searched with ${engine}.`);
  const noteText = notes.map((note) => `[${note}]`).join('\n');
  if (outcome.matches === 0) {
    const what = request.fixedStrings ? JSON.stringify(request.pattern) : `/${request.pattern}/`;
    return okResult(`No lines match ${what} in ${request.target}${request.glob ? ` (files matching ${request.glob})` : ''}.\n\n${noteText}`, 'no matches');
  }
  const count = `${outcome.capped ? 'at least ' : ''}${plural(outcome.matches, 'match', 'matches')}`;
  return okResult(`${body}\n\n${noteText}`, `${count} in ${plural(files, 'file')}`);
}

function render(lines: SearchLine[], withContext: boolean, notes: string[]): string {
  const out: string[] = [];
  let size = 0;
  let previous: SearchLine | undefined;
  for (const [index, line] of lines.entries()) {
    if (previous && previous.path !== line.path) out.push('');
    else if (withContext && previous && line.line > previous.line + 1) out.push('--');
    const text = line.text.length > RIPGREP_MAX_LINE_CHARS ? `${line.text.slice(0, RIPGREP_MAX_LINE_CHARS)}… [line cut]` : line.text;
    const shown = line.match ? `${line.path}:${line.line}: ${text}` : `${line.path}-${line.line}- ${text}`;
    if (size + shown.length > RIPGREP_MAX_OUTPUT_CHARS) {
      notes.push(`Output cut at ${RIPGREP_MAX_OUTPUT_CHARS.toLocaleString('en-US')} characters: ${plural(lines.length - index, 'line')} not shown. Narrow the search.`);
      break;
    }
    out.push(shown);
    size += shown.length + 1;
    previous = line;
  }
  return out.join('\n');
}
