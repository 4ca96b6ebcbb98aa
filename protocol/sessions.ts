/**
 * Sessions: named conversations, each with its run trees, messages and events, kept in SQLite.
 * One typed constant per message (CONVENTIONS.md §2).
 */
import { RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { RunEvent, RunNode, Usage } from './run';

/** A session as listed. */
export interface SessionSummary {
  /** Unique id (UUID). */
  id: string;
  /** The user's name for it, or the first line of its first message (at most 80 characters). */
  name: string;
  /** Profile name the session uses, for example `development`. */
  profile: string;
  /** Provider and model the session uses, as `provider/model`. */
  model: string;
  /** Absolute path of the working directory. */
  workingDir: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** ISO 8601 UTC; the time of its last event. */
  updatedAt: string;
  /** Number of root runs (user messages). */
  runCount: number;
  /** Tokens and USD over all its runs. */
  usage: Usage;
  /** True when one of its run trees is `interrupted` and can be resumed. */
  resumable: boolean;
  /** `chat` for a conversation, `task` for a background task (protocol/tasks.ts). */
  kind: 'chat' | 'task';
}

/** Result of `sessions/get`: everything to rebuild the chat and the run tree. */
export interface SessionDetail {
  session: SessionSummary;
  /** Every node of every run tree, in start order. */
  runs: RunNode[];
  /** Every event, in `seq` order; replaying them rebuilds what the user saw. */
  events: RunEvent[];
}

/** `sessions/list` (client → server request): sessions, most recently updated first. */
export const SessionsListRequest = new RequestType0<SessionSummary[], void>('sessions/list');

/** `sessions/get` (client → server request). Error: `SessionNotFound`. */
export const SessionsGetRequest = new RequestType<{ sessionId: string }, SessionDetail, void>(
  'sessions/get',
);

/** `sessions/rename` (client → server request). Error: `SessionNotFound`. */
export const SessionsRenameRequest = new RequestType<
  { sessionId: string; name: string },
  SessionSummary,
  void
>('sessions/rename');

/**
 * `sessions/delete` (client → server request): deletes a session and all its runs. Error:
 * `RunInProgress` when one of its runs is still running (cancel it first).
 */
export const SessionsDeleteRequest = new RequestType<{ sessionId: string }, { deleted: boolean }, void>(
  'sessions/delete',
);
