/**
 * Git handlers: `git/commitMessage`, with the message's text as LSP partial results
 * (`CommitMessageProgress` on the request's `partialResultToken`). The git code lives in the engine
 * bundle (server/src/git, reached through `host.requireModule()`), so that the server's start does
 * not load it.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { CommitMessageProgress, CommitMessageRequest, type CommitMessagePartial } from '../../../protocol/git';
import type { EngineHost } from './engineHost';
import { answer } from './wireErrors';

/** Registers `git/commitMessage`. */
export function registerGitHandlers(connection: Connection, host: EngineHost): void {
  const log = (message: string): void => connection.console.error(message);

  connection.onRequest(CommitMessageRequest, (params, token) =>
    answer(async () => {
      const { engine, module } = await host.requireModule();
      const { signal, dispose } = abortSignalOf(token);
      const progressToken = params.partialResultToken;
      // Without a token the client only wants the result: the partials go nowhere.
      const onPartial = (partial: CommitMessagePartial): void => {
        if (progressToken !== undefined) void connection.sendProgress(CommitMessageProgress, progressToken, partial);
      };
      try {
        return await module.writeCommitMessage(engine, params, onPartial, signal);
      } catch (error) {
        // Cancelling is not an error to show (CONVENTIONS.md §4): the client gets RequestCancelled.
        if (signal.aborted) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Writing the commit message was cancelled.');
        throw error;
      } finally {
        dispose();
      }
    }, log),
  );
}

/** An AbortSignal that aborts when the request's token is cancelled; `dispose` stops listening. */
function abortSignalOf(token: CancellationToken): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}
