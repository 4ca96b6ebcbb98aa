/**
 * A background task as the Tasks view shows it ({@link TaskSummary}), computed from its stored
 * row, the root of its session's latest run tree and whether the process that runs it is alive.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { RunNode, RunStatus } from '../../../protocol/run';
import type { TaskSummary } from '../../../protocol/tasks';
import type { MocoDatabase } from '../storage/database';
import type { TaskRow } from '../storage/tasks';

/** Longest {@link TaskSummary.outcome}, in characters. */
export const OUTCOME_MAX_LENGTH = 200;

/** How much of the end of a log file is read for a failure message, in bytes. */
const LOG_TAIL_BYTES = 4_096;

/** Statuses of a root that still runs. */
const ACTIVE: readonly RunStatus[] = ['queued', 'running', 'waiting-for-approval'];

/** Whether a status is final: the task will not change by itself any more. */
export function isFinalStatus(status: RunStatus): boolean {
  return !ACTIVE.includes(status);
}

/** What a summary needs besides the database. */
export interface SummaryContext {
  /** Whether the process `<host>:<pid>` (a run's owner) still runs; false for null. */
  alive(owner: string | null): boolean;
  /** Sessions whose task was cancelled with `tasks/cancel` by this server. */
  cancelRequested: ReadonlySet<string>;
}

/**
 * The summary of a stored task.
 * - With a root run: the root's status, except that a root still `running` (or queued, waiting)
 *   whose owner process is gone is `interrupted`; usage is the tree's; the outcome is the answer's
 *   first {@link OUTCOME_MAX_LENGTH} characters, or the error message.
 * - Without one: `queued` while the task process lives (or has not been spawned yet); once it is
 *   gone, `cancelled` when this server cancelled it, else `failed` with the last line the process
 *   wrote to its log (for example `moco: Z.ai needs an API key…`).
 */
export function summarizeTask(db: MocoDatabase, task: TaskRow, context: SummaryContext): TaskSummary {
  const processOwner = task.pid === undefined ? null : `${task.host}:${task.pid}`;
  const root = db.runs.latestRoot(task.sessionId);
  const summary: TaskSummary = {
    sessionId: task.sessionId,
    title: task.title,
    status: 'queued',
    startedAt: task.startedAt,
    usage: root ? db.runs.treeUsage(root.id) : { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    logFile: task.logFile,
  };
  if (root) {
    summary.runId = root.id;
    summary.status = rootStatus(root, db.runs.ownerOf(root.id), context);
    if (root.endedAt) summary.endedAt = root.endedAt;
    const outcome = root.status === 'done' ? root.result : root.error?.message;
    if (outcome) summary.outcome = Array.from(outcome).slice(0, OUTCOME_MAX_LENGTH).join('');
  } else if (processOwner !== null && !context.alive(processOwner)) {
    const tail = readLogTail(task.logFile);
    summary.status = context.cancelRequested.has(task.sessionId) ? 'cancelled' : 'failed';
    summary.endedAt = tail.modifiedAt ?? task.startedAt;
    if (summary.status === 'failed') summary.outcome = tail.lastLine || 'The task process ended before its run started; see its log.';
  }
  if (!isFinalStatus(summary.status) && task.pid !== undefined && context.alive(processOwner)) summary.pid = task.pid;
  return summary;
}

function rootStatus(root: RunNode, owner: string | null, context: SummaryContext): RunStatus {
  if (isFinalStatus(root.status)) return root.status;
  return context.alive(owner) ? root.status : 'interrupted';
}

/**
 * The last line of a log worth showing: the last `moco: …` line (the CLI's error line), else the
 * last non-blank line, cut to {@link OUTCOME_MAX_LENGTH}; and the file's modification time. Empty
 * when the file cannot be read.
 */
export function readLogTail(file: string): { lastLine: string; modifiedAt?: string } {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const { size, mtime } = fstatSync(fd);
    const length = Math.min(size, LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
    const line = [...lines].reverse().find((candidate) => candidate.startsWith('moco: ')) ?? lines.at(-1) ?? '';
    return { lastLine: Array.from(line).slice(0, OUTCOME_MAX_LENGTH).join(''), modifiedAt: mtime.toISOString() };
  } catch {
    return { lastLine: '' };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
