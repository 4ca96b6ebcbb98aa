/**
 * Building tool results, and the guard that turns an unexpected failure of an implementation into
 * a result the model can read (CONVENTIONS.md §5). Only an abort escapes, as `signal.reason`.
 */
import type { ToolImplementation, ToolResult } from './types';
import type { z } from 'zod';

/** A successful result: `content` for the model, `summary` (one line) for the user. */
export function okResult(content: string, summary: string): ToolResult {
  return { content, summary };
}

/**
 * A failed result. `message` says what is wrong and what to do; the summary is its first
 * sentence unless given.
 */
export function errorResult(message: string, summary?: string): ToolResult {
  return { content: message, summary: summary ?? firstSentence(message), isError: true };
}

function firstSentence(message: string): string {
  const end = message.search(/[;.]\s/);
  const sentence = end === -1 ? message : message.slice(0, end);
  return sentence.length > 120 ? `${sentence.slice(0, 117)}...` : sentence;
}

/**
 * Wraps an implementation so that it never throws, except `signal.reason` (an `AbortError` unless
 * the caller aborted with another reason) when `signal` aborts. Any other error becomes an error
 * result naming the tool, the cause, and what to do.
 */
export function guarded<A extends z.ZodType>(toolName: string, implementation: ToolImplementation<A>): ToolImplementation<A> {
  return async (args, context, signal) => {
    signal.throwIfAborted();
    try {
      return await implementation(args, context, signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      return errorResult(`${toolName} failed: ${describeError(error)}`);
    }
  };
}

/**
 * Words for a file-system error, with what to do: `permission denied (EACCES) ...; check the
 * file's permissions or use another path`. Falls back to the error's message.
 */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${message}); check the file's permissions or use another path`;
    case 'ENOENT':
      return `no such file or folder (${message}); check the path with list_dir or glob_search`;
    case 'ENOTDIR':
      return `a part of the path is a file, not a folder (${message}); check the path with list_dir`;
    case 'EISDIR':
      return `the path is a folder, not a file (${message}); use list_dir or tree for folders`;
    case 'ENOSPC':
      return `the disk is full (${message}); free some space and try again`;
    case 'EROFS':
      return `the file system is read-only (${message}); the file cannot be changed`;
    default:
      return `${message}; try again or use another approach`;
  }
}
