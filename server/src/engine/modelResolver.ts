/**
 * Binds agents to models: the session's provider and model, overridden by an agent's `model:`
 * (`provider/model`). Providers are made once per endpoint, key and retry policy, and share the
 * process-wide circuit breakers, so that every run against a failing endpoint sees its circuit.
 */
import type { ModelBinding, ModelResolver } from '../orchestrator/context';
import type { AgentConfig } from '../profiles';
import { MocoErrorCodes } from '../../../protocol/errors';
import { resolveProvider, type ConfigSurface, type Env, type ResolvedProvider } from '../providers/config';
import { ProviderError } from '../providers/errors';
import { costUsd, estimateTokens, lookupModel } from '../providers/models';
import { createOpenAIProvider } from '../providers/openaiProvider';
import type { ModelProvider } from '../providers/types';

/** Makes the provider of a resolved endpoint. The default is the `openai` SDK adapter. */
export type ProviderFactory = (resolved: ResolvedProvider, retry: { attempts: number; baseDelayMs: number }) => ModelProvider;

/** What a tree's models are resolved from. */
export interface ResolverInput {
  env: Env;
  /** The session's provider id and model. */
  providerId: string;
  model: string;
  /** The profile's `orchestrator.retry`. */
  retry: { attempts: number; baseDelayMs: number };
  /** Who reads configuration errors; default `cli`. */
  surface?: ConfigSurface;
}

/**
 * The default {@link ProviderFactory}: the `openai` SDK adapter for every OpenAI-compatible
 * provider.
 * @throws {ProviderError} ProviderNotConfigured for `vscode-lm`, which only an editor can serve
 *   (the editor's server passes a factory that handles it).
 */
export const defaultProviderFactory: ProviderFactory = (resolved, retry) => {
  if (resolved.id === 'vscode-lm') {
    throw new ProviderError(
      MocoErrorCodes.ProviderNotConfigured,
      'The VS Code language models (vscode-lm) can only be used inside VS Code, through the MOCO ' +
        'extension; background tasks and the moco CLI cannot reach them. Choose another provider ' +
        '(--provider, or "MOCO: Select Provider and Model" in the editor).',
    );
  }
  return createOpenAIProvider(resolved, { retry });
};

/**
 * @returns a function that makes the {@link ModelResolver} of one tree. Providers are cached
 *   across trees by endpoint, key and retry policy.
 */
export function createModelResolver(factory: ProviderFactory = defaultProviderFactory): (input: ResolverInput) => ModelResolver {
  const providers = new Map<string, ModelProvider>();
  const providerFor = (resolved: ResolvedProvider, retry: ResolverInput['retry']): ModelProvider => {
    const key = JSON.stringify([resolved.id, resolved.baseURL, resolved.apiKey ?? '', resolved.contextLength ?? 0, retry]);
    let provider = providers.get(key);
    if (!provider) {
      provider = factory(resolved, retry);
      providers.set(key, provider);
    }
    return provider;
  };

  return (input) => {
    const bindings = new Map<string, ModelBinding>();
    return (agent: AgentConfig): ModelBinding => {
      const cacheKey = agent.model ?? '';
      const cached = bindings.get(cacheKey);
      if (cached) return cached;
      const resolved = resolveProvider(
        { provider: input.providerId, model: input.model, ...(agent.model ? { agentModel: agent.model } : {}) },
        input.env,
        { surface: input.surface ?? 'cli' },
      );
      const info = lookupModel(resolved.id, resolved.model);
      const binding: ModelBinding = {
        provider: providerFor(resolved, input.retry),
        providerId: resolved.id,
        model: resolved.model,
        supportsTools: info.supportsTools,
        cost: (usage) => costUsd(info, usage),
        estimateTokens: (messages, tools) => estimateTokens(messages, tools),
        ...(info.warning ? { warning: info.warning } : {}),
      };
      bindings.set(cacheKey, binding);
      return binding;
    };
  };
}
