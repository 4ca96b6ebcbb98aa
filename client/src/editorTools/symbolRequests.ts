/**
 * Answers `editor/definitions` and `editor/references` (protocol/editor.ts) with VS Code's
 * definition, reference and workspace symbol providers, so the server's `find_definition` and
 * `find_references` get the user's own language servers' answers.
 */
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-jsonrpc';
import type { EditorSymbolLocation, EditorSymbolParams, EditorSymbolResult } from '../../../protocol/editor';
import { REQUEST_CANCELLED } from '../commands/errorActions';
import { exactSymbols, findSymbolPosition, nameInRange, toEditorLocation, uniqueLocations } from './symbolText';

/** `definitions` or `references`. */
export type SymbolKind = 'definitions' | 'references';

/** Locations sent back at most; the rest is left out with a note. */
export const MAX_LOCATIONS = 500;
/** Workspace symbols of the exact name whose references are gathered when no file is given. */
const MAX_WORKSPACE_SYMBOLS = 5;

/** The lines of documents, read once per request: an open document's (unsaved edits included), else the file's. */
class Lines {
  private readonly cache = new Map<string, Promise<readonly string[]>>();

  of(uri: vscode.Uri): Promise<readonly string[]> {
    const key = uri.toString();
    let lines = this.cache.get(key);
    if (!lines) {
      lines = this.read(uri);
      this.cache.set(key, lines);
    }
    return lines;
  }

  private async read(uri: vscode.Uri): Promise<readonly string[]> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open) return open.getText().split(/\r?\n/);
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)).split(/\r?\n/);
    } catch {
      return [];
    }
  }
}

/**
 * The answer to one request.
 * @throws {ResponseError} `REQUEST_CANCELLED` when `token` is cancelled.
 */
export async function answerSymbolRequest(kind: SymbolKind, params: EditorSymbolParams, token: vscode.CancellationToken): Promise<EditorSymbolResult> {
  const notes: string[] = [];
  const lines = new Lines();
  let found: (vscode.Location | vscode.LocationLink)[] | undefined;
  if (params.file) {
    const uri = vscode.Uri.file(params.file);
    const document = await vscode.workspace.openTextDocument(uri).then(
      (opened) => opened,
      (error: unknown) => {
        notes.push(`${params.file} could not be opened (${error instanceof Error ? error.message : String(error)}); the workspace's symbols were searched instead.`);
        return undefined;
      },
    );
    const position = document ? findSymbolPosition(document.getText().split(/\r?\n/), params.symbol, params.line) : undefined;
    if (position) {
      if (position.note) notes.push(position.note);
      const at = new vscode.Position(position.position.line, position.position.character);
      found = await provide(kind, uri, at);
    } else if (document) {
      notes.push(`${params.symbol} does not occur as a whole word in ${params.file}; the workspace's symbols were searched instead.`);
    }
  }
  cancelled(token);
  found ??= await fromWorkspaceSymbols(kind, params.symbol, lines, notes);
  cancelled(token);

  const mapped: EditorSymbolLocation[] = [];
  for (const location of found.slice(0, MAX_LOCATIONS)) {
    const uri = 'targetUri' in location ? location.targetUri : location.uri;
    const text = await lines.of(uri);
    mapped.push(toEditorLocation(location, (line) => text[line] ?? ''));
  }
  if (found.length > MAX_LOCATIONS) notes.push(`${found.length} locations were found; the first ${MAX_LOCATIONS} are given.`);
  return { locations: uniqueLocations(mapped), notes };
}

function cancelled(token: vscode.CancellationToken): void {
  if (token.isCancellationRequested) throw new ResponseError(REQUEST_CANCELLED, 'The symbol request was cancelled.');
}

/** The definition or reference providers' answer at a position (the reference providers include the declaration). */
async function provide(kind: SymbolKind, uri: vscode.Uri, position: vscode.Position): Promise<(vscode.Location | vscode.LocationLink)[]> {
  const command = kind === 'definitions' ? 'vscode.executeDefinitionProvider' : 'vscode.executeReferenceProvider';
  const answer = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[] | undefined>(command, uri, position);
  return answer ?? [];
}

/**
 * Without a file: the workspace symbols named `symbol` (exact matches first). Definitions are
 * their locations; references are the reference providers' answers at each one's name.
 */
async function fromWorkspaceSymbols(kind: SymbolKind, symbol: string, lines: Lines, notes: string[]): Promise<(vscode.Location | vscode.LocationLink)[]> {
  const all = (await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', symbol)) ?? [];
  const named = exactSymbols(all, symbol);
  if (named.length === 0) {
    const similar = [...new Set(all.map((candidate) => candidate.name))].slice(0, 10);
    notes.push(
      similar.length > 0
        ? `No workspace symbol is named ${symbol}; similar names: ${similar.join(', ')}.`
        : `The workspace symbol providers know no symbol named ${symbol} (some language servers only know the files that are open); give path and line of an occurrence.`,
    );
    return [];
  }
  const located: vscode.LocationLink[] = [];
  for (const candidate of named) {
    const { uri, range } = candidate.location;
    const name = nameInRange(await lines.of(uri), symbol, range);
    const nameRange = new vscode.Range(name.line, name.character, name.line, name.character + symbol.length);
    located.push({ targetUri: uri, targetRange: range, targetSelectionRange: nameRange });
  }
  if (kind === 'definitions') return located;
  const references: vscode.Location[] = [];
  for (const link of located.slice(0, MAX_WORKSPACE_SYMBOLS)) {
    references.push(...((await provide('references', link.targetUri, link.targetSelectionRange!.start)) as vscode.Location[]));
  }
  if (located.length > MAX_WORKSPACE_SYMBOLS) notes.push(`${located.length} symbols are named ${symbol}; the references of the first ${MAX_WORKSPACE_SYMBOLS} are given. Give path and line for one.`);
  return references;
}
