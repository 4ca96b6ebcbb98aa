/** Commands about the server itself: status, logs, restart. */
import * as vscode from 'vscode';
import { CommandIds } from '../../../protocol/ids';
import type { ServerHealth } from '../../../protocol/server';
import { errorMessage } from '../errorMessage';
import type { ServerController } from '../languageClient';
import { serverStatusLines } from './serverStatus';

/**
 * Registers `moco.showServerStatus` (waits, with a cancellable progress notification, while the
 * server starts), `moco.showLogs` and `moco.restartServer`.
 */
export function registerServerCommands(
  controller: ServerController,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandIds.showServerStatus, async () => {
      let health: ServerHealth;
      try {
        health =
          controller.current.state === 'ready'
            ? await controller.health()
            : await vscode.window.withProgress(
                { location: vscode.ProgressLocation.Notification, title: 'Waiting for the MOCO server…', cancellable: true },
                (_progress, token) => controller.health(token),
              );
      } catch (error) {
        if (error instanceof vscode.CancellationError) return;
        const choice = await vscode.window.showErrorMessage(errorMessage(error), 'Show Logs');
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
