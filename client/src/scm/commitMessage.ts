/**
 * `MOCO: Generate Commit Message` (the Source Control title button): asks the server for a message
 * describing the repository's staged changes (all changes when none are staged) and streams it into
 * the repository's SCM input box. Progress shows in the Source Control view and in a cancellable
 * notification; a failure or a cancellation gives the box back what it held.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { CommandIds, SettingIds } from '../../../protocol/ids';
import { CommitMessageProgress, CommitMessageRequest, type CommitMessageParams, type CommitMessageResult } from '../../../protocol/git';
import { errorCode } from '../commands/errorActions';
import { isCancellation } from '../commands/showError';
import { errorMessage } from '../errorMessage';
import type { GitRepository } from './gitApi';
import { InputBoxStream } from './inputBoxStream';
import { commitLanguage, gitRunFields, repositoryFor, showFailure, type ScmDeps } from './scmUi';
import { commitMessageFailure, commitNotesMessage } from './scmOutcomes';

/** The cancellable notification's title while the message is written. */
export const WritingTitle = 'MOCO: writing the commit message…';

/**
 * Runs the command.
 * @param argument the `scm/title` button's `SourceControl`, or nothing from the palette.
 */
export async function generateCommitMessage(deps: ScmDeps, argument?: unknown): Promise<void> {
  const repository = await repositoryFor(argument, 'Generate Commit Message', commitMessageFailure);
  if (!repository) return;
  await writeInto(deps, repository);
}

async function writeInto({ server, log }: ScmDeps, repository: GitRepository): Promise<void> {
  const repositoryPath = repository.rootUri.fsPath;
  const config = vscode.workspace.getConfiguration(undefined, repository.rootUri);
  const partialResultToken = randomUUID();
  const params: CommitMessageParams = {
    ...gitRunFields(),
    repositoryPath,
    language: commitLanguage(config, SettingIds.gitCommitLanguage),
    partialResultToken,
  };
  const stream = new InputBoxStream(repository.inputBox);
  const partials = server.onProgress(CommitMessageProgress, partialResultToken, (partial) => stream.partial(partial));
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.SourceControl }, () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: WritingTitle, cancellable: true }, (_progress, token) =>
        server.request(CommitMessageRequest, params, token),
      ),
    );
    stream.finish(result.message);
    report(log, repositoryPath, result);
  } catch (error) {
    stream.restore();
    if (isCancellation(error)) {
      log.info(`Commit message for ${repositoryPath}: cancelled.`);
      return;
    }
    log.warn(`Commit message for ${repositoryPath}: ${errorMessage(error)}`);
    await showFailure(commitMessageFailure(errorCode(error), errorMessage(error)), error);
  } finally {
    partials.dispose();
  }
}

/** Logs what the message cost and says its notes (a cut diff, summarised files, broken rules). */
function report(log: vscode.LogOutputChannel, repositoryPath: string, result: CommitMessageResult): void {
  const { usage, costUsd, scope, notes } = result;
  log.info(
    `Commit message for ${repositoryPath} (${scope === 'staged' ? 'staged changes' : 'all changes'}): ` +
      `${usage.inputTokens} tokens in, ${usage.outputTokens} out, $${costUsd.toFixed(4)}.`,
  );
  for (const note of notes) log.info(`Commit message note: ${note}`);
  const said = commitNotesMessage(notes);
  if (said) void vscode.window.showInformationMessage(said);
}

/** Registers the command. */
export function registerCommitMessageCommand(deps: ScmDeps): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.generateCommitMessage, (argument?: unknown) => generateCommitMessage(deps, argument));
}
