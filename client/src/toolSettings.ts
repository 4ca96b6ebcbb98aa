/**
 * Answers the server's `settings/get` with the tool settings now (toolSettingsModel.ts), and
 * VS Code's own `rg`.
 */
import * as vscode from 'vscode';
import { SettingsGetRequest } from '../../protocol/settings';
import type { ServerController } from './languageClient';
import { toolSettingsFrom } from './toolSettingsModel';

/** Registers the `settings/get` handler on the server (kept across server restarts). */
export function registerToolSettings(server: ServerController, ripgrepPath: () => string | undefined, log: vscode.LogOutputChannel): vscode.Disposable {
  return server.onRequest(SettingsGetRequest, () => {
    const config = vscode.workspace.getConfiguration(undefined, vscode.workspace.workspaceFolders?.[0]?.uri);
    return toolSettingsFrom((id) => config.get<unknown>(id), ripgrepPath(), (message) => log.warn(message));
  });
}
