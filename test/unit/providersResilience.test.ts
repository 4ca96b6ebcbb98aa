// Retry-After parsing and which failures are retried or count against an endpoint's circuit.
import { APIConnectionError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { ProviderError, StreamInterruptedError } from '../../server/src/providers/errors';
import { countsAgainstEndpoint, isRetryable, parseRetryAfter, withRetries } from '../../server/src/providers/resilience';

function httpError(status: number, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, { error: { message: `status ${status}` } }, undefined, new Headers(headers));
}

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');

  it('reads seconds, fractions of seconds, and retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '7' }), now)).toBe(7_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter({ 'retry-after': '3' }, now)).toBe(3_000);
  });

  it('reads an HTTP date as the time left until it, and a past date as 0', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sat, 21 Nov 2026 12:00:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Sat, 21 Nov 2026 11:00:00 GMT' }), now)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('isRetryable and countsAgainstEndpoint', () => {
  it('retries 408, 409, 429 and 5xx, network failures and interrupted streams', () => {
    for (const status of [408, 409, 429, 500, 502, 503, 504]) expect(isRetryable(httpError(status)), String(status)).toBe(true);
    expect(isRetryable(new APIConnectionError({ message: 'ECONNRESET' }))).toBe(true);
    expect(isRetryable(new StreamInterruptedError('cut'))).toBe(true);
  });

  it('does not retry 400, 401, 403, 404, 422, aborts or settled ProviderErrors', () => {
    for (const status of [400, 401, 403, 404, 422]) expect(isRetryable(httpError(status)), String(status)).toBe(false);
    expect(isRetryable(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(isRetryable(new ProviderError(MocoErrorCodes.ProviderUnavailable, 'circuit open'))).toBe(false);
  });

  it('does not retry when Retry-After is longer than the cap', () => {
    expect(isRetryable(httpError(429, { 'retry-after': '30' }), 60_000)).toBe(true);
    expect(isRetryable(httpError(429, { 'retry-after': '90' }), 60_000)).toBe(false);
  });

  it('counts server failures against the endpoint, not rate limits or bad requests', () => {
    expect(countsAgainstEndpoint(httpError(503))).toBe(true);
    expect(countsAgainstEndpoint(new StreamInterruptedError('cut'))).toBe(true);
    expect(countsAgainstEndpoint(httpError(429))).toBe(false);
    expect(countsAgainstEndpoint(httpError(400))).toBe(false);
  });
});

describe('withRetries', () => {
  it('makes 3 attempts by default and reports each retry with the attempt about to start', async () => {
    const seen: number[] = [];
    const retries: number[] = [];
    const failing = withRetries(
      (attempt) => {
        seen.push(attempt);
        return Promise.reject(httpError(500));
      },
      { retry: { baseDelayMs: 1 }, onRetry: (event) => retries.push(event.attempt) },
      new AbortController().signal,
    );
    await expect(failing).rejects.toBeInstanceOf(APIError);
    expect(seen).toEqual([1, 2, 3]);
    expect(retries).toEqual([2, 3]);
  });

  it('waits the Retry-After the failure carries instead of the backoff', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetries(
      () => (++calls === 1 ? Promise.reject(httpError(429, { 'retry-after-ms': '20' })) : Promise.resolve('done')),
      { retry: { baseDelayMs: 1 }, onRetry: (event) => delays.push(event.delayMs) },
      new AbortController().signal,
    );
    expect(result).toBe('done');
    expect(delays).toEqual([20]);
  });
});
