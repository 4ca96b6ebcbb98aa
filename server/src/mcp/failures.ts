/**
 * The arithmetic of reconnecting: exponential backoff with jitter between attempts, and the
 * sliding window of failures that quarantines a server that keeps crashing. Numbers in types.ts.
 */

/**
 * Delay (ms) before reconnect attempt `attempt` (1 for the first): `base * 2^(attempt-1)`, at most
 * `max`, times a jitter factor in [0.5, 1) so that servers lost together do not retry together
 * ("equal jitter", as in AWS's Exponential Backoff and Jitter).
 *
 * @param random a number in [0, 1).
 */
export function reconnectDelay(attempt: number, baseMs: number, maxMs: number, random: number): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random / 2));
}

/** Failure times within a sliding window. */
export class FailureWindow {
  private times: number[] = [];

  /**
   * @param windowMs how long (ms) a failure counts.
   */
  constructor(private readonly windowMs: number) {}

  /** Records a failure at `now` (ms) and returns how many failures fall within the window ending then. */
  record(now: number): number {
    this.times = this.times.filter((time) => now - time < this.windowMs);
    this.times.push(now);
    return this.times.length;
  }

  /** Forgets every failure (a restart asked for by the user). */
  reset(): void {
    this.times = [];
  }
}
