/** Commands about the server itself: status, logs, restart. */
import * as vscode from 'vscode';
import { CommandIds } from '../../../protocol/ids';
import type { ServerHealth } from '../../../protocol/server';
import type { ServerController } from '../languageClient';
import { serverStatusLines } from './serverStatus';

export function registerServerCommands(
  controller: ServerController,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandIds.showServerStatus, async () => {
      let health: ServerHealth;
      try {
        health = await controller.health();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const choice = await vscode.window.showErrorMessage(reason, 'Show Logs');
        if (choice) log.show();
        return;
      }
      const copy = 'Copy';
      const lines = serverStatusLines(health);
      const choice = await vscode.window.showInformationMessage(
        'MOCO server is ready',
        { modal: true, detail: lines.join('\n') },
        copy,
      );
      if (choice === copy) await vscode.env.clipboard.writeText(lines.join('\n'));
    }),
    vscode.commands.registerCommand(CommandIds.showLogs, () => log.show()),
    vscode.commands.registerCommand(CommandIds.restartServer, () => controller.restart()),
  );
}
