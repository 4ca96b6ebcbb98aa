/**
 * What every agent run of one tree shares: read-only services and the tree itself. Nothing in it
 * belongs to a single run, so concurrent runs of the same agent share no mutable state (each run
 * keeps its messages, todos and loop detector to itself).
 */
import type { ChatMessage, RunNode } from '../../../protocol/run';
import type { AgentConfig, Profile } from '../profiles';
import type { ModelProvider, TokenUsage, ToolSpec } from '../providers/types';
import type { ToolRegistry } from '../tools/registry';
import type { ToolServices } from '../tools/services';
import type { ApprovalGate } from './approvals';
import type { SessionEventSink } from './eventSink';
import type { RunTree } from './runTree';

/** The model an agent runs on, resolved from the session's provider and the agent's `model`. */
export interface ModelBinding {
  provider: ModelProvider;
  /** Provider id, for example `openrouter`. */
  providerId: string;
  /** Model name as sent on the wire. */
  model: string;
  /** Whether the model table says the model can call tools. */
  supportsTools: boolean;
  /** USD for a call's tokens, from the model table (0 when the price is unknown). */
  cost(usage: TokenUsage): number;
  /** Estimated prompt tokens of a request, for endpoints that send no usage. */
  estimateTokens(messages: ChatMessage[], tools: ToolSpec[]): Promise<number>;
  /** Set for a model the table does not know: said once per tree, as a `warning` event. */
  warning?: string;
}

/**
 * Resolves the model an agent runs on.
 * @throws {ProviderError} `ProviderNotConfigured` when no provider or key can be found.
 */
export type ModelResolver = (agent: AgentConfig) => ModelBinding;

/** Stored messages of each run: `MessageStore` of the storage module. */
export interface MessageLog {
  append(runId: string, message: ChatMessage): number;
  list(runId: string): ChatMessage[];
}

/** Stored nodes, read when a tree resumes: part of `RunStore`. */
export interface StoredRuns {
  get(id: string): RunNode | undefined;
  findChildByToolCall(parentId: string, toolCallId: string): RunNode | undefined;
}

/** The services of one run tree. */
export interface TreeContext {
  sessionId: string;
  /** Real path of the directory the tools are confined to. */
  workingDir: string;
  profile: Profile;
  registry: ToolRegistry;
  tree: RunTree;
  sink: SessionEventSink;
  messages: MessageLog;
  runs: StoredRuns;
  approvals: ApprovalGate;
  resolveModel: ModelResolver;
  /** `MOCO.md`/`AGENTS.md` of the working directory, appended to every system prompt. */
  projectMemory?: string;
  /** Clock for `{{CURRENT_DATETIME}}`. */
  now(): Date;
  /** True when resuming: children are looked up before they are started. */
  resuming: boolean;
  /** Tools whose every call needs the user's approval, besides those whose definition says so. */
  requireApproval: ReadonlySet<string>;
  /** Warnings already said in this tree (an unknown model's), so that each is said once. */
  saidWarnings: Set<string>;
  /**
   * The services of one tool call: the session's sandbox and processes, and a command gate that
   * asks through this tree's approvals on the call's tool card. Absent: the tools that need them
   * say they are unavailable.
   */
  toolServices?: (call: { runId: string; agent: string; toolCallId: string }) => ToolServices;
}

/** Maximum depth of delegation (root = 0): a limit against agents delegating in a circle. */
export const MAX_DELEGATION_DEPTH = 5;

/**
 * How many times one agent run fans out its `@agent` lines. After the results come back, the
 * agent's next answer is its final one; further rounds go through delegate_to_agent, whose calls
 * count against max_turns. Without it, two agents answering each other with `@` lines would
 * multiply runs at every level until max_turns.
 */
export const MAX_MENTION_ROUNDS = 1;
