/**
 * The model table: context window, tool support, vision and price of a model, with the source
 * of each figure, for context compression, capability checks and cost. The data is in
 * modelTable.ts; OpenAI's models also draw on the `gpt-tokenizer` package's catalog.
 */
import {
  COMPLETION_REQUEST_TOKEN_OVERHEAD,
  FUNCTION_DEFINITION_TOKEN_OVERHEAD,
  MESSAGE_TOKEN_OVERHEAD,
} from 'gpt-tokenizer/functionCalling';
// `models.gen` is the scraped catalog itself; `gpt-tokenizer/models` adds legacy models but its
// CommonJS build (4.0.0) throws "turbo is not defined" on require, which breaks tsx and Node's require.
import * as openaiCatalog from 'gpt-tokenizer/models.gen';
import type { ChatMessage } from '../../../protocol/run';
import { HOSTED_MODELS, OLLAMA_MODELS, type FigureSource, type ModelTableEntry } from './modelTable';
import type { TokenUsage, ToolSpec } from './types';

/** What MOCO knows of a model. */
export interface ModelInfo {
  /** Tokens one request may use, prompt and output together. */
  contextWindow: number;
  /** Whether the model can call tools (`tools` / `tool_calls`). */
  supportsTools: boolean;
  /** Whether the model takes images as input. */
  supportsVision: boolean;
  /** USD per million input tokens; 0 when `priceKnown` is false. */
  inputUsdPerMTok: number;
  /** USD per million output tokens; 0 when `priceKnown` is false. */
  outputUsdPerMTok: number;
  /**
   * Where the figures come from, each as `<page URL> (as of YYYY-MM-DD)` or a note saying it is
   * assumed: `limits` for the context window, tools and vision; `price` for the two prices.
   */
  source: { limits: string; price: string };
  /** False when the model is not in the table and the figures are assumptions. */
  known: boolean;
  /** False when the price is not known: the UI says "cost unknown" instead of $0. */
  priceKnown: boolean;
  /** For the user, when figures are assumed: what was assumed. */
  warning?: string;
}

/**
 * Context window assumed for a model the table does not know (tokens). Small enough for the
 * chat models with tool calls of the last years (Llama 3.1 128K, Qwen 2.5 32K, Mistral 32K);
 * 8,192 would make an agent's conversation need compression after a few turns. A model with a
 * smaller window answers a too-long request with an error, which the provider reports; Ollama,
 * which truncates instead, is checked against its real context (ollama.ts).
 */
export const UNKNOWN_MODEL_CONTEXT_WINDOW = 32_768;

/** Where the OpenAI catalog of `gpt-tokenizer` 4.0.0 was scraped from, and when. */
const OPENAI_CATALOG_SOURCE: FigureSource = {
  url: 'https://developers.openai.com/api/docs/models (via gpt-tokenizer 4.0.0)',
  asOf: '2026-08-15',
};

/** Providers that run on the user's machine: no price per token. */
const LOCAL_PROVIDERS = new Set(['ollama', 'lmstudio']);

interface CatalogSpec {
  context_window?: number;
  supported_features?: readonly string[];
  modalities?: { input?: readonly string[] };
}

/**
 * Looks `model` up as served by `provider` (a provider id of config.ts). Never throws: an
 * unknown model gets {@link UNKNOWN_MODEL_CONTEXT_WINDOW}, tools assumed supported, no vision,
 * an unknown price, and a `warning`. Local providers (Ollama, LM Studio) cost nothing.
 */
export function lookupModel(provider: string, model: string): ModelInfo {
  if (provider === 'vscode-lm') return editorModel(model);
  const local = LOCAL_PROVIDERS.has(provider);
  const entry = provider === 'ollama' ? OLLAMA_MODELS[ollamaName(model)] : hostedEntry(model);
  const free = local || /:free$/i.test(model);
  const hasLimits = entry?.contextWindow !== undefined;
  const hasPrice = entry?.inputUsdPerMTok !== undefined && entry.outputUsdPerMTok !== undefined;
  const priceKnown = free || hasPrice;

  const info: ModelInfo = {
    contextWindow: entry?.contextWindow ?? UNKNOWN_MODEL_CONTEXT_WINDOW,
    supportsTools: entry?.supportsTools ?? true,
    supportsVision: entry?.supportsVision ?? false,
    inputUsdPerMTok: free ? 0 : (entry?.inputUsdPerMTok ?? 0),
    outputUsdPerMTok: free ? 0 : (entry?.outputUsdPerMTok ?? 0),
    source: describeSources(entry, free, local),
    known: hasLimits,
    priceKnown,
  };
  const warning = describeAssumptions(provider, model, hasLimits, priceKnown);
  if (warning) info.warning = warning;
  return info;
}

/**
 * A `vscode.lm` model (`copilot-gpt-4o`, ...): the editor gives no price, so none is counted
 * (cost 0, `priceKnown` false) and no warning is raised for it; limits come from the table when
 * the name matches a model there (`gpt-4o`), else the assumed ones.
 */
function editorModel(model: string): ModelInfo {
  const entry = hostedEntry(model) ?? hostedEntry(model.replace(/^copilot-/i, ''));
  return {
    contextWindow: entry?.contextWindow ?? UNKNOWN_MODEL_CONTEXT_WINDOW,
    supportsTools: entry?.supportsTools ?? true,
    supportsVision: entry?.supportsVision ?? false,
    inputUsdPerMTok: 0,
    outputUsdPerMTok: 0,
    source: {
      limits: entry?.limitsSource ? formatSource(entry.limitsSource) : 'assumed (not in the table)',
      price: 'unknown: VS Code language models report no price',
    },
    known: entry?.contextWindow !== undefined,
    priceKnown: false,
  };
}

/** The USD price of `usage` at `info`'s rates; 0 when the price is unknown. */
export function costUsd(info: ModelInfo, usage: TokenUsage): number {
  return (usage.inputTokens * info.inputUsdPerMTok + usage.outputTokens * info.outputUsdPerMTok) / 1_000_000;
}

/**
 * Estimates the prompt tokens of a request: the text of every message and tool call counted
 * with the `o200k_base` encoding (GPT-4o and later; other vendors' tokenizers differ by some
 * tens of percent), plus OpenAI's per-message overheads (3 tokens a message, 3 to prime the
 * reply; source: the OpenAI Cookbook's "How to count tokens with tiktoken", as gpt-tokenizer
 * encodes them), and the tool definitions as their JSON text.
 *
 * Async because the encoding is loaded on first use: importing it costs about 300 ms and 75 MB,
 * which the server must not pay at start-up for a figure most endpoints send themselves (usage).
 */
export async function estimateTokens(messages: readonly ChatMessage[], tools: readonly ToolSpec[]): Promise<number> {
  const { countTokens } = await import('gpt-tokenizer');
  let total = COMPLETION_REQUEST_TOKEN_OVERHEAD;
  for (const message of messages) {
    total += MESSAGE_TOKEN_OVERHEAD + countTokens(message.content ?? '');
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        total += MESSAGE_TOKEN_OVERHEAD + countTokens(call.function.name) + countTokens(call.function.arguments);
      }
    }
  }
  for (const tool of tools) total += FUNCTION_DEFINITION_TOKEN_OVERHEAD + countTokens(JSON.stringify(tool.function));
  return total;
}

function hostedEntry(model: string): ModelTableEntry | undefined {
  const name = hostedName(model);
  const undated = name.replace(/-\d{4}-\d{2}-\d{2}$/, '');
  const own = HOSTED_MODELS[name] ?? HOSTED_MODELS[undated];
  const catalog = catalogEntry(name) ?? catalogEntry(undated);
  if (!own && !catalog) return undefined;
  return { ...catalog, ...own };
}

/** `anthropic/claude-sonnet-4:beta` → `claude-sonnet-4`; `models/gemini-2.5-pro` → `gemini-2.5-pro`. */
function hostedName(model: string): string {
  const withoutVariant = model.replace(/:[\w.-]+$/, '');
  return withoutVariant.slice(withoutVariant.lastIndexOf('/') + 1).toLowerCase();
}

/** `llama3.1:8b-instruct-q4_K_M` → `llama3.1`; `hf.co/org/model:tag` stays unknown. */
function ollamaName(model: string): string {
  return model.replace(/:.*$/, '').replace(/^library\//, '').toLowerCase();
}

function catalogEntry(name: string): ModelTableEntry | undefined {
  const spec = (openaiCatalog as unknown as Record<string, CatalogSpec | undefined>)[name];
  if (!spec || typeof spec.context_window !== 'number') return undefined;
  return {
    contextWindow: spec.context_window,
    supportsTools: spec.supported_features?.includes('function_calling') ?? false,
    supportsVision: spec.modalities?.input?.includes('image') ?? false,
    limitsSource: OPENAI_CATALOG_SOURCE,
  };
}

function describeSources(entry: ModelTableEntry | undefined, free: boolean, local: boolean): ModelInfo['source'] {
  let price = 'unknown (not in the table)';
  if (local) price = 'none: runs locally';
  else if (free) price = "none: OpenRouter's free variant";
  else if (entry?.priceSource) price = formatSource(entry.priceSource);
  return { limits: entry?.limitsSource ? formatSource(entry.limitsSource) : 'assumed (not in the table)', price };
}

function formatSource(source: FigureSource): string {
  return `${source.url} (as of ${source.asOf})`;
}

function describeAssumptions(provider: string, model: string, hasLimits: boolean, priceKnown: boolean): string | undefined {
  const assumed: string[] = [];
  if (!hasLimits) assumed.push(`a context window of ${UNKNOWN_MODEL_CONTEXT_WINDOW} tokens and tool support are assumed`);
  if (!priceKnown) assumed.push('its price is unknown, so its cost shows as unknown');
  if (assumed.length === 0) return undefined;
  return `Model '${model}' on ${provider} is not in MOCO's model table: ${assumed.join('; ')}.`;
}
