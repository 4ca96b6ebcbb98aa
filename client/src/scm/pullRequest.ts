/**
 * `MOCO: Create Pull Request`: asks whether to open a draft, then has the server push the branch,
 * write the title and body, and open the pull request on GitHub (`pr/create`), in a cancellable
 * notification. The result offers to open the pull request's page; `GitHubAuthRequired` offers to
 * sign in to GitHub and try again.
 */
import * as vscode from 'vscode';
import { PullRequestCreateRequest, type PullRequestCreateParams } from '../../../protocol/git';
import { CommandIds, SettingIds } from '../../../protocol/ids';
import { errorCode } from '../commands/errorActions';
import { isCancellation } from '../commands/showError';
import { errorMessage } from '../errorMessage';
import { signInToGitHub } from '../github/session';
import { commitLanguage, gitRunFields, repositoryFor, showFailure, type ScmDeps } from './scmUi';
import { draftChoices, OpenLabel, pullRequestFailure, pullRequestOpenedMessage, SignInLabel } from './scmOutcomes';

/** The cancellable notification's title while the pull request is opened. */
export const OpeningTitle = 'MOCO: opening a pull request…';

/**
 * Runs the command.
 * @param argument the `scm/title` menu's `SourceControl`, or nothing from the palette.
 */
export async function createPullRequest(deps: ScmDeps, argument?: unknown): Promise<void> {
  const repository = await repositoryFor(argument, 'Create Pull Request', pullRequestFailure);
  if (!repository) return;
  const config = vscode.workspace.getConfiguration(undefined, repository.rootUri);
  const draft = await askDraft(config.get<unknown>(SettingIds.githubDraftPullRequests) === true);
  if (draft === undefined) return;
  const apiUrl = config.get<unknown>(SettingIds.githubApiUrl);
  const params: PullRequestCreateParams = {
    ...gitRunFields(),
    repositoryPath: repository.rootUri.fsPath,
    draft,
    language: commitLanguage(config, SettingIds.gitCommitLanguage),
    apiUrl: typeof apiUrl === 'string' && apiUrl.trim() !== '' ? apiUrl.trim() : undefined,
  };
  await openPullRequest(deps, params);
}

/**
 * "Open as draft?": Ready for review or Draft, `moco.github.draftPullRequests`'s answer preselected.
 * @returns the answer; `undefined` when the user pressed Escape.
 */
async function askDraft(draftByDefault: boolean): Promise<boolean | undefined> {
  const { items, active } = draftChoices(draftByDefault);
  const pick = vscode.window.createQuickPick<(typeof items)[number]>();
  pick.title = 'Create Pull Request';
  pick.placeholder = 'Open as draft?';
  pick.items = items;
  pick.activeItems = [active];
  try {
    return await new Promise<boolean | undefined>((resolve) => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0]?.draft ?? pick.activeItems[0]?.draft));
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}

/** Sends `pr/create` and shows its outcome; after a sign-in the user asked for, sends it again. */
async function openPullRequest(deps: ScmDeps, params: PullRequestCreateParams): Promise<void> {
  const { server, log } = deps;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: OpeningTitle, cancellable: true },
      (_progress, token) => server.request(PullRequestCreateRequest, params, token),
    );
    log.info(
      `Pull request #${result.number} ${result.existing ? 'was already open' : 'opened'} for ${params.repositoryPath}: ` +
        `${result.branch} → ${result.base}${result.createdBranch ? ' (new branch)' : ''}${result.draft ? ', draft' : ''}, ${result.url}`,
    );
    const choice = await vscode.window.showInformationMessage(pullRequestOpenedMessage(result), OpenLabel);
    if (choice === OpenLabel) await vscode.env.openExternal(vscode.Uri.parse(result.url));
  } catch (error) {
    if (isCancellation(error)) {
      log.info(`Pull request for ${params.repositoryPath}: cancelled.`);
      return;
    }
    log.warn(`Pull request for ${params.repositoryPath}: ${errorMessage(error)}`);
    const display = pullRequestFailure(errorCode(error), errorMessage(error));
    if (display.kind !== 'signIn') {
      await showFailure(display, error);
      return;
    }
    const choice = await vscode.window.showErrorMessage(display.message, SignInLabel);
    if (choice === SignInLabel && (await signInToGitHub(log))) await openPullRequest(deps, params);
  }
}

/** Registers the command. */
export function registerPullRequestCommand(deps: ScmDeps): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.createPullRequest, (argument?: unknown) => createPullRequest(deps, argument));
}
