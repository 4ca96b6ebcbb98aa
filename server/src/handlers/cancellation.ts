/**
 * A request's cancellation token as the `AbortSignal` the services take (CONVENTIONS.md §4), and a
 * cancelled request answered as LSP's `RequestCancelled`, never as an error to show.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver/node';

/**
 * Runs `body` with a signal that aborts when `token` is cancelled.
 * @param what the work, for the cancelled answer's message: `Writing the commit message`.
 * @throws {ResponseError} `RequestCancelled` (-32800) when the request was cancelled (or the body
 *   ended with an `AbortError`); `body`'s own errors otherwise.
 */
export async function cancellable<T>(token: CancellationToken, what: string, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const listener = token.onCancellationRequested(() => controller.abort());
  try {
    return await body(controller.signal);
  } catch (error) {
    if (controller.signal.aborted || (error instanceof Error && error.name === 'AbortError')) {
      throw new ResponseError(LSPErrorCodes.RequestCancelled, `${what} was cancelled.`);
    }
    throw error;
  } finally {
    listener.dispose();
  }
}
