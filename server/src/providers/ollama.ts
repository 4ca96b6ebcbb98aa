/**
 * What an Ollama server will do with a model: the context it gives a request (`num_ctx`) and
 * whether the model calls tools, from `POST /api/show`
 * (source: https://docs.ollama.com/api-reference/show-model-details).
 *
 * Ollama does not reject a prompt longer than its context: it drops the start of the
 * conversation. So the context must be known before the call. Ollama picks it as follows
 * (source: https://docs.ollama.com/context-length): a `num_ctx` in the model's Modelfile, else
 * the server's `OLLAMA_CONTEXT_LENGTH`, else a default that depends on the GPU's memory — 4k
 * below 24 GiB of VRAM, 32k up to 48 GiB, 256k above. MOCO cannot see the server's environment
 * or GPU: it reads `OLLAMA_CONTEXT_LENGTH` from its own environment and otherwise assumes the
 * smallest default, 4,096 tokens, and never more than the model's own maximum.
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import { ProviderError, untilAborted } from './errors';

/** Ollama's default context below 24 GiB of VRAM (tokens; source in the module comment). */
export const OLLAMA_DEFAULT_CONTEXT = 4_096;

/** How long `/api/show` may take (ms); it reads the model's file header, normally within a second. */
const SHOW_TIMEOUT_MS = 30_000;

/** What Ollama tells of a model and the context MOCO concludes. */
export interface OllamaModelDetails {
  /** The context a request gets (tokens). */
  contextLength: number;
  /** Where `contextLength` comes from, for messages. */
  contextSource: string;
  /** The model's own maximum (`model_info.<arch>.context_length`), when Ollama gives it. */
  maxContextLength?: number;
  /** `capabilities` (`completion`, `tools`, `vision`, `thinking`…), when the server lists them. */
  capabilities?: string[];
}

interface ShowResponse {
  parameters?: string;
  model_info?: Record<string, unknown>;
  capabilities?: string[];
}

/** Asks an Ollama server about models, once per model. */
export class OllamaInspector {
  private readonly cache = new Map<string, Promise<OllamaModelDetails>>();

  constructor(
    /** The server's root, for example `http://localhost:11434`. */
    private readonly host: string,
    /** `OLLAMA_CONTEXT_LENGTH` as configured for MOCO (tokens), if any. */
    private readonly configuredContext: number | undefined,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /**
   * The details of `model`, cached for the life of the inspector (a failed lookup is not cached).
   * The lookup is shared by concurrent callers; `signal` stops only this caller's wait.
   *
   * @throws {ProviderError} ProviderRejected when Ollama does not have the model;
   *   ProviderUnavailable when the server cannot be reached or answers an error.
   */
  details(model: string, signal: AbortSignal): Promise<OllamaModelDetails> {
    let pending = this.cache.get(model);
    if (!pending) {
      pending = this.fetchDetails(model);
      this.cache.set(model, pending);
      pending.catch(() => this.cache.delete(model));
    }
    return untilAborted(pending, signal);
  }

  private async fetchDetails(model: string): Promise<OllamaModelDetails> {
    const url = `${this.host}/api/show`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model }),
        signal: AbortSignal.timeout(SHOW_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ProviderError(
        MocoErrorCodes.ProviderUnavailable,
        `Cannot reach Ollama at ${this.host} (${(error as Error).message}). Start it with \`ollama serve\`, ` +
          'or set OLLAMA_HOST to where it runs.',
        { cause: error },
      );
    }
    const text = await response.text();
    if (!response.ok) throw this.showError(model, response.status, text);
    let show: ShowResponse;
    try {
      show = JSON.parse(text) as ShowResponse;
    } catch (error) {
      throw new ProviderError(
        MocoErrorCodes.ProviderUnavailable,
        `${url} did not answer JSON; is OLLAMA_HOST an Ollama server?`,
        { cause: error },
      );
    }
    return this.interpret(show);
  }

  private showError(model: string, status: number, body: string): ProviderError {
    const message = errorText(body);
    if (status === 404) {
      return new ProviderError(
        MocoErrorCodes.ProviderRejected,
        `Ollama at ${this.host} has no model '${model}' (${message}). Pull it with \`ollama pull ${model}\`, ` +
          'or choose one of `ollama list` with -m MODEL or OLLAMA_MODEL.',
        { status },
      );
    }
    return new ProviderError(
      MocoErrorCodes.ProviderUnavailable,
      `Ollama at ${this.host} could not describe '${model}' (HTTP ${status}: ${message}).`,
      { status },
    );
  }

  private interpret(show: ShowResponse): OllamaModelDetails {
    const modelfileContext = /^\s*num_ctx\s+(\d+)/m.exec(show.parameters ?? '')?.[1];
    const maxContextLength = Object.entries(show.model_info ?? {}).find(
      ([key, value]) => key.endsWith('.context_length') && typeof value === 'number',
    )?.[1] as number | undefined;

    let contextLength: number;
    let contextSource: string;
    if (modelfileContext) {
      contextLength = Number(modelfileContext);
      contextSource = 'num_ctx in its Modelfile';
    } else if (this.configuredContext) {
      contextLength = this.configuredContext;
      contextSource = 'OLLAMA_CONTEXT_LENGTH';
    } else {
      contextLength = OLLAMA_DEFAULT_CONTEXT;
      contextSource = "Ollama's default without OLLAMA_CONTEXT_LENGTH";
    }
    if (maxContextLength !== undefined && maxContextLength < contextLength) {
      contextLength = maxContextLength;
      contextSource = "the model's maximum";
    }
    const details: OllamaModelDetails = { contextLength, contextSource };
    if (maxContextLength !== undefined) details.maxContextLength = maxContextLength;
    if (Array.isArray(show.capabilities)) details.capabilities = show.capabilities;
    return details;
  }
}

function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: show the text itself
  }
  return body.slice(0, 200) || 'no details';
}
