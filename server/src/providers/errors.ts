/**
 * Errors of the model providers. A {@link ProviderError} is the only error a provider lets out
 * besides an abort; its `code` is one of `MocoErrorCodes` (protocol/errors.ts) so that the server
 * can send it over JSON-RPC unchanged, and its message tells the user what to change.
 */
import { APIUserAbortError } from 'openai';
import type { MocoErrorCode, MocoErrorCodes } from '../../../protocol/errors';

/** The `MocoErrorCodes` a provider uses. */
export type ProviderErrorCode =
  | typeof MocoErrorCodes.ProviderNotConfigured
  | typeof MocoErrorCodes.ProviderUnavailable
  | typeof MocoErrorCodes.ModelUnsuitable
  | typeof MocoErrorCodes.ProviderResponseInvalid
  | typeof MocoErrorCodes.ProviderRejected;

/** A provider call that failed for good, with a message for the user. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  /** One of `MocoErrorCodes`: ProviderNotConfigured, ProviderUnavailable, ModelUnsuitable, ProviderResponseInvalid, ProviderRejected. */
  readonly code: MocoErrorCode;
  /** HTTP status of the endpoint's last answer, when there was one. */
  readonly status?: number;
  /** How long the endpoint asked to wait before trying again (ms), from `Retry-After`. */
  readonly retryAfterMs?: number;

  constructor(
    code: ProviderErrorCode,
    message: string,
    details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/**
 * A stream that ended before its `finish_reason`, failed halfway, or went silent for longer than
 * the idle timeout. Internal to the providers: it is retried, and becomes a
 * {@link ProviderError} `ProviderResponseInvalid` when retries run out.
 */
export class StreamInterruptedError extends Error {
  override readonly name = 'StreamInterruptedError';
  /** True when the stream went silent (idle timeout) rather than being cut or failing. */
  readonly idle: boolean;

  constructor(message: string, options: { idle?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.idle = options.idle ?? false;
  }
}

/**
 * Whether `error` is an abort: a `DOMException`/`Error` named `AbortError` (what
 * `AbortSignal.abort()` gives as its reason) or the SDK's `APIUserAbortError`.
 */
export function isAbortError(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return true;
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * Throws the abort reason of `signal` when it is aborted: `signal.reason`, or an `AbortError`
 * when the reason is not an error object.
 */
export function throwIfAborted(signal: AbortSignal): void {
  if (!signal.aborted) return;
  throw abortReason(signal);
}

/** The error to throw for an aborted `signal`: its reason, or a new `AbortError` when that is no error. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * Settles like `promise`, or rejects with the abort reason as soon as `signal` aborts (the
 * promise itself goes on; its late rejection is ignored).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  void promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
