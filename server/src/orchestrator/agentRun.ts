/**
 * The step loop of one agent run: model call → tool calls → tool results → next call, until the
 * model answers without tool calls or a limit stops it. What comes next is read from the last
 * stored message, so a resumed run continues exactly where its messages end.
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import type { ChatMessage, RunNode } from '../../../protocol/run';
import { DELEGATE_TOOL, renderSystemPrompt, type AgentConfig } from '../profiles';
import type { TodoItem, ToolContext } from '../tools/types';
import { MAX_DELEGATION_DEPTH, MAX_MENTION_ROUNDS, type ModelBinding, type TreeContext } from './context';
import { createDelegate, FAN_OUT_REPORT_START, fanOut, parseMentions } from './delegation';
import { LimitError, MocoError, toRunError } from './errors';
import { LoopDetector } from './loopDetector';
import { runModelStep } from './modelStep';
import { executeToolCalls, type AgentRunState } from './toolExecution';

/** One agent run to start or resume. */
export interface AgentRunRequest {
  agent: AgentConfig;
  task: string;
  parentId?: string;
  toolCallId?: string;
  /** 0 for the root. */
  depth: number;
  /** A stored `interrupted` node to continue instead of starting a new one. */
  resumeNode?: RunNode;
  /** Earlier turns of the session (user messages and final answers), put before the task. */
  history?: ChatMessage[];
}

function todoStore(): ToolContext['todos'] {
  let items: TodoItem[] = [];
  return { get: () => items.map((item) => ({ ...item })), set: (next) => (items = next.map((item) => ({ ...item }))) };
}

/** The index of the last assistant message, -1 when there is none. */
function lastAssistantIndex(messages: ChatMessage[]): number {
  for (let index = messages.length - 1; index >= 0; index -= 1) if (messages[index]!.role === 'assistant') return index;
  return -1;
}

/** The tool calls of an assistant message that have no `tool` message after it yet. */
function pendingCalls(messages: ChatMessage[], index: number): NonNullable<Extract<ChatMessage, { role: 'assistant' }>['tool_calls']> {
  const message = messages[index];
  if (message?.role !== 'assistant' || !message.tool_calls) return [];
  const answered = new Set(messages.slice(index + 1).flatMap((m) => (m.role === 'tool' ? [m.tool_call_id] : [])));
  return message.tool_calls.filter((call) => !answered.has(call.id));
}

/**
 * What this run has done so far, counted from its task message (the last user message with the
 * task's text), so that earlier turns of the session do not count: its model calls (assistant
 * messages) and its `@` fan-out rounds (reports of fanned-out results). Both are 0 for a new run.
 */
function progressSoFar(messages: ChatMessage[], task: string): { turns: number; mentionRounds: number } {
  const own = messages.slice(Math.max(0, messages.findLastIndex((m) => m.role === 'user' && m.content === task)));
  return {
    turns: own.filter((message) => message.role === 'assistant').length,
    mentionRounds: own.filter((message) => message.role === 'user' && message.content.startsWith(FAN_OUT_REPORT_START)).length,
  };
}

/**
 * Runs an agent to its end and returns its final node (`done`, `failed` or `cancelled`). Failures
 * are recorded on the node, not thrown.
 *
 * @throws {ProviderError} only when the agent's model cannot be resolved (before any node exists).
 */
export async function runAgent(context: TreeContext, request: AgentRunRequest, parentSignal?: AbortSignal): Promise<RunNode> {
  const { agent } = request;
  const binding = context.resolveModel(agent);
  const { tree } = context;
  const { node, signal } = request.resumeNode
    ? tree.adoptNode(request.resumeNode, parentSignal)
    : tree.startNode(
        {
          agent: agent.name,
          task: request.task,
          provider: binding.providerId,
          model: binding.model,
          ...(request.parentId ? { parentId: request.parentId } : {}),
          ...(request.toolCallId ? { toolCallId: request.toolCallId } : {}),
        },
        parentSignal,
      );
  if (binding.warning && !context.saidWarnings.has(binding.warning)) {
    context.saidWarnings.add(binding.warning);
    context.sink.emit({ runId: node.id, kind: 'warning', message: binding.warning });
  }
  try {
    const result = await loop(context, request, node, binding, signal);
    return tree.finish(node.id, { status: 'done', result });
  } catch (error) {
    if (signal.aborted) {
      const reason: unknown = signal.reason;
      if (reason instanceof LimitError) return tree.finish(node.id, { status: 'failed', error: toRunError(reason) });
      return tree.finish(node.id, { status: 'cancelled' });
    }
    if (error instanceof LimitError) context.sink.emit({ runId: node.id, kind: 'limit', limit: error.limit, message: error.message });
    return tree.finish(node.id, { status: 'failed', error: toRunError(error) });
  }
}

async function loop(context: TreeContext, request: AgentRunRequest, node: RunNode, binding: ModelBinding, signal: AbortSignal): Promise<string> {
  const { agent, depth } = request;
  const settings = context.profile.orchestrator;
  const canDelegate = agent.tools.includes(DELEGATE_TOOL);
  const tools = context.registry.specs(agent.tools);
  if (tools.length > 0 && !binding.supportsTools) {
    throw new MocoError(
      MocoErrorCodes.ModelUnsuitable,
      `${binding.providerId}/${binding.model} cannot call tools, and agent ${agent.name} needs them. Choose a model with tool support (for example with --model or "model:" in ${agent.file}).`,
    );
  }
  const messages: ChatMessage[] = request.resumeNode ? context.messages.list(node.id) : [];
  const append = (message: ChatMessage): void => {
    messages.push(message);
    context.messages.append(node.id, message);
  };
  if (messages.length === 0) {
    append({ role: 'system', content: renderSystemPrompt(agent, { now: context.now(), ...(context.projectMemory ? { projectMemory: context.projectMemory } : {}) }) });
    for (const message of request.history ?? []) append(message);
    append({ role: 'user', content: request.task });
  }
  const state: AgentRunState = {
    node,
    agent,
    loop: new LoopDetector(),
    toolContext: {
      workingDir: context.workingDir,
      runId: node.id,
      agent: agent.name,
      toolCallId: '',
      todos: todoStore(),
      ...(canDelegate ? { delegate: createDelegate(context, node, depth) } : {}),
    },
  };
  const maxTurns = agent.maxTurns ?? settings.maxTurns;
  let { turns, mentionRounds } = progressSoFar(messages, request.task);

  for (;;) {
    signal.throwIfAborted();
    const lastIndex = messages.length - 1;
    const last = messages[lastIndex]!;
    // Calls of the last assistant message still unanswered (a resumed run may have some answered).
    const pending = pendingCalls(messages, lastAssistantIndex(messages));
    if (pending.length > 0) {
      await executeToolCalls(context, state, pending, signal, append);
      continue;
    }
    if (last.role === 'assistant') {
      const text = last.content ?? '';
      // `@agent` lines are delegations too: they stop at the same depth as delegate_to_agent,
      // and are fanned out once per run (MAX_MENTION_ROUNDS).
      const mayFanOut = canDelegate && depth + 1 <= MAX_DELEGATION_DEPTH && mentionRounds < MAX_MENTION_ROUNDS;
      const mentions = mayFanOut ? parseMentions(text, context.profile, agent.name) : [];
      if (mentions.length === 0) return text;
      mentionRounds += 1;
      append({ role: 'user', content: await fanOut(context, node, mentions, lastIndex, depth, signal) });
      continue;
    }
    if (turns >= maxTurns) {
      throw new LimitError('maxTurns', `${agent.name} reached its limit of ${maxTurns} turns without a final answer (max_turns). Give it a smaller task or raise max_turns in ${agent.file}.`);
    }
    turns += 1;
    const step = await runModelStep(
      context,
      {
        runId: node.id,
        binding,
        messages,
        tools,
        maxInputChars: settings.maxInputChars,
        ...(agent.temperature !== undefined ? { temperature: agent.temperature } : {}),
        ...(settings.maxOutputTokens !== undefined ? { maxOutputTokens: settings.maxOutputTokens } : {}),
      },
      signal,
    );
    append(step.message);
  }
}
