/**
 * `MOCO: Review Current File`, `Review Selection` and `Review Changes`: each sends `review/run`
 * under a cancellable progress notification, then puts the answer's findings in place of the
 * earlier ones of what was reviewed (reviewOutcome.ts), and says what was skipped or noted.
 */
import * as vscode from 'vscode';
import { CommandIds, SettingIds } from '../../../protocol/ids';
import { ReviewRunRequest, type ReviewRunResult, type ReviewTarget } from '../../../protocol/review';
import { showErrorWithActions } from '../commands/showError';
import { runFields } from '../settings';
import type { ReviewDeps } from './findingCommands';
import { replacedBy, reviewMessage, selectionLines, toStoredFindings, type ReviewScope } from './reviewOutcome';
import { folderKey, placeOf } from './workspacePaths';

/** Registers the three review commands. */
export function registerReviewCommands(deps: ReviewDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandIds.reviewFile, () => reviewEditor(deps, false)),
    vscode.commands.registerCommand(CommandIds.reviewSelection, () => reviewEditor(deps, true)),
    vscode.commands.registerCommand(CommandIds.reviewChanges, () => reviewChanges(deps)),
  );
}

/** Reviews the active editor's file, or its selected lines. */
async function reviewEditor(deps: ReviewDeps, selectionOnly: boolean): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(`Open a file in an editor to review ${selectionOnly ? 'its selection' : 'it'}.`);
    return;
  }
  const { document, selection } = editor;
  const located = placeOf(document.uri);
  if (!located) {
    const what = document.isUntitled ? 'This file is not saved yet' : `${document.uri.fsPath || document.uri.toString()} is not in the workspace`;
    void vscode.window.showWarningMessage(`${what}: MOCO reviews files of the open workspace folders. Save it in the workspace, or open its folder.`);
    return;
  }
  const { folder, place } = located;
  let target: ReviewTarget;
  let scope: ReviewScope;
  let subject = place.file;
  if (selectionOnly) {
    if (selection.isEmpty) {
      void vscode.window.showInformationMessage('Select the lines to review, then run MOCO: Review Selection.');
      return;
    }
    const lines = selectionLines(selection.start, selection.end);
    target = { kind: 'selection', file: place.file, ...lines, content: document.getText() };
    scope = { kind: 'selection', ...place, ...lines };
    subject = `${place.file}:${lines.startLine}–${lines.endLine}`;
  } else {
    target = { kind: 'file', file: place.file, content: document.getText() };
    scope = { kind: 'file', ...place };
  }
  await review(deps, folder, target, scope, subject);
}

/** Reviews the changes of the active editor's workspace folder, else of the first one. */
async function reviewChanges(deps: ReviewDeps): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Open a folder with a git repository to review its changes.');
    return;
  }
  await review(deps, folder, { kind: 'changes' }, { kind: 'changes', folder: folderKey(folder) }, `the changes of ${folder.name}`);
}

/** Sends `review/run`, stores its findings and tells the user. Errors are shown, cancellation is not. */
async function review(deps: ReviewDeps, folder: vscode.WorkspaceFolder, target: ReviewTarget, scope: ReviewScope, subject: string): Promise<void> {
  // The model fields of the settings; the working directory is the findings' workspace folder.
  const fields = runFields();
  delete fields.workingDir;
  const agent = vscode.workspace.getConfiguration(undefined, folder.uri).get<string>(SettingIds.reviewAgent)?.trim();
  let result: ReviewRunResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MOCO: reviewing ${subject}…`, cancellable: true },
      (_progress, token) =>
        deps.server.request(ReviewRunRequest, { ...fields, workingDir: folder.uri.fsPath, target, ...(agent ? { agent } : {}) }, token),
    );
  } catch (error) {
    await showErrorWithActions(error, `The review of ${subject} failed.`);
    return;
  }
  deps.log.info(`Review of ${subject} by ${result.agent} (session ${result.sessionId}, run ${result.runId}): ${result.findings.length} finding(s), ${result.skipped.length} skipped.`);
  // Placed in the editor's text as it is now, not as the reviewer read it (the file on disk, or the text when the review began).
  const found = deps.placeInOpenDocuments(toStoredFindings(result, scope.folder));
  deps.threads.expand(found.map((f) => f.id));
  await deps.store.replace(replacedBy(scope, result.reviewedFiles), found);
  const message = reviewMessage(result, subject);
  for (const line of message.details) deps.log.info(`Review of ${subject}: ${line}`);
  if (message.kind === 'warning') {
    void vscode.window.showWarningMessage(message.text, 'Show Details').then((choice) => choice && deps.log.show(true));
  } else if (message.kind === 'information') {
    void vscode.window.showInformationMessage(message.text);
  }
}
