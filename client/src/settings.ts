/**
 * Reads MOCO's settings (`moco.*`) and writes the ones the commands choose. The values are plain
 * ({@link MocoSettings}); settingsModel.ts turns them into run parameters.
 */
import * as vscode from 'vscode';
import { SettingIds } from '../../protocol/ids';
import { runSettingsFields, type MocoSettings, type RunSettingsFields } from './settingsModel';

export type { MocoSettings, RunSettingsFields } from './settingsModel';

/** The MOCO settings now, for the first workspace folder (`moco.profile.name` is per resource). */
export function readSettings(): MocoSettings {
  const config = vscode.workspace.getConfiguration(undefined, vscode.workspace.workspaceFolders?.[0]?.uri);
  const str = (id: string): string => {
    const value = config.get<unknown>(id);
    return typeof value === 'string' ? value : '';
  };
  return {
    providerId: str(SettingIds.providerId) || 'auto',
    model: str(SettingIds.providerModel),
    baseUrl: str(SettingIds.providerBaseUrl),
    profile: str(SettingIds.profileName),
    showThinking: config.get<boolean>(SettingIds.chatShowThinking) !== false,
  };
}

/** Fires with the new settings when any `moco.*` setting that shapes a run or the chat changes. */
export function onDidChangeSettings(listener: (settings: MocoSettings) => void): vscode.Disposable {
  const watched = [SettingIds.providerId, SettingIds.providerModel, SettingIds.providerBaseUrl, SettingIds.profileName, SettingIds.chatShowThinking];
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (watched.some((id) => event.affectsConfiguration(id))) listener(readSettings());
  });
}

/** The absolute path of the first workspace folder, if any (the default working directory). */
export function workspaceFolderPath(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

/**
 * The `chat/send`/`tasks/run` fields of the current settings (see `runSettingsFields`).
 * @param workingDirOverride the chat's `/cd` directory, when the user set one.
 */
export function runFields(workingDirOverride?: string): RunSettingsFields {
  return runSettingsFields(readSettings(), workspaceFolderPath(), workingDirOverride);
}

/**
 * Writes a setting where it takes effect: the workspace (folder) when a value is set there, so
 * that it is not shadowed, else the user settings (or the workspace, with `prefer`). `undefined`
 * removes it there.
 */
export async function writeSetting(id: string, value: string | undefined, prefer: 'user' | 'workspace' = 'user'): Promise<void> {
  const config = vscode.workspace.getConfiguration(undefined, vscode.workspace.workspaceFolders?.[0]?.uri);
  const inspected = config.inspect(id);
  const hasWorkspace = vscode.workspace.workspaceFolders !== undefined;
  let target = prefer === 'workspace' && hasWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  if (inspected?.workspaceFolderValue !== undefined) target = vscode.ConfigurationTarget.WorkspaceFolder;
  else if (inspected?.workspaceValue !== undefined) target = vscode.ConfigurationTarget.Workspace;
  // An empty value in the user settings is the default: remove it rather than write it. In a
  // workspace it must be written, or the user's value would show through.
  const removes = value === undefined || (value === '' && target === vscode.ConfigurationTarget.Global);
  await config.update(id, removes ? undefined : value, target);
}
