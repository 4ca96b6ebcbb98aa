// The API keys in SecretStorage, without VS Code: the server is told of a new or deleted key
// before MOCO: Set API Key returns, even when SecretStorage's own change event comes later (as it
// can in VS Code, where the main process fires it after `store` has resolved).
import type * as vscode from 'vscode';
import { describe, expect, it } from 'vitest';
import { SecretsDidChangeNotification, SecretsGetRequest } from '../../protocol/editor';
import type { ServerController } from '../../client/src/languageClient';
import { ApiKeys } from '../../client/src/secrets';

/** A SecretStorage whose change events fire only when {@link fireLate} is called. */
function lateSecretStorage() {
  const values = new Map<string, string>();
  const listeners = new Set<(event: vscode.SecretStorageChangeEvent) => void>();
  const late: string[] = [];
  const storage = {
    get: (key: string) => Promise.resolve(values.get(key)),
    store: (key: string, value: string) => {
      values.set(key, value);
      late.push(key);
      return Promise.resolve();
    },
    delete: (key: string) => {
      values.delete(key);
      late.push(key);
      return Promise.resolve();
    },
    onDidChange: (listener: (event: vscode.SecretStorageChangeEvent) => void) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  };
  const fireLate = () => {
    for (const key of late.splice(0)) for (const listener of listeners) listener({ key });
  };
  return { storage: storage as unknown as vscode.SecretStorage, fireLate };
}

function recordingServer() {
  const notified: { method: string; params: unknown }[] = [];
  const handlers = new Map<string, (params: unknown) => unknown>();
  const server = {
    notify: (type: { method: string }, params: unknown) => notified.push({ method: type.method, params }),
    onRequest: (type: { method: string }, handler: (params: unknown) => unknown) => {
      handlers.set(type.method, handler);
      return { dispose: () => handlers.delete(type.method) };
    },
  };
  return { server: server as unknown as ServerController, notified, handlers };
}

describe('the API keys in SecretStorage', () => {
  it('tells the server of a stored key before set() returns, so a run started next asks again', async () => {
    const { storage } = lateSecretStorage();
    const { server, notified, handlers } = recordingServer();
    const keys = new ApiKeys(storage, server);

    await keys.set('zai', '  sk-new  ');
    expect(notified).toEqual([{ method: SecretsDidChangeNotification.method, params: { provider: 'zai' } }]);
    expect(await handlers.get(SecretsGetRequest.method)!({ providers: ['zai', 'openai'] })).toEqual({ keys: { zai: 'sk-new' } });

    await keys.delete('zai');
    expect(notified.map((n) => n.params)).toEqual([{ provider: 'zai' }, { provider: 'zai' }]);
    expect(await handlers.get(SecretsGetRequest.method)!({ providers: ['zai'] })).toEqual({ keys: {} });
    keys.dispose();
  });

  it('passes on changes made elsewhere (another window), and ignores keys that are not API keys', () => {
    const { storage, fireLate } = lateSecretStorage();
    const { server, notified } = recordingServer();
    const keys = new ApiKeys(storage, server);
    void storage.store('moco.apiKey.openrouter', 'sk-other');
    void storage.store('moco.github.session', 'x');
    fireLate();
    expect(notified.map((n) => n.params)).toEqual([{ provider: 'openrouter' }]);
    keys.dispose();
  });
});
