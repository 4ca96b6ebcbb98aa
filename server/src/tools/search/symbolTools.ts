/**
 * `find_definition` and `find_references`: the session's symbol service (VS Code's language
 * servers through the client, or the tree-sitter search), shown as `path:line:column: text`.
 */
import { stat } from 'node:fs/promises';
import { notesOf, sourceOf, symbolPath } from '../../symbols/locations';
import { plural } from '../limits';
import { errorResult, okResult } from '../results';
import type { SymbolLocation, SymbolQuery } from '../services';
import type { ToolImplementation, ToolResult } from '../types';
import { resolveWorkspacePath } from '../workspacePath';
import type { symbolParameters } from './definitions';
import { SYMBOL_MAX_SHOWN } from './limits';

type Kind = 'definitions' | 'references';

/** An identifier: letters, digits, `_` and `$`, not starting with a digit. */
const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

/** Implementation of `find_definition {symbol, path?, line?}`. */
export const findDefinitionImplementation: ToolImplementation<typeof symbolParameters> = (args, context, signal) =>
  findSymbol('definitions', args, context, signal);

/** Implementation of `find_references {symbol, path?, line?}`. */
export const findReferencesImplementation: ToolImplementation<typeof symbolParameters> = (args, context, signal) =>
  findSymbol('references', args, context, signal);

const findSymbol = async (kind: Kind, args: { symbol: string; path?: string; line?: number }, context: Parameters<ToolImplementation>[1], signal: AbortSignal): Promise<ToolResult> => {
  const symbols = context.services?.symbols;
  const grep = `ripgrep with pattern "\\b${args.symbol.trim()}\\b"`;
  if (!symbols) {
    return errorResult(`Symbol search is unavailable here (no language servers and no tree-sitter search in this session); use ${grep} to find the name in the files instead.`, 'symbol search unavailable');
  }
  const notes: string[] = [];
  let symbol = args.symbol.trim();
  const qualified = /^(?:[\p{L}\p{N}_$]+(?:\.|::|#))+([\p{L}_$][\p{L}\p{N}_$]*)$/u.exec(symbol);
  if (qualified?.[1]) {
    notes.push(`Looked up ${qualified[1]}, the last part of ${symbol}.`);
    symbol = qualified[1];
  }
  if (!IDENTIFIER.test(symbol)) {
    return errorResult(`symbol ${JSON.stringify(args.symbol)} is not an identifier; give one name such as parseArguments or UserService (no spaces, parentheses or operators)`);
  }
  const query: SymbolQuery = { symbol };
  if (args.path !== undefined) {
    const file = await resolveWorkspacePath(context.workingDir, args.path);
    if (!file.ok) return errorResult(file.message);
    if ((await stat(file.real)).isDirectory()) return errorResult(`${file.display} is a folder; path must be a file where ${symbol} appears, or leave it out`);
    query.file = file.real;
    if (args.line !== undefined) query.line = args.line;
  } else if (args.line !== undefined) {
    notes.push('line was ignored: it needs path, the file it is a line of.');
  }
  const found = kind === 'definitions' ? await symbols.definitions(query, signal) : await symbols.references(query, signal);
  return symbolResult(kind, symbol, found, [...notes, ...notesOf(found)], sourceOf(found, symbols.source), context.workingDir, grep);
};

function symbolResult(kind: Kind, symbol: string, found: SymbolLocation[], notes: string[], source: string, workingDir: string, grep: string): ToolResult {
  const noun = kind === 'definitions' ? ['definition', 'definitions'] as const : ['reference', 'references'] as const;
  const noteText = notes.map((note) => `[${note}]`).join('\n');
  if (found.length === 0) {
    const content = `No ${noun[1]} of ${symbol} found by ${source}.${noteText ? `\n${noteText}` : ''}\nTry ${grep}, or give path and line of an occurrence.`;
    return okResult(content, `no ${noun[1]} of ${symbol}`);
  }
  const lines = found.slice(0, SYMBOL_MAX_SHOWN).map((location) => {
    const span = kind === 'definitions' && location.endLine > location.line ? ` [to line ${location.endLine}]` : '';
    return `${symbolPath(workingDir, location.path)}:${location.line}:${location.column}: ${location.preview}${span}`;
  });
  if (found.length > SYMBOL_MAX_SHOWN) notes.push(`Showing ${SYMBOL_MAX_SHOWN} of ${found.length}; give path and line for a precise answer.`);
  const header = `${plural(found.length, noun[0], noun[1])} of ${symbol} (from ${source}):`;
  const tail = notes.length > 0 ? `\n\n${notes.map((note) => `[${note}]`).join('\n')}` : '';
  return okResult(`${header}\n${lines.join('\n')}${tail}`, `${plural(found.length, noun[0], noun[1])} of ${symbol}`);
}
