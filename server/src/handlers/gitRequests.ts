/**
 * Git handlers: `git/commitMessage`, with the message's text as LSP partial results
 * (`CommitMessageProgress` on the request's `partialResultToken`). The git code lives in the engine
 * bundle (server/src/git, reached through `host.requireModule()`), so that the server's start does
 * not load it.
 */
import type { Connection } from 'vscode-languageserver/node';
import { CommitMessageProgress, CommitMessageRequest, type CommitMessagePartial } from '../../../protocol/git';
import { cancellable } from './cancellation';
import type { EngineHost } from './engineHost';
import { answer } from './wireErrors';

/** Registers `git/commitMessage`. */
export function registerGitHandlers(connection: Connection, host: EngineHost): void {
  const log = (message: string): void => connection.console.error(message);

  connection.onRequest(CommitMessageRequest, (params, token) =>
    answer(async () => {
      const { engine, module } = await host.requireModule();
      const progressToken = params.partialResultToken;
      // Without a token the client only wants the result: the partials go nowhere.
      const onPartial = (partial: CommitMessagePartial): void => {
        if (progressToken !== undefined) void connection.sendProgress(CommitMessageProgress, progressToken, partial);
      };
      return cancellable(token, 'Writing the commit message', (signal) => module.writeCommitMessage(engine, params, onPartial, signal));
    }, log),
  );
}
