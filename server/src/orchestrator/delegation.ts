/**
 * Delegation: `delegate_to_agent` calls and the `@agent-name task` lines of an answer (MOCO's
 * fan-out convention) each start a child run with its own context. A child of a resumed tree that
 * already finished is not run again; an interrupted one resumes.
 */
import pLimit from 'p-limit';
import type { RunNode } from '../../../protocol/run';
import { DELEGATE_TOOL, findAgent, type AgentConfig, type Profile } from '../profiles';
import type { ToolContext, ToolResult } from '../tools/types';
import { runAgent } from './agentRun';
import { MAX_DELEGATION_DEPTH, type TreeContext } from './context';
import { toRunError } from './errors';

/** A child run to start. */
export interface ChildRequest {
  agent: AgentConfig;
  task: string;
  parent: RunNode;
  /** `tool_calls[].id` of the delegate call, or a `@`-line id (see {@link mentionCallId}). */
  toolCallId: string;
  depth: number;
}

/**
 * Runs a child, or on resume reuses the stored one: a finished child gives its stored outcome, an
 * interrupted one resumes.
 * @returns the child's final node.
 * @throws the signal's reason when the parent is aborted.
 */
export async function runChild(context: TreeContext, request: ChildRequest, signal: AbortSignal): Promise<RunNode> {
  signal.throwIfAborted();
  const stored = context.resuming ? context.runs.findChildByToolCall(request.parent.id, request.toolCallId) : undefined;
  if (stored && (stored.status === 'done' || stored.status === 'failed' || stored.status === 'cancelled')) return stored;
  return runAgent(
    context,
    {
      agent: request.agent,
      task: request.task,
      parentId: request.parent.id,
      toolCallId: request.toolCallId,
      depth: request.depth,
      ...(stored ? { resumeNode: stored } : {}),
    },
    signal,
  );
}

/** What the parent's model reads about a finished child. */
export function childResult(child: RunNode): ToolResult {
  if (child.status === 'done') {
    return { content: child.result ?? '', summary: `${child.agent} finished` };
  }
  if (child.status === 'cancelled') {
    return { content: `${child.agent} was cancelled by the user before it finished.`, summary: `${child.agent} cancelled`, isError: true };
  }
  const message = child.error?.message ?? 'it stopped without an answer';
  return { content: `${child.agent} failed: ${message}`, summary: `${child.agent} failed`, isError: true };
}

/** The `delegate` function of an agent run's tool context. */
export function createDelegate(context: TreeContext, parent: RunNode, depth: number): NonNullable<ToolContext['delegate']> {
  return async (agentName, task, toolCallId, signal) => {
    let agent: AgentConfig;
    try {
      agent = findAgent(context.profile, agentName);
    } catch (error) {
      return { content: toRunError(error).message, summary: `unknown agent ${agentName}`, isError: true };
    }
    if (depth + 1 > MAX_DELEGATION_DEPTH) {
      return {
        content: `Not delegated: delegation is limited to ${MAX_DELEGATION_DEPTH} levels and this would be level ${depth + 1}. Do the task yourself or answer with what you have.`,
        summary: 'delegation too deep',
        isError: true,
      };
    }
    try {
      return childResult(await runChild(context, { agent, task, parent, toolCallId, depth: depth + 1 }, signal));
    } catch (error) {
      if (signal.aborted) throw error;
      return { content: `${agent.name} could not start: ${toRunError(error).message}`, summary: `${agent.name} could not start`, isError: true };
    }
  };
}

/** One `@agent-name task` line of an answer. */
export interface Mention {
  agent: AgentConfig;
  task: string;
}

/** MOCO's `@` line (moco-ai/moco `core/orchestrator.py`): `@name`, optional `:`, then the task. */
const MENTION_LINE = /^@([\w-]+)[:\s]*(.*)$/;

/**
 * Finds the blocks of an answer that begin with a line `@agent-name task`, naming an agent of the
 * profile other than `self`. As in MOCO, a task runs from its `@` line to the next `@` line or two
 * blank lines in a row.
 */
export function parseMentions(text: string, profile: Profile, self: string): Mention[] {
  const mentions: Mention[] = [];
  let current: { agent: AgentConfig; lines: string[]; blanks: number } | undefined;
  const close = (): void => {
    const task = current?.lines.join('\n').trim();
    if (current && task) mentions.push({ agent: current.agent, task });
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    const match = MENTION_LINE.exec(trimmed);
    if (match) {
      close();
      const agent = profile.agents.find((candidate) => candidate.name.toLowerCase() === match[1]!.toLowerCase());
      if (agent && agent.name.toLowerCase() !== self.toLowerCase()) current = { agent, lines: [match[2]!], blanks: 0 };
      continue;
    }
    if (!current) continue;
    current.blanks = trimmed === '' ? current.blanks + 1 : 0;
    if (current.blanks >= 2) close();
    else current.lines.push(line);
  }
  close();
  return mentions;
}

/** How the message that brings the `@` lines' results back begins. */
export const FAN_OUT_REPORT_START = 'The agents you addressed with @ lines have answered:';

/** The id under which the `index`-th mention of the assistant message at `messageIndex` runs. */
export function mentionCallId(messageIndex: number, index: number): string {
  return `mention:${messageIndex}:${index}`;
}

/**
 * Runs the mentioned agents in parallel (bounded by `max_parallel_tasks`) and returns the text
 * the parent reads next, one section per agent.
 * @throws the signal's reason when the parent is aborted.
 */
export async function fanOut(
  context: TreeContext,
  parent: RunNode,
  mentions: Mention[],
  messageIndex: number,
  depth: number,
  signal: AbortSignal,
): Promise<string> {
  const sections = fanOutSections(await runMentions(context, parent, mentions, messageIndex, depth, signal));
  return `${FAN_OUT_REPORT_START}\n\n${sections}\n\nUse their results to give your final answer.`;
}

/** One section per agent, `## @name` then what it answered: the body of a fan-out report. */
export function fanOutSections(children: { mention: Mention; result: ToolResult }[]): string {
  return children.map(({ mention, result }) => `## @${mention.agent.name}\n${result.content}`).join('\n\n');
}

/**
 * Runs the mentioned agents in parallel (bounded by `max_parallel_tasks`), each shown as a
 * `delegate_to_agent` call of `parent`, and gives each one's result in the order of `mentions`.
 * @throws the signal's reason when the parent is aborted.
 */
export async function runMentions(
  context: TreeContext,
  parent: RunNode,
  mentions: Mention[],
  messageIndex: number,
  depth: number,
  signal: AbortSignal,
): Promise<{ mention: Mention; result: ToolResult }[]> {
  const limit = pLimit(context.profile.orchestrator.maxParallelTasks);
  const children = await Promise.all(
    mentions.map((mention, index) =>
      limit(async () => {
        const toolCallId = mentionCallId(messageIndex, index);
        const started = performance.now();
        context.sink.emit({ runId: parent.id, kind: 'toolStarted', toolCallId, name: DELEGATE_TOOL, arguments: { agent_name: mention.agent.name, task: mention.task } });
        try {
          const result = childResult(await runChild(context, { agent: mention.agent, task: mention.task, parent, toolCallId, depth: depth + 1 }, signal));
          context.sink.emit({ runId: parent.id, kind: 'toolFinished', toolCallId, name: DELEGATE_TOOL, ok: result.isError !== true, summary: result.summary, durationMs: Math.round(performance.now() - started) });
          return { mention, result };
        } catch (error) {
          if (signal.aborted) {
            context.sink.emit({ runId: parent.id, kind: 'toolFinished', toolCallId, name: DELEGATE_TOOL, ok: false, summary: 'cancelled', durationMs: Math.round(performance.now() - started) });
            throw error;
          }
          const result: ToolResult = { content: `${mention.agent.name} could not start: ${toRunError(error).message}`, summary: 'could not start', isError: true };
          context.sink.emit({ runId: parent.id, kind: 'toolFinished', toolCallId, name: DELEGATE_TOOL, ok: false, summary: result.summary, durationMs: Math.round(performance.now() - started) });
          return { mention, result };
        }
      }),
    ),
  );
  return children;
}
