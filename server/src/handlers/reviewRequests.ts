/**
 * Review handlers: `review/run`. The review code lives in the engine bundle (server/src/review,
 * reached through `host.requireModule()`), so that the server's start does not load it.
 * (`review/fix` is handled with the run requests.)
 */
import type { Connection } from 'vscode-languageserver/node';
import { ReviewRunRequest } from '../../../protocol/review';
import { cancellable } from './cancellation';
import type { EngineHost } from './engineHost';
import { answer } from './wireErrors';

/** Registers the review handlers. */
export function registerReviewHandlers(connection: Connection, host: EngineHost): void {
  const log = (message: string): void => connection.console.error(message);

  connection.onRequest(ReviewRunRequest, (params, token) =>
    answer(async () => {
      const { engine, module } = await host.requireModule();
      return cancellable(token, 'The review', (signal) => module.runReview(engine, params, signal));
    }, log),
  );
}
