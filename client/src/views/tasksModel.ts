/**
 * What the Tasks view shows, as plain item descriptors, and which ended tasks deserve a
 * notification. Pure (no `vscode`), unit-tested.
 */
import { CommandIds, TreeItemContexts } from '../../../protocol/ids';
import type { RunStatus } from '../../../protocol/run';
import { parseTime } from '../../../protocol/runTreeState';
import type { TaskSummary } from '../../../protocol/tasks';
import { firstLine, formatElapsed, groupDigits, spokenElapsed, usageParts } from './format';
import { isActiveStatus, statusIcon, statusWord } from './runStatus';
import type { ItemDescriptor } from './treeModel';

/** The tasks with `task` added or replaced (same session), the newest first. */
export function upsertTask(tasks: readonly TaskSummary[], task: TaskSummary): TaskSummary[] {
  return sortTasks([...tasks.filter((t) => t.sessionId !== task.sessionId), task]);
}

/** The tasks, the most recently started first. */
export function sortTasks(tasks: readonly TaskSummary[]): TaskSummary[] {
  return [...tasks].sort((a, b) => (parseTime(b.startedAt) ?? 0) - (parseTime(a.startedAt) ?? 0));
}

/** Whether any task still runs (its elapsed time then changes every second). */
export function hasActiveTasks(tasks: readonly TaskSummary[]): boolean {
  return tasks.some((t) => isActiveStatus(t.status));
}

/**
 * The Tasks view's items, one per task, in the given order.
 *
 * @param nowMs epoch ms, for the elapsed time of running tasks.
 */
export function tasksTreeItems(tasks: readonly TaskSummary[], nowMs: number): ItemDescriptor[] {
  return tasks.map((task) => taskItem(task, nowMs));
}

function taskItem(task: TaskSummary, nowMs: number): ItemDescriptor {
  const elapsed = taskElapsedMs(task, nowMs);
  const description = [statusWord(task.status), elapsed === undefined ? undefined : formatElapsed(elapsed), ...usageParts(task.usage)]
    .filter((part): part is string => !!part)
    .join(' · ');
  const tooltip = [
    task.title,
    `Status: ${statusWord(task.status)}`,
    elapsed === undefined ? undefined : `Elapsed: ${formatElapsed(elapsed)}`,
    `Tokens: ${groupDigits(task.usage.inputTokens)} in · ${groupDigits(task.usage.outputTokens)} out`,
    ...usageParts({ ...task.usage, inputTokens: 0, outputTokens: 0 }).map((cost) => `Cost: ${cost}`),
    task.outcome ? `${task.status === 'failed' ? 'Error' : 'Answer'}: ${firstLine(task.outcome, 200)}` : undefined,
    task.status === 'interrupted' ? 'Interrupted: its process stopped before the run ended. Resume continues it.' : undefined,
    `Log: ${task.logFile}`,
  ]
    .filter((line): line is string => !!line)
    .join('\n');
  const ref = { sessionId: task.sessionId, runId: task.runId };
  return {
    id: `task:${task.sessionId}`,
    label: task.title,
    description,
    tooltip,
    ariaLabel: [`Task ${task.title}`, statusWord(task.status), elapsed === undefined ? undefined : spokenElapsed(elapsed)]
      .filter(Boolean)
      .join(', '),
    icon: statusIcon(task.status),
    contextValue: isActiveStatus(task.status)
      ? TreeItemContexts.taskActive
      : task.status === 'interrupted'
        ? TreeItemContexts.taskInterrupted
        : TreeItemContexts.taskEnded,
    collapsible: 'none',
    command: { command: CommandIds.openTranscript, title: 'Open Transcript', arguments: [ref] },
    children: [],
    task: { sessionId: task.sessionId, runId: task.runId, logFile: task.logFile, title: task.title },
  };
}

function taskElapsedMs(task: TaskSummary, nowMs: number): number | undefined {
  const start = parseTime(task.startedAt);
  if (start === undefined) return undefined;
  const end = parseTime(task.endedAt);
  if (end !== undefined) return end - start;
  return isActiveStatus(task.status) ? nowMs - start : undefined;
}

/** A button of a task notification. */
export type TaskNoticeAction = 'Open' | 'Show Log' | 'Resume';

/** A notification about a task that has just ended. */
export interface TaskNotice {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: TaskNoticeAction[];
  task: TaskSummary;
}

/**
 * The notifications for tasks that ended between two looks at them: only for a task that was
 * known to run (`previous` has an active status for it) and now has a final one. So a view that
 * re-attaches after a window reload, whose `previous` is empty, does not announce the tasks that
 * ended while it was away.
 *
 * @param previous the last known status of each task, by session id.
 */
export function taskNotices(previous: ReadonlyMap<string, RunStatus>, tasks: readonly TaskSummary[]): TaskNotice[] {
  const notices: TaskNotice[] = [];
  for (const task of tasks) {
    const before = previous.get(task.sessionId);
    if (before === undefined || !isActiveStatus(before) || isActiveStatus(task.status)) continue;
    const title = firstLine(task.title, 80);
    switch (task.status) {
      case 'done':
        notices.push({ severity: 'info', message: `Task finished: ${title}`, actions: ['Open'], task });
        break;
      case 'failed':
        notices.push({
          severity: 'error',
          message: `Task failed: ${title}${task.outcome ? `: ${firstLine(task.outcome, 200)}` : ''}`,
          actions: ['Open', 'Show Log'],
          task,
        });
        break;
      case 'cancelled':
        notices.push({ severity: 'info', message: `Task cancelled: ${title}`, actions: ['Open'], task });
        break;
      case 'interrupted':
        notices.push({
          severity: 'warning',
          message: `Task interrupted: ${title}. Its process stopped before the run ended.`,
          actions: ['Resume', 'Show Log'],
          task,
        });
        break;
    }
  }
  return notices;
}

/** The status of each task by session id: the `previous` of the next {@link taskNotices}. */
export function statusesOf(tasks: readonly TaskSummary[]): Map<string, RunStatus> {
  return new Map(tasks.map((t) => [t.sessionId, t.status]));
}
