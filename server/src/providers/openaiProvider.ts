/**
 * The one model provider MOCO needs: the `openai` SDK on any OpenAI-compatible endpoint (OpenAI,
 * OpenRouter, Z.ai, Gemini, Ollama, LM Studio, vLLM, llama.cpp). Every call streams
 * (`stream: true`, `stream_options.include_usage`), goes through the endpoint's circuit breaker
 * and our retries (the SDK's own are off), and an attempt that goes silent for `idleTimeoutMs` is
 * abandoned and retried. A stream that breaks off is retried and never returned as an answer.
 */
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ChatMessage } from '../../../protocol/run';
import { assertModelSuitable } from './capabilities';
import { ollamaHost, type ResolvedProvider } from './config';
import { abortReason, isAbortError, StreamInterruptedError, throwIfAborted } from './errors';
import { toProviderError } from './failures';
import { lookupModel } from './models';
import { OllamaInspector } from './ollama';
import {
  describeFailure,
  sharedCircuitBreakers,
  withRetries,
  type CircuitBreakerRegistry,
  type EndpointCircuit,
  type RetryOptions,
} from './resilience';
import { StreamAssembler } from './streamAssembler';
import type { ModelCallObserver, ModelDelta, ModelProvider, ModelRequest, ModelResponse } from './types';

/** Default of {@link OpenAIProviderOptions.idleTimeoutMs}: 2 minutes, for slow local models' first token. */
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/** How a provider behaves; every field has a default. */
export interface OpenAIProviderOptions {
  /** An attempt with no chunk (nor response headers) for this long (ms) is abandoned and retried. */
  idleTimeoutMs?: number;
  /** Retries; see resilience.ts for the defaults. */
  retry?: RetryOptions;
  /** Where the endpoint's circuit lives. Default: the process-wide {@link sharedCircuitBreakers}. */
  circuitBreakers?: CircuitBreakerRegistry;
  /** Told once per model of figures assumed for a model the table does not know. */
  onWarning?: (message: string) => void;
  /** The `fetch` used by the SDK and for Ollama's `/api/show`. Default: the global one. */
  fetch?: typeof fetch;
}

/**
 * A {@link ModelProvider} for `resolved` (from config.ts `resolveProvider`).
 *
 * `complete` throws a `ProviderError` (errors.ts) when the call fails for good: ModelUnsuitable
 * before any request when the model cannot do what the request needs, ProviderRejected for a bad
 * key or model name, ProviderUnavailable when the endpoint is down, rate limiting, or its circuit
 * is open, ProviderResponseInvalid when its streams keep breaking off. An abort of `signal`
 * rejects with `signal.reason` at once.
 */
export function createOpenAIProvider(resolved: ResolvedProvider, options: OpenAIProviderOptions = {}): ModelProvider {
  return new OpenAICompatibleProvider(resolved, options);
}

class OpenAICompatibleProvider implements ModelProvider {
  readonly id: string;
  private readonly client: OpenAI;
  private readonly circuit: EndpointCircuit;
  private readonly ollama: OllamaInspector | undefined;
  private readonly idleTimeoutMs: number;
  private readonly warned = new Set<string>();

  constructor(
    private readonly resolved: ResolvedProvider,
    private readonly options: OpenAIProviderOptions,
  ) {
    this.id = resolved.id;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.client = new OpenAI({
      baseURL: resolved.baseURL,
      // Local servers need no key, but the SDK wants one; they ignore it.
      apiKey: resolved.apiKey ?? 'no-key',
      organization: resolved.id === 'openai' ? undefined : null,
      project: resolved.id === 'openai' ? undefined : null,
      maxRetries: 0,
      // Response headers must come within this; our idle timer, shorter, usually fires first.
      timeout: this.idleTimeoutMs * 2,
      logLevel: 'off',
      defaultHeaders: resolved.id === 'openrouter' ? { 'X-Title': 'MOCO' } : undefined,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.circuit = (options.circuitBreakers ?? sharedCircuitBreakers).forEndpoint(resolved.baseURL);
    this.ollama =
      resolved.id === 'ollama'
        ? new OllamaInspector(ollamaHost(resolved.baseURL), resolved.contextLength, options.fetch)
        : undefined;
  }

  async complete(request: ModelRequest, observer: ModelCallObserver, signal: AbortSignal): Promise<ModelResponse> {
    throwIfAborted(signal);
    const info = lookupModel(this.resolved.id, request.model);
    if (info.warning && !this.warned.has(request.model)) {
      this.warned.add(request.model);
      this.options.onWarning?.(info.warning);
    }
    // The request may name another model than the one resolved; messages name the one called.
    const target = request.model === this.resolved.model ? this.resolved : { ...this.resolved, model: request.model };
    await assertModelSuitable(target, request, info, this.ollama, signal);

    let attempts = 0;
    let deltasGiven = false;
    const onDelta = (delta: ModelDelta): void => {
      deltasGiven = true;
      observer.onDelta(delta);
    };
    try {
      return await withRetries(
        () => {
          attempts += 1;
          return this.circuit.execute(() => this.attempt(request, onDelta, signal));
        },
        {
          retry: this.options.retry,
          onRetry: (event) => {
            observer.onRetry?.({
              attempt: event.attempt,
              delayMs: event.delayMs,
              reason: describeFailure(event.error),
              discardsPartialOutput: deltasGiven,
            });
            deltasGiven = false;
          },
        },
        signal,
      );
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      if (isAbortError(error)) throw error;
      throw toProviderError(error, target, attempts);
    }
  }

  /** One HTTP request and its stream, abandoned when it goes silent for `idleTimeoutMs`. */
  private async attempt(request: ModelRequest, onDelta: (delta: ModelDelta) => void, signal: AbortSignal): Promise<ModelResponse> {
    throwIfAborted(signal);
    const controller = new AbortController();
    const forwardAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', forwardAbort, { once: true });
    let idle = false;
    const idleTimer = setTimeout(() => {
      idle = true;
      controller.abort();
    }, this.idleTimeoutMs);
    const assembler = new StreamAssembler(onDelta);
    let completed = false;
    try {
      const stream = await this.client.chat.completions.create(this.wireRequest(request), { signal: controller.signal });
      idleTimer.refresh();
      try {
        for await (const chunk of stream) {
          idleTimer.refresh();
          assembler.add(chunk);
        }
      } catch (error) {
        if (!signal.aborted && !idle) throw new StreamInterruptedError(`the stream failed halfway: ${describeFailure(error)}`, { cause: error });
        throw error;
      }
      // The SDK ends the iteration quietly when its request is aborted.
      throwIfAborted(signal);
      if (idle) throw this.idleError();
      const response = assembler.finish();
      completed = true;
      return response;
    } catch (error) {
      throwIfAborted(signal);
      if (idle) throw this.idleError(error);
      throw error;
    } finally {
      clearTimeout(idleTimer);
      signal.removeEventListener('abort', forwardAbort);
      if (!completed) controller.abort();
    }
  }

  private idleError(cause?: unknown): StreamInterruptedError {
    return new StreamInterruptedError(`no data for ${this.idleTimeoutMs} ms`, { idle: true, cause });
  }

  private wireRequest(request: ModelRequest): ChatCompletionCreateParamsStreaming {
    const body: ChatCompletionCreateParamsStreaming = {
      model: request.model,
      messages: request.messages.map(toWireMessage),
      stream: true,
      stream_options: { include_usage: true },
    };
    if (request.tools.length > 0) body.tools = request.tools;
    if (request.temperature !== undefined && !this.rejectsTemperature(request.model)) body.temperature = request.temperature;
    if (request.maxOutputTokens !== undefined) {
      // OpenAI's own API deprecated max_tokens, and its reasoning models reject it.
      if (this.isOpenAIItself()) body.max_completion_tokens = request.maxOutputTokens;
      else body.max_tokens = request.maxOutputTokens;
    }
    return body;
  }

  private isOpenAIItself(): boolean {
    return this.resolved.id === 'openai' && /^https:\/\/api\.openai\.com\//.test(this.resolved.baseURL);
  }

  /** OpenAI's reasoning models (o-series, gpt-5 but not its chat variants) accept only the default temperature. */
  private rejectsTemperature(model: string): boolean {
    return this.isOpenAIItself() && /^(o\d|gpt-5(?!.*chat))/.test(model);
  }
}

/** A stored message as the wire takes it: the `reasoning` of assistant turns is not sent back. */
function toWireMessage(message: ChatMessage): ChatCompletionMessageParam {
  if (message.role !== 'assistant') return message;
  const wire: ChatCompletionMessageParam = { role: 'assistant', content: message.content };
  if (message.tool_calls && message.tool_calls.length > 0) wire.tool_calls = message.tool_calls;
  return wire;
}
