/**
 * Finding a symbol in a document's text, and mapping what VS Code's providers return to the
 * protocol's locations. No `vscode` import: the shapes below are the parts of `vscode.Location`,
 * `vscode.LocationLink` and `vscode.SymbolInformation` that are read, so tests can run this.
 */
import type { EditorSymbolLocation } from '../../../protocol/editor';

/** A 0-based position (VS Code's `Position`: line, UTF-16 character). */
export interface PositionLike {
  line: number;
  character: number;
}

/** VS Code's `Range`. */
export interface RangeLike {
  start: PositionLike;
  end: PositionLike;
}

/** A document's URI: the file system path for `file:` URIs, else the URI as text. */
export interface UriLike {
  scheme: string;
  fsPath: string;
  toString(): string;
}

/** VS Code's `Location`. */
export interface LocationLike {
  uri: UriLike;
  range: RangeLike;
}

/** VS Code's `LocationLink` (what most definition providers return). */
export interface LocationLinkLike {
  targetUri: UriLike;
  /** The whole declaration. */
  targetRange: RangeLike;
  /** The name inside it. */
  targetSelectionRange?: RangeLike;
}

/** VS Code's `SymbolInformation` (workspace symbol providers). */
export interface SymbolInformationLike {
  name: string;
  containerName?: string;
  location: LocationLike;
}

/** Characters that continue an identifier: letters, digits, `_` and `$`. */
const IDENTIFIER_CHAR = /[\p{L}\p{N}_$]/u;

/** The 0-based character of the first whole-word `symbol` in `text` at or after `from`, or -1. */
export function wholeWordIndex(text: string, symbol: string, from = 0): number {
  for (let index = text.indexOf(symbol, from); index !== -1; index = text.indexOf(symbol, index + 1)) {
    const before = index > 0 ? text[index - 1] : undefined;
    const after = text[index + symbol.length];
    if ((before === undefined || !IDENTIFIER_CHAR.test(before)) && (after === undefined || !IDENTIFIER_CHAR.test(after))) return index;
  }
  return -1;
}

/** Where {@link findSymbolPosition} found the symbol, and a note when it was not where asked. */
export interface FoundPosition {
  position: PositionLike;
  note?: string;
}

/**
 * The position of `symbol` in a document: on `line` (1-based) when given and the symbol is there,
 * else its first whole-word occurrence in the document.
 *
 * @param lines the document's lines.
 * @returns undefined when the document does not contain the symbol as a whole word.
 */
export function findSymbolPosition(lines: readonly string[], symbol: string, line?: number): FoundPosition | undefined {
  if (line !== undefined && line >= 1 && line <= lines.length) {
    const character = wholeWordIndex(lines[line - 1] ?? '', symbol);
    if (character !== -1) return { position: { line: line - 1, character } };
  }
  for (const [index, text] of lines.entries()) {
    const character = wholeWordIndex(text, symbol);
    if (character !== -1) {
      const found: FoundPosition = { position: { line: index, character } };
      if (line !== undefined) found.note = `${symbol} is not on line ${line}; its first occurrence, on line ${index + 1}, was used.`;
      return found;
    }
  }
  return undefined;
}

/**
 * The position of the name `symbol` inside a declaration's range (workspace symbols give the whole
 * declaration, for example from `export` to the closing brace), or the range's start when the
 * name is not found in it.
 */
export function nameInRange(lines: readonly string[], symbol: string, range: RangeLike): PositionLike {
  for (let line = range.start.line; line <= range.end.line && line < lines.length; line++) {
    const from = line === range.start.line ? range.start.character : 0;
    const character = wholeWordIndex(lines[line] ?? '', symbol, from);
    if (character !== -1 && (line < range.end.line || character < range.end.character)) return { line, character };
  }
  return range.start;
}

/** The name a workspace symbol provider gives, without a signature: `parse(text: string)` → `parse`. */
function bareName(name: string): string {
  return name.replace(/\s*[(<].*$/, '').trim();
}

/**
 * Workspace symbols named exactly `symbol`, then those named so ignoring case. Providers match
 * fuzzily (`hlp` finds `helper`); those are left out.
 */
export function exactSymbols<T extends SymbolInformationLike>(symbols: readonly T[], symbol: string): T[] {
  const exact = symbols.filter((candidate) => bareName(candidate.name) === symbol);
  const folded = symbols.filter((candidate) => bareName(candidate.name) !== symbol && bareName(candidate.name).toLowerCase() === symbol.toLowerCase());
  return [...exact, ...folded];
}

/** Whether a provider's answer is a `LocationLink` rather than a `Location`. */
export function isLocationLink(location: LocationLike | LocationLinkLike): location is LocationLinkLike {
  return 'targetUri' in location;
}

/** The path shown for a URI: the file system path of a `file:` URI, else the URI as text. */
export function uriPath(uri: UriLike): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/** Characters of a preview line. */
const PREVIEW_MAX_CHARS = 200;

/**
 * A `Location` or `LocationLink` as the protocol's location: 1-based; for a link, the start of its
 * selection range (the name) and the end of its target range (the whole declaration).
 *
 * @param lineText the text of a 0-based line of the location's document ('' when unknown).
 */
export function toEditorLocation(location: LocationLike | LocationLinkLike, lineText: (line: number) => string): EditorSymbolLocation {
  const uri = isLocationLink(location) ? location.targetUri : location.uri;
  const whole = isLocationLink(location) ? location.targetRange : location.range;
  const start = isLocationLink(location) ? (location.targetSelectionRange ?? location.targetRange).start : location.range.start;
  const preview = lineText(start.line).trim();
  return {
    path: uriPath(uri),
    line: start.line + 1,
    column: start.character + 1,
    endLine: Math.max(whole.end.line, start.line) + 1,
    preview: preview.length > PREVIEW_MAX_CHARS ? `${preview.slice(0, PREVIEW_MAX_CHARS - 1)}…` : preview,
  };
}

/** Locations without repeats (the same path, line and column), in their first order. */
export function uniqueLocations(locations: readonly EditorSymbolLocation[]): EditorSymbolLocation[] {
  const seen = new Set<string>();
  return locations.filter((location) => {
    const key = `${location.path}\0${location.line}\0${location.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
