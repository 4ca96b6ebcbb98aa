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

/**
 * Params of `editor/definitions` and `editor/references`: the question of the tools
 * `find_definition` and `find_references`.
 */
export interface EditorSymbolParams {
  /** The identifier, for example `parseArguments`. */
  symbol: string;
  /**
   * Absolute path of a file where the symbol appears. Absent: the editor looks the name up with
   * its workspace symbol providers (exact names first).
   */
  file?: string;
  /**
   * 1-based line of the occurrence in `file`. Absent, or the symbol is not on that line: the first
   * whole-word occurrence in the file.
   */
  line?: number;
}

/** One place the editor's providers gave (a `Location` or `LocationLink` of VS Code). */
export interface EditorSymbolLocation {
  /** Absolute file system path; the URI as text for a document that is not a file (`untitled:`). */
  path: string;
  /** 1-based line of the start of the range (for a `LocationLink`, of its selection range). */
  line: number;
  /** 1-based column of the start, in UTF-16 code units (VS Code's `Position.character` + 1). */
  column: number;
  /** 1-based line of the end of the range. */
  endLine: number;
  /** The text of the start line, trimmed, at most 200 characters ('' when it cannot be read). */
  preview: string;
}

/** Result of `editor/definitions` and `editor/references`. */
export interface EditorSymbolResult {
  /** The places found, in the providers' order; empty when they found nothing. */
  locations: EditorSymbolLocation[];
  /**
   * Notes for the model on how the question was answered, for example that the symbol was not on
   * the given line and its first occurrence in the file was used, or that more locations existed
   * than were sent.
   */
  notes: string[];
}

/**
 * `editor/definitions` (server → client request): where a symbol is defined, from VS Code's
 * definition providers (`vscode.executeDefinitionProvider` at the symbol's position in `file`), or
 * without a file from its workspace symbol providers (`vscode.executeWorkspaceSymbolProvider`). So
 * the answers come from the user's own language servers. A client without the handler (the CLI)
 * answers `MethodNotFound`, and the server falls back to its tree-sitter symbol search.
 */
export const EditorDefinitionsRequest = new RequestType<EditorSymbolParams, EditorSymbolResult, void>('editor/definitions');

/**
 * `editor/references` (server → client request): where a symbol is used, from VS Code's reference
 * providers (`vscode.executeReferenceProvider`, which include the declaration), at the symbol's
 * position in `file`, or without a file at the position of each workspace symbol of that exact
 * name. `MethodNotFound` as for {@link EditorDefinitionsRequest}.
 */
export const EditorReferencesRequest = new RequestType<EditorSymbolParams, EditorSymbolResult, void>('editor/references');
