/**
 * Requests the server sends to the editor: what only VS Code can answer. API keys kept in
 * SecretStorage, and the language models of `vscode.lm`. One typed constant per message
 * (CONVENTIONS.md §2). A client that lacks a handler (the CLI has none) answers
 * `MethodNotFound`, and the server treats that as "the editor has nothing to give".
 */
import { NotificationType, ProgressType, RequestType, type ProgressToken } from 'vscode-jsonrpc';
import type { ChatMessage, ToolCall } from './run';

/** Params of `secrets/get`. */
export interface SecretsGetParams {
  /**
   * Provider ids whose API key the server lacks (its environment and `.env` have none), for
   * example `['zai', 'openrouter', 'gemini', 'openai']`.
   */
  providers: string[];
}

/** Result of `secrets/get`. */
export interface SecretsGetResult {
  /** Provider id → API key, only for the providers the user gave a key with `MOCO: Set API Key`. */
  keys: Record<string, string>;
}

/**
 * `secrets/get` (server → client request): the API keys the user keeps in VS Code's
 * SecretStorage. The server asks before each run it starts and keeps the answer in memory only;
 * keys are never written to settings, logs or the database.
 */
export const SecretsGetRequest = new RequestType<SecretsGetParams, SecretsGetResult, void>('secrets/get');

/**
 * `secrets/didChange` (client → server notification): a key was set or deleted, so the server
 * forgets the keys it was given.
 */
export const SecretsDidChangeNotification = new NotificationType<{ provider: string }>('secrets/didChange');

/** A tool offered to a `vscode.lm` model, in the OpenAI wire format (`tools[]`). */
export interface LmToolSpec {
  type: 'function';
  function: {
    name: string;
    description: string;
    /** JSON Schema of the arguments object. */
    parameters: Record<string, unknown>;
  };
}

/** Params of `lm/chat`. */
export interface LmChatParams {
  /**
   * The model's `id` as `vscode.lm.selectChatModels()` gives it (`LanguageModelChat.id`), for
   * example `copilot-gpt-4o`.
   */
  model: string;
  /** The conversation in the OpenAI wire format, system prompt first. */
  messages: ChatMessage[];
  /** Empty for no tools. */
  tools: LmToolSpec[];
  /** Cap on output tokens, when the run has one. */
  maxOutputTokens?: number;
  /** Where the client reports the streamed text ({@link LmChatProgress}). */
  partialResultToken: ProgressToken;
}

/** One streamed piece of a `vscode.lm` answer, sent as `$/progress` on the request's token. */
export interface LmChatPartial {
  /** Text to append to the answer. */
  text: string;
}

/** `$/progress` of an `lm/chat` request: the answer's text as it streams. */
export const LmChatProgress = new ProgressType<LmChatPartial>();

/** Result of `lm/chat`: the whole answer once the stream has ended. */
export interface LmChatResult {
  /** The whole text (the concatenation of every {@link LmChatPartial}). */
  text: string;
  /** Tool calls (`LanguageModelToolCallPart`s) turned into the OpenAI format; arguments as JSON text. */
  toolCalls: ToolCall[];
  /** `tool_calls` when the model called tools, else `stop`. */
  finishReason: 'stop' | 'tool_calls';
  /**
   * Tokens counted with the model's `countTokens`. `vscode.lm` reports no usage, so these are
   * the editor's counts, and no price is known for them.
   */
  usage?: { inputTokens: number; outputTokens: number };
}

/**
 * `lm/chat` (server → client request): one streamed call to a `vscode.lm` chat model. Cancelled
 * with `$/cancelRequest` when the run is. Errors: `ProviderNotConfigured` (no such model, or
 * `vscode.lm` missing), `ProviderRejected` (the user declined access, quota), `ProviderUnavailable`.
 */
export const LmChatRequest = new RequestType<LmChatParams, LmChatResult, void>('lm/chat');
