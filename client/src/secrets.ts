/**
 * The providers' API keys, kept in VS Code's SecretStorage (`moco.apiKey.<provider>`) and handed to
 * the server when it asks (`secrets/get`). A key is never logged, written to settings or sent
 * anywhere else; the server keeps it in memory only and forgets it on `secrets/didChange`.
 */
import type * as vscode from 'vscode';
import { SecretsDidChangeNotification, SecretsGetRequest } from '../../protocol/editor';
import type { ServerController } from './languageClient';

const KEY_PREFIX = 'moco.apiKey.';

/** The SecretStorage key of a provider's API key, for example `moco.apiKey.zai`. */
export function secretKey(provider: string): string {
  return `${KEY_PREFIX}${provider}`;
}

/** The API keys of the providers, in SecretStorage. */
export class ApiKeys implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];

  /**
   * Answers the server's `secrets/get` from now on, and tells it (`secrets/didChange`) when a key
   * changes, in this window or in another one.
   */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly server: ServerController,
  ) {
    this.subscriptions = [
      server.onRequest(SecretsGetRequest, async ({ providers }) => ({ keys: await this.keysOf(providers) })),
      secrets.onDidChange(({ key }) => {
        if (key.startsWith(KEY_PREFIX)) this.changed(key.slice(KEY_PREFIX.length));
      }),
    ];
  }

  /** The stored key of a provider, or `undefined`. */
  async get(provider: string): Promise<string | undefined> {
    const value = await this.secrets.get(secretKey(provider));
    return value || undefined;
  }

  /** Whether a key is stored for each of `providers`. */
  async stored(providers: readonly string[]): Promise<Set<string>> {
    const keys = await this.keysOf(providers);
    return new Set(Object.keys(keys));
  }

  /**
   * Stores a provider's key (trimmed), and tells the server before returning. SecretStorage's
   * `onDidChange` can fire after `store` resolves, so a run started right after would otherwise
   * reach the server first and use the key it had cached (none, or the old one).
   */
  async set(provider: string, key: string): Promise<void> {
    await this.secrets.store(secretKey(provider), key.trim());
    this.changed(provider);
  }

  /** Deletes a provider's key, and tells the server before returning (as {@link set}). */
  async delete(provider: string): Promise<void> {
    await this.secrets.delete(secretKey(provider));
    this.changed(provider);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  /** `secrets/didChange`: the server forgets the keys it had and asks again at the next run. */
  private changed(provider: string): void {
    this.server.notify(SecretsDidChangeNotification, { provider });
  }

  private async keysOf(providers: readonly string[]): Promise<Record<string, string>> {
    const keys: Record<string, string> = {};
    await Promise.all(
      providers.map(async (provider) => {
        const key = await this.get(provider);
        if (key) keys[provider] = key;
      }),
    );
    return keys;
  }
}
