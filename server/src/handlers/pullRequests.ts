/**
 * Pull requests on the connection: `pr/create` (the service is in the engine bundle, reached
 * through `host.requireModule()`), and the editor's GitHub token for the engine (`github/session`,
 * else `GITHUB_TOKEN`). The token is handed on in memory for one request: never logged or stored.
 */
import { ErrorCodes, type Connection } from 'vscode-languageserver/node';
import { GitHubSessionRequest, PullRequestCreateRequest } from '../../../protocol/git';
import { cancellable } from './cancellation';
import type { EngineHost } from './engineHost';
import { answer } from './wireErrors';

/** Registers `pr/create`: the user started it, so they may be asked to sign in to GitHub. */
export function registerPullRequestHandlers(connection: Connection, host: EngineHost): void {
  const log = (message: string): void => connection.console.error(message);
  connection.onRequest(PullRequestCreateRequest, (params, token) =>
    answer(async () => {
      const { engine, module } = await host.requireModule();
      return cancellable(token, 'Opening the pull request', (signal) => module.createPullRequest(engine, params, true, signal));
    }, log),
  );
}

/**
 * The engine's GitHub token source in the editor (EngineSettings.githubToken): a session of VS
 * Code's GitHub sign-in with the `repo` scope (`github/session`, asking the user to sign in when
 * `interactive`), else `GITHUB_TOKEN` of the server's environment. A client without the handler
 * (MethodNotFound), a failed request or an empty answer give the variable, or undefined.
 * @param log receives a line when the request fails for another reason than MethodNotFound (never the token).
 */
export function editorGitHubToken(
  connection: Pick<Connection, 'sendRequest'>,
  log: (message: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): (interactive: boolean) => Promise<string | undefined> {
  return async (interactive) => {
    try {
      const session = await connection.sendRequest(GitHubSessionRequest, { scopes: ['repo'], createIfNone: interactive });
      if (session?.accessToken) return session.accessToken;
    } catch (error) {
      const code = (error as { code?: unknown } | undefined)?.code;
      if (code !== ErrorCodes.MethodNotFound) log(`github/session failed (${error instanceof Error ? error.message : String(error)}); using GITHUB_TOKEN if it is set.`);
    }
    return env.GITHUB_TOKEN || undefined;
  };
}
