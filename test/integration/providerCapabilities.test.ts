// Models unfit for a request fail loudly, before or instead of a wrong answer: a model that cannot
// call tools, and an Ollama model whose context is too small (Ollama would truncate in silence).
import { afterEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import type { ResolvedProvider } from '../../server/src/providers/config';
import { ProviderError } from '../../server/src/providers/errors';
import { createOpenAIProvider } from '../../server/src/providers/openaiProvider';
import { CircuitBreakerRegistry } from '../../server/src/providers/resilience';
import type { ModelRequest, ToolSpec } from '../../server/src/providers/types';
import { always, startMockLlm, type MockLlm, type MockLlmOptions, type MockScript } from '../support/mockLlm';

const tool: ToolSpec = {
  type: 'function',
  function: { name: 'list_dir', description: 'Lists a folder.', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
};

let mock: MockLlm | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function ollamaProvider(script: MockScript, options: MockLlmOptions, extra: Partial<ResolvedProvider> = {}) {
  mock = await startMockLlm(script, options);
  const resolved: ResolvedProvider = { id: 'ollama', baseURL: mock.baseURL, model: 'llama3.1:8b', apiKeyVariable: 'OLLAMA_API_KEY', ...extra };
  const warnings: string[] = [];
  const provider = createOpenAIProvider(resolved, {
    circuitBreakers: new CircuitBreakerRegistry(),
    retry: { baseDelayMs: 1 },
    onWarning: (message) => warnings.push(message),
  });
  return { mock, provider, warnings };
}

function ask(model: string, content: string, tools: ToolSpec[] = [tool]): ModelRequest {
  return { model, messages: [{ role: 'system', content: 'You are a coder.' }, { role: 'user', content }], tools };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const observer = { onDelta: () => undefined };
const never = new AbortController().signal;
/** About 6,000 tokens of prose. */
const longText = 'The orchestrator delegates the task to the coder, who edits the files. '.repeat(420);

describe('checks of the model before a call', () => {
  it('refuses an Ollama request larger than the model context, with the numbers and the fix, and sends nothing', async () => {
    const { mock, provider } = await ollamaProvider(always({ content: 'unused' }), { ollamaContext: 2048 });
    const error = await failure(provider.complete(ask('llama3.1:8b', longText), observer, never));

    expect(error.code).toBe(MocoErrorCodes.ModelUnsuitable);
    expect(error.message).toMatch(/^The request needs ~\d+ tokens but llama3\.1:8b on Ollama has a context of 2048 \(num_ctx in its Modelfile\)/);
    expect(error.message).toContain('Set OLLAMA_CONTEXT_LENGTH=8192');
    expect(mock.requests.map((request) => request.path)).toEqual(['/api/show']);
    expect(mock.requests[0]?.body).toEqual({ model: 'llama3.1:8b' });
  });

  it("assumes Ollama's default context of 4096 when neither the Modelfile nor OLLAMA_CONTEXT_LENGTH sets one", async () => {
    const { provider } = await ollamaProvider(always({ content: 'unused' }), {});
    const error = await failure(provider.complete(ask('llama3.1:8b', longText), observer, never));
    expect(error.message).toContain("has a context of 4096 (Ollama's default without OLLAMA_CONTEXT_LENGTH)");
  });

  it('lets the request through when OLLAMA_CONTEXT_LENGTH makes room, asking Ollama only once per model', async () => {
    const { mock, provider } = await ollamaProvider(always({ content: 'fits' }), {}, { contextLength: 16_384 });
    expect((await provider.complete(ask('llama3.1:8b', longText), observer, never)).text).toBe('fits');
    expect((await provider.complete(ask('llama3.1:8b', 'short'), observer, never)).text).toBe('fits');
    expect(mock.requests.map((request) => request.path)).toEqual(['/api/show', '/v1/chat/completions', '/v1/chat/completions']);
  });

  it("says to choose a larger model when the request exceeds even the model's maximum", async () => {
    const { provider } = await ollamaProvider(always({ content: 'unused' }), { ollamaMaxContext: 4096 }, { contextLength: 32_768 });
    const error = await failure(provider.complete(ask('llama3.1:8b', longText), observer, never));
    expect(error.message).toContain("has a context of 4096 (the model's maximum)");
    expect(error.message).toContain("more than the model's maximum of 4096 tokens: choose a model with a larger context");
  });

  it('refuses tools for a model the table knows cannot call them, before any request', async () => {
    const { mock, provider } = await ollamaProvider(always({ content: 'unused' }), {});
    const error = await failure(provider.complete(ask('gemma2:9b', 'List the files.'), observer, never));
    expect(error.code).toBe(MocoErrorCodes.ModelUnsuitable);
    expect(error.message).toContain("gemma2:9b on Ollama cannot call tools (says MOCO's model table, from https://ollama.com/library/gemma2");
    expect(error.message).toContain('for example llama3.1 or qwen2.5-coder');
    expect(mock.requests).toHaveLength(0);
  });

  it('refuses tools when Ollama does not list them among the model capabilities', async () => {
    const { provider } = await ollamaProvider(always({ content: 'unused' }), { ollamaCapabilities: ['completion'] }, { model: 'mymodel' });
    const error = await failure(provider.complete(ask('mymodel', 'List the files.'), observer, never));
    expect(error.code).toBe(MocoErrorCodes.ModelUnsuitable);
    expect(error.message).toContain('Ollama lists its capabilities as completion');
  });

  it("turns the endpoint's 400 'does not support tools' into ModelUnsuitable, without retrying", async () => {
    mock = await startMockLlm(
      always({ status: 400, errorBody: { error: { message: 'registry.ollama.ai/library/tinymodel:latest does not support tools', type: 'api_error', param: null, code: null } } }),
    );
    const resolved: ResolvedProvider = { id: 'lmstudio', baseURL: mock.baseURL, model: 'tinymodel' };
    const provider = createOpenAIProvider(resolved, { circuitBreakers: new CircuitBreakerRegistry() });
    const error = await failure(provider.complete(ask('tinymodel', 'List the files.'), observer, never));
    expect(error.code).toBe(MocoErrorCodes.ModelUnsuitable);
    expect(error.message).toContain('tinymodel on LM Studio cannot call tools (HTTP 400: registry.ollama.ai/library/tinymodel:latest does not support tools)');
    expect(mock.chatRequests()).toHaveLength(1);
  });

  it('works with a model the table does not know, and warns once of what it assumed', async () => {
    const { provider, warnings } = await ollamaProvider(always({ content: 'hello' }), { ollamaContext: 8192 }, { model: 'my-finetune' });
    await provider.complete(ask('my-finetune', 'hi'), observer, never);
    await provider.complete(ask('my-finetune', 'hi again'), observer, never);
    expect(warnings).toEqual([
      "Model 'my-finetune' on ollama is not in MOCO's model table: a context window of 32768 tokens and tool support are assumed.",
    ]);
  });

  it('says Ollama is not running when its server cannot be reached', async () => {
    const resolved: ResolvedProvider = { id: 'ollama', baseURL: 'http://127.0.0.1:9/v1', model: 'llama3.1' };
    const provider = createOpenAIProvider(resolved, { circuitBreakers: new CircuitBreakerRegistry() });
    const error = await failure(provider.complete(ask('llama3.1', 'hi'), observer, never));
    expect(error.code).toBe(MocoErrorCodes.ProviderUnavailable);
    expect(error.message).toContain('Cannot reach Ollama at http://127.0.0.1:9');
    expect(error.message).toContain('ollama serve');
  });
});
