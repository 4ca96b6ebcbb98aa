// The OpenAI-compatible provider against the mock server over real HTTP: what a streamed answer
// turns into (text, thinking, tool calls, usage) and what goes on the wire.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../protocol/run';
import type { ResolvedProvider } from '../../server/src/providers/config';
import { createOpenAIProvider } from '../../server/src/providers/openaiProvider';
import { CircuitBreakerRegistry } from '../../server/src/providers/resilience';
import type { ModelDelta, ModelRequest, ToolSpec } from '../../server/src/providers/types';
import { sequence, startMockLlm, type MockLlm, type MockScript } from '../support/mockLlm';

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are a careful coder.' },
  { role: 'user', content: 'Read the README.' },
];
const readFileTool: ToolSpec = {
  type: 'function',
  function: {
    name: 'read_file',
    description: 'Reads a file.',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
};

let mock: MockLlm | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function setUp(script: MockScript, model = 'gpt-4o-mini') {
  mock = await startMockLlm(script);
  const resolved: ResolvedProvider = { id: 'openai', baseURL: mock.baseURL, apiKey: 'sk-test', model, apiKeyVariable: 'OPENAI_API_KEY' };
  const provider = createOpenAIProvider(resolved, { circuitBreakers: new CircuitBreakerRegistry(), retry: { baseDelayMs: 1 } });
  const deltas: ModelDelta[] = [];
  const call = (request: Partial<ModelRequest> = {}) =>
    provider.complete({ model, messages, tools: [], ...request }, { onDelta: (delta) => deltas.push({ ...delta }) }, new AbortController().signal);
  return { mock, call, deltas };
}

function joined(deltas: ModelDelta[], kind: ModelDelta['kind']): string {
  return deltas.filter((delta) => delta.kind === kind).map((delta) => delta.text).join('');
}

describe('a streamed answer from an OpenAI-compatible endpoint', () => {
  it('arrives as several text deltas that make up the answer, and the request streams with usage', async () => {
    const { mock, call, deltas } = await setUp(sequence([{ content: 'The README describes MOCO.', contentChunks: 4 }]));
    const response = await call({ temperature: 0.2, maxOutputTokens: 500 });

    expect(response).toMatchObject({ text: 'The README describes MOCO.', thinking: '', toolCalls: [], finishReason: 'stop' });
    expect(deltas.filter((delta) => delta.kind === 'text').length).toBeGreaterThan(1);
    expect(joined(deltas, 'text')).toBe('The README describes MOCO.');
    const [request] = mock.chatRequests();
    expect(request?.body).toMatchObject({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, temperature: 0.2, max_tokens: 500 });
    expect(request?.body.tools).toBeUndefined();
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.systemPrompt).toBe('You are a careful coder.');
  });

  it('assembles tool calls whose arguments come split across many chunks', async () => {
    const { mock, call } = await setUp(
      sequence([
        {
          toolCalls: [
            { id: 'call_a', name: 'read_file', arguments: { path: 'README.md' } },
            { id: 'call_b', name: 'read_file', arguments: { path: 'src/a very long path/with spaces/index.ts' } },
          ],
          argumentChunks: 7,
        },
      ]),
    );
    const response = await call({ tools: [readFileTool] });

    expect(response.finishReason).toBe('tool_calls');
    expect(response.text).toBe('');
    expect(response.toolCalls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '{"path":"README.md"}' } },
      { id: 'call_b', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/a very long path/with spaces/index.ts"}' } },
    ]);
    expect(mock.chatRequests()[0]?.body.tools).toEqual([readFileTool]);
  });

  it('separates reasoning_content from the answer as thinking', async () => {
    const { call, deltas } = await setUp(sequence([{ reasoning: 'The user wants the README read first.', content: 'Reading it now.' }]));
    const response = await call();

    expect(response.thinking).toBe('The user wants the README read first.');
    expect(response.text).toBe('Reading it now.');
    expect(joined(deltas, 'thinking')).toBe('The user wants the README read first.');
    expect(joined(deltas, 'text')).toBe('Reading it now.');
  });

  it('moves <think> and <thought> blocks out of the text, even split across chunks', async () => {
    const content = '<think>Plan: read, then answer.</think>\n\nThe answer.<thought>check</thought> Done.';
    const { call, deltas } = await setUp(sequence([{ content, contentChunks: 11 }]));
    const response = await call();

    expect(response.text).toBe('The answer. Done.');
    expect(response.thinking).toBe('Plan: read, then answer.check');
    expect(joined(deltas, 'text')).not.toContain('<');
  });

  it('reports the usage of the final chunk, and none when the endpoint sends none', async () => {
    const { call } = await setUp(sequence([{ content: 'ok', usage: { prompt_tokens: 1234, completion_tokens: 56 } }, { content: 'ok', usage: false }]));
    expect((await call()).usage).toEqual({ inputTokens: 1234, outputTokens: 56 });
    expect((await call()).usage).toBeUndefined();
  });

  it('does not send the stored reasoning of earlier assistant turns back to the model', async () => {
    const { mock, call } = await setUp(sequence([{ content: 'ok' }]));
    const history: ChatMessage[] = [
      ...messages,
      { role: 'assistant', content: null, reasoning: 'secret plan', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'file text' },
    ];
    await call({ messages: history });

    const sent = mock.chatRequests()[0]?.body.messages ?? [];
    expect(sent[2]).toEqual({ role: 'assistant', content: null, tool_calls: history[2]?.role === 'assistant' ? history[2].tool_calls : [] });
    expect(mock.chatRequests()[0]?.lastUserOrToolMessage).toBe('file text');
  });

  it('sends max_completion_tokens and no temperature to OpenAI reasoning models on api.openai.com only', async () => {
    // On another base URL (this mock) the classic fields go out even for an o-series name.
    const { mock, call } = await setUp(sequence([{ content: 'ok' }]), 'o4-mini');
    await call({ temperature: 0.5, maxOutputTokens: 100 });
    expect(mock.chatRequests()[0]?.body).toMatchObject({ temperature: 0.5, max_tokens: 100 });
  });
});
