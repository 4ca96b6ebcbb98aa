/**
 * The orchestrator's small error taxonomy (after openai-agents-js): user errors (bad profile,
 * unknown agent), provider errors, limits, and everything else as internal. Each carries a
 * `MocoErrorCodes` code so that it crosses JSON-RPC as a `RunError` unchanged.
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import type { LimitKind, RunError } from '../../../protocol/run';

/** An error with a code from protocol/errors.ts and a message for the user. */
export class MocoError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'MocoError';
  }
}

/** A limit the model cannot switch off stopped the run (max turns, budget, input length...). */
export class LimitError extends MocoError {
  constructor(
    readonly limit: LimitKind,
    message: string,
  ) {
    super(limit === 'tokenBudget' || limit === 'costBudget' ? MocoErrorCodes.BudgetExceeded : MocoErrorCodes.LimitReached, message);
    this.name = 'LimitError';
  }
}

/** The reason given to `AbortController.abort()` when the user cancels a run. */
export class CancelledError extends Error {
  constructor(message = 'The run was cancelled.') {
    super(message);
    this.name = 'AbortError';
  }
}

/** Maps any error to the `RunError` stored on the node and sent to the client. */
export function toRunError(error: unknown): RunError {
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  if (error instanceof Error && typeof code === 'number') return { code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: MocoErrorCodes.Internal, message: `Internal error: ${message}. The server log has the details.` };
}
