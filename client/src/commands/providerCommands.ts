/**
 * `MOCO: Set API Key`, `MOCO: Select Provider and Model` and `MOCO: Select Profile`: the settings
 * of a run, chosen in quick picks. Keys go to SecretStorage (secrets.ts), never to settings.
 */
import * as vscode from 'vscode';
import { CommandIds, SettingIds } from '../../../protocol/ids';
import { ProfilesListRequest, type ProfilesListResult } from '../../../protocol/profiles';
import { effectiveProfileName } from '../views/agentsModel';
import type { ServerController } from '../languageClient';
import type { ApiKeys } from '../secrets';
import { readSettings, workspaceFolderPath, writeSetting } from '../settings';
import { providerChoice, providerChoices, providerLabel, validateApiKey, validateBaseUrl, type ProviderChoice } from './providerChoices';
import { showErrorWithActions } from './showError';

/** Registers the three commands. */
export function registerProviderCommands(server: ServerController, apiKeys: ApiKeys): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandIds.setApiKey, (provider?: unknown) => setApiKey(apiKeys, typeof provider === 'string' ? provider : undefined)),
    vscode.commands.registerCommand(CommandIds.selectProviderAndModel, () => selectProviderAndModel(apiKeys)),
    vscode.commands.registerCommand(CommandIds.selectProfile, () => selectProfile(server)),
  );
}

type ProviderPick = vscode.QuickPickItem & { choice?: ProviderChoice };

/**
 * Asks for a provider (unless given), then for its key (a password box), and stores it; or
 * deletes the stored key when the user chooses to.
 */
async function setApiKey(apiKeys: ApiKeys, providerId?: string): Promise<void> {
  const keyed = providerChoices.filter((c) => c.takesKey);
  let choice = providerId ? keyed.find((c) => c.id === providerId) : undefined;
  if (!choice) {
    const stored = await apiKeys.stored(keyed.map((c) => c.id));
    const current = readSettings().providerId;
    // The configured provider first: it is the one whose key is most likely wanted.
    const ordered = [...keyed.filter((c) => c.id === current), ...keyed.filter((c) => c.id !== current)];
    const items: ProviderPick[] = ordered.map((c) => ({
      label: c.label,
      description: [stored.has(c.id) ? '$(key) key stored' : c.keyRequired ? 'no key stored' : 'optional: local server', c.id === current ? 'current' : undefined]
        .filter(Boolean)
        .join(' · '),
      detail: c.detail,
      choice: c,
    }));
    const picked = await vscode.window.showQuickPick(items, { title: 'MOCO: Set API Key', placeHolder: 'The provider whose API key to set', matchOnDetail: true });
    choice = picked?.choice;
    if (!choice) return;
  }

  if (await apiKeys.get(choice.id)) {
    const replace = 'Replace the stored key';
    const remove = 'Delete the stored key';
    const action = await vscode.window.showQuickPick([replace, remove], { title: `MOCO: API key for ${choice.label}`, placeHolder: 'A key is stored for this provider' });
    if (!action) return;
    if (action === remove) {
      await apiKeys.delete(choice.id);
      void vscode.window.showInformationMessage(`The API key for ${choice.label} was deleted.`);
      return;
    }
  }

  const key = await vscode.window.showInputBox({
    title: `MOCO: API key for ${choice.label}`,
    prompt: `Kept in VS Code's secret storage, never in settings or logs.${choice.keyVariable ? ` ${choice.keyVariable} in the environment also works.` : ''}`,
    placeHolder: 'Paste the API key',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => validateApiKey(value),
  });
  if (key === undefined) return;
  await apiKeys.set(choice.id, key);

  const settings = readSettings();
  if (settings.providerId === choice.id || settings.providerId === 'auto') {
    void vscode.window.showInformationMessage(`The API key for ${choice.label} is stored.`);
    return;
  }
  const use = `Use ${choice.label}`;
  const answer = await vscode.window.showInformationMessage(
    `The API key for ${choice.label} is stored. MOCO uses ${providerLabel(settings.providerId)} now.`,
    use,
  );
  if (answer === use) await writeProvider(choice.id, '', '');
}

type ModelPick = vscode.QuickPickItem & { provider?: string; lmModel?: vscode.LanguageModelChat; noModels?: true };

/**
 * Asks for a provider (Auto, the providers of `ProviderIds`, each `vscode.lm` model), then for the
 * model and, for local and custom servers, the base URL; writes `moco.provider.*`.
 */
async function selectProviderAndModel(apiKeys: ApiKeys): Promise<void> {
  const settings = readSettings();
  const stored = await apiKeys.stored(providerChoices.map((c) => c.id));
  const lmModels = await languageModels();
  const current = (id: string): string | undefined => (settings.providerId === id ? 'current' : undefined);
  const items: ModelPick[] = [
    { label: 'Auto', description: current('auto'), detail: 'The first provider with a key: Z.ai, OpenRouter, Gemini, then OpenAI.', provider: 'auto' },
    ...providerChoices.map((c) => ({
      label: c.label,
      description: [stored.has(c.id) ? '$(key) key stored' : c.keyRequired ? 'needs an API key' : 'no key needed', current(c.id)].filter(Boolean).join(' · '),
      detail: c.detail,
      provider: c.id,
    })),
    { label: 'VS Code language models', kind: vscode.QuickPickItemKind.Separator },
    ...(lmModels.length > 0
      ? lmModels.map((m) => ({
          label: `$(sparkle) ${m.name}`,
          description: [m.vendor, m.family, settings.providerId === 'vscode-lm' && settings.model === m.id ? 'current' : undefined].filter(Boolean).join(' · '),
          detail: `${m.id} · up to ${m.maxInputTokens.toLocaleString('en-US')} input tokens`,
          provider: 'vscode-lm',
          lmModel: m,
        }))
      : [
          {
            label: '$(info) No VS Code language models in this editor',
            detail: 'No extension provides chat models here (code-server has none). GitHub Copilot Chat, for example, adds some.',
            noModels: true as const,
          },
        ]),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'MOCO: Select Provider and Model', placeHolder: 'The provider of the agents’ model', matchOnDetail: true });
  if (!picked) return;
  if (picked.noModels) {
    void vscode.window.showInformationMessage('VS Code has no language models here. Install an extension that provides chat models (GitHub Copilot Chat, for example), or choose another provider.');
    return;
  }
  if (picked.lmModel) {
    await writeProvider('vscode-lm', picked.lmModel.id, '');
    return;
  }
  if (picked.provider === 'auto') {
    await writeProvider('auto', '', settings.baseUrl);
    return;
  }
  const choice = picked.provider ? providerChoice(picked.provider) : undefined;
  if (!choice) return;
  const same = settings.providerId === choice.id;

  const model = await vscode.window.showInputBox({
    title: `MOCO: Model on ${choice.label}`,
    prompt: choice.defaultModel
      ? `The model name as ${choice.label} writes it. Empty for the default, ${choice.defaultModel}.`
      : `The model name as the server lists it${choice.id === 'lmstudio' ? ' (lms ls)' : ''}.`,
    placeHolder: choice.defaultModel ?? 'model name',
    value: same ? settings.model : '',
    ignoreFocusOut: true,
  });
  if (model === undefined) return;

  let baseUrl = same ? settings.baseUrl : '';
  if (choice.asksBaseUrl) {
    const entered = await vscode.window.showInputBox({
      title: `MOCO: Base URL of ${choice.label}`,
      prompt: choice.defaultBaseUrl ? `The server's OpenAI-compatible API. Empty for ${choice.defaultBaseUrl}.` : "The server's OpenAI-compatible API, for example http://localhost:8000/v1.",
      placeHolder: choice.defaultBaseUrl || 'http://localhost:8000/v1',
      value: same ? settings.baseUrl : '',
      ignoreFocusOut: true,
      validateInput: (value) => validateBaseUrl(value, choice.defaultBaseUrl === ''),
    });
    if (entered === undefined) return;
    baseUrl = entered.trim();
  }
  await writeProvider(choice.id, model.trim(), baseUrl);

  if (choice.keyRequired && !stored.has(choice.id)) {
    const setKey = 'Set API Key';
    const answer = await vscode.window.showInformationMessage(
      `${choice.label} needs an API key, and none is stored in VS Code${choice.keyVariable ? ` (${choice.keyVariable} in the environment also works)` : ''}.`,
      setKey,
    );
    if (answer === setKey) await vscode.commands.executeCommand(CommandIds.setApiKey, choice.id);
  }
}

/** The `vscode.lm` chat models, or none when the API is missing or fails. */
async function languageModels(): Promise<vscode.LanguageModelChat[]> {
  try {
    return typeof vscode.lm?.selectChatModels === 'function' ? await vscode.lm.selectChatModels() : [];
  } catch {
    return [];
  }
}

async function writeProvider(providerId: string, model: string, baseUrl: string): Promise<void> {
  await writeSetting(SettingIds.providerId, providerId);
  await writeSetting(SettingIds.providerModel, model);
  await writeSetting(SettingIds.providerBaseUrl, baseUrl);
}

type ProfilePick = vscode.QuickPickItem & { profile?: string; failure?: string };

/** Lists the profiles (`profiles/list`) and writes the chosen one to `moco.profile.name`. */
async function selectProfile(server: ServerController): Promise<void> {
  const settings = readSettings();
  const currentName = effectiveProfileName(settings.profile, process.env.MOCO_PROFILE);
  let result: ProfilesListResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Listing MOCO profiles…' },
      () => server.request(ProfilesListRequest, { workingDir: workspaceFolderPath() }),
    );
  } catch (error) {
    await showErrorWithActions(error, 'Could not list the profiles.');
    return;
  }
  const items: ProfilePick[] = [
    ...result.profiles.map((p) => ({
      label: p.name,
      description: [p.source === 'bundled' ? 'bundled' : p.source === 'workspace' ? '.moco/profiles' : 'MOCO_PROFILES_DIR', p.name === currentName ? 'current' : undefined]
        .filter(Boolean)
        .join(' · '),
      detail: [p.description, `agents: ${p.agents.map((a) => a.name).join(', ')}`].filter(Boolean).join(' — '),
      profile: p.name,
    })),
    ...result.errors.map((e) => ({
      label: `$(error) ${e.name}`,
      description: 'cannot be loaded',
      detail: `${e.line === undefined ? e.file : `${e.file}:${e.line}`}: ${e.message}`,
      failure: `${e.line === undefined ? e.file : `${e.file}:${e.line}`}: ${e.message}`,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'MOCO: Select Profile', placeHolder: `The team of agents (now ${currentName})`, matchOnDetail: true });
  if (!picked) return;
  if (picked.failure) {
    const open = 'Open File';
    const file = result.errors.find((e) => picked.failure?.startsWith(e.file))?.file;
    const answer = await vscode.window.showErrorMessage(`Profile ${picked.label.replace('$(error) ', '')} cannot be loaded: ${picked.failure}`, ...(file ? [open] : []));
    if (answer === open && file) await vscode.window.showTextDocument(vscode.Uri.file(file));
    return;
  }
  if (picked.profile) await writeSetting(SettingIds.profileName, picked.profile, 'workspace');
}
