/**
 * Turns whatever was thrown or rejected into one sentence for the user. Kept apart from the
 * modules that import `vscode` so it can be unit-tested without VS Code.
 */

/**
 * @param error a JSON-RPC `ResponseError` (its message already says what to do, see
 *   `StorageUnavailableError`), a Node error from spawning or stopping the server, or anything else.
 * @returns a sentence that says what went wrong, for an error notification and the logs.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { message } = error as { message?: unknown };
    if (typeof message === 'string' && message !== '') return message;
  }
  return `Unexpected failure: ${String(error)}`;
}
