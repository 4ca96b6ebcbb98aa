// The model table: known models with their figures and sources, unknown ones with a warning and
// conservative defaults, cost in USD, and the token estimate of a request.
import { describe, expect, it } from 'vitest';
import { costUsd, estimateTokens, lookupModel, UNKNOWN_MODEL_CONTEXT_WINDOW } from '../../server/src/providers/models';
import type { ToolSpec } from '../../server/src/providers/types';

describe('lookupModel', () => {
  it('knows the default model of every provider, with a price and its source', () => {
    const defaults: [string, string][] = [
      ['zai', 'glm-4.7'],
      ['openrouter', 'google/gemini-2.5-flash'],
      ['gemini', 'gemini-2.5-flash'],
      ['openai', 'gpt-4.1-mini'],
    ];
    for (const [provider, model] of defaults) {
      const info = lookupModel(provider, model);
      expect(info, `${provider}/${model}`).toMatchObject({ known: true, priceKnown: true, supportsTools: true });
      expect(info.warning).toBeUndefined();
      expect(info.inputUsdPerMTok).toBeGreaterThan(0);
      expect(info.source.limits).toMatch(/^https:\/\/\S+ .*\(as of \d{4}-\d{2}-\d{2}\)$/);
      expect(info.source.price).toMatch(/^https:\/\/\S+ \(as of \d{4}-\d{2}-\d{2}\)$/);
    }
  });

  it("takes OpenAI models' limits from gpt-tokenizer's catalog and prices from OpenAI's pricing page", () => {
    expect(lookupModel('openai', 'gpt-4o')).toMatchObject({
      contextWindow: 128_000,
      supportsTools: true,
      supportsVision: true,
      inputUsdPerMTok: 2.5,
      outputUsdPerMTok: 10,
    });
    expect(lookupModel('openai', 'gpt-4.1').contextWindow).toBe(1_047_576);
    expect(lookupModel('openai', 'gpt-4o-2024-08-06')).toMatchObject({ known: true, inputUsdPerMTok: 2.5 });
    expect(lookupModel('openai', 'gpt-4o').source).toEqual({
      limits: 'https://developers.openai.com/api/docs/models (via gpt-tokenizer 4.0.0) (as of 2026-08-15)',
      price: 'https://platform.openai.com/docs/pricing (as of 2025-11-01)',
    });
  });

  it('finds vendor models under their OpenRouter ids', () => {
    expect(lookupModel('openrouter', 'anthropic/claude-sonnet-4')).toMatchObject({ contextWindow: 200_000, inputUsdPerMTok: 3, outputUsdPerMTok: 15, known: true });
    expect(lookupModel('openrouter', 'openai/gpt-4o-mini')).toMatchObject({ inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 });
    expect(lookupModel('openrouter', 'z-ai/glm-4.6')).toMatchObject({ contextWindow: 200_000, known: true });
    expect(lookupModel('openrouter', 'deepseek/deepseek-chat:free')).toMatchObject({ priceKnown: true, inputUsdPerMTok: 0, outputUsdPerMTok: 0 });
  });

  it('knows Ollama models by library name whatever the tag, free of charge, and which cannot call tools', () => {
    expect(lookupModel('ollama', 'llama3.1:8b-instruct-q4_K_M')).toMatchObject({ contextWindow: 131_072, supportsTools: true, priceKnown: true, inputUsdPerMTok: 0 });
    expect(lookupModel('ollama', 'gemma2:9b').supportsTools).toBe(false);
    expect(lookupModel('ollama', 'gemma3').supportsVision).toBe(true);
  });

  it('accepts an unknown model with conservative defaults, a warning, and the price flagged unknown', () => {
    const info = lookupModel('openrouter', 'someone/brand-new-model');
    expect(info).toMatchObject({
      contextWindow: UNKNOWN_MODEL_CONTEXT_WINDOW,
      supportsTools: true,
      supportsVision: false,
      known: false,
      priceKnown: false,
      inputUsdPerMTok: 0,
      outputUsdPerMTok: 0,
      source: { limits: 'assumed (not in the table)', price: 'unknown (not in the table)' },
    });
    expect(info.warning).toBe(
      "Model 'someone/brand-new-model' on openrouter is not in MOCO's model table: a context window of 32768 tokens and tool support are assumed; its price is unknown, so its cost shows as unknown.",
    );
  });

  it('flags the price alone as unknown for an OpenAI model the catalog knows but the price list does not', () => {
    const info = lookupModel('openai', 'gpt-5.4');
    expect(info).toMatchObject({ known: true, priceKnown: false, contextWindow: 1_050_000 });
    expect(info.warning).toContain('its price is unknown');
  });
});

describe('costUsd', () => {
  it('prices input and output tokens at the per-million rates', () => {
    const info = lookupModel('openai', 'gpt-4o'); // $2.50 in, $10 out per million
    expect(costUsd(info, { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(2.5, 10);
    expect(costUsd(info, { inputTokens: 12_000, outputTokens: 3_000 })).toBeCloseTo(0.03 + 0.03, 10);
  });

  it('is 0 for a model of unknown price (the UI shows it as unknown through priceKnown)', () => {
    expect(costUsd(lookupModel('custom', 'mystery'), { inputTokens: 5_000, outputTokens: 5_000 })).toBe(0);
  });
});

describe('estimateTokens', () => {
  const tool: ToolSpec = {
    type: 'function',
    function: { name: 'read_file', description: 'Reads a file.', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
  };

  it('counts message text with per-message overhead, tool calls and tool definitions', async () => {
    const bare = await estimateTokens([{ role: 'user', content: 'hello world' }], []);
    expect(bare).toBe(2 + 3 + 3); // two tokens of text, 3 per message, 3 to prime the reply
    const withTool = await estimateTokens([{ role: 'user', content: 'hello world' }], [tool]);
    expect(withTool).toBeGreaterThan(bare + 10);
    const withCall = await estimateTokens(
      [
        { role: 'user', content: 'hello world' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"README.md"}' } }] },
      ],
      [],
    );
    expect(withCall).toBeGreaterThan(bare + 3 + 5);
  });

  it('grows with the length of the conversation', async () => {
    const short = await estimateTokens([{ role: 'user', content: 'word '.repeat(100) }], []);
    const long = await estimateTokens([{ role: 'user', content: 'word '.repeat(1_000) }], []);
    expect(long).toBeGreaterThan(short * 5);
  });
});
