/**
 * The editor's symbol service: `find_definition` and `find_references` answered by VS Code's
 * definition, reference and workspace symbol providers, so by the user's own language servers,
 * through the requests `editor/definitions` and `editor/references` (protocol/editor.ts). When the
 * client has no handler (`MethodNotFound`: the CLI, an older client), fails, does not answer in
 * time, or finds nothing, the tree-sitter search answers instead, and the result says so.
 */
import { CancellationTokenSource, ErrorCodes, type Connection } from 'vscode-languageserver/node';
import type { RequestType } from 'vscode-jsonrpc';
import {
  EditorDefinitionsRequest,
  EditorReferencesRequest,
  type EditorSymbolParams,
  type EditorSymbolResult,
} from '../../../protocol/editor';
import type { SymbolLocation, SymbolQuery, SymbolService } from '../tools/services';
import { notesOf, previewOf, sourceOf, symbolPath, withNotes, type SymbolLocations } from './locations';
import { createTreeSitterSymbolService } from './treeSitterSymbols';

/** `editor/definitions` or `editor/references`. */
export type EditorSymbolRequestType = RequestType<EditorSymbolParams, EditorSymbolResult, void>;

/**
 * Sends one symbol request to the editor and resolves with its answer.
 * @throws the editor's error answer (a `ResponseError`: `MethodNotFound` when it has no handler),
 *   or the connection's error; rejects when `signal` aborts.
 */
export type EditorSymbolRequester = (type: EditorSymbolRequestType, params: EditorSymbolParams, signal: AbortSignal) => Promise<EditorSymbolResult>;

/** The `source` of the editor's answers. */
export const EDITOR_SOURCE = "VS Code's language servers";

/**
 * How long (ms) the editor's providers may take before the tree-sitter search answers instead. A
 * language server that is still indexing a large project can take a few seconds; one that takes
 * longer than this is treated as not answering.
 */
export const EDITOR_SYMBOL_TIMEOUT_MS = 20_000;

/** Options of {@link createEditorSymbolService}. */
export interface EditorSymbolOptions {
  /** The service that answers when the editor cannot. Default: the tree-sitter search of `workingDir`. */
  fallback?: SymbolService;
  /** Default {@link EDITOR_SYMBOL_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/**
 * A {@link SymbolService} that asks the editor. Paths in the answers are made relative to
 * `workingDir` when inside it. After one `MethodNotFound` it stops asking (a client without the
 * handler never gets one) and its `source` becomes the fallback's.
 *
 * @param sendRequest sends the request ({@link editorSymbolRequester} over the server's connection).
 * @param workingDir real path of the working directory.
 */
export function createEditorSymbolService(sendRequest: EditorSymbolRequester, workingDir: string, options: EditorSymbolOptions = {}): SymbolService {
  const fallback = options.fallback ?? createTreeSitterSymbolService(workingDir);
  const timeoutMs = options.timeoutMs ?? EDITOR_SYMBOL_TIMEOUT_MS;
  let editorHasNoHandler = false;

  const ask = async (type: EditorSymbolRequestType, kind: 'definitions' | 'references', query: SymbolQuery, signal: AbortSignal): Promise<SymbolLocations> => {
    const viaFallback = async (why: string | undefined): Promise<SymbolLocations> => {
      const found = kind === 'definitions' ? await fallback.definitions(query, signal) : await fallback.references(query, signal);
      return withNotes(found, why ? [why, ...notesOf(found)] : notesOf(found), sourceOf(found, fallback.source));
    };
    if (editorHasNoHandler) return viaFallback(undefined);
    let answer: EditorSymbolResult;
    try {
      const params: EditorSymbolParams = { symbol: query.symbol };
      if (query.file !== undefined) params.file = query.file;
      if (query.line !== undefined) params.line = query.line;
      answer = await sendRequest(type, params, AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]));
    } catch (error) {
      signal.throwIfAborted();
      if ((error as { code?: unknown } | undefined)?.code === ErrorCodes.MethodNotFound) {
        editorHasNoHandler = true;
        return viaFallback(undefined);
      }
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `did not answer within ${timeoutMs / 1000} s`
          : `failed (${error instanceof Error ? error.message : String(error)})`;
      return viaFallback(`${EDITOR_SOURCE} ${reason}, so a syntactic search answered instead.`);
    }
    const locations = answer.locations.map((location): SymbolLocation => ({ ...location, path: symbolPath(workingDir, location.path), preview: previewOf(location.preview) }));
    if (locations.length > 0) return withNotes(locations, answer.notes ?? []);
    const instead = await viaFallback(`${EDITOR_SOURCE} found no ${kind} of ${query.symbol}, so a syntactic search answered instead.`);
    return instead.length > 0 ? instead : withNotes([], answer.notes ?? []);
  };

  return {
    get source(): string {
      return editorHasNoHandler ? fallback.source : EDITOR_SOURCE;
    },
    definitions: (query, signal) => ask(EditorDefinitionsRequest, 'definitions', query, signal),
    references: (query, signal) => ask(EditorReferencesRequest, 'references', query, signal),
  };
}

/**
 * An {@link EditorSymbolRequester} over the server's connection: cancels the request
 * (`$/cancelRequest`) when `signal` aborts, and then rejects with the signal's reason.
 */
export function editorSymbolRequester(connection: Pick<Connection, 'sendRequest'>): EditorSymbolRequester {
  return async (type, params, signal) => {
    signal.throwIfAborted();
    const source = new CancellationTokenSource();
    let rejectOnAbort: (reason: unknown) => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => (rejectOnAbort = reject));
    const cancel = (): void => {
      source.cancel();
      rejectOnAbort(signal.reason);
    };
    signal.addEventListener('abort', cancel, { once: true });
    try {
      return await Promise.race([connection.sendRequest(type, params, source.token), aborted]);
    } finally {
      signal.removeEventListener('abort', cancel);
      source.dispose();
    }
  };
}
