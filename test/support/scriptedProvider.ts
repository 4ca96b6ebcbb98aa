/**
 * An in-process {@link ModelProvider} that answers from a script, for unit tests of the
 * orchestrator and for the zero-cost side of `npm run bench:orchestrator`. It costs nothing but
 * what the script does: no HTTP, no SDK, no parsing. (Integration tests use the HTTP mock of
 * test/support/mockLlm.ts instead, which speaks the real wire format.)
 *
 * Each call is told which agent makes it (from the `[agent:NAME]` marker that
 * test/support/teams.ts puts in every system prompt) and its turn (the number of assistant
 * messages already in the request), so a script can answer each agent by name however the calls
 * of concurrent runs interleave.
 */
import type { ChatMessage } from '../../protocol/run';
import type { ModelProvider, ModelRequest, ModelResponse, TokenUsage } from '../../server/src/providers/types';

/** One scripted answer. Fields left out give a plain answer `done` with a small usage. */
export interface ScriptedReply {
  /** The answer text; streamed as one text delta. */
  text?: string;
  /** Thinking; streamed as one thinking delta before the text. */
  thinking?: string;
  /** Tool calls; `id` defaults to `call_<agent>_<turn>_<n>`, unique per call of one run. */
  toolCalls?: { id?: string; name: string; arguments: string | object }[];
  /** Token counts to report; default 10 in, 5 out. */
  usage?: TokenUsage;
  /** Default `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: string;
  /** Wait this long before answering (ms); aborts with the call's signal. */
  latencyMs?: number;
  /** Wait for this promise before answering; aborts with the call's signal. */
  waitFor?: Promise<unknown>;
  /** Never answer: wait until the call's signal aborts, then throw its reason. */
  hang?: boolean;
}

/** One call as the provider received it. */
export interface ScriptedCall {
  /** From the `[agent:NAME]` marker of the system prompt; `unknown` without one. */
  agent: string;
  /** Assistant messages already in the request: 0 for an agent run's first call. */
  turn: number;
  /** Order of arrival over all calls, from 0. */
  index: number;
  /** The content of the last user message of the request (an agent's task, for a first call). */
  task: string;
  request: ModelRequest;
}

/** Decides the answer to a call. */
export type ProviderScript = (call: ScriptedCall) => ScriptedReply | Promise<ScriptedReply>;

/** The agent a request comes from, from the `[agent:NAME]` marker of its system prompt. */
export function agentOfMessages(messages: readonly ChatMessage[]): string {
  const system = messages.find((message) => message.role === 'system');
  return /\[agent:([\w-]+)\]/.exec(system?.content ?? '')?.[1] ?? 'unknown';
}

/** The content of the last `tool` message of a request ('' when none): the result the model reads. */
export function lastToolResult(request: ModelRequest): string {
  const tool = request.messages.filter((message) => message.role === 'tool').at(-1);
  return tool?.content ?? '';
}

function abortable(promise: Promise<unknown>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The scripted provider. `calls` records every call, in arrival order. */
export class ScriptedProvider implements ModelProvider {
  readonly id = 'scripted';
  readonly calls: ScriptedCall[] = [];

  constructor(private readonly script: ProviderScript) {}

  /** The calls made by one agent, in arrival order. */
  callsOf(agent: string): ScriptedCall[] {
    return this.calls.filter((call) => call.agent === agent);
  }

  async complete(request: ModelRequest, observer: Parameters<ModelProvider['complete']>[1], signal: AbortSignal): Promise<ModelResponse> {
    signal.throwIfAborted();
    const agent = agentOfMessages(request.messages);
    const turn = request.messages.filter((message) => message.role === 'assistant').length;
    const lastUser = request.messages.filter((message) => message.role === 'user').at(-1);
    const call: ScriptedCall = { agent, turn, index: this.calls.length, task: lastUser?.content ?? '', request };
    this.calls.push(call);
    const reply = await this.script(call);
    if (reply.hang) await abortable(new Promise(() => undefined), signal);
    if (reply.waitFor) await abortable(reply.waitFor, signal);
    if (reply.latencyMs) await abortable(sleep(reply.latencyMs), signal);
    signal.throwIfAborted();
    const toolCalls = (reply.toolCalls ?? []).map((toolCall, n) => ({
      id: toolCall.id ?? `call_${agent}_${turn}_${n}`,
      type: 'function' as const,
      function: {
        name: toolCall.name,
        arguments: typeof toolCall.arguments === 'string' ? toolCall.arguments : JSON.stringify(toolCall.arguments),
      },
    }));
    const text = reply.text ?? (toolCalls.length > 0 ? '' : 'done');
    if (reply.thinking) observer.onDelta({ kind: 'thinking', text: reply.thinking });
    if (text) observer.onDelta({ kind: 'text', text });
    return {
      text,
      thinking: reply.thinking ?? '',
      toolCalls,
      finishReason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      usage: reply.usage ?? { inputTokens: 10, outputTokens: 5 },
    };
  }
}

/** Per-agent answers by turn. An agent without a handler gets a failed call. */
export type AgentReplies = Record<string, (call: ScriptedCall) => ScriptedReply | Promise<ScriptedReply>>;

/** A script that dispatches each call to its agent's handler. */
export function byAgent(handlers: AgentReplies): ProviderScript {
  return (call) => {
    const handler = handlers[call.agent];
    if (!handler) throw new Error(`scripted provider: no handler for agent ${call.agent}`);
    return handler(call);
  };
}

/** A promise with its resolve function, to release waiting calls from a test. */
export interface Gate {
  promise: Promise<void>;
  open(): void;
}

/** A {@link Gate}. */
export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Resolves once `count` parties have arrived; each arrival returns that promise. */
export function barrier(count: number): () => Promise<void> {
  const all = gate();
  let arrived = 0;
  return () => {
    arrived += 1;
    if (arrived >= count) all.open();
    return all.promise;
  };
}
