/**
 * Background tasks: runs started without the chat (`MOCO: Run Task in Background…`). Each runs in
 * its own detached process (the `moco` CLI on the same database), so it survives a window reload
 * and a server restart; the server follows its stored events and re-sends them on
 * `run/didChange`. One typed constant per message (CONVENTIONS.md §2).
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { ChatSendParams, RunStatus, Usage } from './run';

/** A background task, as the Tasks view lists it. */
export interface TaskSummary {
  /** The task's session (each task has its own). */
  sessionId: string;
  /** The root run of the task's run tree; absent while the process has not stored it yet. */
  runId?: string;
  /** The task text, first line, at most 80 characters. */
  title: string;
  /**
   * The root's status. `queued` until the process has started the run; `interrupted` when the
   * process died before the run ended (killed, machine restarted).
   */
  status: RunStatus;
  /** ISO 8601 UTC. */
  startedAt: string;
  /** ISO 8601 UTC; set once the status is final. */
  endedAt?: string;
  /** Tokens and USD of the whole tree so far. */
  usage: Usage;
  /** The final answer's first 200 characters, once done; the error message, once failed. */
  outcome?: string;
  /** Absolute path of the task process's log file (its stdout and stderr). */
  logFile: string;
  /** Operating-system process id of the task process, while it runs. */
  pid?: number;
}

/** Params of `tasks/run`: those of `chat/send`, without a session (a task has its own). */
export type TasksRunParams = Omit<ChatSendParams, 'sessionId'>;

/**
 * `tasks/run` (client → server request): starts a background task. Answers once the process has
 * started; the task then appears in `tasks/list` and on `tasks/didChange`. Errors as `chat/send`.
 */
export const TasksRunRequest = new RequestType<TasksRunParams, TaskSummary, void>('tasks/run');

/** `tasks/list` (client → server request): every background task, the newest first. */
export const TasksListRequest = new RequestType0<TaskSummary[], void>('tasks/list');

/**
 * `tasks/cancel` (client → server request): stops a background task (SIGINT to its process, which
 * cancels the run and stores it as `cancelled`). Answers `{ cancelled: false }` when it had ended.
 */
export const TasksCancelRequest = new RequestType<{ sessionId: string }, { cancelled: boolean }, void>('tasks/cancel');

/** `tasks/didChange` (server → client notification): a task started, progressed or ended. */
export const TasksDidChangeNotification = new NotificationType<{ task: TaskSummary }>('tasks/didChange');
