// Providers as the editor uses them: API keys from SecretStorage, a base URL from the settings,
// messages that name the editor's commands, and the vscode-lm bridge over a scripted lm/chat.
import { describe, expect, it } from 'vitest';
import type { LmChatParams, LmChatResult } from '../../protocol/editor';
import { MocoErrorCodes } from '../../protocol/errors';
import { ProviderIds } from '../../protocol/ids';
import { defaultProviderFactory } from '../../server/src/engine/modelResolver';
import { PROVIDER_IDS, resolveProvider, type Env } from '../../server/src/providers/config';
import { ProviderError } from '../../server/src/providers/errors';
import { createLmBridgeProvider, type LmChatFunction } from '../../server/src/providers/lmBridgeProvider';
import { costUsd, lookupModel } from '../../server/src/providers/models';
import { prepareRunEnv, providersWithoutKey } from '../../server/src/providers/runEnv';
import type { ModelDelta } from '../../server/src/providers/types';

function failure(run: () => unknown): ProviderError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

describe('prepareRunEnv: keys from the editor', () => {
  it('asks only for the providers whose key variables are all unset', async () => {
    const asked: string[][] = [];
    await prepareRunEnv({
      env: { ZAI_API_KEY: 'z', GENAI_API_KEY: 'g' },
      selection: {},
      credentials: (ids) => {
        asked.push(ids);
        return Promise.resolve({});
      },
    });
    expect(asked).toEqual([['openrouter', 'openai', 'ollama', 'lmstudio', 'custom']]);
    expect(providersWithoutKey({ OPENAI_API_KEY: 'o' })).not.toContain('custom');
  });

  it("puts the editor's keys in the providers' variables without overriding the environment", async () => {
    const { env } = await prepareRunEnv({
      env: { OPENROUTER_API_KEY: 'from-env' },
      selection: {},
      credentials: () => Promise.resolve({ zai: 'zai-secret', openrouter: 'ignored', gemini: '  ' }),
    });
    expect(env.ZAI_API_KEY).toBe('zai-secret');
    expect(env.OPENROUTER_API_KEY).toBe('from-env');
    expect(env.GEMINI_API_KEY).toBeUndefined();
    // Auto-selection sees the editor's key.
    expect(resolveProvider({}, env).id).toBe('zai');
  });

  it("gives custom's key to OPENAI_API_KEY only when custom is the provider", async () => {
    const keys = { openai: 'openai-secret', custom: 'custom-secret' };
    const asOpenAI = await prepareRunEnv({ env: {}, selection: { provider: 'openai' }, credentials: () => Promise.resolve(keys) });
    expect(asOpenAI.env.OPENAI_API_KEY).toBe('openai-secret');
    const asCustom = await prepareRunEnv({ env: {}, selection: { provider: 'custom', model: 'm' }, baseURL: 'http://127.0.0.1:9/v1', credentials: () => Promise.resolve(keys) });
    expect(resolveProvider(asCustom.selection, asCustom.env)).toMatchObject({ id: 'custom', apiKey: 'custom-secret', baseURL: 'http://127.0.0.1:9/v1' });
  });

  it('does not ask when nothing is missing, or without a source (the CLI)', async () => {
    const env: Env = { ZAI_API_KEY: 'z' };
    expect((await prepareRunEnv({ env, selection: {} })).env).toEqual(env);
  });
});

describe('prepareRunEnv: a base URL from the settings', () => {
  it("replaces the chosen provider's base URL and its variable", async () => {
    const { env, selection } = await prepareRunEnv({
      env: { OLLAMA_BASE_URL: 'http://elsewhere:11434/v1' },
      selection: { provider: 'ollama/qwen3:8b' },
      baseURL: 'http://gpu-box:11434/v1',
    });
    expect(resolveProvider(selection, env)).toMatchObject({ id: 'ollama', baseURL: 'http://gpu-box:11434/v1', model: 'qwen3:8b' });
    const zai = await prepareRunEnv({ env: { ZAI_API_KEY: 'z' }, selection: {}, baseURL: 'https://api.z.ai/api/paas/v4' });
    expect(resolveProvider(zai.selection, zai.env).baseURL).toBe('https://api.z.ai/api/paas/v4');
  });

  it('never sends the editor\'s OpenAI key to a custom endpoint that has no key of its own', async () => {
    const keys = { openai: 'openai-secret' };
    const asCustom = await prepareRunEnv({ env: {}, selection: { provider: 'custom', model: 'm' }, baseURL: 'http://127.0.0.1:9/v1', credentials: () => Promise.resolve(keys) });
    const resolved = resolveProvider(asCustom.selection, asCustom.env);
    expect(resolved).toMatchObject({ id: 'custom', baseURL: 'http://127.0.0.1:9/v1' });
    expect(resolved.apiKey).toBeUndefined();
    expect(Object.values(asCustom.env)).not.toContain('openai-secret');
  });

  it('makes custom work without a URL as provider name, and selects it when nothing else can be', async () => {
    const named = await prepareRunEnv({ env: {}, selection: { provider: 'custom', model: 'mock-model' }, baseURL: 'http://127.0.0.1:8000/v1' });
    expect(resolveProvider(named.selection, named.env)).toMatchObject({ id: 'custom', baseURL: 'http://127.0.0.1:8000/v1', model: 'mock-model' });
    const unnamed = await prepareRunEnv({ env: { OPENAI_MODEL: 'm' }, selection: {}, baseURL: 'http://127.0.0.1:8000/v1' });
    expect(resolveProvider(unnamed.selection, unnamed.env)).toMatchObject({ id: 'custom', baseURL: 'http://127.0.0.1:8000/v1' });
  });

  it('keeps the URL of a provider named by URL', async () => {
    const { env, selection } = await prepareRunEnv({ env: { OPENAI_MODEL: 'm' }, selection: { provider: 'http://a:1/v1' }, baseURL: 'http://b:2/v1' });
    expect(resolveProvider(selection, env).baseURL).toBe('http://a:1/v1');
  });
});

describe('configuration messages', () => {
  it('name "MOCO: Set API Key" in the editor and the variable in the CLI', () => {
    const editor = failure(() => resolveProvider({ provider: 'zai' }, {}, { surface: 'editor' }));
    expect(editor.code).toBe(MocoErrorCodes.ProviderNotConfigured);
    expect(editor.message).toContain('run "MOCO: Set API Key"');
    const cli = failure(() => resolveProvider({ provider: 'zai' }, {}));
    expect(cli.message).toContain('set ZAI_API_KEY in the environment or in .env');
    expect(cli.message).not.toContain('MOCO: Set API Key');
    expect(failure(() => resolveProvider({ provider: 'custom' }, {}, { surface: 'editor' })).message).toContain('moco.provider.baseUrl');
  });
});

describe('vscode-lm', () => {
  it('makes the server know every provider the editor offers', () => {
    expect([...PROVIDER_IDS]).toEqual([...ProviderIds]);
  });

  it('is keyless, has no base URL and needs a model', () => {
    expect(resolveProvider({ provider: 'vscode-lm/copilot-gpt-4o' }, {})).toMatchObject({ id: 'vscode-lm', baseURL: '', model: 'copilot-gpt-4o' });
    expect(failure(() => resolveProvider({ provider: 'vscode-lm' }, {}, { surface: 'editor' })).message).toContain('MOCO: Select Provider and Model');
  });

  it('costs nothing and raises no unknown-model warning', () => {
    const info = lookupModel('vscode-lm', 'copilot-gpt-4o');
    expect(info.warning).toBeUndefined();
    expect(info.priceKnown).toBe(false);
    expect(costUsd(info, { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(0);
    expect(info.source.price).toContain('no price');
  });

  it('fails with ProviderNotConfigured outside the editor (the CLI)', () => {
    const resolved = resolveProvider({ provider: 'vscode-lm/copilot-gpt-4o' }, {});
    const error = failure(() => defaultProviderFactory(resolved, { attempts: 1, baseDelayMs: 1 }));
    expect(error.code).toBe(MocoErrorCodes.ProviderNotConfigured);
    expect(error.message).toContain('only be used inside VS Code');
  });
});

/** An lm/chat that streams `pieces`, then answers `result`, and records what it was asked. */
function scripted(pieces: string[], result: Partial<LmChatResult>, asked: Omit<LmChatParams, 'partialResultToken'>[] = []): LmChatFunction {
  return (request, onText) => {
    asked.push(request);
    for (const piece of pieces) onText(piece);
    return Promise.resolve({ text: pieces.join(''), toolCalls: [], finishReason: 'stop', ...result });
  };
}

describe('the vscode-lm bridge provider', () => {
  const request = {
    model: 'copilot-gpt-4o',
    messages: [
      { role: 'system' as const, content: 'You are MOCO.' },
      { role: 'assistant' as const, content: 'Earlier.', reasoning: 'kept to myself' },
      { role: 'user' as const, content: 'Hi' },
    ],
    tools: [{ type: 'function' as const, function: { name: 'read_file', description: 'Reads a file', parameters: { type: 'object' } } }],
    maxOutputTokens: 500,
  };

  it('streams the partials as deltas, splitting off thinking, and maps the result', async () => {
    const asked: Omit<LmChatParams, 'partialResultToken'>[] = [];
    const chat = scripted(['<thi', 'nk>plan</think>Hel', 'lo'], {
      toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }],
      finishReason: 'tool_calls',
      usage: { inputTokens: 12, outputTokens: 3 },
    }, asked);
    const deltas: ModelDelta[] = [];
    const response = await createLmBridgeProvider(chat).complete(request, { onDelta: (delta) => deltas.push(delta) }, new AbortController().signal);
    expect(deltas).toEqual([
      { kind: 'thinking', text: 'plan' },
      { kind: 'text', text: 'Hel' },
      { kind: 'text', text: 'lo' },
    ]);
    expect(response).toEqual({
      text: 'Hello',
      thinking: 'plan',
      toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }],
      finishReason: 'tool_calls',
      usage: { inputTokens: 12, outputTokens: 3 },
    });
    expect(asked[0]?.messages[1]).toEqual({ role: 'assistant', content: 'Earlier.' });
    expect(asked[0]).toMatchObject({ model: 'copilot-gpt-4o', maxOutputTokens: 500, tools: request.tools });
  });

  it('takes the text of a result that came without partials, and leaves usage to be estimated when absent', async () => {
    const chat: LmChatFunction = () => Promise.resolve({ text: 'Whole answer', toolCalls: [], finishReason: 'stop' });
    const deltas: ModelDelta[] = [];
    const response = await createLmBridgeProvider(chat).complete(request, { onDelta: (delta) => deltas.push(delta) }, new AbortController().signal);
    expect(deltas).toEqual([{ kind: 'text', text: 'Whole answer' }]);
    expect(response.usage).toBeUndefined();
  });

  it('maps the editor errors: its own codes as they are, MethodNotFound as not configured, others as unavailable', async () => {
    const failing = (error: object): LmChatFunction => () => Promise.reject(Object.assign(new Error('message' in error ? String(error.message) : 'x'), error));
    const complete = (chat: LmChatFunction) => createLmBridgeProvider(chat).complete(request, { onDelta: () => undefined }, new AbortController().signal);
    await expect(complete(failing({ code: MocoErrorCodes.ProviderRejected, message: 'The user declined access.' }))).rejects.toMatchObject({
      code: MocoErrorCodes.ProviderRejected,
      message: 'The user declined access.',
    });
    await expect(complete(failing({ code: -32601, message: 'Unhandled method lm/chat' }))).rejects.toMatchObject({ code: MocoErrorCodes.ProviderNotConfigured });
    await expect(complete(failing({ code: -32603, message: 'boom' }))).rejects.toMatchObject({ code: MocoErrorCodes.ProviderUnavailable, message: expect.stringContaining('boom') as unknown });
  });

  it('rejects with the abort reason at once when the signal aborts, and passes the signal on', async () => {
    let seen: AbortSignal | undefined;
    const chat: LmChatFunction = (_request, onText, signal) => {
      seen = signal;
      onText('partial');
      return new Promise(() => undefined);
    };
    const controller = new AbortController();
    const deltas: ModelDelta[] = [];
    const pending = createLmBridgeProvider(chat).complete(request, { onDelta: (delta) => deltas.push(delta) }, controller.signal);
    controller.abort(new DOMException('stopped', 'AbortError'));
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen?.aborted).toBe(true);
    expect(deltas).toEqual([{ kind: 'text', text: 'partial' }]);
  });
});
