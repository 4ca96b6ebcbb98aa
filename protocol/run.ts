/**
 * The orchestrator's run: the run tree, its events, and the requests that start, cancel, resume and
 * answer it. One typed constant per message (CONVENTIONS.md §2); method strings are written only
 * here. The chat, the Agents view and the Tasks view are all built from these events.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { Usage } from './usage';

/**
 * A message in the OpenAI chat-completions wire format (`messages[]` of
 * https://platform.openai.com/docs/api-reference/chat/create), as the orchestrator keeps and
 * stores it. `reasoning` holds the thinking of an assistant turn, kept apart from `content` and
 * never sent back to the model.
 */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[]; reasoning?: string }
  | { role: 'tool'; tool_call_id: string; content: string };

/** One entry of an assistant message's `tool_calls` (OpenAI wire format). */
export interface ToolCall {
  /** The id the model gave the call, for example `call_abc123`. */
  id: string;
  type: 'function';
  function: {
    /** Tool name, for example `read_file`. */
    name: string;
    /** The arguments as the model wrote them: a JSON text, possibly malformed. */
    arguments: string;
  };
}

/**
 * Status of a node of the run tree.
 * - `interrupted`: the process that ran it stopped (crash, `kill -9`, reload) before it ended; it
 *   can be resumed with `run/resume`.
 */
export type RunStatus =
  | 'queued'
  | 'running'
  | 'waiting-for-approval'
  | 'done'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

export { addUsage, zeroUsage, type Usage } from './usage';

/** An error a run ended with. `code` is one of `MocoErrorCodes` (protocol/errors.ts). */
export interface RunError {
  code: number;
  /** What went wrong and what to do, in words for the user. */
  message: string;
}

/** One agent run: a node of the run tree. */
export interface RunNode {
  /** Unique id (UUID). */
  id: string;
  /** The id of the run that delegated this one; absent for the root of a tree. */
  parentId?: string;
  /** The id of the root of this node's tree (itself for a root). */
  rootId: string;
  /** The session this run belongs to. */
  sessionId: string;
  /** Agent name as written in the profile (file name of `agents/<name>.md`). */
  agent: string;
  /** The task given to the agent: the user's message for a root, the delegated task otherwise. */
  task: string;
  /** Provider id, for example `openai`, `openrouter`, `zai`, `ollama`. */
  provider: string;
  /** Model name as sent on the wire, for example `gpt-4o-mini`. */
  model: string;
  status: RunStatus;
  /** Tokens and USD of this node alone (not of its children). */
  usage: Usage;
  /** ISO 8601 UTC. */
  startedAt: string;
  /** ISO 8601 UTC; set when the status is final. */
  endedAt?: string;
  /** The final answer, set when `status` is `done`. */
  result?: string;
  /** Set when `status` is `failed`. */
  error?: RunError;
  /** The `tool_calls[].id` of the parent's `delegate_to_agent` call that started this run. */
  toolCallId?: string;
}

/** Which limit stopped or corrected a run (see `run/didChange` event `limit`). */
export type LimitKind =
  | 'loop'
  | 'maxToolCallsPerTurn'
  | 'maxTurns'
  | 'inputLength'
  | 'outputLength'
  | 'tokenBudget'
  | 'costBudget';

/** What a user answered to an approval request. `always` approves this tool for the session. */
export type ApprovalDecision = 'approve' | 'deny' | 'always';

/** Fields every event carries. */
interface RunEventBase {
  /** The node the event is about. */
  runId: string;
  /** Monotonic per session, from 1; the order the events happened in. */
  seq: number;
  /** ISO 8601 UTC. */
  time: string;
}

/**
 * One thing that happened in a run tree. Text and thinking deltas are coalesced (about every
 * 50 ms) before they are stored and sent, and every event is stored before it is sent, so that
 * nothing the user saw is lost when the process is killed.
 */
export type RunEvent = RunEventBase &
  (
    | { kind: 'runStarted'; node: RunNode }
    | { kind: 'statusChanged'; status: RunStatus }
    | { kind: 'textDelta'; text: string }
    | { kind: 'thinkingDelta'; text: string }
    | {
        kind: 'toolStarted';
        toolCallId: string;
        name: string;
        /** The parsed arguments, or the raw text when it was not valid JSON. */
        arguments: unknown;
      }
    | {
        kind: 'toolFinished';
        toolCallId: string;
        name: string;
        ok: boolean;
        /** One line for the user, for example `read 120 lines of src/a.ts`. */
        summary: string;
        /** Wall-clock duration of the call in ms. */
        durationMs: number;
      }
    | {
        kind: 'approvalRequested';
        approvalId: string;
        toolCallId: string;
        name: string;
        arguments: unknown;
        /** Why approval is needed, in words for the user. */
        reason: string;
      }
    | { kind: 'approvalResolved'; approvalId: string; decision: ApprovalDecision }
    | {
        kind: 'usage';
        /** This node's totals so far. */
        usage: Usage;
        /** The whole tree's totals so far (the root's roll-up). */
        treeUsage: Usage;
      }
    | {
        kind: 'retry';
        /** 1 for the first retry. */
        attempt: number;
        /** Wait before the retry, ms (from `Retry-After` when the provider sent one). */
        delayMs: number;
        reason: string;
        /** Text and thinking streamed for the current step so far are void: the step restarts. */
        discardsPartialOutput: boolean;
      }
    | { kind: 'limit'; limit: LimitKind; message: string }
    | { kind: 'warning'; message: string }
    | {
        kind: 'runFinished';
        status: Extract<RunStatus, 'done' | 'failed' | 'cancelled'>;
        result?: string;
        error?: RunError;
      }
  );

/** The kinds of {@link RunEvent}. */
export type RunEventKind = RunEvent['kind'];

/** Params of `chat/send`. Absent fields fall back to the session's, then to the defaults. */
export interface ChatSendParams {
  /** The session to continue; absent to create a new one. */
  sessionId?: string;
  /** The user's message. A first line `@agent task` goes straight to that agent. */
  text: string;
  /** Profile name, for example `development`. */
  profile?: string;
  /** Provider name, optionally with a model: `openrouter` or `zai/glm-4.7`. */
  provider?: string;
  /** Model name; overrides the one in `provider`. */
  model?: string;
  /** Absolute path of the working directory the tools are confined to. */
  workingDir?: string;
  /**
   * Base URL of the provider's OpenAI-compatible API (the editor's `moco.provider.baseUrl`), for
   * example `http://localhost:11434/v1`. It replaces the provider's default and its
   * `<PROVIDER>_BASE_URL` variable for this run; absent to keep them.
   */
  baseURL?: string;
}

/** Result of `chat/send`: the run has started; its events follow on `run/didChange`. */
export interface ChatSendResult {
  sessionId: string;
  /** The root node of the new run tree. */
  runId: string;
}

/**
 * `chat/send` (client → server request): starts a run tree for a user message. Answers as soon
 * as the run has started. Errors: `ProfileInvalid`, `UnknownAgent`, `ProviderNotConfigured`,
 * `SessionNotFound`, `RunInProgress` (protocol/errors.ts).
 */
export const ChatSendRequest = new RequestType<ChatSendParams, ChatSendResult, void>('chat/send');

/** Params of `run/cancel`. */
export interface RunCancelParams {
  /** Any node; the node and all its descendants are cancelled. */
  runId: string;
}

/**
 * `run/cancel` (client → server request): cancels a node and its descendants. Every child stops
 * within 1 s; the answer says whether anything was still running.
 */
export const RunCancelRequest = new RequestType<RunCancelParams, { cancelled: boolean }, void>(
  'run/cancel',
);

/** Params of `run/resume`. */
export interface RunResumeParams {
  /** The root of an `interrupted` tree. */
  runId: string;
}

/**
 * `run/resume` (client → server request): continues an interrupted run tree where its stored
 * messages end. Finished children are not run again. Errors: `RunNotFound`, `RunNotResumable`.
 */
export const RunResumeRequest = new RequestType<RunResumeParams, ChatSendResult, void>(
  'run/resume',
);

/** Params of `run/didChange`. */
export interface RunDidChangeParams {
  sessionId: string;
  /** In `seq` order; a batch holds what happened since the last notification. */
  events: RunEvent[];
}

/** `run/didChange` (server → client notification): events of a session's runs. */
export const RunDidChangeNotification = new NotificationType<RunDidChangeParams>('run/didChange');

/** Params of `approval/respond`. */
export interface ApprovalRespondParams {
  /** From the `approvalRequested` event. */
  approvalId: string;
  decision: ApprovalDecision;
}

/**
 * `approval/respond` (client → server request): answers an `approvalRequested` event. Answers
 * `{ accepted: false }` when the approval is no longer pending (answered, or its run cancelled).
 */
export const ApprovalRespondRequest = new RequestType<
  ApprovalRespondParams,
  { accepted: boolean },
  void
>('approval/respond');
