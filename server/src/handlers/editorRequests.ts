/**
 * What the server asks the editor (protocol/editor.ts): the API keys kept in VS Code's
 * SecretStorage (`secrets/get`, cached until `secrets/didChange`), and calls to the `vscode.lm`
 * chat models (`lm/chat`, streamed as `$/progress`, cancelled with `$/cancelRequest`). A client
 * without a handler answers MethodNotFound, which means "nothing to give".
 */
import { randomUUID } from 'node:crypto';
import { CancellationTokenSource, ErrorCodes, type Connection } from 'vscode-languageserver/node';
import {
  LmChatProgress,
  LmChatRequest,
  SecretsDidChangeNotification,
  SecretsGetRequest,
  type LmChatParams,
  type LmChatResult,
} from '../../../protocol/editor';
import type { LmChatFunction } from '../providers/lmBridgeProvider';

/**
 * The keys the editor gave, by provider id (null: asked, none given), kept in this process's
 * memory only: never written to a file, a log or an event.
 */
export class EditorSecrets {
  private readonly cache = new Map<string, string | null>();
  /** Bumped by {@link forget}, so that an answer to a request sent before it is not cached. */
  private generation = 0;

  constructor(
    private readonly connection: Connection,
    private readonly log: (message: string) => void,
  ) {}

  /** Forgets every key on `secrets/didChange`, so that the next run asks again. */
  listen(): void {
    this.connection.onNotification(SecretsDidChangeNotification, () => this.forget());
  }

  /** Forgets every key. */
  forget(): void {
    this.cache.clear();
    this.generation += 1;
  }

  /**
   * The keys the editor has for `providerIds` (a `CredentialSource`): provider id → key, only for
   * those it has one for. Asks with `secrets/get` for the ids not asked about since the last
   * {@link forget}. A client without the handler, or a failed request, gives no keys.
   */
  readonly keys = async (providerIds: string[]): Promise<Record<string, string>> => {
    const unasked = providerIds.filter((id) => !this.cache.has(id));
    const fresh: Record<string, string> = {};
    if (unasked.length > 0) {
      const generation = this.generation;
      let given: Record<string, unknown> = {};
      let cacheable = true;
      try {
        const result = await this.connection.sendRequest(SecretsGetRequest, { providers: unasked });
        given = result?.keys ?? {};
      } catch (error) {
        const code = (error as { code?: unknown } | undefined)?.code;
        // A client that cannot answer now may later; one without the handler never will.
        cacheable = code === ErrorCodes.MethodNotFound;
        if (!cacheable) this.log(`secrets/get failed (${error instanceof Error ? error.message : String(error)}); running without the editor's API keys.`);
      }
      for (const id of unasked) {
        const value = given[id];
        const key = typeof value === 'string' && value !== '' ? value : null;
        if (key) fresh[id] = key;
        if (cacheable && generation === this.generation) this.cache.set(id, key);
      }
    }
    const keys: Record<string, string> = {};
    for (const id of providerIds) {
      const key = fresh[id] ?? this.cache.get(id);
      if (key) keys[id] = key;
    }
    return keys;
  };
}

/**
 * An `LmChatFunction` (providers/lmBridgeProvider.ts) over the connection: sends `lm/chat` with a
 * new `partialResultToken` (a UUID), passes each `$/progress` partial's text to `onText`, and
 * cancels the request (`$/cancelRequest`) when `signal` aborts.
 * @throws the editor's error answer (`ResponseError`), or the connection's error.
 */
export function lmChatOver(connection: Connection): LmChatFunction {
  return async (request: Omit<LmChatParams, 'partialResultToken'>, onText: (text: string) => void, signal: AbortSignal): Promise<LmChatResult> => {
    const token = randomUUID();
    const progress = connection.onProgress(LmChatProgress, token, (partial) => onText(partial.text));
    const source = new CancellationTokenSource();
    const cancel = (): void => source.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    if (signal.aborted) source.cancel();
    try {
      return await connection.sendRequest(LmChatRequest, { ...request, partialResultToken: token }, source.token);
    } finally {
      signal.removeEventListener('abort', cancel);
      progress.dispose();
      source.dispose();
    }
  };
}
