/**
 * The environment of one run started from the editor: the process environment and `.env`, plus
 * the API keys the editor keeps in its SecretStorage (asked for only for the providers whose key
 * variables are all unset), plus the base URL the editor's settings give the chosen provider.
 * Keys only ever live in the returned object: nothing here stores or logs them.
 */
import { autoSelected, parseProviderName, PROVIDER_IDS, providerVariables, type Env, type ProviderId, type ProviderSelection } from './config';

/**
 * Asks the editor for API keys: provider ids (for example `['zai', 'openai']`) → a map of provider
 * id → key, holding only the providers it has a key for. Never rejects for a missing key.
 */
export type CredentialSource = (providerIds: string[]) => Promise<Record<string, string>>;

/** What {@link prepareRunEnv} starts from. */
export interface RunEnvInput {
  /** The process environment overlaid on `.env` (config.ts `loadEnv`). */
  env: Env;
  /** The provider and model the run asks for. */
  selection: ProviderSelection;
  /** Base URL of the chosen provider's OpenAI-compatible API, replacing its default and variable. */
  baseURL?: string;
  /** The editor's keys; absent in the CLI. */
  credentials?: CredentialSource;
}

/** The providers that have a key variable, none of which is set in `env`, in {@link PROVIDER_IDS} order. */
export function providersWithoutKey(env: Env): ProviderId[] {
  return PROVIDER_IDS.filter((id) => {
    const variables = providerVariables(id).keyVariables;
    return variables.length > 0 && !variables.some((name) => isSet(env, name));
  });
}

/**
 * The run's environment and provider selection:
 * 1. each key the editor has for a provider whose key variables are unset becomes that provider's
 *    first key variable (`ZAI_API_KEY`...); `custom` shares `OPENAI_API_KEY` with `openai` and
 *    gets it only when it is the chosen provider;
 * 2. `baseURL` becomes the chosen provider's base URL variable (`OPENAI_BASE_URL` for `openai`
 *    and `custom`). With no provider named and none that auto-selection can pick, a `baseURL`
 *    selects `custom`. A provider named by URL keeps its URL; `vscode-lm` has no base URL.
 *
 * @throws {ProviderError} ProviderNotConfigured when the named provider is unknown.
 */
export async function prepareRunEnv(input: RunEnvInput): Promise<{ env: Env; selection: ProviderSelection }> {
  const missing = providersWithoutKey(input.env);
  const keys = input.credentials && missing.length > 0 ? await input.credentials(missing) : {};
  const env: Env = { ...input.env };
  for (const id of missing) {
    const key = keys[id]?.trim();
    const variable = providerVariables(id).keyVariables[0];
    if (id !== 'custom' && key && variable && !isSet(env, variable)) env[variable] = key;
  }

  let selection = input.selection;
  const named = selection.provider ?? (isSet(env, 'MOCO_DEFAULT_PROVIDER') ? env.MOCO_DEFAULT_PROVIDER : undefined);
  const parsed = named ? parseProviderName(named) : undefined;
  let chosen: ProviderId | undefined = parsed?.id ?? autoSelected(env);
  if (!chosen && input.baseURL) {
    chosen = 'custom';
    selection = { ...selection, provider: 'custom' };
  }
  const baseURLVariable = chosen ? providerVariables(chosen).baseURLVariable : '';
  if (input.baseURL && baseURLVariable && !parsed?.baseURL) env[baseURLVariable] = input.baseURL;
  if (chosen === 'custom' && missing.includes('custom')) {
    // `custom` reads OPENAI_API_KEY too: the editor's OpenAI key must not go to another endpoint.
    const customKey = keys.custom?.trim();
    if (customKey) env.OPENAI_API_KEY = customKey;
    else delete env.OPENAI_API_KEY;
  }
  return { env, selection };
}

function isSet(env: Env, name: string): boolean {
  return (env[name]?.trim() ?? '') !== '';
}
