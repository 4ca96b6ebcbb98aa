/**
 * Turns what went wrong in a provider call into a {@link ProviderError} that says what to change:
 * which variable holds the bad key, that a model name is unknown or cannot call tools, that the
 * endpoint is down or rate limiting, or that its streams kept breaking.
 */
import { APIConnectionError } from 'openai';
import { MocoErrorCodes } from '../../../protocol/errors';
import { providerVariables, type ResolvedProvider } from './config';
import { ProviderError, StreamInterruptedError } from './errors';
import { apiMessage, describeFailure, retryAfterOf, statusOf } from './resilience';

/** A model to suggest when the chosen one cannot call tools. */
const TOOL_MODEL_SUGGESTION: Record<string, string> = {
  ollama: 'llama3.1 or qwen2.5-coder',
  lmstudio: 'a model LM Studio marks as tool-capable (qwen2.5-coder-7b-instruct, for example)',
  zai: 'glm-4.7',
  openrouter: 'google/gemini-2.5-flash or anthropic/claude-sonnet-4',
  gemini: 'gemini-2.5-flash',
  openai: 'gpt-4.1-mini',
};

/**
 * The {@link ProviderError} for the last failure of a call that made `attempts` attempts.
 * A `ProviderError` passes through unchanged.
 */
export function toProviderError(error: unknown, resolved: ResolvedProvider, attempts: number): ProviderError {
  if (error instanceof ProviderError) return error;
  const names = providerVariables(resolved.id);
  const where = `${names.label} (${resolved.baseURL})`;
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;

  if (error instanceof StreamInterruptedError) {
    return new ProviderError(
      MocoErrorCodes.ProviderResponseInvalid,
      `The answer of ${resolved.model} from ${where} broke off before its end in ${tries} (last: ${error.message}); ` +
        'the partial answer was discarded. Try again; if it keeps happening, the endpoint or a proxy is cutting long streams.',
      { cause: error },
    );
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError(
      MocoErrorCodes.ProviderUnavailable,
      `Cannot reach ${where}: ${describeFailure(error)}, ${tries}. ${unreachableHint(resolved)}`,
      { cause: error },
    );
  }
  const status = statusOf(error);
  if (status !== undefined) return fromStatus(error, status, resolved, tries);
  return new ProviderError(
    MocoErrorCodes.ProviderUnavailable,
    `The call to ${where} failed: ${describeFailure(error)}.`,
    { cause: error },
  );
}

function fromStatus(error: unknown, status: number, resolved: ResolvedProvider, tries: string): ProviderError {
  const names = providerVariables(resolved.id);
  const where = `${names.label} (${resolved.baseURL})`;
  const message = apiMessage(error);
  const said = `HTTP ${status}: ${message}`;
  const details = { status, cause: error };

  if (status === 401 || status === 403) {
    const key = resolved.apiKeyVariable ?? names.keyVariables[0] ?? 'the API key';
    const what = resolved.apiKey ? `rejected the API key in ${key}` : `needs an API key; set ${key}`;
    return new ProviderError(
      MocoErrorCodes.ProviderRejected,
      `${where} ${what} (${said}). Check the key${resolved.apiKey ? ` in ${key}` : ''}${zaiEndpointHint(resolved)}.`,
      details,
    );
  }
  if (status === 404) {
    return new ProviderError(
      MocoErrorCodes.ProviderRejected,
      `${where} does not know the model '${resolved.model}' (${said}). Choose another with -m MODEL or ` +
        `${names.modelVariable}${resolved.id === 'ollama' ? `, or pull it with \`ollama pull ${resolved.model}\`` : ''}; ` +
        `if the name is right, check that ${names.baseURLVariable} is an OpenAI-compatible API address.`,
      details,
    );
  }
  if (status === 400 && saysNoTools(message)) return noToolsError(resolved, said, details);
  if ((status === 400 || status === 413) && saysTooLong(message)) {
    return new ProviderError(
      MocoErrorCodes.ModelUnsuitable,
      `The request is longer than the context of ${resolved.model} on ${where} (${said}). ` +
        'Start a new session, or choose a model with a larger context.',
      details,
    );
  }
  if (status === 429) {
    const retryAfterMs = retryAfterOf(error);
    const wait = retryAfterMs === undefined ? '' : `; it asks to wait ${Math.ceil(retryAfterMs / 1000)}s`;
    return new ProviderError(
      MocoErrorCodes.ProviderUnavailable,
      `${where} kept refusing for rate limits (${said}) after ${tries}${wait}. Wait and try again, ` +
        'or lower max_parallel_tasks in the profile.',
      retryAfterMs === undefined ? details : { ...details, retryAfterMs },
    );
  }
  if (status === 408 || status === 409 || status >= 500) {
    return new ProviderError(
      MocoErrorCodes.ProviderUnavailable,
      `${where} kept failing (${said}) after ${tries}. Try again later, or choose another provider with --provider.`,
      details,
    );
  }
  return new ProviderError(MocoErrorCodes.ProviderRejected, `${where} rejected the request (${said}).`, details);
}

/** The error for a model that cannot call tools when the agent offers some. */
export function noToolsError(resolved: ResolvedProvider, evidence: string, details: { status?: number; cause?: unknown } = {}): ProviderError {
  const suggestion = TOOL_MODEL_SUGGESTION[resolved.id];
  return new ProviderError(
    MocoErrorCodes.ModelUnsuitable,
    `${resolved.model} on ${providerVariables(resolved.id).label} cannot call tools (${evidence}), and MOCO's agents ` +
      `work through tools. Choose a model that can, with -m MODEL or the agent's model:` +
      `${suggestion ? ` — for example ${suggestion}` : ''}.`,
    details,
  );
}

/** Ollama: `registry.ollama.ai/library/gemma2:latest does not support tools`; others alike. */
function saysNoTools(message: string): boolean {
  return /does not support tools|tools? (?:are|is) not supported|not support(?:ed)? (?:function|tool)|tool (?:use|calling) is not (?:enabled|supported)/i.test(message);
}

function saysTooLong(message: string): boolean {
  return /context[_ ]length|maximum context|context window|too many tokens|prompt is too long/i.test(message);
}

function unreachableHint(resolved: ResolvedProvider): string {
  if (resolved.id === 'ollama') return 'Start Ollama with `ollama serve`, or set OLLAMA_HOST to where it runs.';
  if (resolved.id === 'lmstudio') return "Start LM Studio's server (Developer tab, or `lms server start`), or set LMSTUDIO_BASE_URL.";
  return 'Check the network, a proxy, or the base URL.';
}

function zaiEndpointHint(resolved: ResolvedProvider): string {
  if (resolved.id !== 'zai') return '';
  return (
    '; Coding Plan keys work with https://api.z.ai/api/coding/paas/v4 (the default), pay-as-you-go keys with ' +
    'https://api.z.ai/api/paas/v4 (set ZAI_BASE_URL)'
  );
}
