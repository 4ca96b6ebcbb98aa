/**
 * Starts or resumes one run tree. The root node exists when these functions return, so the caller
 * can answer `chat/send` with its id while the tree runs on.
 */
import type { ChatMessage, RunNode } from '../../../protocol/run';
import { findAgent, renderSystemPrompt, type AgentConfig } from '../profiles';
import { runAgent } from './agentRun';
import type { TreeContext } from './context';
import { fanOutSections, runMentions } from './delegation';
import { LimitError, MocoError, toRunError } from './errors';
import { MocoErrorCodes } from '../../../protocol/errors';

/** A tree that runs. */
export interface RunningTree {
  rootId: string;
  /** Resolves with the root's final node; never rejects. */
  done: Promise<RunNode>;
}

/**
 * Starts a root run of `agent` on `task`, after the session's earlier turns (`history`).
 * @throws {ProviderError} when the agent's model cannot be resolved; nothing is stored then.
 */
export function startTree(context: TreeContext, agent: AgentConfig, task: string, history: ChatMessage[] = []): RunningTree {
  context.resolveModel(agent);
  const done = runAgent(context, { agent, task, depth: 0, history });
  return { rootId: context.tree.rootId, done: settled(context, done) };
}

/**
 * `done` that never rejects: an error outside the step loop's own handling (a database that
 * fails under it) ends the root `failed` instead of leaving it `running` and the promise rejected.
 */
function settled(context: TreeContext, done: Promise<RunNode>): Promise<RunNode> {
  return done.catch((error: unknown) => {
    const rootId = context.tree.rootId;
    const failure = { status: 'failed' as const, error: toRunError(error) };
    try {
      if (context.tree.has(rootId)) return context.tree.finish(rootId, failure);
    } catch {
      // The store itself fails: say so in the answer, as far as it can be said.
    }
    const stored = context.runs.get(rootId);
    if (!stored) throw error;
    return { ...stored, ...failure };
  });
}

/**
 * Resumes an interrupted root: it and its interrupted descendants continue from their stored
 * messages; finished children keep their results.
 * @throws {MocoError} `UnknownAgent` when the profile no longer has the root's agent;
 *   {@link ProviderError} when its model cannot be resolved.
 */
export function resumeTree(context: TreeContext, root: RunNode): RunningTree {
  let agent: AgentConfig;
  try {
    agent = findAgent(context.profile, root.agent);
  } catch (error) {
    throw new MocoError(MocoErrorCodes.UnknownAgent, error instanceof Error ? error.message : String(error));
  }
  context.resolveModel(agent);
  const done = runAgent(context, { agent, task: root.task, depth: 0, resumeNode: root });
  return { rootId: root.id, done: settled(context, done) };
}

/** One task of {@link startParallelTree}: an agent and what it is to do. */
export interface ParallelTask {
  agent: AgentConfig;
  task: string;
}

/**
 * Starts a root run of `agent` on `task` that makes no model call of its own: it hands `children`
 * out at once, one sub-agent each, in parallel (bounded by the profile's `max_parallel_tasks`),
 * exactly as the `@agent` lines of an answer are fanned out (delegation.ts `fanOut`), and ends
 * with their answers as its result. `Fix All` of the inline review runs this way, so that each
 * fix is its own visible, cancellable node with its own cost.
 *
 * The root stores its system prompt and `task` as messages: resumed after a crash, it is an
 * ordinary run of `agent` on `task` (which should therefore say everything the children were given).
 * @throws {ProviderError} when a model cannot be resolved; nothing is stored then.
 */
export function startParallelTree(context: TreeContext, agent: AgentConfig, task: string, children: ParallelTask[]): RunningTree {
  const binding = context.resolveModel(agent);
  for (const child of children) context.resolveModel(child.agent);
  const { node, signal } = context.tree.startNode({ agent: agent.name, task, provider: binding.providerId, model: binding.model });
  context.messages.append(node.id, { role: 'system', content: renderSystemPrompt(agent, { now: context.now(), ...(context.projectMemory ? { projectMemory: context.projectMemory } : {}) }) });
  context.messages.append(node.id, { role: 'user', content: task });
  const done = (async (): Promise<RunNode> => {
    try {
      // The root's answer is for the user: each agent's result, without the fan-out report's
      // instruction to a model.
      const report = fanOutSections(await runMentions(context, node, children, 1, 0, signal));
      // Cancelled children come back as results, not errors: the root's own signal says it was cancelled.
      signal.throwIfAborted();
      context.messages.append(node.id, { role: 'assistant', content: report });
      return context.tree.finish(node.id, { status: 'done', result: report });
    } catch (error) {
      if (!signal.aborted) throw error;
      const reason: unknown = signal.reason;
      if (reason instanceof LimitError) return context.tree.finish(node.id, { status: 'failed', error: toRunError(reason) });
      return context.tree.finish(node.id, { status: 'cancelled' });
    }
  })();
  return { rootId: node.id, done: settled(context, done) };
}
