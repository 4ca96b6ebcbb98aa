/**
 * The contract of tools: a definition (name, description, zod schema of the arguments) kept apart
 * from its implementation (as vscode-copilot-chat does), and the context a call runs in.
 */
import type { z } from 'zod';
import type { ToolServices } from './services';

/** What a tool call gives back. A failure is a result the model can read, never a throw. */
export interface ToolResult {
  /** What the model sees (the `content` of the `tool` message). */
  content: string;
  /** One line for the user, for example `read 120 lines of src/a.ts`. */
  summary: string;
  /** True when the call failed; `content` then says why and what to do. */
  isError?: boolean;
}

/** A tool's identity and arguments, without its implementation. */
export interface ToolDefinition<Args extends z.ZodType = z.ZodType> {
  /** MOCO's tool name, for example `read_file`. */
  name: string;
  /** What the model is told the tool does. */
  description: string;
  /** Schema of the arguments object; turned into JSON Schema for the model. */
  parameters: Args;
  /**
   * Whether a call needs the user's approval before it runs. A function decides per call, and may
   * return the reason as a string: the call then always asks (an earlier "always" for the tool
   * does not cover it), with that reason. Shell commands are judged by the command policy instead.
   * A function that must read something slow (git_commit lists the files it would commit) returns
   * a promise rather than block the server.
   */
  needsApproval?: boolean | ((args: z.infer<Args>, context: ToolContext) => boolean | string | Promise<boolean | string>);
}

/** One todo item, with MOCO's fields. */
export interface TodoItem {
  id: string;
  content: string;
  status: 'pending' | 'in_progress' | 'completed';
  priority: 'high' | 'medium' | 'low';
}

/** Where a call runs. Built per agent run, so that concurrent runs share no mutable state. */
export interface ToolContext {
  /** Real path (symlinks resolved) of the working directory every path is confined to. */
  workingDir: string;
  /** The agent run making the call. */
  runId: string;
  /** The agent's name. */
  agent: string;
  /** The `tool_calls[].id` of the call being run ('' outside a call). */
  toolCallId: string;
  /** This run's todo list (todowrite/todoread). */
  todos: { get(): TodoItem[]; set(items: TodoItem[]): void };
  /**
   * Starts a sub-agent and resolves with its final answer. Present only when the agent may
   * delegate.
   */
  delegate?: (agentName: string, task: string, toolCallId: string, signal: AbortSignal) => Promise<ToolResult>;
  /** The sandbox, the command policy, processes, symbols and the web (issue 5); absent in bare tests. */
  services?: ToolServices;
}

/** A tool's implementation: validated arguments in, a result out. */
export type ToolImplementation<Args extends z.ZodType = z.ZodType> = (
  args: z.infer<Args>,
  context: ToolContext,
  signal: AbortSignal,
) => Promise<ToolResult>;

/** A definition with its implementation, as the registry holds it. */
export interface Tool<Args extends z.ZodType = z.ZodType> {
  definition: ToolDefinition<Args>;
  implementation: ToolImplementation<Args>;
}
