/**
 * Assembles a chat-completions stream (`chat.completion.chunk` objects,
 * https://platform.openai.com/docs/api-reference/chat-streaming) into a {@link ModelResponse},
 * passing text and thinking on as they arrive:
 * - `delta.content`, with `<think>`/`<thought>` blocks moved to thinking (thinking.ts);
 * - `delta.reasoning_content` (DeepSeek, Z.ai, vLLM) and `delta.reasoning` (OpenRouter, Ollama)
 *   as thinking;
 * - `delta.tool_calls`, joined by `index`: the first delta of a call carries its id and name,
 *   the next ones pieces of its arguments;
 * - `finish_reason`, and `usage` from whichever chunk carries it (with `include_usage`, a last
 *   chunk whose `choices` is empty).
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ToolCall } from '../../../protocol/run';
import { StreamInterruptedError } from './errors';
import { ThinkingSplitter } from './thinking';
import type { ModelDelta, ModelResponse, TokenUsage } from './types';

/** The fields of a delta that the SDK's type lacks but OpenAI-compatible servers send. */
interface ExtendedDelta {
  reasoning_content?: string | null;
  reasoning?: string | null;
}

interface PartialToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** Collects one stream. Not reusable: one instance per attempt. */
export class StreamAssembler {
  private readonly splitter = new ThinkingSplitter();
  private text = '';
  private thinking = '';
  private readonly toolCalls: PartialToolCall[] = [];
  private finishReason: string | undefined;
  private usage: TokenUsage | undefined;

  constructor(private readonly onDelta: (delta: ModelDelta) => void) {}

  /** Takes the next chunk. */
  add(chunk: ChatCompletionChunk): void {
    if (chunk.usage) {
      this.usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
    }
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const delta = (choice.delta ?? {}) as ChatCompletionChunk.Choice.Delta & ExtendedDelta;
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (typeof reasoning === 'string' && reasoning) this.deliver({ kind: 'thinking', text: reasoning });
    if (typeof delta.content === 'string' && delta.content) {
      for (const piece of this.splitter.push(delta.content)) this.deliver(piece);
    }
    if (typeof delta.refusal === 'string' && delta.refusal) this.deliver({ kind: 'text', text: delta.refusal });
    delta.tool_calls?.forEach((call, position) => this.addToolCallDelta(call, position));
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  /**
   * The assembled answer, once the stream has ended.
   *
   * @throws {StreamInterruptedError} when no chunk carried a `finish_reason`: the stream was cut.
   */
  finish(): ModelResponse {
    for (const piece of this.splitter.flush()) this.deliver(piece);
    if (this.finishReason === undefined) {
      throw new StreamInterruptedError('the stream ended without a finish_reason');
    }
    const response: ModelResponse = {
      text: this.text,
      thinking: this.thinking,
      toolCalls: this.toolCalls.filter(Boolean).map((call, index): ToolCall => ({
        id: call.id || `call_${index}`,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      })),
      finishReason: this.finishReason,
    };
    if (this.usage) response.usage = this.usage;
    return response;
  }

  private addToolCallDelta(call: ChatCompletionChunk.Choice.Delta.ToolCall, position: number): void {
    const index = typeof call.index === 'number' ? call.index : position;
    const entry = (this.toolCalls[index] ??= { id: '', name: '', arguments: '' });
    if (call.id && !entry.id) entry.id = call.id;
    const name = call.function?.name;
    // OpenAI sends the name once; some servers repeat it in every delta, a few split it.
    if (name && name !== entry.name) entry.name = entry.name ? entry.name + name : name;
    if (call.function?.arguments) entry.arguments += call.function.arguments;
  }

  private deliver(delta: ModelDelta): void {
    if (delta.kind === 'text') this.text += delta.text;
    else this.thinking += delta.text;
    this.onDelta(delta);
  }
}
