/**
 * The providers the user can choose in `MOCO: Select Provider and Model` and `MOCO: Set API Key`,
 * with what the quick picks say about them. Pure (no `vscode`), unit-tested. The labels, key
 * variables, default models and base URLs are those of the server's `providers/config.ts` (a unit
 * test checks that they agree).
 */
import type { EditorProviderId } from '../../../protocol/ids';

/** What the editor says about a provider. */
export interface ProviderChoice {
  id: EditorProviderId;
  label: string;
  /** Whether a run fails without a key (a local server needs none). */
  keyRequired: boolean;
  /** Whether a key can be given at all (`vscode-lm` takes none). */
  takesKey: boolean;
  /** The environment variable the server also reads the key from, for example `ZAI_API_KEY`. */
  keyVariable?: string;
  /** Whether the user is asked for a base URL (local and custom servers). */
  asksBaseUrl: boolean;
  /** The server's default base URL; `''` where none fits (custom). */
  defaultBaseUrl: string;
  /** The server's default model, when it has one. */
  defaultModel?: string;
  /** Where to find a key, or what the provider is. */
  detail: string;
}

/** Every provider of `ProviderIds` but `vscode-lm`, in MOCO's auto-selection order, then the local ones. */
export const providerChoices: readonly ProviderChoice[] = [
  {
    id: 'zai',
    label: 'Z.ai',
    keyRequired: true,
    takesKey: true,
    keyVariable: 'ZAI_API_KEY',
    asksBaseUrl: false,
    defaultBaseUrl: 'https://api.z.ai/api/coding/paas/v4',
    defaultModel: 'glm-4.7',
    detail: 'GLM models. Keys: the API Keys page of your z.ai account.',
  },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    keyRequired: true,
    takesKey: true,
    keyVariable: 'OPENROUTER_API_KEY',
    asksBaseUrl: false,
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    defaultModel: 'google/gemini-2.5-flash',
    detail: 'Models of many vendors. Keys: https://openrouter.ai/keys',
  },
  {
    id: 'gemini',
    label: 'Gemini',
    keyRequired: true,
    takesKey: true,
    keyVariable: 'GEMINI_API_KEY',
    asksBaseUrl: false,
    defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai/',
    defaultModel: 'gemini-2.5-flash',
    detail: "Google's models. Keys: https://aistudio.google.com/apikey",
  },
  {
    id: 'openai',
    label: 'OpenAI',
    keyRequired: true,
    takesKey: true,
    keyVariable: 'OPENAI_API_KEY',
    asksBaseUrl: false,
    defaultBaseUrl: 'https://api.openai.com/v1',
    defaultModel: 'gpt-4.1-mini',
    detail: 'Keys: https://platform.openai.com/api-keys',
  },
  {
    id: 'ollama',
    label: 'Ollama',
    keyRequired: false,
    takesKey: true,
    keyVariable: 'OLLAMA_API_KEY',
    asksBaseUrl: true,
    defaultBaseUrl: 'http://localhost:11434/v1',
    defaultModel: 'llama3.1',
    detail: 'Models on this machine (ollama serve); no key needed.',
  },
  {
    id: 'lmstudio',
    label: 'LM Studio',
    keyRequired: false,
    takesKey: true,
    keyVariable: 'LMSTUDIO_API_KEY',
    asksBaseUrl: true,
    defaultBaseUrl: 'http://localhost:1234/v1',
    detail: "LM Studio's local server; no key needed.",
  },
  {
    id: 'custom',
    label: 'Custom OpenAI-compatible server',
    keyRequired: false,
    takesKey: true,
    keyVariable: 'OPENAI_API_KEY',
    asksBaseUrl: true,
    defaultBaseUrl: '',
    detail: 'vLLM, llama.cpp or any server with the OpenAI chat completions API.',
  },
];

/** The choice of a provider id, or `undefined` for `auto`, `vscode-lm` and unknown ids. */
export function providerChoice(id: string): ProviderChoice | undefined {
  return providerChoices.find((c) => c.id === id);
}

/** The label of a provider id: `Z.ai`, `VS Code language models`, `Auto`... */
export function providerLabel(id: string): string {
  if (id === 'auto') return 'Auto';
  if (id === 'vscode-lm') return 'VS Code language models';
  return providerChoice(id)?.label ?? id;
}

/**
 * Why a base URL is not usable, or `undefined` when it is. Empty is allowed unless `required`
 * (the provider's default is then used).
 */
export function validateBaseUrl(value: string, required: boolean): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return required ? 'A custom server needs its base URL, for example http://localhost:8000/v1.' : undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return 'Enter a URL such as http://localhost:11434/v1.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'The base URL must start with http:// or https://.';
  return undefined;
}

/**
 * Why an API key is not usable, or `undefined` when it looks like one: not empty, no spaces or
 * line breaks inside (a pasted key often carries a trailing newline, which is trimmed).
 */
export function validateApiKey(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return 'Enter the key, or press Escape to cancel.';
  if (/\s/.test(trimmed)) return 'An API key has no spaces or line breaks.';
  if (trimmed.length < 8) return 'This is too short for an API key.';
  return undefined;
}
