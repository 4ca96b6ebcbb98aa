/**
 * The mapping between the OpenAI wire format the server speaks (`lm/chat`, protocol/editor.ts) and
 * the `vscode.lm` chat API. Pure: the `vscode` constructors are passed in ({@link LmParts}), so the
 * mapping is unit-tested without VS Code.
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import type { LmChatResult, LmToolSpec } from '../../../protocol/editor';
import type { ChatMessage, ToolCall } from '../../../protocol/run';

/**
 * The `vscode.lm` constructors the mapping needs: `LanguageModelChatMessage.User/Assistant`,
 * `LanguageModelTextPart`, `LanguageModelToolCallPart`, `LanguageModelToolResultPart`.
 */
export interface LmParts<M, T, C, R> {
  user(content: (T | R)[]): M;
  assistant(content: (T | C)[]): M;
  text(value: string): T;
  toolCall(callId: string, name: string, input: object): C;
  toolResult(callId: string, content: T[]): R;
}

/**
 * The conversation as `vscode.lm` messages. `vscode.lm` has no system role: a system message
 * becomes a user message of its own. An assistant message keeps its text and its `tool_calls`
 * (as tool call parts); its `reasoning` is dropped, as it is for every provider. Consecutive
 * `tool` messages become one user message of tool result parts, which is how `vscode.lm`
 * expects the results of one turn's calls.
 */
export function toLmMessages<M, T, C, R>(messages: readonly ChatMessage[], parts: LmParts<M, T, C, R>): M[] {
  const out: M[] = [];
  let results: R[] = [];
  const flushResults = (): void => {
    if (results.length > 0) out.push(parts.user(results));
    results = [];
  };
  for (const message of messages) {
    if (message.role === 'tool') {
      results.push(parts.toolResult(message.tool_call_id, [parts.text(message.content)]));
      continue;
    }
    flushResults();
    switch (message.role) {
      case 'system':
      case 'user':
        if (message.content !== '') out.push(parts.user([parts.text(message.content)]));
        break;
      case 'assistant': {
        const content: (T | C)[] = [];
        if (message.content) content.push(parts.text(message.content));
        for (const call of message.tool_calls ?? []) content.push(parts.toolCall(call.id, call.function.name, parseToolInput(call.function.arguments)));
        if (content.length > 0) out.push(parts.assistant(content));
        break;
      }
    }
  }
  flushResults();
  return out;
}

/** A tool of `vscode.lm` (`LanguageModelChatTool`). */
export interface LmTool {
  name: string;
  description: string;
  inputSchema?: object;
}

/** The OpenAI `tools[]` as `vscode.lm` tools. */
export function toLmTools(tools: readonly LmToolSpec[]): LmTool[] {
  return tools.map((tool) => ({ name: tool.function.name, description: tool.function.description, inputSchema: tool.function.parameters }));
}

/**
 * A tool call's arguments (JSON text, possibly malformed) as the object a tool call part takes:
 * the parsed object, or `{}` when the text is not a JSON object.
 */
export function parseToolInput(args: string): object {
  try {
    const parsed: unknown = JSON.parse(args);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** Collects a streamed `vscode.lm` answer into an `lm/chat` result. */
export class LmAnswer {
  private text = '';
  private readonly toolCalls: ToolCall[] = [];

  /** Appends a text part's value. */
  addText(value: string): void {
    this.text += value;
  }

  /** Adds a tool call part, its input turned back into JSON text. */
  addToolCall(callId: string, name: string, input: unknown): void {
    this.toolCalls.push({ id: callId, type: 'function', function: { name, arguments: JSON.stringify(input ?? {}) } });
  }

  /** The text so far (for counting its tokens). */
  get answerText(): string {
    return this.text;
  }

  /** The `lm/chat` result; `finishReason` is `tool_calls` when the model called tools. */
  result(usage?: { inputTokens: number; outputTokens: number }): LmChatResult {
    const result: LmChatResult = {
      text: this.text,
      toolCalls: [...this.toolCalls],
      finishReason: this.toolCalls.length > 0 ? 'tool_calls' : 'stop',
    };
    if (usage) result.usage = usage;
    return result;
  }
}

/**
 * The `MocoErrorCodes` code of a `vscode.LanguageModelError` by its `code` name: `NoPermissions`
 * (the user declined access) and `Blocked` (quota, policy) → `ProviderRejected`; `NotFound` (no such
 * model) → `ProviderNotConfigured`; anything else → `ProviderUnavailable`.
 */
export function lmErrorCode(code: string | undefined): number {
  switch (code) {
    case 'NoPermissions':
    case 'Blocked':
      return MocoErrorCodes.ProviderRejected;
    case 'NotFound':
      return MocoErrorCodes.ProviderNotConfigured;
    default:
      return MocoErrorCodes.ProviderUnavailable;
  }
}

/** The message of an `lm/chat` error, in words for the user, by the `LanguageModelError` code. */
export function lmErrorMessage(model: string, code: string | undefined, detail: string): string {
  const suffix = detail ? ` (${detail})` : '';
  switch (code) {
    case 'NoPermissions':
      return `VS Code did not allow MOCO to use the language model ${model}${suffix}. Allow it when VS Code asks, or choose another model with MOCO: Select Provider and Model.`;
    case 'Blocked':
      return `The language model ${model} refused the request${suffix}: its quota or policy blocks it. Try again later or choose another model.`;
    case 'NotFound':
      return `VS Code has no language model ${model}${suffix}. Choose one with MOCO: Select Provider and Model.`;
    default:
      return `The language model ${model} failed${suffix}.`;
  }
}
