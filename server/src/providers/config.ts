/**
 * Which provider, endpoint, key and model a call uses, from the command line, the agent file and
 * the environment, with MOCO's names (its `llm_provider.py`):
 *
 * - `--provider openrouter`, `--provider zai/glm-4.7` (provider/model), `-m MODEL` overriding the
 *   model; an agent's `model: provider/model` (or a bare `model: name` on the session's provider).
 * - `MOCO_DEFAULT_PROVIDER` when no provider is named; without it, the first provider whose key
 *   is set, in MOCO's order zai → openrouter → gemini → openai.
 * - `<PROVIDER>_MODEL` (for example `ZAI_MODEL`) for the default model, else a built-in one.
 * - A `.env` file in the working directory fills in what the process environment lacks.
 *
 * A URL as provider name (`--provider http://localhost:8000/v1`) selects `custom`: any
 * OpenAI-compatible server (vLLM, llama.cpp). `vscode-lm` is the editor's language models
 * (`vscode.lm`), proxied by the VS Code client: keyless, with no base URL; only the server that an
 * editor started can call them.
 *
 * Messages that say how to configure a provider name the CLI's flags and variables, or, with
 * `surface: 'editor'`, the editor's commands and settings.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { MocoErrorCodes } from '../../../protocol/errors';
import { ProviderError } from './errors';

/** Environment variables by name; unset and empty values are treated alike. */
export type Env = Record<string, string | undefined>;

/** The providers MOCO knows. */
export const PROVIDER_IDS = ['zai', 'openrouter', 'gemini', 'openai', 'ollama', 'lmstudio', 'custom', 'vscode-lm'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** MOCO's auto-selection order when no provider is named (source: MOCO `PROVIDER_PRIORITY`, plus openai). */
export const AUTO_SELECT_ORDER: readonly ProviderId[] = ['zai', 'openrouter', 'gemini', 'openai'];

/**
 * Who reads the configuration messages: `cli` (the default) names flags and environment
 * variables; `editor` names the VS Code commands ("MOCO: Set API Key") and settings.
 */
export type ConfigSurface = 'cli' | 'editor';

/** Options of {@link resolveProvider}. */
export interface ResolveOptions {
  /** Default `cli`. */
  surface?: ConfigSurface;
}

/** The endpoint, key and model one call uses. */
export interface ResolvedProvider {
  id: ProviderId;
  /** Base URL of the OpenAI-compatible API, for example `https://openrouter.ai/api/v1`. */
  baseURL: string;
  /** Absent for keyless local servers (Ollama, LM Studio, custom without `OPENAI_API_KEY`). */
  apiKey?: string;
  /** Model name as sent on the wire, for example `glm-4.7` or `anthropic/claude-sonnet-4`. */
  model: string;
  /** The variable the key comes from (or would), for error messages: `ZAI_API_KEY`. */
  apiKeyVariable?: string;
  /** Ollama only: `OLLAMA_CONTEXT_LENGTH` (tokens) when it is set. */
  contextLength?: number;
}

/** What the user and the agent file asked for; every field is optional. */
export interface ProviderSelection {
  /** `--provider`: `openrouter`, `zai/glm-4.7`, or a base URL. */
  provider?: string;
  /** `-m`: a model name on the chosen provider (never parsed as provider/model). */
  model?: string;
  /** An agent's `model:`: `provider/model`, or a model of the session's provider. */
  agentModel?: string;
}

interface ProviderSpec {
  label: string;
  /** Key variables, the first one named in messages. Empty for keyless providers. */
  keyVariables: string[];
  keyRequired: boolean;
  baseURLVariable: string;
  defaultBaseURL: string;
  modelVariable: string;
  /** Absent where no model name fits every install (LM Studio, custom servers). */
  defaultModel?: string;
}

/**
 * Default models: MOCO's `glm-4.7` for Z.ai; for the others a current model that calls tools
 * well and costs little (see models.ts for their prices and context windows).
 */
const SPECS: Record<ProviderId, ProviderSpec> = {
  zai: {
    label: 'Z.ai',
    keyVariables: ['ZAI_API_KEY'],
    keyRequired: true,
    baseURLVariable: 'ZAI_BASE_URL',
    // MOCO's endpoint (its llm_provider.py), the GLM Coding Plan one. Z.ai documents
    // https://api.z.ai/api/paas/v4 as the general pay-as-you-go endpoint and
    // https://api.z.ai/api/coding/paas/v4 for Coding Plan subscribers
    // (source: https://docs.z.ai/guides/develop/openai/python and Z.ai's Coding Plan pages, read
    // 2026-11-21 through a summary); set ZAI_BASE_URL to the general one for pay-as-you-go keys.
    defaultBaseURL: 'https://api.z.ai/api/coding/paas/v4',
    modelVariable: 'ZAI_MODEL',
    defaultModel: 'glm-4.7',
  },
  openrouter: {
    label: 'OpenRouter',
    keyVariables: ['OPENROUTER_API_KEY'],
    keyRequired: true,
    baseURLVariable: 'OPENROUTER_BASE_URL',
    defaultBaseURL: 'https://openrouter.ai/api/v1',
    modelVariable: 'OPENROUTER_MODEL',
    defaultModel: 'google/gemini-2.5-flash',
  },
  gemini: {
    label: 'Gemini',
    // MOCO reads GENAI_API_KEY, then GEMINI_API_KEY, then GOOGLE_API_KEY.
    keyVariables: ['GEMINI_API_KEY', 'GENAI_API_KEY', 'GOOGLE_API_KEY'],
    keyRequired: true,
    baseURLVariable: 'GEMINI_BASE_URL',
    // Source: https://ai.google.dev/gemini-api/docs/openai
    defaultBaseURL: 'https://generativelanguage.googleapis.com/v1beta/openai/',
    modelVariable: 'GEMINI_MODEL',
    defaultModel: 'gemini-2.5-flash',
  },
  openai: {
    label: 'OpenAI',
    keyVariables: ['OPENAI_API_KEY'],
    keyRequired: true,
    baseURLVariable: 'OPENAI_BASE_URL',
    defaultBaseURL: 'https://api.openai.com/v1',
    modelVariable: 'OPENAI_MODEL',
    defaultModel: 'gpt-4.1-mini',
  },
  ollama: {
    label: 'Ollama',
    keyVariables: ['OLLAMA_API_KEY'],
    keyRequired: false,
    baseURLVariable: 'OLLAMA_BASE_URL',
    defaultBaseURL: 'http://localhost:11434/v1',
    modelVariable: 'OLLAMA_MODEL',
    // MOCO's default for Ollama; it calls tools (https://ollama.com/library/llama3.1).
    defaultModel: 'llama3.1',
  },
  lmstudio: {
    label: 'LM Studio',
    keyVariables: ['LMSTUDIO_API_KEY'],
    keyRequired: false,
    baseURLVariable: 'LMSTUDIO_BASE_URL',
    // Source: https://lmstudio.ai/docs/app/api/endpoints/openai
    defaultBaseURL: 'http://localhost:1234/v1',
    modelVariable: 'LMSTUDIO_MODEL',
  },
  custom: {
    label: 'custom OpenAI-compatible server',
    keyVariables: ['OPENAI_API_KEY'],
    keyRequired: false,
    baseURLVariable: 'OPENAI_BASE_URL',
    defaultBaseURL: '',
    modelVariable: 'OPENAI_MODEL',
  },
  'vscode-lm': {
    label: 'VS Code language models',
    keyVariables: [],
    keyRequired: false,
    // No endpoint: the editor's client answers `lm/chat` (protocol/editor.ts).
    baseURLVariable: '',
    defaultBaseURL: '',
    modelVariable: 'MOCO_VSCODE_LM_MODEL',
  },
};

/**
 * The environment a run sees: `<workingDir>/.env` parsed with `dotenv.parse`, overlaid by
 * `processEnv` (a non-empty process variable wins). A missing `.env` is not an error.
 *
 * @throws {ProviderError} ProviderNotConfigured when `.env` exists but cannot be read.
 */
export function loadEnv(workingDir: string, processEnv: Env = process.env): Env {
  const file = path.join(workingDir, '.env');
  let fromFile: Env = {};
  try {
    fromFile = parseDotenv(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      throw new ProviderError(
        MocoErrorCodes.ProviderNotConfigured,
        `Cannot read ${file} (${code ?? String(error)}). Fix its permissions or remove it.`,
        { cause: error },
      );
    }
  }
  const merged: Env = { ...fromFile };
  for (const [name, value] of Object.entries(processEnv)) {
    if (value !== undefined && value !== '') merged[name] = value;
  }
  return merged;
}

/** Whether `name` is one of {@link PROVIDER_IDS}. */
export function isProviderId(name: string): name is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(name);
}

/**
 * Splits a provider name as `--provider` and `MOCO_DEFAULT_PROVIDER` take it: `zai`,
 * `zai/glm-4.7`, `openrouter/anthropic/claude-sonnet-4` (split at the first `/`), or a URL.
 *
 * @throws {ProviderError} ProviderNotConfigured for an unknown provider, listing the known ones.
 */
export function parseProviderName(name: string): { id: ProviderId; model?: string; baseURL?: string } {
  const trimmed = name.trim();
  if (/^https?:\/\//i.test(trimmed)) return { id: 'custom', baseURL: trimmed };
  const slash = trimmed.indexOf('/');
  const id = (slash < 0 ? trimmed : trimmed.slice(0, slash)).toLowerCase();
  const model = slash < 0 ? undefined : trimmed.slice(slash + 1);
  if (!isProviderId(id)) {
    throw new ProviderError(
      MocoErrorCodes.ProviderNotConfigured,
      `Unknown provider '${id}'. Use one of ${PROVIDER_IDS.join(', ')}, provider/model ` +
        `(for example zai/glm-4.7), or an OpenAI-compatible base URL.`,
    );
  }
  return model ? { id, model } : { id };
}

/**
 * Resolves the endpoint, key and model of a call. Precedence of the model: the agent's `model:`,
 * then `-m`, then the model part of `--provider`/`MOCO_DEFAULT_PROVIDER`, then
 * `<PROVIDER>_MODEL`, then the built-in default. An agent model with a known provider prefix
 * (`zai/glm-4.6`) also selects that provider; without one it runs on the session's provider.
 *
 * @throws {ProviderError} ProviderNotConfigured when no provider can be chosen, its key is
 *   missing, or no model is known; the message names the variables to set.
 */
export function resolveProvider(selection: ProviderSelection, env: Env, options: ResolveOptions = {}): ResolvedProvider {
  const surface = options.surface ?? 'cli';
  const agent = selection.agentModel ? splitAgentModel(selection.agentModel) : undefined;
  const named = selection.provider ?? read(env, 'MOCO_DEFAULT_PROVIDER');
  // An agent that names its provider needs no session provider (nor any key of one).
  const session = named ? parseProviderName(named) : { id: agent?.id ?? autoSelect(env, surface) };
  let id = session.id;
  let baseURLOverride = 'baseURL' in session ? session.baseURL : undefined;
  let model = selection.model ?? ('model' in session ? session.model : undefined);

  if (agent) {
    if (agent.id && agent.id !== id) {
      id = agent.id;
      baseURLOverride = undefined;
    }
    model = agent.model;
  }

  const spec = SPECS[id];
  const baseURL = baseURLOverride ?? resolveBaseURL(id, env, surface);
  const apiKey = spec.keyVariables.map((name) => read(env, name)).find((value) => value !== undefined);
  model = model ?? read(env, spec.modelVariable) ?? spec.defaultModel;

  if (!apiKey && keyRequired(id, env)) {
    const names = spec.keyVariables.join(' or ');
    throw new ProviderError(
      MocoErrorCodes.ProviderNotConfigured,
      surface === 'editor'
        ? `${spec.label} needs an API key: run "MOCO: Set API Key" (or set ${names} in the environment ` +
          `or in .env), or choose another provider with "MOCO: Select Provider and Model".`
        : `${spec.label} needs an API key: set ${names} in the environment or in .env, ` +
          `or choose another provider with --provider.`,
    );
  }
  if (!model) {
    const hint = id === 'lmstudio' ? ' (the models LM Studio has: `lms ls`).' : '.';
    throw new ProviderError(
      MocoErrorCodes.ProviderNotConfigured,
      surface === 'editor'
        ? `No model is set for the ${spec.label}: choose one with "MOCO: Select Provider and Model"${hint}`
        : `No model is set for the ${spec.label}: name one with -m MODEL or ${spec.modelVariable}${hint}`,
    );
  }

  const resolved: ResolvedProvider = { id, baseURL, model, apiKeyVariable: spec.keyVariables[0] };
  if (apiKey) resolved.apiKey = apiKey;
  const contextLength = id === 'ollama' ? positiveInt(read(env, 'OLLAMA_CONTEXT_LENGTH')) : undefined;
  if (contextLength !== undefined) resolved.contextLength = contextLength;
  return resolved;
}

/** The providers whose keys are set, in auto-selection order (for `/model` and messages). */
export function configuredProviders(env: Env): ProviderId[] {
  return AUTO_SELECT_ORDER.filter((id) => !keyRequired(id, env) || SPECS[id].keyVariables.some((name) => read(env, name)));
}

/** The names a provider is known by in messages: its label and the variables that configure it. */
export function providerVariables(id: ProviderId): {
  label: string;
  keyVariables: readonly string[];
  modelVariable: string;
  baseURLVariable: string;
} {
  const spec = SPECS[id];
  return { label: spec.label, keyVariables: spec.keyVariables, modelVariable: spec.modelVariable, baseURLVariable: spec.baseURLVariable };
}

/** For an Ollama base URL (`http://host:11434/v1`), the server's root (`http://host:11434`). */
export function ollamaHost(baseURL: string): string {
  return baseURL.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/**
 * The provider auto-selection picks from the keys in `env` (zai → openrouter → gemini → openai,
 * then `openai` when only `OPENAI_BASE_URL` is set), or undefined when none can be picked.
 */
export function autoSelected(env: Env): ProviderId | undefined {
  const found = AUTO_SELECT_ORDER.find((id) => SPECS[id].keyVariables.some((name) => read(env, name)));
  if (found) return found;
  if (read(env, 'OPENAI_BASE_URL')) return 'openai';
  return undefined;
}

function autoSelect(env: Env, surface: ConfigSurface): ProviderId {
  const found = autoSelected(env);
  if (found) return found;
  if (surface === 'editor') {
    throw new ProviderError(
      MocoErrorCodes.ProviderNotConfigured,
      'No model provider is configured. Run "MOCO: Set API Key" to give MOCO a key (Z.ai, OpenRouter, ' +
        'Gemini or OpenAI), or choose a local server or the VS Code language models with ' +
        '"MOCO: Select Provider and Model". (ZAI_API_KEY, OPENROUTER_API_KEY, GEMINI_API_KEY, ' +
        'OPENAI_API_KEY or OPENAI_BASE_URL in the environment or a .env file work too.)',
    );
  }
  throw new ProviderError(
    MocoErrorCodes.ProviderNotConfigured,
    'No model provider is configured. Set one of ZAI_API_KEY, OPENROUTER_API_KEY, ' +
      'GEMINI_API_KEY (or GENAI_API_KEY) or OPENAI_API_KEY, in the environment or in a .env file ' +
      'in the working directory; or use a local server with --provider ollama, --provider lmstudio ' +
      'or OPENAI_BASE_URL; MOCO_DEFAULT_PROVIDER picks one when several are set.',
  );
}

function splitAgentModel(value: string): { id?: ProviderId; model: string } {
  const slash = value.indexOf('/');
  const prefix = slash < 0 ? '' : value.slice(0, slash).toLowerCase();
  if (slash > 0 && isProviderId(prefix)) return { id: prefix, model: value.slice(slash + 1) };
  return { model: value };
}

function resolveBaseURL(id: ProviderId, env: Env, surface: ConfigSurface): string {
  const spec = SPECS[id];
  const explicit = spec.baseURLVariable ? read(env, spec.baseURLVariable) : undefined;
  if (explicit) return explicit;
  if (id === 'ollama') {
    const host = read(env, 'OLLAMA_HOST');
    return host ? `${normalizeOllamaHost(host)}/v1` : spec.defaultBaseURL;
  }
  if (id === 'custom') {
    throw new ProviderError(
      MocoErrorCodes.ProviderNotConfigured,
      surface === 'editor'
        ? 'The custom provider needs the server\'s address: set the moco.provider.baseUrl setting ' +
          '(for example http://localhost:8000/v1) or OPENAI_BASE_URL.'
        : 'The custom provider needs the server\'s address: set OPENAI_BASE_URL (for example ' +
          'http://localhost:8000/v1) or pass the URL as --provider.',
    );
  }
  return spec.defaultBaseURL;
}

/**
 * `OLLAMA_HOST` as Ollama reads it: scheme `http` and port 11434 unless given
 * (source: https://github.com/ollama/ollama/blob/main/envconfig/config.go, `Host()`).
 */
function normalizeOllamaHost(host: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(host) ? host : `http://${host}`;
  const url = new URL(withScheme);
  if (!url.port && !/:\d+$/.test(url.host) && url.protocol === 'http:') url.port = '11434';
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** OpenAI needs a key on its own endpoint; with OPENAI_BASE_URL (a local server) it is optional. */
function keyRequired(id: ProviderId, env: Env): boolean {
  if (id === 'openai') return !read(env, 'OPENAI_BASE_URL');
  return SPECS[id].keyRequired;
}

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function positiveInt(value: string | undefined): number | undefined {
  if (!value || !/^\d+$/.test(value)) return undefined;
  const number = Number(value);
  return number > 0 ? number : undefined;
}
