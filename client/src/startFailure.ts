/**
 * Turns whatever `LanguageClient.start()` rejected with into one sentence for the user.
 * Kept apart from `languageClient.ts` so it can be unit-tested without VS Code.
 */

/**
 * @param error the rejection of `LanguageClient.start()`: a JSON-RPC `ResponseError` from the
 *   server's `initialize` (its message already says what to do, see `StorageUnavailableError`), a
 *   Node error from spawning the process, or anything else.
 * @returns a sentence that says what went wrong, for an error notification and the logs.
 */
export function describeStartFailure(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { message } = error as { message?: unknown };
    if (typeof message === 'string' && message !== '') return message;
  }
  return `Unexpected failure: ${String(error)}`;
}
