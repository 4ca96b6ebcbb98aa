// Faults of an OpenAI-compatible endpoint, played by the mock over real HTTP: rate limits with
// Retry-After, failing servers and the circuit breaker, bad keys and model names, cut and silent
// streams, and cancellation.
import { afterEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import type { ResolvedProvider } from '../../server/src/providers/config';
import { isAbortError, ProviderError } from '../../server/src/providers/errors';
import { createOpenAIProvider, type OpenAIProviderOptions } from '../../server/src/providers/openaiProvider';
import { CircuitBreakerRegistry } from '../../server/src/providers/resilience';
import type { ModelCallObserver, ModelDelta, ModelRequest } from '../../server/src/providers/types';
import { always, sequence, startMockLlm, type MockLlm, type MockScript } from '../support/mockLlm';

type RetryInfo = Parameters<NonNullable<ModelCallObserver['onRetry']>>[0];

let mock: MockLlm | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const request: ModelRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }], tools: [] };

async function setUp(script: MockScript, options: OpenAIProviderOptions = {}, resolvedExtra: Partial<ResolvedProvider> = {}) {
  mock = await startMockLlm(script);
  const resolved: ResolvedProvider = {
    id: 'openai',
    baseURL: mock.baseURL,
    apiKey: 'sk-test',
    model: 'gpt-4o-mini',
    apiKeyVariable: 'OPENAI_API_KEY',
    ...resolvedExtra,
  };
  const provider = createOpenAIProvider(resolved, { circuitBreakers: new CircuitBreakerRegistry(), retry: { baseDelayMs: 1 }, ...options });
  const retries: RetryInfo[] = [];
  const deltas: ModelDelta[] = [];
  const observer: ModelCallObserver = { onDelta: (delta) => deltas.push(delta), onRetry: (info) => retries.push(info) };
  const call = (signal = new AbortController().signal) => provider.complete(request, observer, signal);
  return { mock, provider, call, retries, deltas, observer };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('a provider call meeting faults', () => {
  it('waits the Retry-After of a 429 (seconds), then succeeds', async () => {
    const { mock, call, retries } = await setUp(sequence([{ status: 429, headers: { 'retry-after': '1' } }, { content: 'after the wait' }]));
    const response = await call();

    expect(response.text).toBe('after the wait');
    expect(mock.chatRequests()).toHaveLength(2);
    expect(retries).toEqual([{ attempt: 2, delayMs: 1000, reason: 'HTTP 429: Rate limit reached', discardsPartialOutput: false }]);
  });

  it('honours retry-after-ms on a 503', async () => {
    const { call, retries } = await setUp(sequence([{ status: 503, headers: { 'retry-after-ms': '40' } }, { content: 'ok' }]));
    await call();
    expect(retries.map((retry) => retry.delayMs)).toEqual([40]);
  });

  it('gives up at once when Retry-After asks for longer than maxRetryAfterMs, saying how long', async () => {
    const { mock, call } = await setUp(always({ status: 429, headers: { 'retry-after': '120' } }));
    const error = await failure(call());
    expect(error.code).toBe(MocoErrorCodes.ProviderUnavailable);
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.message).toContain('it asks to wait 120s');
    expect(mock.chatRequests()).toHaveLength(1);
  });

  it('opens the circuit after 5 failures in a row, then fails without calling the endpoint', async () => {
    const { mock, call } = await setUp(always({ status: 500 }));

    const first = await failure(call());
    expect(first.code).toBe(MocoErrorCodes.ProviderUnavailable);
    expect(first.message).toContain('kept failing (HTTP 500: The server had an error while processing your request) after 3 attempts');
    expect(mock.chatRequests()).toHaveLength(3);

    const second = await failure(call());
    expect(second.code).toBe(MocoErrorCodes.ProviderUnavailable);
    expect(second.message).toMatch(new RegExp(`circuit is open for ${mock.baseURL} after 5 failures in a row; retry in (30|29)s`));
    expect(mock.chatRequests()).toHaveLength(5);

    const third = await failure(call());
    expect(third.message).toContain('circuit is open');
    expect(mock.chatRequests()).toHaveLength(5);
  });

  it('lets a trial call through once the circuit has been open for halfOpenAfterMs, and closes it on success', async () => {
    const replies = [...Array.from({ length: 5 }, () => ({ status: 500 })), { content: 'back' }];
    const { mock, call } = await setUp(sequence(replies), {
      circuitBreakers: new CircuitBreakerRegistry({ halfOpenAfterMs: 50 }),
      retry: { attempts: 5, baseDelayMs: 1 },
    });
    expect((await failure(call())).message).toContain('after 5 attempts');
    expect((await failure(call())).message).toContain('circuit is open');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await call()).text).toBe('back');
    expect(mock.chatRequests()).toHaveLength(6);
  });

  it('does not retry a 401, and names the variable that holds the key', async () => {
    const { mock, call } = await setUp(always({ status: 401 }));
    const error = await failure(call());
    expect(error.code).toBe(MocoErrorCodes.ProviderRejected);
    expect(error.status).toBe(401);
    expect(error.message).toContain('rejected the API key in OPENAI_API_KEY');
    expect(error.message).toContain('Incorrect API key provided');
    expect(mock.chatRequests()).toHaveLength(1);
  });

  it('says the model name is unknown on a 404, without retrying', async () => {
    const { mock, call } = await setUp(always({ status: 404, errorBody: { error: { message: 'The model `gpt-4o-mini` does not exist', type: 'invalid_request_error', code: 'model_not_found' } } }));
    const error = await failure(call());
    expect(error.code).toBe(MocoErrorCodes.ProviderRejected);
    expect(error.message).toContain("does not know the model 'gpt-4o-mini'");
    expect(error.message).toContain('-m MODEL or OPENAI_MODEL');
    expect(mock.chatRequests()).toHaveLength(1);
  });

  it('retries a stream cut halfway, tells the caller to discard what it showed, and returns the full answer', async () => {
    const { mock, call, retries, deltas } = await setUp(
      sequence([{ content: 'The first half of an answer that', contentChunks: 6, cutAfterChunks: 4 }, { content: 'A whole answer.' }]),
    );
    const response = await call();

    expect(response.text).toBe('A whole answer.');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 2, discardsPartialOutput: true });
    expect(retries[0]?.reason).toMatch(/stream failed halfway|without a finish_reason/);
    // What was shown of the cut attempt, then the whole answer: the caller drops the first part.
    const shown = deltas.map((delta) => delta.text).join('');
    expect(shown.startsWith('The fi')).toBe(true);
    expect(shown.endsWith('A whole answer.')).toBe(true);
    expect(mock.chatRequests()).toHaveLength(2);
  });

  it('never returns a stream cut every time as an answer: ProviderResponseInvalid after the retries', async () => {
    const { mock, call } = await setUp(always({ content: 'partial partial partial', cutAfterChunks: 2 }));
    const error = await failure(call());
    expect(error.code).toBe(MocoErrorCodes.ProviderResponseInvalid);
    expect(error.message).toContain('broke off before its end in 3 attempts');
    expect(mock.chatRequests()).toHaveLength(3);
  });

  it('treats a stream that ends without finish_reason (but with [DONE]) as cut', async () => {
    const { call } = await setUp(always({ content: 'no end', finishReason: '' }));
    const error = await failure(call());
    expect(error.code).toBe(MocoErrorCodes.ProviderResponseInvalid);
    expect(error.message).toContain('the stream ended without a finish_reason');
  });

  it('abandons an attempt that sends nothing for idleTimeoutMs and retries it', async () => {
    const { call, retries } = await setUp(sequence([{ content: 'late', latencyMs: 5_000 }, { content: 'on time' }]), { idleTimeoutMs: 200 });
    const response = await call();
    expect(response.text).toBe('on time');
    expect(retries[0]?.reason).toBe('no data for 200 ms');
  });

  it('stops a stream mid-way when the signal aborts, with an AbortError', async () => {
    // A minute-long stream: only a prompt abort lets this test finish within its time-out.
    const { call, deltas } = await setUp(always({ content: 'word '.repeat(60), contentChunks: 60, chunkDelayMs: 1_000 }));
    const controller = new AbortController();
    const outcome = call(controller.signal).then(() => undefined, (reason: unknown) => reason);
    await expect.poll(() => deltas.length, { timeout: 10_000 }).toBeGreaterThan(0);
    controller.abort();
    const error = await outcome;
    expect(isAbortError(error)).toBe(true);
  });

  it('stops waiting for a retry when the signal aborts', async () => {
    const { mock, call } = await setUp(always({ status: 429, headers: { 'retry-after': '50' } }));
    const controller = new AbortController();
    const outcome = call(controller.signal).then(() => undefined, (reason: unknown) => reason);
    await expect.poll(() => mock.chatRequests().length).toBe(1);
    controller.abort();
    const error = await outcome;
    expect(isAbortError(error)).toBe(true);
  });

  it('reports an endpoint nobody listens on as unreachable', async () => {
    const { call } = await setUp(always({ content: 'unused' }), {}, { baseURL: 'http://127.0.0.1:9/v1' });
    const error = await failure(call());
    expect(error.code).toBe(MocoErrorCodes.ProviderUnavailable);
    expect(error.message).toContain('Cannot reach OpenAI (http://127.0.0.1:9/v1)');
  });
});
