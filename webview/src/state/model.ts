/**
 * The chat transcript's model: what the Chat view shows, built only from run events
 * (protocol/run.ts). Types only; the reducer is `transcript.ts`.
 */
import type { ApprovalDecision, RunError, RunStatus, Usage } from '../../../protocol/run';

/**
 * A run's status as the chat shows it: the server's {@link RunStatus}, or `pending` for a root
 * the client announced (`run/didStart`) whose `runStarted` event has not arrived yet.
 */
export type RunViewStatus = RunStatus | 'pending';

/**
 * A tool card's status. `running` until `toolFinished` (`done` when ok, else `failed`);
 * `waiting-for-approval` while an approval is open; `cancelled`/`interrupted` when its run ended
 * before the tool did.
 */
export type ToolStatus = 'running' | 'waiting-for-approval' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/** Markdown text of the answer, streamed by `textDelta` events; one per uninterrupted stretch. */
export interface TextItem {
  kind: 'text';
  /** Unique in the transcript (never reused). */
  id: string;
  runId: string;
  text: string;
}

/** The model's thinking, streamed by `thinkingDelta` events. */
export interface ThinkingItem {
  kind: 'thinking';
  id: string;
  runId: string;
  text: string;
}

/** An approval request on a tool card; `decision` is set once it is answered. */
export interface ApprovalView {
  approvalId: string;
  /** Why approval is needed, in words for the user. */
  reason: string;
  decision?: ApprovalDecision;
}

/** One tool call, from `toolStarted` to `toolFinished`. */
export interface ToolItem {
  kind: 'tool';
  id: string;
  runId: string;
  /** The model's `tool_calls[].id`. */
  toolCallId: string;
  name: string;
  /** Parsed arguments, or the raw text when they were not valid JSON. */
  arguments: unknown;
  status: ToolStatus;
  /** One line for the user, from `toolFinished`. */
  summary?: string;
  /** Wall-clock duration, ms, from `toolFinished`. */
  durationMs?: number;
  approval?: ApprovalView;
  /** Child runs this call started (`delegate_to_agent`), in start order. */
  delegations: string[];
}

/** A child run that no tool card of its parent claims (an `@agent` line of an answer). */
export interface DelegationItem {
  kind: 'delegation';
  id: string;
  /** The parent run. */
  runId: string;
  childId: string;
}

/** A small line about a warning, a limit that stopped or corrected the run, or a retry. */
export interface NoticeItem {
  kind: 'notice';
  id: string;
  runId: string;
  tone: 'warning' | 'limit' | 'retry';
  message: string;
}

/** What a run's section shows, in order. */
export type TranscriptItem = TextItem | ThinkingItem | ToolItem | DelegationItem | NoticeItem;

/** One run (a root: one user message and its answer; or a delegated child). */
export interface RunView {
  id: string;
  /** Absent for a root. */
  parentId?: string;
  rootId: string;
  agent: string;
  /** The user's message for a root; the delegated task for a child. */
  task: string;
  provider: string;
  model: string;
  status: RunViewStatus;
  /** This run's own tokens and USD. */
  usage: Usage;
  /** For a root: the last `treeUsage` of a `usage` event of its tree (the server's roll-up). */
  treeUsage?: Usage;
  result?: string;
  error?: RunError;
  items: TranscriptItem[];
  /** Child run ids, in start order. */
  children: string[];
}

/**
 * The whole transcript. Mutable on purpose: a delta touches one item, and the reducer reports
 * which ones (see {@link Changes}) so that the view re-renders only those.
 */
export interface Transcript {
  /** Root run ids, in start order. */
  roots: string[];
  runs: Map<string, RunView>;
  /** Every item by id. */
  items: Map<string, TranscriptItem>;
  /** Tool cards by run id and `toolCallId` (see `toolKey` in transcript.ts). */
  tools: Map<string, ToolItem>;
  /** Tool cards by `approvalId`. */
  approvals: Map<string, ToolItem>;
  /** The counter behind item ids. */
  nextItem: number;
}

/** What an update changed, for the view. */
export interface Changes {
  /** Runs that are new or whose item list changed (items added, removed). */
  structure: Set<string>;
  /** Items whose content changed (text grew, a tool finished, a delegation attached). */
  content: Set<string>;
  /** Runs whose header, status or usage changed (ancestors included for usage). */
  meta: Set<string>;
  /** True when roots were added. */
  roots: boolean;
}
