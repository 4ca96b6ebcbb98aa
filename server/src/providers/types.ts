/**
 * The contract between the orchestrator and a model provider. One implementation
 * (`openaiProvider.ts`, on the `openai` SDK) covers every OpenAI-compatible endpoint; tests and
 * the `vscode.lm` bridge of a later issue implement the same interface.
 */
import type { ChatMessage, ToolCall } from '../../../protocol/run';

/** A tool offered to the model, in the OpenAI wire format (`tools[]` of chat completions). */
export interface ToolSpec {
  type: 'function';
  function: {
    name: string;
    description: string;
    /** JSON Schema (draft 2020-12 subset the providers accept) of the arguments object. */
    parameters: Record<string, unknown>;
  };
}

/** One model call. */
export interface ModelRequest {
  /** Model name as sent on the wire. */
  model: string;
  /** The conversation, system prompt first. `reasoning` fields are not sent. */
  messages: ChatMessage[];
  /** Empty for no tools (then `tools` is left out of the wire request). */
  tools: ToolSpec[];
  temperature?: number;
  /** `max_tokens` on the wire: the cap on output tokens of this call. */
  maxOutputTokens?: number;
}

/** Token counts of one call, from the stream's final `usage` chunk. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** Streamed pieces of an answer, in order. Thinking is already separated from text. */
export type ModelDelta = { kind: 'text'; text: string } | { kind: 'thinking'; text: string };

/** What the provider tells the caller while it works, besides deltas. */
export interface ModelCallObserver {
  onDelta(delta: ModelDelta): void;
  /**
   * A retry is about to happen after `delayMs`. When `discardsPartialOutput` is true, deltas
   * already given for this call are void and the answer starts again.
   */
  onRetry?(info: { attempt: number; delayMs: number; reason: string; discardsPartialOutput: boolean }): void;
}

/** A complete answer: what the stream assembled. */
export interface ModelResponse {
  /** Answer text without thinking blocks; '' when the model only called tools. */
  text: string;
  /** Thinking (`<think>`/`<thought>` blocks and `reasoning_content`), '' when none. */
  thinking: string;
  /** Tool calls with their argument text joined from all deltas, not parsed. */
  toolCalls: ToolCall[];
  /** `finish_reason` of the last choice: `stop`, `tool_calls`, `length`, `content_filter`. */
  finishReason: string;
  /** Absent only when the endpoint sent no usage; then the caller estimates. */
  usage?: TokenUsage;
}

/** A configured endpoint the orchestrator can call. */
export interface ModelProvider {
  /** Provider id, for example `openai`, `openrouter`, `zai`, `gemini`, `ollama`, `lmstudio`. */
  readonly id: string;
  /**
   * Calls the model with streaming, retrying per the provider's policy.
   *
   * @throws {ProviderError} (providers/errors.ts) with a `MocoErrorCodes` code when the call
   *   fails for good; an `AbortError` (`signal.reason`) when `signal` aborts.
   */
  complete(request: ModelRequest, observer: ModelCallObserver, signal: AbortSignal): Promise<ModelResponse>;
}
