/**
 * The model table's data: what MOCO knows of each model, and where each figure comes from.
 *
 * OpenAI models take their context window, tool support and image input from the
 * `gpt-tokenizer` package's catalog (scraped from OpenAI's model pages; see models.ts); only their
 * prices are written here, because that catalog's prices disagree with OpenAI's pricing page
 * (for example it lists gpt-4o at $10/$30 per million tokens, the page $2.50/$10).
 *
 * Prices are USD per million tokens, standard (not batch, not cached) rates, for prompts within the
 * base tier. The vendor pages could not be fetched from the build machine (no network but npm);
 * the figures are the vendors' published rates as of the `asOf` date, cross-checked on 2026-11-21
 * against third-party copies of those pages. Check them again when a vendor changes its prices.
 */

/** Where a figure comes from: the vendor's page and the date the figure is known to hold. */
export interface FigureSource {
  url: string;
  /** ISO date (YYYY-MM-DD). */
  asOf: string;
}

/** What the table says of one model. Figures left out come from the OpenAI catalog. */
export interface ModelTableEntry {
  /** Tokens the model takes in one request (prompt + output). */
  contextWindow?: number;
  supportsTools?: boolean;
  supportsVision?: boolean;
  /** USD per million input (prompt) tokens. */
  inputUsdPerMTok?: number;
  /** USD per million output (completion) tokens. */
  outputUsdPerMTok?: number;
  /** Source of the context window and capabilities. */
  limitsSource?: FigureSource;
  /** Source of the prices. */
  priceSource?: FigureSource;
}

const OPENAI_PRICING: FigureSource = { url: 'https://platform.openai.com/docs/pricing', asOf: '2025-11-01' };
const ANTHROPIC_PRICING: FigureSource = { url: 'https://www.anthropic.com/pricing#api', asOf: '2025-11-01' };
const ANTHROPIC_MODELS: FigureSource = {
  url: 'https://docs.anthropic.com/en/docs/about-claude/models/overview',
  asOf: '2025-11-01',
};
const GEMINI_PRICING: FigureSource = { url: 'https://ai.google.dev/gemini-api/docs/pricing', asOf: '2026-03-01' };
const GEMINI_MODELS: FigureSource = { url: 'https://ai.google.dev/gemini-api/docs/models', asOf: '2026-03-01' };
const ZAI_PRICING: FigureSource = { url: 'https://docs.z.ai/guides/overview/pricing', asOf: '2026-01-15' };
const ZAI_MODELS: FigureSource = { url: 'https://docs.z.ai/guides/llm/glm-4.7', asOf: '2026-01-15' };
const DEEPSEEK: FigureSource = { url: 'https://api-docs.deepseek.com/quick_start/pricing', asOf: '2025-10-01' };

function openaiPrice(input: number, output: number): ModelTableEntry {
  return { inputUsdPerMTok: input, outputUsdPerMTok: output, priceSource: OPENAI_PRICING };
}

function claude(input: number, output: number, vision = true): ModelTableEntry {
  return {
    contextWindow: 200_000,
    supportsTools: true,
    supportsVision: vision,
    inputUsdPerMTok: input,
    outputUsdPerMTok: output,
    limitsSource: ANTHROPIC_MODELS,
    priceSource: ANTHROPIC_PRICING,
  };
}

function gemini(input: number, output: number): ModelTableEntry {
  return {
    contextWindow: 1_048_576,
    supportsTools: true,
    supportsVision: true,
    inputUsdPerMTok: input,
    outputUsdPerMTok: output,
    limitsSource: GEMINI_MODELS,
    priceSource: GEMINI_PRICING,
  };
}

function glm(contextWindow: number, input: number, output: number): ModelTableEntry {
  return {
    contextWindow,
    supportsTools: true,
    supportsVision: false,
    inputUsdPerMTok: input,
    outputUsdPerMTok: output,
    limitsSource: ZAI_MODELS,
    priceSource: ZAI_PRICING,
  };
}

/**
 * Hosted models by bare name (an OpenRouter id's vendor prefix and a Gemini `models/` prefix are
 * removed before the lookup).
 */
export const HOSTED_MODELS: Readonly<Record<string, ModelTableEntry>> = {
  // OpenAI: prices only; limits from the gpt-tokenizer catalog.
  'gpt-4o': openaiPrice(2.5, 10),
  'gpt-4o-mini': openaiPrice(0.15, 0.6),
  'gpt-4.1': openaiPrice(2, 8),
  'gpt-4.1-mini': openaiPrice(0.4, 1.6),
  'gpt-4.1-nano': openaiPrice(0.1, 0.4),
  o3: openaiPrice(2, 8),
  'o3-mini': openaiPrice(1.1, 4.4),
  'o4-mini': openaiPrice(1.1, 4.4),
  'gpt-5': openaiPrice(1.25, 10),
  'gpt-5-mini': openaiPrice(0.25, 2),
  'gpt-5-nano': openaiPrice(0.05, 0.4),
  'gpt-5.1': openaiPrice(1.25, 10),
  'gpt-5-codex': openaiPrice(1.25, 10),

  // Anthropic, through OpenRouter (anthropic/claude-…). 200K context on the standard tier.
  'claude-sonnet-4': claude(3, 15),
  'claude-sonnet-4.5': claude(3, 15),
  'claude-3.7-sonnet': claude(3, 15),
  'claude-opus-4': claude(15, 75),
  'claude-opus-4.1': claude(15, 75),
  'claude-haiku-4.5': claude(1, 5),
  'claude-3.5-haiku': claude(0.8, 4, false),

  // Google Gemini. gemini-2.5-pro's price is for prompts up to 200K tokens ($2.50/$15 above).
  'gemini-2.5-pro': gemini(1.25, 10),
  'gemini-2.5-flash': gemini(0.3, 2.5),
  'gemini-2.5-flash-lite': gemini(0.1, 0.4),
  'gemini-2.0-flash': gemini(0.1, 0.4),

  // Z.ai GLM.
  'glm-4.7': glm(200_000, 0.6, 2.2),
  'glm-4.6': glm(200_000, 0.6, 2.2),
  'glm-4.5': glm(128_000, 0.6, 2.2),
  'glm-4.5-air': glm(128_000, 0.2, 1.1),

  // DeepSeek (V3.2 prices; input at the cache-miss rate).
  'deepseek-chat': {
    contextWindow: 128_000,
    supportsTools: true,
    supportsVision: false,
    inputUsdPerMTok: 0.28,
    outputUsdPerMTok: 0.42,
    limitsSource: DEEPSEEK,
    priceSource: DEEPSEEK,
  },
  'deepseek-reasoner': {
    contextWindow: 128_000,
    supportsTools: true,
    supportsVision: false,
    inputUsdPerMTok: 0.28,
    outputUsdPerMTok: 0.42,
    limitsSource: DEEPSEEK,
    priceSource: DEEPSEEK,
  },
};

function ollama(name: string, contextWindow: number, supportsTools: boolean, supportsVision = false): ModelTableEntry {
  return {
    contextWindow,
    supportsTools,
    supportsVision,
    limitsSource: { url: `https://ollama.com/library/${name}`, asOf: '2025-11-01' },
  };
}

/**
 * Ollama models by library name (the `:tag` is removed before the lookup). `contextWindow` is the
 * model's maximum; what Ollama actually gives a request is its `num_ctx` (see ollama.ts).
 * Tool support as the Ollama library's `tools` badge shows it (https://ollama.com/search?c=tools).
 */
export const OLLAMA_MODELS: Readonly<Record<string, ModelTableEntry>> = {
  'llama3.1': ollama('llama3.1', 131_072, true),
  'llama3.2': ollama('llama3.2', 131_072, true),
  'llama3.3': ollama('llama3.3', 131_072, true),
  llama3: ollama('llama3', 8_192, false),
  'qwen2.5': ollama('qwen2.5', 32_768, true),
  'qwen2.5-coder': ollama('qwen2.5-coder', 32_768, true),
  qwen3: ollama('qwen3', 40_960, true),
  mistral: ollama('mistral', 32_768, true),
  'mistral-nemo': ollama('mistral-nemo', 131_072, true),
  'gpt-oss': ollama('gpt-oss', 131_072, true),
  gemma2: ollama('gemma2', 8_192, false),
  gemma3: ollama('gemma3', 131_072, false, true),
  phi4: ollama('phi4', 16_384, false),
  codellama: ollama('codellama', 16_384, false),
};
