/**
 * Review handlers: `review/run`. The review code lives in the engine bundle (server/src/review,
 * reached through `host.requireModule()`), so that the server's start does not load it.
 * (`review/fix` is handled with the run requests.)
 */
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { ReviewRunRequest } from '../../../protocol/review';
import type { EngineHost } from './engineHost';
import { answer } from './wireErrors';

/** Registers the review handlers. */
export function registerReviewHandlers(connection: Connection, host: EngineHost): void {
  const log = (message: string): void => connection.console.error(message);

  connection.onRequest(ReviewRunRequest, (params, token) =>
    answer(async () => {
      const { engine, module } = await host.requireModule();
      const { signal, dispose } = abortSignalOf(token);
      try {
        return await module.runReview(engine, params, signal);
      } catch (error) {
        // Cancelling is not an error to show (CONVENTIONS.md §4): the client gets RequestCancelled.
        if (signal.aborted || (error instanceof Error && error.name === 'AbortError')) {
          throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The review was cancelled.');
        }
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
