/**
 * The chat's slash commands that the client carries out (`/help` is the webview's own). Without an
 * argument, `/profile`, `/model`, `/provider` and `/sessions` open the matching quick pick; with
 * one, they write the setting directly, as MOCO's CLI does.
 */
import * as path from 'node:path';
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { CommandIds, ProviderIds, SettingIds } from '../../../protocol/ids';
import type { SlashCommand } from '../../../protocol/webview';

/** What a slash command may change besides settings. */
export interface SlashContext {
  newChat(): Thenable<unknown>;
  workingDir(): string | undefined;
  setWorkingDir(dir: string | undefined): void;
}

/**
 * Carries out a slash command.
 * @returns a line for the transcript saying what changed, or `undefined` when a quick pick or
 *   the command itself shows the outcome.
 */
export async function runSlashCommand(command: SlashCommand, context: SlashContext): Promise<string | undefined> {
  const argument = command.argument;
  switch (command.name) {
    case 'new':
    case 'clear':
      await context.newChat();
      return undefined;
    case 'sessions':
      await vscode.commands.executeCommand(CommandIds.openSession);
      return undefined;
    case 'profile':
      if (!argument) return void (await vscode.commands.executeCommand(CommandIds.selectProfile));
      await setSetting(SettingIds.profileName, argument);
      return `Profile set to ${argument}. New messages use its agents.`;
    case 'provider': {
      if (!argument) return void (await vscode.commands.executeCommand(CommandIds.selectProviderAndModel));
      const [provider, ...model] = argument.split('/');
      if (!provider || !(ProviderIds as readonly string[]).concat('auto').includes(provider)) {
        return `Unknown provider "${argument}". Choose one of: auto, ${ProviderIds.join(', ')}.`;
      }
      await setSetting(SettingIds.providerId, provider);
      await setSetting(SettingIds.providerModel, model.join('/'));
      return `Provider set to ${argument}.`;
    }
    case 'model':
      if (!argument) return void (await vscode.commands.executeCommand(CommandIds.selectProviderAndModel));
      await setSetting(SettingIds.providerModel, argument);
      return `Model set to ${argument}.`;
    case 'workdir':
      return `Working directory: ${context.workingDir() ?? 'none (open a folder, or use /cd PATH)'}.`;
    case 'cd':
      return changeDirectory(argument, context);
  }
}

async function changeDirectory(argument: string | undefined, context: SlashContext): Promise<string> {
  if (!argument) {
    context.setWorkingDir(undefined);
    return `Working directory reset to ${context.workingDir() ?? 'the workspace folder'}.`;
  }
  const base = context.workingDir() ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  const target = path.resolve(base, argument);
  try {
    if (!(await stat(target)).isDirectory()) return `${target} is not a folder.`;
  } catch {
    return `${target} does not exist. Give an existing folder to /cd.`;
  }
  context.setWorkingDir(target);
  return `Working directory: ${target}. New messages work there.`;
}

async function setSetting(id: string, value: string): Promise<void> {
  const [section, ...rest] = id.split('.');
  await vscode.workspace.getConfiguration(section).update(rest.join('.'), value, vscode.ConfigurationTarget.Global);
}
