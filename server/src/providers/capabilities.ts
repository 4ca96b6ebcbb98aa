/**
 * Checks made before a model call, so that a model unfit for the request fails loudly with what
 * to change instead of failing obscurely or, on Ollama, truncating the conversation in silence.
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import type { ResolvedProvider } from './config';
import { ProviderError } from './errors';
import { noToolsError } from './failures';
import { estimateTokens, type ModelInfo } from './models';
import type { OllamaInspector } from './ollama';
import type { ModelRequest } from './types';

/** Output tokens reserved in the context when the request sets no `maxOutputTokens`. */
export const DEFAULT_OUTPUT_RESERVE_TOKENS = 1_024;

/**
 * Throws when the model table says the model cannot call tools and the request offers some,
 * or, on Ollama, when the server says so or the request does not fit the model's context.
 *
 * @throws {ProviderError} ModelUnsuitable with the fix; the errors of
 *   {@link OllamaInspector.details} when Ollama cannot be asked.
 */
export async function assertModelSuitable(
  resolved: ResolvedProvider,
  request: ModelRequest,
  info: ModelInfo,
  ollama: OllamaInspector | undefined,
  signal: AbortSignal,
): Promise<void> {
  const wantsTools = request.tools.length > 0;
  if (wantsTools && !info.supportsTools) throw noToolsError(resolved, `says MOCO's model table, from ${info.source.limits}`);
  if (!ollama) return;

  const details = await ollama.details(request.model, signal);
  if (wantsTools && details.capabilities && !details.capabilities.includes('tools')) {
    throw noToolsError(resolved, `Ollama lists its capabilities as ${details.capabilities.join(', ')}`);
  }
  const needed = (await estimateTokens(request.messages, request.tools)) + (request.maxOutputTokens ?? DEFAULT_OUTPUT_RESERVE_TOKENS);
  if (needed <= details.contextLength) return;

  const fitsModel = details.maxContextLength === undefined || needed <= details.maxContextLength;
  const fix = fitsModel
    ? `Set OLLAMA_CONTEXT_LENGTH=${suggestedContext(needed, details.maxContextLength)} for the Ollama server ` +
      '(and in MOCO\'s environment or .env, so that MOCO knows), or choose a model with a larger context.'
    : `That is more than the model's maximum of ${details.maxContextLength} tokens: choose a model with a larger context.`;
  throw new ProviderError(
    MocoErrorCodes.ModelUnsuitable,
    `The request needs ~${needed} tokens but ${request.model} on Ollama has a context of ${details.contextLength} ` +
      `(${details.contextSource}); Ollama would silently drop the start of the conversation. ${fix}`,
  );
}

/** The next power of two at or above `needed`, at least 8,192, capped by the model's maximum. */
function suggestedContext(needed: number, max: number | undefined): number {
  let size = 8_192;
  while (size < needed) size *= 2;
  return max === undefined ? size : Math.min(size, max);
}
