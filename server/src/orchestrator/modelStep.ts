/**
 * One model call of an agent turn: builds the request, streams deltas as events, counts usage
 * and cost, and says what comes next: a final answer or tool calls.
 */
import { randomUUID } from 'node:crypto';
import type { ChatMessage, ToolCall } from '../../../protocol/run';
import type { ToolSpec } from '../providers/types';
import type { ModelBinding, TreeContext } from './context';
import { LimitError } from './errors';

/** What the loop does after a model call (a discriminated union, as openai-agents-js' next steps). */
export type NextStep =
  | { type: 'final'; text: string; message: ChatMessage }
  | { type: 'toolCalls'; calls: ToolCall[]; message: ChatMessage };

/** Options of one call. */
export interface ModelStepInput {
  runId: string;
  binding: ModelBinding;
  messages: ChatMessage[];
  tools: ToolSpec[];
  temperature?: number;
  maxOutputTokens?: number;
  /** `orchestrator.max_input_chars`: a conversation longer than this is not sent. */
  maxInputChars: number;
}

/** Total characters of the text a request sends. */
function inputChars(messages: ChatMessage[]): number {
  let total = 0;
  for (const message of messages) {
    total += message.content?.length ?? 0;
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) total += call.function.arguments.length;
  }
  return total;
}

/**
 * The calls with ids unique within the run: an empty id, or one the run already used (some
 * endpoints number calls per reply, or send none), gets a fresh one. The stored conversation then
 * answers each call once, and a resumed parent finds each child by its call id.
 */
export function uniqueCallIds(calls: ToolCall[], earlier: ChatMessage[]): ToolCall[] {
  const used = new Set(earlier.flatMap((message) => (message.role === 'assistant' ? (message.tool_calls ?? []).map((call) => call.id) : [])));
  return calls.map((call) => {
    const id = call.id === '' || used.has(call.id) ? `call_${randomUUID().replaceAll('-', '').slice(0, 24)}` : call.id;
    used.add(id);
    return id === call.id ? call : { ...call, id };
  });
}

/**
 * The messages as sent: without `reasoning` (the wire has no such field), and with the `tool`
 * messages after each assistant message in the order of its calls. (They are stored in the order
 * the calls ended, each as soon as it ended; some providers expect the calls' order.)
 */
export function wireMessages(messages: ChatMessage[]): ChatMessage[] {
  const wire: ChatMessage[] = [];
  let index = 0;
  while (index < messages.length) {
    const message = messages[index]!;
    index += 1;
    if (message.role !== 'assistant') {
      wire.push(message);
      continue;
    }
    const sent = { ...message };
    delete sent.reasoning;
    wire.push(sent);
    const results: Extract<ChatMessage, { role: 'tool' }>[] = [];
    while (messages[index]?.role === 'tool') results.push(messages[index++] as Extract<ChatMessage, { role: 'tool' }>);
    const order = new Map((message.tool_calls ?? []).map((call, position) => [call.id, position]));
    results.sort((a, b) => (order.get(a.tool_call_id) ?? results.length) - (order.get(b.tool_call_id) ?? results.length));
    wire.push(...results);
  }
  return wire;
}

/**
 * Calls the model once.
 *
 * @throws {LimitError} `inputLength` when the conversation is longer than `maxInputChars`.
 * @throws {ProviderError} when the provider fails for good; the signal's reason when aborted.
 */
export async function runModelStep(context: TreeContext, input: ModelStepInput, signal: AbortSignal): Promise<NextStep> {
  const { sink, tree } = context;
  const { runId, binding } = input;
  const chars = inputChars(input.messages);
  if (chars > input.maxInputChars) {
    throw new LimitError(
      'inputLength',
      `The conversation of this agent is ${chars} characters, above max_input_chars (${input.maxInputChars}) of the profile's orchestrator settings. ` +
        'Start a new session, give the agent a smaller task, or raise the limit.',
    );
  }
  const response = await binding.provider.complete(
    {
      model: binding.model,
      messages: wireMessages(input.messages),
      tools: input.tools,
      ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
      ...(input.maxOutputTokens !== undefined ? { maxOutputTokens: input.maxOutputTokens } : {}),
    },
    {
      onDelta: (delta) => sink.emit({ runId, kind: delta.kind === 'text' ? 'textDelta' : 'thinkingDelta', text: delta.text }),
      onRetry: (info) => sink.emit({ runId, kind: 'retry', ...info }),
    },
    signal,
  );
  const usage = response.usage ?? {
    inputTokens: await binding.estimateTokens(input.messages, input.tools),
    outputTokens: await binding.estimateTokens([{ role: 'assistant', content: response.text }], []),
  };
  tree.addUsage(runId, { ...usage, costUsd: binding.cost(usage) });

  if (response.finishReason === 'length') {
    sink.emit({
      runId,
      kind: 'limit',
      limit: 'outputLength',
      message: `The model stopped at its output limit (${input.maxOutputTokens ?? 'the provider default'} tokens): the answer below is cut. Raise max_output_tokens or ask for a shorter answer.`,
    });
  }
  const toolCalls = uniqueCallIds(response.toolCalls, input.messages);
  const message: ChatMessage = {
    role: 'assistant',
    content: response.text === '' && toolCalls.length > 0 ? null : response.text,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    ...(response.thinking !== '' ? { reasoning: response.thinking } : {}),
  };
  if (toolCalls.length > 0) return { type: 'toolCalls', calls: toolCalls, message };
  return { type: 'final', text: response.text, message };
}
