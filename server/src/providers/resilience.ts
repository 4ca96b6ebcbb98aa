/**
 * Retries and circuit breakers for provider calls, on `cockatiel` (the kOS design, DESIGN.md
 * "Resilience"): exponential backoff with jitter (3 attempts, 200 ms base by default) that
 * honours `Retry-After`, and one circuit breaker per endpoint, shared by every call in the
 * process (5 failures in a row open it; it lets one trial call through after 30 s).
 *
 * What is retried: HTTP 408, 409, 429 and 5xx, network errors, and streams cut halfway or gone
 * silent. What is not: 400, 401, 403, 404, 422 (the request or the key is wrong; retrying cannot
 * help), aborts, and a Retry-After longer than `maxRetryAfterMs`.
 */
import {
  ConsecutiveBreaker,
  DelegateBackoff,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  retry,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IRetryBackoffContext,
} from 'cockatiel';
import { APIConnectionError, APIError } from 'openai';
import { MocoErrorCodes } from '../../../protocol/errors';
import { isAbortError, ProviderError, StreamInterruptedError, throwIfAborted, untilAborted } from './errors';

/** How calls are retried. Tests shrink the delays. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  attempts?: number;
  /** First backoff delay (ms) before jitter; later ones grow exponentially. Default 200. */
  baseDelayMs?: number;
  /** Cap on one backoff delay (ms). Default 10,000. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this (ms) is not waited for: the call fails at once. Default 60,000. */
  maxRetryAfterMs?: number;
}

/** When an endpoint's circuit opens and closes. */
export interface CircuitOptions {
  /** Failures in a row that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before a trial call (ms). Default 30,000. */
  halfOpenAfterMs?: number;
}

const RETRY_DEFAULTS: Required<RetryOptions> = { attempts: 3, baseDelayMs: 200, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };
const CIRCUIT_DEFAULTS: Required<CircuitOptions> = { failureThreshold: 5, halfOpenAfterMs: 30_000 };

/** A retry about to happen. */
export interface RetryEvent {
  /** The attempt about to start, counting the first as 1 (so the first retry is 2). */
  attempt: number;
  /** Wait before it (ms): the `Retry-After` when the endpoint gave one, else the backoff. */
  delayMs: number;
  /** The failure of the previous attempt. */
  error: unknown;
}

/**
 * Reads `Retry-After` as a delay in ms: `retry-after-ms` (OpenAI's header, ms) first, then
 * `retry-after` as seconds or as an HTTP date (RFC 9110 §10.2.3). Undefined when absent or
 * unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(
  headers: Headers | Record<string, string | undefined> | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const get = (name: string): string | undefined =>
    headers instanceof Headers ? (headers.get(name) ?? undefined) : (headers[name] ?? headers[name.toUpperCase()]);
  const ms = get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const value = get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The `Retry-After` (ms) an error carries: an SDK `APIError`'s headers or a `ProviderError`'s field. */
export function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof ProviderError) return error.retryAfterMs;
  if (error instanceof APIError) return parseRetryAfter(error.headers as Headers | undefined);
  return undefined;
}

/** HTTP status of an SDK error, when the endpoint answered. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof APIError && typeof error.status === 'number' ? error.status : undefined;
}

/** Whether a failed attempt is worth another (see the module comment). */
export function isRetryable(error: unknown, maxRetryAfterMs: number = RETRY_DEFAULTS.maxRetryAfterMs): boolean {
  if (isAbortError(error) || error instanceof ProviderError) return false;
  if (error instanceof StreamInterruptedError || error instanceof APIConnectionError) return true;
  const status = statusOf(error);
  if (status === undefined) return false;
  if (status !== 408 && status !== 409 && status !== 429 && status < 500) return false;
  const retryAfter = retryAfterOf(error);
  return retryAfter === undefined || retryAfter <= maxRetryAfterMs;
}

/**
 * Whether a failure counts against the endpoint's circuit: it is down or broken (5xx, 408,
 * network, cut streams). A 429 does not: the endpoint works and asks us to slow down.
 */
export function countsAgainstEndpoint(error: unknown): boolean {
  if (error instanceof StreamInterruptedError || error instanceof APIConnectionError) return !isAbortError(error);
  const status = statusOf(error);
  return status !== undefined && (status === 408 || status >= 500);
}

/** One line about a failure, for retry notices: `HTTP 503: overloaded`, `connection refused`. */
export function describeFailure(error: unknown): string {
  const status = statusOf(error);
  if (status !== undefined) return `HTTP ${status}: ${apiMessage(error)}`;
  if (error instanceof APIConnectionError) {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? (causeCode(cause) ?? cause.message) : error.message;
    return `connection failed (${detail})`;
  }
  if (!(error instanceof Error)) return String(error);
  if (error instanceof StreamInterruptedError) return error.message;
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
}

/** The endpoint's own message inside an SDK `APIError`, without the SDK's status prefix. */
export function apiMessage(error: unknown): string {
  if (!(error instanceof APIError)) return error instanceof Error ? error.message : String(error);
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string') return body.message;
  return error.message.replace(/^\d{3}\s+/, '');
}

/**
 * Runs `attempt` until it succeeds, fails with an error {@link isRetryable} rejects, or the
 * attempts run out; then throws the last error. `onRetry` hears of each retry before its wait.
 * An abort of `signal` rejects at once with the abort reason, even during a wait.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: { retry?: RetryOptions; onRetry?: (event: RetryEvent) => void },
  signal: AbortSignal,
): Promise<T> {
  const settings = { ...RETRY_DEFAULTS, ...options.retry };
  const policy = retry(
    handleWhen((error) => isRetryable(error, settings.maxRetryAfterMs)),
    { maxAttempts: Math.max(0, settings.attempts - 1), backoff: backoffHonouringRetryAfter(settings) },
  );
  const subscription = policy.onRetry((event) => {
    if ('error' in event) options.onRetry?.({ attempt: event.attempt + 1, delayMs: Math.round(event.delay), error: event.error });
  });
  try {
    const run = policy.execute((context) => {
      throwIfAborted(signal);
      return attempt(context.attempt + 1);
    }, signal);
    return await untilAborted(run, signal);
  } finally {
    subscription.dispose();
  }
}

function backoffHonouringRetryAfter(settings: Required<RetryOptions>): DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown>> {
  const exponential = new ExponentialBackoff({ initialDelay: settings.baseDelayMs, maxDelay: settings.maxDelayMs });
  return new DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown>>((context, state) => {
    const next = state ? state.next(context) : exponential.next();
    const retryAfter = 'error' in context.result ? retryAfterOf(context.result.error) : undefined;
    return { delay: retryAfter ?? next.duration, state: next };
  });
}

/** The circuit of one endpoint (a base URL). */
export class EndpointCircuit {
  private readonly policy: CircuitBreakerPolicy;
  private readonly settings: Required<CircuitOptions>;
  private openedAt = 0;

  constructor(
    /** The endpoint's base URL, as shown in messages. */
    readonly endpoint: string,
    options: CircuitOptions = {},
  ) {
    this.settings = { ...CIRCUIT_DEFAULTS, ...options };
    this.policy = circuitBreaker(handleWhen(countsAgainstEndpoint), {
      halfOpenAfter: this.settings.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(this.settings.failureThreshold),
    });
    this.policy.onBreak(() => {
      this.openedAt = Date.now();
    });
  }

  /**
   * Runs `fn` through the circuit.
   *
   * @throws {ProviderError} ProviderUnavailable, without calling `fn`, while the circuit is open.
   */
  async execute<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(() => fn());
    } catch (error) {
      if (isBrokenCircuitError(error)) throw this.openError();
      throw error;
    }
  }

  private openError(): ProviderError {
    const remainingMs = Math.max(0, this.settings.halfOpenAfterMs - (Date.now() - this.openedAt));
    const last = this.policy.lastFailure;
    const cause = last && 'error' in last ? ` The last failure: ${describeFailure(last.error)}.` : '';
    return new ProviderError(
      MocoErrorCodes.ProviderUnavailable,
      `The circuit is open for ${this.endpoint} after ${this.settings.failureThreshold} failures in a row; ` +
        `retry in ${Math.ceil(remainingMs / 1000)}s.${cause}`,
      { retryAfterMs: remainingMs },
    );
  }
}

/** The circuits of a process, one per endpoint. Pass one registry to every provider. */
export class CircuitBreakerRegistry {
  private readonly circuits = new Map<string, EndpointCircuit>();

  constructor(private readonly options: CircuitOptions = {}) {}

  /** The circuit of `baseURL` (a trailing `/` does not make another endpoint). */
  forEndpoint(baseURL: string): EndpointCircuit {
    const key = baseURL.replace(/\/+$/, '');
    let circuit = this.circuits.get(key);
    if (!circuit) {
      circuit = new EndpointCircuit(key, this.options);
      this.circuits.set(key, circuit);
    }
    return circuit;
  }
}

/** The registry providers use unless given another: one per process. */
export const sharedCircuitBreakers = new CircuitBreakerRegistry();

function causeCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
