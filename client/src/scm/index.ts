/**
 * The editor's side of git: `MOCO: Generate Commit Message` (the Source Control title button),
 * `MOCO: Create Pull Request`, and the answer to the server's `github/session`.
 */
import * as vscode from 'vscode';
import { registerGitHubSession } from '../github/session';
import { registerCommitMessageCommand } from './commitMessage';
import { registerPullRequestCommand } from './pullRequest';
import type { ScmDeps } from './scmUi';

export type { ScmDeps } from './scmUi';

/** Registers the git commands and the `github/session` handler. */
export function registerScm(deps: ScmDeps): vscode.Disposable {
  return vscode.Disposable.from(
    registerCommitMessageCommand(deps),
    registerPullRequestCommand(deps),
    registerGitHubSession(deps.server, deps.log),
  );
}
