/**
 * The editor's side shared by the git commands: finding the repository a command works on (through
 * the built-in Git extension) and showing a failure as scmOutcomes.ts decides.
 */
import * as vscode from 'vscode';
import type { GitRunFields } from '../../../protocol/git';
import { errorCode } from '../commands/errorActions';
import { showErrorWithActions } from '../commands/showError';
import { errorMessage } from '../errorMessage';
import type { ServerController } from '../languageClient';
import { runFields } from '../settings';
import { GitExtensionId, GitUnavailableError, openGitApi, type GitExtensionHandle, type GitRepository } from './gitApi';
import { chooseRepository, repositoryPickItem } from './repositoryChoice';
import type { FailureDisplay } from './scmOutcomes';

/** What the git commands need. */
export interface ScmDeps {
  server: ServerController;
  log: vscode.LogOutputChannel;
}

/**
 * The repository a command works on (repositoryChoice.ts): the `scm/title` button's source
 * control, the only repository, the active editor's, or one the user picks.
 *
 * @param argument the command's first argument.
 * @returns `undefined` when the user closed the pick.
 * @throws {GitUnavailableError} when the Git extension is off or no repository is open.
 */
export async function pickRepository(argument: unknown, title: string): Promise<GitRepository | undefined> {
  const extension = vscode.extensions.getExtension<GitExtensionHandle['exports']>(GitExtensionId);
  const { repositories } = await openGitApi(extension);
  const active = vscode.window.activeTextEditor?.document.uri;
  const choice = chooseRepository(repositories, { argument, activeFile: active?.scheme === 'file' ? active.fsPath : undefined });
  if (choice.kind === 'chosen') return choice.repository;
  const picked = await vscode.window.showQuickPick(choice.repositories.map(repositoryPickItem), {
    title,
    placeHolder: 'The repository to work on',
  });
  return picked?.repository;
}

/** The run fields of a git request (profile, provider, model, base URL) from MOCO's settings. */
export function gitRunFields(): GitRunFields {
  const { profile, provider, model, baseURL } = runFields();
  return { profile, provider, model, baseURL };
}

/** `moco.git.commitLanguage` for the repository's folder; `undefined` when empty. */
export function commitLanguage(config: vscode.WorkspaceConfiguration, id: string): string | undefined {
  const value = config.get<unknown>(id);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The repository a command works on ({@link pickRepository}); when there is none to be had (no
 * git extension, no repository), shows why through `failure` and resolves undefined, as it does
 * when the user cancels the pick.
 */
export async function repositoryFor(argument: unknown, title: string, failure: (code: number | undefined, message: string) => FailureDisplay): Promise<GitRepository | undefined> {
  try {
    return await pickRepository(argument, title);
  } catch (error) {
    await showFailure(failure(errorCode(error), errorMessage(error)), error);
    return undefined;
  }
}

/**
 * Shows a failure: a {@link GitUnavailableError} as its message, else as `display` says
 * (`withActions`: the error's fixes as buttons; `signIn` is the caller's to handle).
 */
export async function showFailure(display: FailureDisplay, error: unknown): Promise<void> {
  if (error instanceof GitUnavailableError) {
    void vscode.window.showErrorMessage(error.message);
    return;
  }
  switch (display.kind) {
    case 'none':
      return;
    case 'information':
      void vscode.window.showInformationMessage(display.message);
      return;
    case 'warning':
      void vscode.window.showWarningMessage(display.message);
      return;
    case 'error':
    case 'signIn':
      void vscode.window.showErrorMessage(display.message);
      return;
    case 'withActions':
      await showErrorWithActions(error, display.prefix);
  }
}
