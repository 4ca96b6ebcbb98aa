// Provider selection as MOCO does it: names, -m, agent models, <PROVIDER>_MODEL, auto-selection
// from the keys present, MOCO_DEFAULT_PROVIDER, and a .env file in the working directory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { loadEnv, ollamaHost, parseProviderName, resolveProvider, type Env } from '../../server/src/providers/config';
import { ProviderError } from '../../server/src/providers/errors';

function failure(run: () => unknown): ProviderError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

describe('resolveProvider', () => {
  it('auto-selects from the keys present in the order zai, openrouter, gemini, openai', () => {
    const all: Env = { ZAI_API_KEY: 'z', OPENROUTER_API_KEY: 'r', GEMINI_API_KEY: 'g', OPENAI_API_KEY: 'o' };
    expect(resolveProvider({}, all).id).toBe('zai');
    expect(resolveProvider({}, { ...all, ZAI_API_KEY: undefined }).id).toBe('openrouter');
    expect(resolveProvider({}, { GEMINI_API_KEY: 'g', OPENAI_API_KEY: 'o' }).id).toBe('gemini');
    expect(resolveProvider({}, { OPENAI_API_KEY: 'o' }).id).toBe('openai');
    expect(resolveProvider({}, { ZAI_API_KEY: '', OPENAI_API_KEY: 'o' }).id).toBe('openai');
  });

  it('gives each provider its endpoint, key and default model', () => {
    expect(resolveProvider({}, { ZAI_API_KEY: 'z' })).toEqual({
      id: 'zai',
      baseURL: 'https://api.z.ai/api/coding/paas/v4',
      apiKey: 'z',
      model: 'glm-4.7',
      apiKeyVariable: 'ZAI_API_KEY',
    });
    expect(resolveProvider({ provider: 'openrouter' }, { OPENROUTER_API_KEY: 'r' })).toMatchObject({
      baseURL: 'https://openrouter.ai/api/v1',
      model: 'google/gemini-2.5-flash',
    });
    expect(resolveProvider({ provider: 'gemini' }, { GENAI_API_KEY: 'g' })).toMatchObject({
      baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai/',
      apiKey: 'g',
      model: 'gemini-2.5-flash',
    });
    expect(resolveProvider({ provider: 'openai' }, { OPENAI_API_KEY: 'o' })).toMatchObject({ baseURL: 'https://api.openai.com/v1', model: 'gpt-4.1-mini' });
    expect(resolveProvider({ provider: 'ollama' }, {})).toEqual({ id: 'ollama', baseURL: 'http://localhost:11434/v1', model: 'llama3.1', apiKeyVariable: 'OLLAMA_API_KEY' });
    expect(resolveProvider({ provider: 'lmstudio', model: 'qwen2.5-coder-7b-instruct' }, {})).toMatchObject({ baseURL: 'http://localhost:1234/v1' });
  });

  it('reads GEMINI_API_KEY before GENAI_API_KEY, and ZAI_BASE_URL switches Z.ai to its general endpoint', () => {
    expect(resolveProvider({ provider: 'gemini' }, { GEMINI_API_KEY: 'first', GENAI_API_KEY: 'second' }).apiKey).toBe('first');
    expect(resolveProvider({}, { ZAI_API_KEY: 'z', ZAI_BASE_URL: 'https://api.z.ai/api/paas/v4' }).baseURL).toBe('https://api.z.ai/api/paas/v4');
  });

  it('takes provider/model names, -m, and <PROVIDER>_MODEL in that order of strength', () => {
    const env: Env = { ZAI_API_KEY: 'z', ZAI_MODEL: 'glm-4.5', OPENROUTER_API_KEY: 'r' };
    expect(resolveProvider({}, env).model).toBe('glm-4.5');
    expect(resolveProvider({ provider: 'zai/glm-4.6' }, env).model).toBe('glm-4.6');
    expect(resolveProvider({ provider: 'zai/glm-4.6', model: 'glm-4.7' }, env).model).toBe('glm-4.7');
    expect(resolveProvider({ provider: 'openrouter/anthropic/claude-sonnet-4' }, env)).toMatchObject({ id: 'openrouter', model: 'anthropic/claude-sonnet-4' });
    // -m is a model name, never a provider: OpenRouter ids contain a slash.
    expect(resolveProvider({ provider: 'openrouter', model: 'openai/gpt-4o' }, env)).toMatchObject({ id: 'openrouter', model: 'openai/gpt-4o' });
  });

  it("runs an agent's provider/model on that provider, and a bare agent model on the session's provider", () => {
    const env: Env = { ZAI_API_KEY: 'z', OPENAI_API_KEY: 'o' };
    expect(resolveProvider({ provider: 'zai', model: 'glm-4.6', agentModel: 'openai/gpt-4.1' }, env)).toMatchObject({ id: 'openai', model: 'gpt-4.1', apiKey: 'o' });
    expect(resolveProvider({ provider: 'zai', model: 'glm-4.6', agentModel: 'glm-4.5-air' }, env)).toMatchObject({ id: 'zai', model: 'glm-4.5-air' });
    // An agent on a local provider runs without any key configured.
    expect(resolveProvider({ agentModel: 'ollama/qwen2.5-coder:7b' }, {})).toMatchObject({ id: 'ollama', model: 'qwen2.5-coder:7b' });
    // An unknown prefix is part of the model's name (an OpenRouter id on an OpenRouter session).
    expect(resolveProvider({ provider: 'openrouter', agentModel: 'anthropic/claude-sonnet-4' }, { OPENROUTER_API_KEY: 'r' })).toMatchObject({
      id: 'openrouter',
      model: 'anthropic/claude-sonnet-4',
    });
  });

  it('honours MOCO_DEFAULT_PROVIDER over the auto-selection, and --provider over both', () => {
    const env: Env = { ZAI_API_KEY: 'z', GEMINI_API_KEY: 'g', MOCO_DEFAULT_PROVIDER: 'gemini' };
    expect(resolveProvider({}, env).id).toBe('gemini');
    expect(resolveProvider({}, { ...env, MOCO_DEFAULT_PROVIDER: 'gemini/gemini-2.5-pro' }).model).toBe('gemini-2.5-pro');
    expect(resolveProvider({ provider: 'zai' }, env).id).toBe('zai');
  });

  it('fails with the variables to set when no provider is configured', () => {
    const error = failure(() => resolveProvider({}, {}));
    expect(error.code).toBe(MocoErrorCodes.ProviderNotConfigured);
    for (const name of ['ZAI_API_KEY', 'OPENROUTER_API_KEY', 'GEMINI_API_KEY', 'OPENAI_API_KEY', '.env', '--provider ollama']) {
      expect(error.message).toContain(name);
    }
  });

  it('fails naming the key variable when the chosen provider has no key', () => {
    expect(failure(() => resolveProvider({ provider: 'openrouter' }, { ZAI_API_KEY: 'z' })).message).toContain('set OPENROUTER_API_KEY');
    expect(failure(() => resolveProvider({}, { MOCO_DEFAULT_PROVIDER: 'gemini' })).message).toContain('set GEMINI_API_KEY or GENAI_API_KEY');
  });

  it('lists the known providers for an unknown name', () => {
    const error = failure(() => resolveProvider({ provider: 'anthropic/claude' }, {}));
    expect(error.message).toContain("Unknown provider 'anthropic'");
    expect(error.message).toContain('zai, openrouter, gemini, openai, ollama, lmstudio, custom');
  });

  it('asks for a model where no default fits (LM Studio, custom servers)', () => {
    expect(failure(() => resolveProvider({ provider: 'lmstudio' }, {})).message).toContain('-m MODEL or LMSTUDIO_MODEL');
  });

  it('takes any OpenAI-compatible base URL, as --provider or OPENAI_BASE_URL, with the key optional', () => {
    expect(resolveProvider({ provider: 'http://localhost:8000/v1', model: 'qwen' }, {})).toEqual({
      id: 'custom',
      baseURL: 'http://localhost:8000/v1',
      model: 'qwen',
      apiKeyVariable: 'OPENAI_API_KEY',
    });
    expect(resolveProvider({}, { OPENAI_BASE_URL: 'http://vllm:8000/v1', OPENAI_MODEL: 'llama' })).toMatchObject({
      id: 'openai',
      baseURL: 'http://vllm:8000/v1',
      model: 'llama',
    });
    expect(resolveProvider({ provider: 'custom' }, { OPENAI_BASE_URL: 'http://vllm:8000/v1', OPENAI_MODEL: 'llama', OPENAI_API_KEY: 'k' })).toMatchObject({ apiKey: 'k' });
    expect(failure(() => resolveProvider({ provider: 'custom', model: 'x' }, {})).message).toContain('set OPENAI_BASE_URL');
  });

  it('reads OLLAMA_HOST as Ollama does, and OLLAMA_CONTEXT_LENGTH', () => {
    expect(resolveProvider({ provider: 'ollama' }, { OLLAMA_HOST: 'gpu-box' }).baseURL).toBe('http://gpu-box:11434/v1');
    expect(resolveProvider({ provider: 'ollama' }, { OLLAMA_HOST: 'http://10.0.0.5:9999' }).baseURL).toBe('http://10.0.0.5:9999/v1');
    expect(resolveProvider({ provider: 'ollama' }, { OLLAMA_HOST: 'https://ollama.example.com' }).baseURL).toBe('https://ollama.example.com/v1');
    expect(resolveProvider({ provider: 'ollama' }, { OLLAMA_CONTEXT_LENGTH: '32768', OLLAMA_MODEL: 'qwen3:8b' })).toMatchObject({
      model: 'qwen3:8b',
      contextLength: 32768,
    });
    expect(ollamaHost('http://gpu-box:11434/v1')).toBe('http://gpu-box:11434');
  });

  it('parses provider names case-insensitively', () => {
    expect(parseProviderName('ZAI/glm-4.7')).toEqual({ id: 'zai', model: 'glm-4.7' });
    expect(parseProviderName('OpenRouter')).toEqual({ id: 'openrouter' });
  });
});

describe('loadEnv', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('reads .env from the working directory, and the process environment wins', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'moco-env-'));
    writeFileSync(path.join(dir, '.env'), '# keys\nZAI_API_KEY=from-file\nOPENROUTER_API_KEY="quoted value"\nZAI_MODEL=glm-4.6\n');
    const env = loadEnv(dir, { ZAI_API_KEY: 'from-process', PATH: '/bin', EMPTY: '' });
    expect(env).toMatchObject({ ZAI_API_KEY: 'from-process', OPENROUTER_API_KEY: 'quoted value', ZAI_MODEL: 'glm-4.6', PATH: '/bin' });
    expect(resolveProvider({}, env)).toMatchObject({ id: 'zai', apiKey: 'from-process', model: 'glm-4.6' });
  });

  it('keeps a .env value when the process has the variable empty', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'moco-env-'));
    writeFileSync(path.join(dir, '.env'), 'OPENAI_API_KEY=sk-file\n');
    expect(loadEnv(dir, { OPENAI_API_KEY: '' }).OPENAI_API_KEY).toBe('sk-file');
  });

  it('is the process environment alone when there is no .env', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'moco-env-'));
    expect(loadEnv(dir, { A: '1' })).toEqual({ A: '1' });
  });
});
