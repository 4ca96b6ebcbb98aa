/**
 * The `vscode-lm` provider: the editor's language models (`vscode.lm`, the user's Copilot models
 * for example), which only the VS Code client can call. Each model call is one `lm/chat` request
 * to the client (protocol/editor.ts); the answer's text streams back as `$/progress` partials,
 * which go through the same `<think>` splitter as the other providers' content. The provider
 * knows nothing of JSON-RPC: it is given an {@link LmChatFunction} that does the request.
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import type { LmChatParams, LmChatResult } from '../../../protocol/editor';
import type { ChatMessage } from '../../../protocol/run';
import { abortReason, ProviderError, throwIfAborted, untilAborted, type ProviderErrorCode } from './errors';
import { ThinkingSplitter } from './thinking';
import type { ModelCallObserver, ModelDelta, ModelProvider, ModelRequest, ModelResponse } from './types';

/**
 * Sends one `lm/chat` request to the editor. `onText` receives each streamed piece of the
 * answer's text, in order. Aborting `signal` cancels the request (`$/cancelRequest`).
 * @throws the JSON-RPC error the editor answered with (an object with a numeric `code` and a
 *   `message`), or the connection's error when it closed.
 */
export type LmChatFunction = (
  request: Omit<LmChatParams, 'partialResultToken'>,
  onText: (text: string) => void,
  signal: AbortSignal,
) => Promise<LmChatResult>;

/** JSON-RPC's MethodNotFound: the client has no `lm/chat` handler. */
const METHOD_NOT_FOUND = -32601;

/** The error codes the editor may answer `lm/chat` with that are passed on as they are. */
const PASSED_ON: readonly number[] = [
  MocoErrorCodes.ProviderNotConfigured,
  MocoErrorCodes.ProviderRejected,
  MocoErrorCodes.ProviderUnavailable,
  MocoErrorCodes.ModelUnsuitable,
  MocoErrorCodes.ProviderResponseInvalid,
];

/**
 * A {@link ModelProvider} that calls `vscode.lm` models through `chat`. No retries: the editor's
 * own model client has them. `complete` rejects with `signal.reason` as soon as `signal` aborts
 * (without waiting for the editor to acknowledge the cancellation), and with a `ProviderError`
 * for an error answer: the editor's `ProviderNotConfigured`, `ProviderRejected`... as they are;
 * `ProviderNotConfigured` when the client has no `lm/chat` handler; `ProviderUnavailable` for
 * anything else.
 */
export function createLmBridgeProvider(chat: LmChatFunction): ModelProvider {
  return {
    id: 'vscode-lm',
    async complete(request: ModelRequest, observer: ModelCallObserver, signal: AbortSignal): Promise<ModelResponse> {
      throwIfAborted(signal);
      const splitter = new ThinkingSplitter();
      let text = '';
      let thinking = '';
      let streamed = false;
      const give = (deltas: ModelDelta[]): void => {
        for (const delta of deltas) {
          if (delta.kind === 'text') text += delta.text;
          else thinking += delta.text;
          observer.onDelta(delta);
        }
      };
      const onText = (piece: string): void => {
        if (signal.aborted || typeof piece !== 'string') return;
        streamed = true;
        give(splitter.push(piece));
      };
      let result: LmChatResult;
      try {
        const params: Omit<LmChatParams, 'partialResultToken'> = {
          model: request.model,
          messages: request.messages.map(withoutReasoning),
          tools: request.tools,
          ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
        };
        result = await untilAborted(chat(params, onText, signal), signal);
      } catch (error) {
        if (signal.aborted) throw abortReason(signal);
        throw toProviderError(error, request.model);
      }
      // A client that sent no partials still gave the whole text in its result.
      if (!streamed && result.text) give(splitter.push(result.text));
      give(splitter.flush());
      const response: ModelResponse = {
        text,
        thinking,
        toolCalls: result.toolCalls ?? [],
        finishReason: result.finishReason ?? (result.toolCalls?.length ? 'tool_calls' : 'stop'),
      };
      if (result.usage) response.usage = { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens };
      return response;
    },
  };
}

/** A stored message as the model takes it: the `reasoning` of assistant turns is not sent back. */
function withoutReasoning(message: ChatMessage): ChatMessage {
  if (message.role !== 'assistant' || message.reasoning === undefined) return message;
  const copy = { ...message };
  delete copy.reasoning;
  return copy;
}

/** The error of an `lm/chat` request as a {@link ProviderError}. */
function toProviderError(error: unknown, model: string): ProviderError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'number' && PASSED_ON.includes(code)) return new ProviderError(code as ProviderErrorCode, message, { cause: error });
  if (code === METHOD_NOT_FOUND) {
    return new ProviderError(
      MocoErrorCodes.ProviderNotConfigured,
      'This editor does not offer the VS Code language models (it has no lm/chat handler). Choose another ' +
        'provider with "MOCO: Select Provider and Model".',
      { cause: error },
    );
  }
  return new ProviderError(
    MocoErrorCodes.ProviderUnavailable,
    `The VS Code language model '${model}' failed: ${message}. Try again, or choose another model with "MOCO: Select Provider and Model".`,
    { cause: error },
  );
}
