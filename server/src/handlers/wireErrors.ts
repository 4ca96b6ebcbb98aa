/**
 * Turns the engine's errors into JSON-RPC `ResponseError`s: errors with a `MocoErrorCodes` code
 * keep it and their message; anything else is `Internal` (1500), logged with its stack.
 */
import { ResponseError } from 'vscode-languageserver/node';
import { MocoErrorCodes } from '../../../protocol/errors';

/** Maps an error to a `ResponseError` for the client. */
export function toResponseError(error: unknown, log: (message: string) => void): ResponseError<void> {
  if (error instanceof ResponseError) return error as ResponseError<void>;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof Error && typeof code === 'number') return new ResponseError(code, error.message);
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  const message = error instanceof Error ? error.message : String(error);
  return new ResponseError(MocoErrorCodes.Internal, `Internal error in the MOCO server: ${message}. See MOCO: Show Logs.`);
}

/** Runs a handler body and rethrows its failure as a {@link toResponseError} error. */
export async function answer<T>(body: () => T | Promise<T>, log: (message: string) => void): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toResponseError(error, log);
  }
}
