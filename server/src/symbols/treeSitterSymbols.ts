/**
 * The CLI's symbol search: a syntactic search with tree-sitter over the workspace's TypeScript,
 * JavaScript, Python, Go, Rust and Java files. A definition is a declaration (function, class,
 * method, interface, type, enum, variable...) whose name is the symbol; a reference is any name
 * leaf (identifier) with that text, the definitions included (as VS Code's reference providers
 * include the declaration). Names are matched by text, not resolved: no scopes, imports or types,
 * so two unrelated symbols of the same name both come back. Comments and strings never match.
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { SymbolLocation, SymbolQuery, SymbolService } from '../tools/services';
import { GitignoreMatcher } from '../tools/gitignore';
import { formatBytes, plural } from '../tools/limits';
import { walkFiles } from '../tools/walk';
import { isInside } from '../tools/workspacePath';
import { createParser, type Node, type Parser } from '../treeSitter/index';
import { GRAMMAR_SYMBOLS, grammarOf, SEARCHED_LANGUAGES, type SymbolGrammar } from './grammars';
import { previewOf, symbolPath, withNotes, type SymbolLocations } from './locations';

/** Caps of one search. */
export interface TreeSitterLimits {
  /** Source files (of a known language) read before the search stops. */
  maxFiles: number;
  /** Files larger than this (bytes) are skipped. */
  maxFileBytes: number;
  /** Bytes read in all before the search stops. */
  maxTotalBytes: number;
  /** Locations returned before the search stops. */
  maxResults: number;
}

/**
 * Default caps: 20,000 files, 1 MiB per file, 200 MiB in all, 500 locations. Chosen so that a
 * large repository (tens of thousands of source files) is covered in a few seconds; the result
 * says when a cap stopped the search.
 */
export const TREE_SITTER_LIMITS: Readonly<TreeSitterLimits> = Object.freeze({
  maxFiles: 20_000,
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 200 * 1024 * 1024,
  maxResults: 500,
});

/** The `source` of this service, as the tools show it to the model. */
export const TREE_SITTER_SOURCE = `tree-sitter symbol search (syntactic: names matched in the ${SEARCHED_LANGUAGES} files of the workspace, not resolved by a language server)`;

type Kind = 'definitions' | 'references';

/**
 * A {@link SymbolService} over the files of `workingDir`, walked as the search tools walk it
 * (tools/walk.ts: `.gitignore`, `.git` and `node_modules` skipped, symbolic links not followed).
 * The query's `file`, when it is inside `workingDir`, is searched first, so its own definitions
 * come first; `line` is not used (a syntactic search cannot tell which declaration a name means).
 * Results carry notes (locations.ts {@link SymbolLocations}) when a cap stopped the search.
 *
 * @param workingDir real path of the working directory.
 */
export function createTreeSitterSymbolService(workingDir: string, limits: TreeSitterLimits = TREE_SITTER_LIMITS): SymbolService {
  return {
    source: TREE_SITTER_SOURCE,
    definitions: (query, signal) => search(workingDir, limits, query, 'definitions', signal),
    references: (query, signal) => search(workingDir, limits, query, 'references', signal),
  };
}

/** One search: what it looks for, and its running state. */
interface SearchState {
  readonly workingDir: string;
  readonly limits: TreeSitterLimits;
  readonly symbol: string;
  /** Finds the symbol as a whole word, to skip files without it before parsing. */
  readonly word: RegExp;
  readonly kind: Kind;
  readonly locations: SymbolLocation[];
  files: number;
  bytes: number;
  tooBig: number;
  /** Why the search stopped early, if it did. */
  stopped?: string;
  /** One parser per grammar, created on first use; deleted at the end. */
  readonly parsers: Map<SymbolGrammar, Parser>;
}

async function search(workingDir: string, limits: TreeSitterLimits, query: SymbolQuery, kind: Kind, signal: AbortSignal): Promise<SymbolLocations> {
  const state: SearchState = {
    workingDir,
    limits,
    symbol: query.symbol,
    word: wholeWord(query.symbol),
    kind,
    locations: [],
    files: 0,
    bytes: 0,
    tooBig: 0,
    parsers: new Map(),
  };
  try {
    const first = query.file && isInside(workingDir, path.resolve(query.file)) ? path.resolve(query.file) : undefined;
    if (first) await searchFile(first, state, signal);
    const matcher = new GitignoreMatcher(workingDir);
    for await (const entry of walkFiles(workingDir, workingDir, matcher, signal)) {
      if (state.stopped) break;
      if (entry.absolute === first) continue;
      await searchFile(entry.absolute, state, signal);
    }
  } finally {
    for (const parser of state.parsers.values()) parser.delete();
  }
  return withNotes(state.locations, notes(state, limits));
}

function notes(state: SearchState, limits: TreeSitterLimits): string[] {
  const result: string[] = [];
  if (state.stopped) result.push(`The search stopped early: ${state.stopped}; narrow it with a path, or use ripgrep.`);
  if (state.tooBig > 0) result.push(`${plural(state.tooBig, 'file')} larger than ${formatBytes(limits.maxFileBytes)} ${state.tooBig === 1 ? 'was' : 'were'} not searched.`);
  return result;
}

/** A regular expression that finds `symbol` as a whole word (letters, digits, `_` and `$` around it do not count). */
function wholeWord(symbol: string): RegExp {
  const escaped = symbol.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}_$])${escaped}(?![\\p{L}\\p{N}_$])`, 'u');
}

async function searchFile(file: string, state: SearchState, signal: AbortSignal): Promise<void> {
  const { limits, symbol, kind } = state;
  const grammar = grammarOf(file);
  if (!grammar) return;
  signal.throwIfAborted();
  if (state.files >= limits.maxFiles) {
    state.stopped = `it read ${limits.maxFiles} files`;
    return;
  }
  const stats = await stat(file).catch(() => undefined);
  if (!stats?.isFile()) return;
  if (stats.size > limits.maxFileBytes) {
    state.tooBig++;
    return;
  }
  if (state.bytes + stats.size > limits.maxTotalBytes) {
    state.stopped = `it read ${formatBytes(state.bytes)} of source`;
    return;
  }
  state.files++;
  state.bytes += stats.size;
  const text = await readFile(file, { encoding: 'utf8', signal }).catch((error: unknown) => {
    if (signal.aborted) throw error;
    return '';
  });
  if (!state.word.test(text)) return;
  let parser = state.parsers.get(grammar);
  if (!parser) {
    parser = await createParser(grammar);
    state.parsers.set(grammar, parser);
  }
  const tree = parser.parse(text);
  if (!tree) return;
  try {
    const found = kind === 'definitions' ? definitionsIn(tree.rootNode, grammar, symbol) : referencesIn(tree.rootNode, grammar, symbol);
    const lines = text.split('\n');
    const shown = symbolPath(state.workingDir, file);
    for (const { name, extent } of found) {
      if (state.locations.length >= limits.maxResults) {
        state.stopped = `it found ${limits.maxResults} locations`;
        return;
      }
      state.locations.push({
        path: shown,
        line: name.startPosition.row + 1,
        column: name.startPosition.column + 1,
        endLine: extent.endPosition.row + 1,
        preview: previewOf(lines[name.startPosition.row] ?? ''),
      });
    }
  } finally {
    tree.delete();
  }
}

/** A name node found, and the node whose extent the location's `endLine` gives. */
interface Found {
  name: Node;
  extent: Node;
}

/** Declarations of `symbol` in the tree: the name node, and the whole declaration as the extent. */
function definitionsIn(root: Node, grammar: SymbolGrammar, symbol: string): Found[] {
  const { declarations } = GRAMMAR_SYMBOLS[grammar];
  const found: Found[] = [];
  for (const declaration of root.descendantsOfType(Object.keys(declarations))) {
    if (!declaration) continue;
    const rule = declarations[declaration.type];
    if (!rule || (rule.accept && !rule.accept(declaration))) continue;
    for (const name of declaration.childrenForFieldName(rule.field ?? 'name')) {
      if (name && name.childCount === 0 && name.text === symbol) found.push({ name, extent: declaration });
    }
  }
  return found.sort((a, b) => a.name.startIndex - b.name.startIndex);
}

/** Name leaves whose text is `symbol`, in document order. */
function referencesIn(root: Node, grammar: SymbolGrammar, symbol: string): Found[] {
  const found: Found[] = [];
  for (const name of root.descendantsOfType([...GRAMMAR_SYMBOLS[grammar].names])) {
    if (name && name.text === symbol) found.push({ name, extent: name });
  }
  return found.sort((a, b) => a.name.startIndex - b.name.startIndex);
}
