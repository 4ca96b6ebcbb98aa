/**
 * Starts or resumes one run tree. The root node exists when these functions return, so the caller
 * can answer `chat/send` with its id while the tree runs on.
 */
import type { ChatMessage, RunNode } from '../../../protocol/run';
import { findAgent, type AgentConfig } from '../profiles';
import { runAgent } from './agentRun';
import type { TreeContext } from './context';
import { MocoError } from './errors';
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
  return { rootId: context.tree.rootId, done };
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
  return { rootId: root.id, done };
}
