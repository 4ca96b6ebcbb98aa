/**
 * The commands about runs, sessions and tasks: `MOCO: Cancel Run`, `Resume Run`, `Open
 * Transcript`, `Show Task Log`, `Open Session…`, `Run Task…` and `Run Task in Background…`. Their
 * argument, when a tree item's menu runs them, is the item (treeModel.ts `ItemDescriptor`).
 */
import * as vscode from 'vscode';
import { CommandIds, ViewIds } from '../../../protocol/ids';
import { RunCancelRequest, RunResumeRequest } from '../../../protocol/run';
import { SessionsListRequest } from '../../../protocol/sessions';
import { TasksCancelRequest, TasksRunRequest } from '../../../protocol/tasks';
import { errorMessage } from '../errorMessage';
import type { ServerController } from '../languageClient';
import { runFields } from '../settings';
import type { SessionHub } from '../state/sessionHub';
import { runningRoot } from '../views/agentsModel';
import type { TasksView } from '../views/tasksTree';
import type { Transcripts } from '../views/transcript';
import { toRunRef, toTaskRef, type RunRef } from '../views/treeModel';
import { sessionPicks } from './sessionPicks';
import { showErrorWithActions } from './showError';

/** What the run commands work with. */
export interface RunCommandDeps {
  server: ServerController;
  hub: SessionHub;
  transcripts: Transcripts;
  tasks: TasksView;
  /**
   * Sends a message to the Chat view's session, as if typed there (the Chat view's send path):
   * `MOCO: Run Task…` calls it. It shows the Chat view and reports its own errors.
   */
  sendToChat: (text: string) => Promise<void>;
}

/** Registers the commands. */
export function registerRunCommands(deps: RunCommandDeps): vscode.Disposable {
  const { server, hub, transcripts, tasks } = deps;
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandIds.cancelRun, (arg?: unknown) => cancelRun(server, hub, arg)),
    vscode.commands.registerCommand(CommandIds.resumeRun, (arg?: unknown) => resumeRun(server, hub, arg)),
    vscode.commands.registerCommand(CommandIds.openTranscript, async (arg?: unknown) => {
      const ref = toRunRef(arg) ?? latestRoot(hub);
      if (!ref) {
        void vscode.window.showInformationMessage('Choose a run in the Agents or Tasks view to open its transcript.');
        return;
      }
      try {
        await transcripts.open(ref);
      } catch (error) {
        void vscode.window.showErrorMessage(errorMessage(error));
      }
    }),
    vscode.commands.registerCommand(CommandIds.showTaskLog, async (arg?: unknown) => {
      const task = toTaskRef(arg);
      if (!task) {
        void vscode.window.showInformationMessage('Choose a task in the Tasks view to show its log.');
        return;
      }
      try {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(task.logFile));
        await vscode.window.showTextDocument(document, { preview: true });
      } catch (error) {
        void vscode.window.showErrorMessage(`The log of "${task.title}" cannot be opened (${task.logFile}): ${errorMessage(error)}`);
      }
    }),
    vscode.commands.registerCommand(CommandIds.openSession, () => openSession(server, hub)),
    vscode.commands.registerCommand(CommandIds.runTask, async (text?: unknown) => {
      const task = typeof text === 'string' && text.trim() ? text : await askForTask('MOCO: Run Task', 'The task for the agents. It runs in the Chat view.');
      if (task) await deps.sendToChat(task);
    }),
    vscode.commands.registerCommand(CommandIds.runTaskInBackground, async (text?: unknown) => {
      const task =
        typeof text === 'string' && text.trim()
          ? text
          : await askForTask('MOCO: Run Task in Background', 'The task for the agents. It runs in the background; the Tasks view shows it.');
      if (!task) return;
      try {
        const summary = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'MOCO: starting the background task…' },
          () => server.request(TasksRunRequest, { text: task, ...runFields() }),
        );
        tasks.update([summary]);
        vscode.window.setStatusBarMessage(`$(run-all) MOCO: task started: ${summary.title}`, 5000);
      } catch (error) {
        await showErrorWithActions(error, 'Could not start the background task.');
      }
    }),
  );
}

/**
 * Cancels a task (a Tasks view item: `tasks/cancel`), a run (a run id or an Agents view item:
 * `run/cancel`), or, without an argument, the Chat view's running run.
 */
async function cancelRun(server: ServerController, hub: SessionHub, arg: unknown): Promise<void> {
  try {
    const task = toTaskRef(arg);
    if (task) {
      const { cancelled } = await server.request(TasksCancelRequest, { sessionId: task.sessionId });
      if (!cancelled) void vscode.window.showInformationMessage(`The task "${task.title}" had already ended.`);
      return;
    }
    const runId = toRunRef(arg)?.runId ?? currentRunningRoot(hub);
    if (!runId) {
      void vscode.window.showInformationMessage('No run of the chat is running.');
      return;
    }
    const { cancelled } = await server.request(RunCancelRequest, { runId });
    if (!cancelled) void vscode.window.showInformationMessage('The run had already ended.');
  } catch (error) {
    await showErrorWithActions(error, 'Could not cancel the run.');
  }
}

/**
 * Resumes an interrupted run tree: a task's, a run item's, or, without an argument, the newest
 * interrupted root of the Chat view's session.
 */
async function resumeRun(server: ServerController, hub: SessionHub, arg: unknown): Promise<void> {
  const runId = toRunRef(arg)?.runId ?? currentInterruptedRoot(hub);
  if (!runId) {
    void vscode.window.showInformationMessage('No interrupted run to resume.');
    return;
  }
  try {
    await server.request(RunResumeRequest, { runId });
  } catch (error) {
    await showErrorWithActions(error, 'Could not resume the run.');
  }
}

function currentRunningRoot(hub: SessionHub): string | undefined {
  const sessionId = hub.currentSessionId;
  return sessionId === undefined ? undefined : runningRoot(hub.tree(sessionId));
}

function currentInterruptedRoot(hub: SessionHub): string | undefined {
  const sessionId = hub.currentSessionId;
  if (sessionId === undefined) return undefined;
  const tree = hub.tree(sessionId);
  return [...tree.roots].reverse().find((id) => tree.nodes[id]?.status === 'interrupted');
}

/** The newest root of the Chat view's session, for `Open Transcript` without an argument. */
function latestRoot(hub: SessionHub): RunRef | undefined {
  const sessionId = hub.currentSessionId;
  if (sessionId === undefined) return undefined;
  const runId = hub.tree(sessionId).roots.at(-1);
  return runId ? { sessionId, runId } : undefined;
}

type SessionItem = vscode.QuickPickItem & { sessionId?: string; newChat?: true };

/** Lists the chat sessions and shows the chosen one in the Chat view. */
async function openSession(server: ServerController, hub: SessionHub): Promise<void> {
  const items = server.request0(SessionsListRequest).then((sessions): SessionItem[] => [
    { label: '$(add) New Chat', detail: 'Start an empty session', newChat: true },
    ...sessionPicks(sessions, hub.currentSessionId, Date.now()),
  ]);
  let picked: SessionItem | undefined;
  try {
    picked = await vscode.window.showQuickPick(items, {
      title: 'MOCO: Open Session',
      placeHolder: 'A chat session to open, the most recent first',
      matchOnDescription: true,
      matchOnDetail: true,
    });
  } catch (error) {
    await showErrorWithActions(error, 'Could not list the sessions.');
    return;
  }
  if (!picked) return;
  if (picked.newChat) {
    await vscode.commands.executeCommand(CommandIds.newChat);
    return;
  }
  if (!picked.sessionId) return;
  await hub.setCurrent(picked.sessionId);
  await vscode.commands.executeCommand(`${ViewIds.chat}.focus`);
}

async function askForTask(title: string, prompt: string): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    placeHolder: 'For example: add unit tests for src/parser.ts',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'Describe the task.' : undefined),
  });
  return text?.trim() ? text : undefined;
}
