import { describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { CommandIds, ProviderIds } from '../../protocol/ids';
import { errorActions, errorCode } from '../../client/src/commands/errorActions';
import { providerChoices, providerLabel, validateApiKey, validateBaseUrl } from '../../client/src/commands/providerChoices';
import { modelLabel, runSettingsFields, type MocoSettings } from '../../client/src/settingsModel';
import { providerVariables, resolveProvider } from '../../server/src/providers/config';

const defaults: MocoSettings = { providerId: 'auto', model: '', baseUrl: '', profile: '', showThinking: true };

describe('the settings of a run', () => {
  it('leave the provider to the server with auto, and use the first workspace folder', () => {
    expect(runSettingsFields({ ...defaults, model: 'ignored', baseUrl: 'http://x' }, '/ws')).toEqual({ workingDir: '/ws' });
    expect(runSettingsFields(defaults, undefined)).toEqual({});
  });

  it('send the provider, the model, the base URL and the profile that are set', () => {
    expect(runSettingsFields({ ...defaults, providerId: 'zai', model: 'glm-4.7', profile: 'development' }, '/ws')).toEqual({
      profile: 'development',
      provider: 'zai',
      model: 'glm-4.7',
      workingDir: '/ws',
    });
    expect(runSettingsFields({ ...defaults, providerId: 'ollama', baseUrl: ' http://gpu:11434/v1 ' }, '/ws')).toEqual({
      provider: 'ollama',
      baseURL: 'http://gpu:11434/v1',
      workingDir: '/ws',
    });
  });

  it('send a vscode.lm model by its id, without a base URL', () => {
    expect(runSettingsFields({ ...defaults, providerId: 'vscode-lm', model: 'copilot-gpt-4o', baseUrl: 'http://x' }, '/ws')).toEqual({
      provider: 'vscode-lm',
      model: 'copilot-gpt-4o',
      workingDir: '/ws',
    });
  });

  it('let the chat’s /cd directory win over the workspace folder', () => {
    expect(runSettingsFields(defaults, '/ws', '/ws/packages/core')).toEqual({ workingDir: '/ws/packages/core' });
  });

  it('name the model as the chat shows it', () => {
    expect(modelLabel(defaults)).toBe('auto');
    expect(modelLabel({ ...defaults, providerId: 'zai' })).toBe('zai');
    expect(modelLabel({ ...defaults, providerId: 'zai', model: 'glm-4.7' })).toBe('zai/glm-4.7');
  });
});

describe('the fixes offered for an error', () => {
  it('are Set API Key for a missing key, Select Provider and Model for a bad model, Show Logs otherwise', () => {
    expect(errorActions(MocoErrorCodes.ProviderNotConfigured)[0]).toEqual({ label: 'Set API Key', command: CommandIds.setApiKey });
    expect(errorActions(MocoErrorCodes.ModelUnsuitable)).toEqual([{ label: 'Select Provider and Model', command: CommandIds.selectProviderAndModel }]);
    expect(errorActions(MocoErrorCodes.ProviderRejected)[0]?.command).toBe(CommandIds.selectProviderAndModel);
    expect(errorActions(MocoErrorCodes.ProfileNotFound)[0]?.command).toBe(CommandIds.selectProfile);
    expect(errorActions(MocoErrorCodes.Internal)).toEqual([{ label: 'Show Logs', command: CommandIds.showLogs }]);
    expect(errorActions(undefined)).toEqual([{ label: 'Show Logs', command: CommandIds.showLogs }]);
  });

  it('read the code of a ResponseError', () => {
    expect(errorCode({ code: 1201, message: 'x' })).toBe(1201);
    expect(errorCode(new Error('x'))).toBeUndefined();
    expect(errorCode('x')).toBeUndefined();
  });
});

describe('the providers the editor offers', () => {
  it('are every provider of ProviderIds (vscode-lm is listed by model)', () => {
    expect([...providerChoices.map((c) => c.id), 'vscode-lm'].sort()).toEqual([...ProviderIds].sort());
    expect(providerLabel('vscode-lm')).toBe('VS Code language models');
    expect(providerLabel('auto')).toBe('Auto');
  });

  it('agree with the server on labels, key variables, default models and base URLs', () => {
    for (const choice of providerChoices) {
      const server = providerVariables(choice.id);
      expect(choice.label.toLowerCase()).toBe(server.label.toLowerCase());
      expect(choice.keyVariable).toBe(server.keyVariables[0]);
      const env: Record<string, string> = { [server.keyVariables[0] ?? '']: 'sk-test' };
      if (choice.id === 'custom') {
        env.OPENAI_BASE_URL = 'http://localhost:8000/v1';
        env.OPENAI_MODEL = 'm';
      }
      if (choice.defaultModel === undefined && choice.id !== 'custom') {
        expect(() => resolveProvider({ provider: choice.id }, env)).toThrow(/No model is set/);
        continue;
      }
      const resolved = resolveProvider({ provider: choice.id }, env);
      if (choice.defaultModel !== undefined) expect(resolved.model).toBe(choice.defaultModel);
      if (choice.id !== 'custom') expect(resolved.baseURL).toBe(choice.defaultBaseUrl);
    }
  });

  it('check API keys and base URLs before they are stored', () => {
    expect(validateApiKey('  sk-abcdef123456\n')).toBeUndefined();
    expect(validateApiKey('')).toMatch(/Enter the key/);
    expect(validateApiKey('sk-abc def-123456')).toMatch(/no spaces/);
    expect(validateBaseUrl('', false)).toBeUndefined();
    expect(validateBaseUrl('', true)).toMatch(/needs its base URL/);
    expect(validateBaseUrl('localhost:11434', false)).toMatch(/http/);
    expect(validateBaseUrl('ftp://host/v1', false)).toMatch(/http:\/\/ or https:\/\//);
    expect(validateBaseUrl('http://localhost:11434/v1', false)).toBeUndefined();
  });
});
