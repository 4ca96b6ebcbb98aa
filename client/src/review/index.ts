/**
 * Inline code review in the editor: the findings of `review/run` as comment threads, problems
 * and quick fixes, kept per workspace and moving with their text; the review commands and the
 * commands on findings. `registerReview` is all extension.ts calls.
 */
import * as vscode from 'vscode';
import type { ServerController } from '../languageClient';
import { ReviewThreads } from './commentThreads';
import { FindingTracker } from './documentTracker';
import { registerFindingCommands } from './findingCommands';
import { FindingsStore, type StoredFinding } from './findingsStore';
import { ReviewCodeActions, ReviewDiagnostics } from './problems';
import { registerReviewCommands } from './reviewCommands';
import { openFolders } from './workspacePaths';

/** What inline review needs from the extension. */
export interface ReviewRegistration {
  context: vscode.ExtensionContext;
  server: ServerController;
  log: vscode.LogOutputChannel;
  /** Shows a run in the Agents view (its session made the Chat view's): Fix with Agent calls it. */
  showRun: (sessionId: string, runId: string) => Promise<void>;
}

/**
 * Loads the workspace's findings, shows them, and registers the review commands. The findings'
 * files are checked in the background (their text may have moved while VS Code was closed).
 * Findings of a workspace folder that is not open are kept, unshown; when the folder is added
 * again, they show, placed against its files as they are then.
 */
export function registerReview(deps: ReviewRegistration): vscode.Disposable {
  const { context, server, log, showRun } = deps;
  const store = new FindingsStore(context.workspaceState, { folders: openFolders(), onProblem: (problem) => log.warn(`Review: ${problem}`) });
  const threads = new ReviewThreads(store);
  const diagnostics = new ReviewDiagnostics(store);
  const tracker = new FindingTracker(store, log);
  void tracker.relocateAll();
  const commandDeps = { server, store, threads, log, showRun, placeInOpenDocuments: (findings: readonly StoredFinding[]) => tracker.placeInOpenDocuments(findings) };
  return vscode.Disposable.from(
    threads,
    diagnostics,
    tracker,
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      threads.sync();
      diagnostics.sync();
      void tracker.relocateAll();
    }),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new ReviewCodeActions(store), ReviewCodeActions.metadata),
    registerReviewCommands(commandDeps),
    registerFindingCommands(commandDeps),
  );
}
