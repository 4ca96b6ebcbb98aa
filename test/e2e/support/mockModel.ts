/**
 * The mock OpenAI-compatible server of an end-to-end suite: started before its tests, closed after
 * them (test/support/mockLlm.ts).
 */
import { afterAll, beforeAll } from 'vitest';
import { startMockLlm, type MockLlm, type MockScript } from '../../support/mockLlm';

/**
 * Starts the mock with `script` in `beforeAll` and closes it in `afterAll`.
 * @returns the running mock; it throws when called outside the suite's tests.
 */
export function useMockLlm(script: MockScript): () => MockLlm {
  let mock: MockLlm | undefined;
  beforeAll(async () => {
    mock = await startMockLlm(script);
  });
  afterAll(async () => {
    await mock?.close();
  });
  return () => {
    if (!mock) throw new Error('The mock model runs only during the suite’s tests.');
    return mock;
  };
}

/**
 * The VS Code settings that point MOCO at `mock` (the `openai` provider with its base URL and the
 * `gpt-4o-mini` model), and at the profile `profile` when given.
 */
export function mockProviderSettings(mock: MockLlm, profile?: string): Record<string, string> {
  return {
    'moco.provider.id': 'openai',
    'moco.provider.baseUrl': mock.baseURL,
    'moco.provider.model': 'gpt-4o-mini',
    ...(profile ? { 'moco.profile.name': profile } : {}),
  };
}
