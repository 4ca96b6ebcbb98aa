/**
 * The Tasks view (`moco.tasks`): the background tasks (`tasks/list`, then `tasks/didChange`), with
 * their status and elapsed time, and a notification when one ends. The server keeps running the
 * tasks across window reloads; the view re-attaches by listing them again, and does not announce
 * those that ended while it was away.
 */
import * as vscode from 'vscode';
import { CommandIds, ViewIds } from '../../../protocol/ids';
import type { RunStatus } from '../../../protocol/run';
import { TasksDidChangeNotification, TasksListRequest, type TaskSummary } from '../../../protocol/tasks';
import { errorMessage } from '../errorMessage';
import type { ServerController } from '../languageClient';
import { DescriptorTreeProvider } from './descriptorTree';
import { isActiveStatus } from './runStatus';
import { hasActiveTasks, sortTasks, statusesOf, taskNotices, tasksTreeItems, upsertTask, type TaskNotice } from './tasksModel';
import { Ticker } from './timing';
import type { ItemDescriptor, TaskRef } from './treeModel';

/** The Tasks view. Create one; dispose it with the extension. */
export class TasksView implements vscode.Disposable {
  private readonly provider = new DescriptorTreeProvider();
  private readonly treeView: vscode.TreeView<ItemDescriptor>;
  private readonly ticker = new Ticker(
    () => hasActiveTasks(this.tasks),
    () => this.render(),
  );
  private readonly subscriptions: vscode.Disposable[] = [];
  private tasks: TaskSummary[] = [];
  /** The last status seen of each task: a task is announced only when it was seen running. */
  private known = new Map<string, RunStatus>();

  constructor(
    private readonly server: ServerController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.treeView = vscode.window.createTreeView(ViewIds.tasks, { treeDataProvider: this.provider });
    this.subscriptions.push(
      this.treeView,
      this.provider,
      server.onDidChange(({ state }) => {
        if (state === 'ready') void this.reload();
      }),
      server.onNotification(TasksDidChangeNotification, ({ task }) => this.update([task])),
    );
    if (server.current.state === 'ready') void this.reload();
  }

  /** The task of a session, if listed. */
  find(sessionId: string): TaskSummary | undefined {
    return this.tasks.find((t) => t.sessionId === sessionId);
  }

  /** Lists the tasks again (`tasks/list`). Never rejects. */
  async reload(): Promise<void> {
    let listed: TaskSummary[];
    try {
      listed = await this.server.request0(TasksListRequest);
    } catch (error) {
      this.log.warn(`Listing the background tasks: ${errorMessage(error)}`);
      return;
    }
    const notices = taskNotices(this.known, listed);
    this.tasks = sortTasks(listed);
    this.known = statusesOf(listed);
    this.render();
    for (const notice of notices) void this.announce(notice);
  }

  /** Adds or updates tasks (a `tasks/didChange`, or the answer of `tasks/run`). */
  update(tasks: readonly TaskSummary[]): void {
    const notices = taskNotices(this.known, tasks);
    for (const task of tasks) {
      this.tasks = upsertTask(this.tasks, task);
      this.known.set(task.sessionId, task.status);
    }
    this.render();
    for (const notice of notices) void this.announce(notice);
  }

  dispose(): void {
    this.ticker.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  private render(): void {
    this.provider.set(tasksTreeItems(this.tasks, Date.now()));
    const running = this.tasks.filter((t) => isActiveStatus(t.status)).length;
    this.treeView.badge = running > 0 ? { value: running, tooltip: `${running} background ${running === 1 ? 'task runs' : 'tasks run'}` } : undefined;
    this.ticker.update();
  }

  private async announce(notice: TaskNotice): Promise<void> {
    const show =
      notice.severity === 'error'
        ? vscode.window.showErrorMessage
        : notice.severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    const choice = await show(notice.message, ...notice.actions);
    const { task } = notice;
    const ref: TaskRef = { sessionId: task.sessionId, runId: task.runId, logFile: task.logFile, title: task.title };
    if (choice === 'Open') await vscode.commands.executeCommand(CommandIds.openTranscript, { task: ref });
    else if (choice === 'Show Log') await vscode.commands.executeCommand(CommandIds.showTaskLog, { task: ref });
    else if (choice === 'Resume') await vscode.commands.executeCommand(CommandIds.resumeRun, { task: ref });
  }
}
