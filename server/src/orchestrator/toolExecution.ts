/**
 * Runs the tool calls of one model turn. `delegate_to_agent` calls run concurrently, bounded by
 * `max_parallel_tasks`; other tools run one after another in the order the model gave them, so
 * that edits to the same file do not race. Every failure (unknown tool, malformed arguments,
 * loop, denied approval, a crashing tool) becomes a result the model can read.
 */
import pLimit from 'p-limit';
import type { ChatMessage, RunNode, ToolCall } from '../../../protocol/run';
import type { ToolContext, ToolResult } from '../tools/types';
import type { TreeContext } from './context';
import { isAbortError } from '../providers/errors';
import { DELEGATE_TOOL, type AgentConfig } from '../profiles';
import { errorResult } from '../tools/results';
import { CancelledError, LimitError } from './errors';
import type { LoopDetector } from './loopDetector';

/** What belongs to one agent run: never shared with another run. */
export interface AgentRunState {
  node: RunNode;
  agent: AgentConfig;
  loop: LoopDetector;
  toolContext: ToolContext;
}

/** Parses raw arguments for display: the object, or the raw text when it is not JSON. */
export function displayArguments(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/**
 * Runs one call and returns its result, emitting `toolStarted`/`toolFinished`.
 * @throws the signal's reason when aborted; a {@link LimitError} when the model keeps looping.
 */
async function runOneCall(context: TreeContext, state: AgentRunState, call: ToolCall, signal: AbortSignal): Promise<ToolResult> {
  const { sink } = context;
  const { node } = state;
  const name = call.function.name;
  const started = performance.now();
  sink.emit({ runId: node.id, kind: 'toolStarted', toolCallId: call.id, name, arguments: displayArguments(call.function.arguments) });
  let result: ToolResult;
  try {
    result = await evaluateCall(context, state, call, signal);
  } catch (error) {
    if (isAbortError(error) || signal.aborted || error instanceof LimitError) {
      const reason = error instanceof LimitError ? error.message : 'cancelled';
      sink.emit({ runId: node.id, kind: 'toolFinished', toolCallId: call.id, name, ok: false, summary: reason, durationMs: Math.round(performance.now() - started) });
      throw error;
    }
    const message = error instanceof Error ? error.message : String(error);
    result = errorResult(`The tool ${name} crashed: ${message}. Try again with other arguments or another tool.`, `crashed: ${message}`);
  }
  sink.emit({
    runId: node.id,
    kind: 'toolFinished',
    toolCallId: call.id,
    name,
    ok: result.isError !== true,
    summary: result.summary,
    durationMs: Math.round(performance.now() - started),
  });
  return result;
}

async function evaluateCall(context: TreeContext, state: AgentRunState, call: ToolCall, signal: AbortSignal): Promise<ToolResult> {
  const { registry } = context;
  const name = call.function.name;
  const tool = state.agent.tools.includes(name) ? registry.get(name) : undefined;
  if (!tool) {
    return errorResult(
      `Unknown tool "${name}". The tools you can call are: ${state.agent.tools.join(', ') || '(none)'}.`,
      `unknown tool ${name}`,
    );
  }
  const parsed = registry.parseArguments(name, call.function.arguments);
  if (!parsed.ok) return errorResult(parsed.message, 'invalid arguments');

  const loop = state.loop.check(name, parsed.args);
  if (loop.blocked) {
    context.sink.emit({ runId: state.node.id, kind: 'limit', limit: 'loop', message: loop.message });
    if (loop.stop) {
      throw new LimitError('loop', `${state.agent.name} kept repeating ${name} with the same arguments after being told to stop; the run was stopped.`);
    }
    return errorResult(loop.message, 'blocked: repeated call');
  }

  const needsApproval = tool.definition.needsApproval;
  const byDefinition = typeof needsApproval === 'function' ? await needsApproval(parsed.args, state.toolContext) : needsApproval === true;
  const bySetting = context.requireApproval.has(name);
  if (byDefinition !== false || bySetting) {
    // A reason from the definition is a call that must be asked each time (a protected file).
    const reason =
      typeof byDefinition === 'string'
        ? byDefinition
        : bySetting
          ? `${name} is listed in MOCO_REQUIRE_APPROVAL: each call waits for your approval.`
          : `${name} asks for your approval before each call.`;
    const approved = await context.approvals.request(
      { tree: context.tree, sink: context.sink, runId: state.node.id, toolCallId: call.id },
      {
        agent: state.agent.name,
        toolName: name,
        arguments: parsed.args,
        reason,
        ...(typeof byDefinition === 'string' ? { alwaysKey: `${name}\u0000${JSON.stringify(parsed.args)}` } : {}),
      },
      signal,
    );
    if (!approved) {
      return errorResult(`The user denied this call of ${name}. Do not retry it; continue without it or explain what you need.`, 'denied by the user');
    }
  }
  const services = context.toolServices?.({ runId: state.node.id, agent: state.agent.name, toolCallId: call.id });
  const toolContext: ToolContext = { ...state.toolContext, toolCallId: call.id, ...(services ? { services } : {}) };
  return tool.implementation(parsed.args, toolContext, signal);
}

/**
 * Runs the calls of one turn. Each `tool` message is handed to `onResult` as soon as its call
 * ends, so that it is stored at once: a resumed run never repeats a call that had finished (an
 * edit applied twice). Calls beyond `maxToolCallsPerTurn` are not run; their results say so. When
 * one call stops the run (a limit, a cancel), the turn's other calls are cancelled too rather than
 * run to their end.
 *
 * @throws the signal's reason when aborted; a {@link LimitError} when a limit stops the run.
 */
export async function executeToolCalls(
  context: TreeContext,
  state: AgentRunState,
  calls: ToolCall[],
  signal: AbortSignal,
  onResult: (message: ChatMessage) => void,
): Promise<void> {
  const { maxToolCallsPerTurn, maxParallelTasks } = context.profile.orchestrator;
  const limit = pLimit(maxParallelTasks);
  const turn = new AbortController();
  const turnSignal = AbortSignal.any([signal, turn.signal]);
  let sequential: Promise<unknown> = Promise.resolve();

  const run = (call: ToolCall, index: number): Promise<ToolResult> => {
    if (index >= maxToolCallsPerTurn) {
      return Promise.resolve(
        errorResult(
          `Not run: at most ${maxToolCallsPerTurn} tool calls are run per turn and you made ${calls.length}. Make this call again in your next turn if you still need it.`,
          'not run: too many calls in one turn',
        ),
      );
    }
    if (call.function.name === DELEGATE_TOOL) {
      return limit(() => {
        turnSignal.throwIfAborted();
        return runOneCall(context, state, call, turnSignal);
      });
    }
    const next = sequential.then(() => {
      turnSignal.throwIfAborted();
      return runOneCall(context, state, call, turnSignal);
    });
    sequential = next.catch(() => undefined);
    return next;
  };
  if (calls.length > maxToolCallsPerTurn) {
    context.sink.emit({
      runId: state.node.id,
      kind: 'limit',
      limit: 'maxToolCallsPerTurn',
      message: `${state.agent.name} asked for ${calls.length} tool calls in one turn; the first ${maxToolCallsPerTurn} were run.`,
    });
  }
  // The first failure is the one to report; the others are the cancels it caused.
  let failure: { error: unknown } | undefined;
  await Promise.allSettled(
    calls.map((call, index) =>
      run(call, index).then(
        (result) => onResult({ role: 'tool', tool_call_id: call.id, content: result.content }),
        (error: unknown) => {
          if (!failure) {
            failure = { error };
            turn.abort(new CancelledError('Stopped: another call of the same turn ended the run.'));
          }
        },
      ),
    ),
  );
  if (failure) throw failure.error;
}
