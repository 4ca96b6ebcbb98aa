/**
 * The commands on findings: Apply Suggestion, Fix with Agent and Dismiss (comment thread title
 * buttons, quick fixes; their argument is the thread or the finding id), Fix All Review Findings
 * and Clear Review Findings.
 */
import * as vscode from 'vscode';
import { CommandIds } from '../../../protocol/ids';
import { ReviewFixRequest, type ReviewFixResult } from '../../../protocol/review';
import { errorMessage } from '../errorMessage';
import { showErrorWithActions } from '../commands/showError';
import type { ServerController } from '../languageClient';
import { runFields } from '../settings';
import type { ReviewThreads } from './commentThreads';
import type { FindingsStore, StoredFinding } from './findingsStore';
import { eolOf } from './problems';
import { byFolder, findingIdOf, toReviewFinding } from './reviewOutcome';
import { suggestionEdit } from './suggestion';
import { documentLines, findingUri, folderOf, toRange } from './workspacePaths';

/** Fix All asks first when it would start more fix agents than this. */
export const FIX_ALL_CONFIRM_ABOVE = 5;

/** What the review commands work with. */
export interface ReviewDeps {
  server: ServerController;
  store: FindingsStore;
  threads: ReviewThreads;
  log: vscode.LogOutputChannel;
  /** Shows a run in the Agents view (its session made the current one). */
  showRun: (sessionId: string, runId: string) => Promise<void>;
  /** A review's new findings placed in the open documents as they are now (documentTracker.ts `placeInOpenDocuments`). */
  placeInOpenDocuments: (findings: readonly StoredFinding[]) => StoredFinding[];
}

/** Registers the commands on findings. */
export function registerFindingCommands(deps: ReviewDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandIds.applySuggestion, (arg?: unknown) => applySuggestion(deps, arg)),
    vscode.commands.registerCommand(CommandIds.fixWithAgent, async (arg?: unknown) => {
      const finding = findingOf(deps, arg);
      if (finding) await startFix(deps, [finding], `${finding.file}:${finding.startLine}`);
    }),
    vscode.commands.registerCommand(CommandIds.dismissFinding, async (arg?: unknown) => {
      const id = findingIdOf(arg, (thread) => deps.threads.findingOf(thread));
      if (id !== undefined) await deps.store.remove([id]);
    }),
    vscode.commands.registerCommand(CommandIds.fixAllFindings, () => fixAll(deps)),
    vscode.commands.registerCommand(CommandIds.clearFindings, async () => {
      const count = deps.store.all().length;
      await deps.store.clear();
      vscode.window.setStatusBarMessage(`MOCO: ${count} review finding${count === 1 ? '' : 's'} cleared.`, 5_000);
    }),
  );
}

/** The finding a command's argument names, or `undefined` (and a message) when it is gone. */
function findingOf(deps: ReviewDeps, arg: unknown): StoredFinding | undefined {
  const id = findingIdOf(arg, (thread) => deps.threads.findingOf(thread));
  const finding = id === undefined ? undefined : deps.store.get(id);
  if (!finding) void vscode.window.showInformationMessage('This review finding is no longer there: it was dismissed, or its code was changed.');
  return finding;
}

/**
 * Replaces the finding's lines with its suggestion (a `WorkspaceEdit`) and removes the finding.
 * The document is then saved, unless it had unsaved changes before (those are the user's to
 * save). Refuses, with a message, when the lines no longer hold the code that was reviewed.
 */
async function applySuggestion(deps: ReviewDeps, arg: unknown): Promise<void> {
  const finding = findingOf(deps, arg);
  if (!finding) return;
  const uri = findingUri(finding);
  if (!uri) {
    void vscode.window.showWarningMessage(`Open the workspace folder of ${finding.file} to apply the suggestion.`);
    return;
  }
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(uri);
  } catch (error) {
    void vscode.window.showErrorMessage(`${finding.file} cannot be opened to apply the suggestion: ${errorMessage(error)}`);
    return;
  }
  const edit = suggestionEdit(finding, documentLines(document), eolOf(document));
  if (edit.kind === 'refused') {
    void vscode.window.showWarningMessage(edit.reason);
    return;
  }
  const wasDirty = document.isDirty;
  // Removed first, so that the edit, which replaces its lines, is not tracked as a change to it.
  await deps.store.remove([finding.id]);
  const workspaceEdit = new vscode.WorkspaceEdit();
  workspaceEdit.replace(uri, toRange(edit.range), edit.newText);
  if (!(await vscode.workspace.applyEdit(workspaceEdit))) {
    await deps.store.replace(() => false, [finding]);
    void vscode.window.showErrorMessage(`VS Code did not apply the suggestion to ${finding.file}; the finding is kept.`);
    return;
  }
  if (!wasDirty && !(await document.save())) {
    void vscode.window.showWarningMessage(`The suggestion is applied to ${finding.file}, but the file could not be saved.`);
  }
}

/** Fix All: every finding shown (those of the open folders), one fix sub-agent each; asks first when there are many. */
async function fixAll(deps: ReviewDeps): Promise<void> {
  const findings = deps.store.all().filter((finding) => findingUri(finding) !== undefined);
  if (findings.length === 0) {
    void vscode.window.showInformationMessage('There are no review findings to fix.');
    return;
  }
  if (findings.length > FIX_ALL_CONFIRM_ABOVE) {
    const choice = await vscode.window.showWarningMessage(
      `Start ${findings.length} fix agents, one per review finding?`,
      { modal: true, detail: "They run in parallel, as many at once as the profile's max_parallel_tasks allows, and each edits the code of its finding." },
      'Fix All',
    );
    if (choice !== 'Fix All') return;
  }
  await startFix(deps, findings, `${findings.length} finding${findings.length === 1 ? '' : 's'}`);
}

/** Sends `review/fix` (one per workspace folder) and shows the first run in the Agents view. */
async function startFix(deps: ReviewDeps, findings: readonly StoredFinding[], subject: string): Promise<void> {
  // The model fields of the settings; the working directory is the findings' workspace folder.
  const fields = runFields();
  delete fields.workingDir;
  let first: ReviewFixResult | undefined;
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MOCO: starting the fix of ${subject}…`, cancellable: true },
      async (_progress, token) => {
        for (const [key, group] of byFolder(findings)) {
          const folder = folderOf({ ...(key === undefined ? {} : { folder: key }) });
          if (!folder) throw new Error(`The workspace folder of ${group[0]!.file} is not open. Open it (File: Add Folder to Workspace), then fix the finding.`);
          const result = await deps.server.request(
            ReviewFixRequest,
            { ...fields, workingDir: folder.uri.fsPath, findings: group.map(toReviewFinding) },
            token,
          );
          deps.log.info(`Fix of ${group.length} finding(s) started: session ${result.sessionId}, run ${result.runId}.`);
          first ??= result;
        }
      },
    );
  } catch (error) {
    await showErrorWithActions(error, `The fix of ${subject} could not start.`);
    return;
  }
  if (first) await deps.showRun(first.sessionId, first.runId);
}
