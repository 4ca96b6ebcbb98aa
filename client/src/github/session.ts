/**
 * The editor's GitHub sign-in: answers the server's `github/session` with a session of VS Code's
 * GitHub authentication provider (`vscode.authentication.getSession('github', scopes)`), and signs
 * in on the user's request ("Sign in to GitHub" after `GitHubAuthRequired`). The token is handed to
 * the server for one request and is never logged.
 */
import * as vscode from 'vscode';
import { GitHubSessionRequest, type GitHubSessionParams, type GitHubSessionResult } from '../../../protocol/git';
import { errorMessage } from '../errorMessage';
import type { ServerController } from '../languageClient';

/** The id of VS Code's GitHub authentication provider (the built-in `vscode.github-authentication`). */
export const GitHubAuthProviderId = 'github';
/** The OAuth scopes a pull request needs: `repo` (push and open pull requests on private repositories too). */
export const PullRequestScopes: readonly string[] = ['repo'];

/** Registers the `github/session` handler (on every server the controller starts). */
export function registerGitHubSession(server: ServerController, log: vscode.LogOutputChannel): vscode.Disposable {
  return server.onRequest(GitHubSessionRequest, (params) => gitHubSession(params, log));
}

/**
 * A GitHub session for the server. With `createIfNone` the user is asked to sign in when there is
 * no session; without it, the question stays silent (no badge on the Accounts menu). A declined
 * sign-in, a missing provider or any other failure gives `{}`, never an error: the server then
 * says `GitHubAuthRequired` in its own words.
 */
export async function gitHubSession(params: GitHubSessionParams, log: vscode.LogOutputChannel): Promise<GitHubSessionResult> {
  const session = await getGitHubSession(params.scopes, params.createIfNone, log);
  return session ? { accessToken: session.accessToken, account: session.account.label } : {};
}

/**
 * Asks the user to sign in to GitHub (VS Code's own dialog) with the scopes a pull request needs.
 * @returns whether there is a session now; a declined sign-in is logged and gives false.
 */
export async function signInToGitHub(log: vscode.LogOutputChannel): Promise<boolean> {
  return (await getGitHubSession(PullRequestScopes, true, log)) !== undefined;
}

async function getGitHubSession(scopes: readonly string[], createIfNone: boolean, log: vscode.LogOutputChannel): Promise<vscode.AuthenticationSession | undefined> {
  const wanted = scopes.join(' ') || '(no scopes)';
  try {
    const options: vscode.AuthenticationGetSessionOptions = createIfNone ? { createIfNone: true } : { silent: true };
    const session = await vscode.authentication.getSession(GitHubAuthProviderId, [...scopes], options);
    if (session) log.info(`GitHub: using the session of ${session.account.label} (scopes ${wanted}).`);
    else log.info(`GitHub: no session with the scopes ${wanted}${createIfNone ? '' : ' (not asking to sign in)'}.`);
    return session;
  } catch (error) {
    // The user closed the sign-in dialog, or no GitHub authentication provider is available.
    log.warn(`GitHub: no session with the scopes ${wanted}: ${errorMessage(error)}`);
    return undefined;
  }
}
