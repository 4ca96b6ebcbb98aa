/**
 * Answers the server's `lm/chat` with a `vscode.lm` chat model: the models of VS Code (GitHub
 * Copilot's, for example) are a provider of MOCO. The text streams back as `$/progress` on the
 * request's partial result token; the request's cancellation cancels the model's request.
 */
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-jsonrpc';
import { LmChatProgress, LmChatRequest, type LmChatParams, type LmChatResult } from '../../../protocol/editor';
import { MocoErrorCodes } from '../../../protocol/errors';
import { REQUEST_CANCELLED } from '../commands/errorActions';
import type { ServerController } from '../languageClient';
import { LmAnswer, lmErrorCode, lmErrorMessage, toLmMessages, toLmTools, type LmParts } from './messages';

/** The `vscode` constructors of the message mapping. */
const vscodeParts: LmParts<vscode.LanguageModelChatMessage, vscode.LanguageModelTextPart, vscode.LanguageModelToolCallPart, vscode.LanguageModelToolResultPart> = {
  user: (content) => vscode.LanguageModelChatMessage.User(content),
  assistant: (content) => vscode.LanguageModelChatMessage.Assistant(content),
  text: (value) => new vscode.LanguageModelTextPart(value),
  toolCall: (callId, name, input) => new vscode.LanguageModelToolCallPart(callId, name, input),
  toolResult: (callId, content) => new vscode.LanguageModelToolResultPart(callId, content),
};

/** Registers the `lm/chat` handler (on every server the controller starts). */
export function registerLmChat(server: ServerController, log: vscode.LogOutputChannel): vscode.Disposable {
  return server.onRequest(LmChatRequest, (params, token) => lmChat(server, log, params, token));
}

async function lmChat(server: ServerController, log: vscode.LogOutputChannel, params: LmChatParams, token: vscode.CancellationToken): Promise<LmChatResult> {
  if (typeof vscode.lm?.selectChatModels !== 'function') {
    throw new ResponseError(MocoErrorCodes.ProviderNotConfigured, 'This editor has no language model API (vscode.lm). Choose another provider with MOCO: Select Provider and Model.');
  }
  const [model] = await vscode.lm.selectChatModels({ id: params.model });
  if (!model) {
    throw new ResponseError(MocoErrorCodes.ProviderNotConfigured, lmErrorMessage(params.model, 'NotFound', ''));
  }
  const messages = toLmMessages(params.messages, vscodeParts);
  const options: vscode.LanguageModelChatRequestOptions = {
    justification: "MOCO's agents use this model to carry out the task you gave them.",
  };
  if (params.tools.length > 0) options.tools = toLmTools(params.tools);
  // `maxOutputTokens` is not passed on: `modelOptions` are specific to the extension that provides
  // the model, none is documented for a token cap, and some models reject `max_tokens`
  // (microsoft/vscode#219118, #302713). The server's own output length limit still applies.

  const answer = new LmAnswer();
  try {
    const response = await model.sendRequest(messages, options, token);
    for await (const part of response.stream) {
      if (token.isCancellationRequested) break;
      if (part instanceof vscode.LanguageModelTextPart) {
        if (part.value === '') continue;
        answer.addText(part.value);
        server.sendProgress(LmChatProgress, params.partialResultToken, { text: part.value });
      } else if (part instanceof vscode.LanguageModelToolCallPart) {
        answer.addToolCall(part.callId, part.name, part.input);
      }
    }
  } catch (error) {
    if (token.isCancellationRequested || error instanceof vscode.CancellationError) {
      throw new ResponseError(REQUEST_CANCELLED, 'The lm/chat request was cancelled.');
    }
    const code = error instanceof vscode.LanguageModelError ? error.code : undefined;
    const detail = error instanceof Error ? error.message : String(error);
    log.warn(`vscode.lm model ${params.model} failed: ${detail}`);
    throw new ResponseError(lmErrorCode(code), lmErrorMessage(params.model, code, detail));
  }
  if (token.isCancellationRequested) throw new ResponseError(REQUEST_CANCELLED, 'The lm/chat request was cancelled.');
  return answer.result(await countUsage(model, messages, answer.answerText, token));
}

/**
 * Tokens counted with the model's own `countTokens` (`vscode.lm` reports no usage). Skipped when
 * counting fails: it is an estimate for the tree's totals, not worth failing the answer for.
 */
async function countUsage(
  model: vscode.LanguageModelChat,
  messages: vscode.LanguageModelChatMessage[],
  text: string,
  token: vscode.CancellationToken,
): Promise<{ inputTokens: number; outputTokens: number } | undefined> {
  try {
    const [input, output] = await Promise.all([
      Promise.all(messages.map((m) => model.countTokens(m, token))).then((counts) => counts.reduce((a, b) => a + b, 0)),
      text ? model.countTokens(text, token) : Promise.resolve(0),
    ]);
    return { inputTokens: input, outputTokens: output };
  } catch {
    return undefined;
  }
}
