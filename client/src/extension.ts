/**
 * Entry of the extension (`dist/client.js`). It only wires: the output channel, the server
 * controller, the status bar, the views and the commands (CONVENTIONS.md §3). `activate` must stay
 * fast (target < 50 ms, `npm run bench:startup`): the server starts in the background.
 */
import * as vscode from 'vscode';
import { ContextKeys, OutputChannelName, ViewIds } from '../../protocol/ids';
import { registerServerCommands } from './commands/serverCommands';
import { ServerController } from './languageClient';
import { createStatusBarItem } from './status/statusBar';
import { ChatViewProvider } from './views/chatView';
import { registerEmptyTreeView } from './views/emptyTree';

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel(OutputChannelName, { log: true });
  const storage = context.storageUri ?? context.globalStorageUri;
  const version = String((context.extension.packageJSON as { version?: unknown }).version);
  const controller = new ServerController(
    {
      serverModule: vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath,
      initializationOptions: { storagePath: storage.fsPath, clientVersion: version },
    },
    log,
  );
  const chat = new ChatViewProvider(context.extensionUri, controller);
  context.subscriptions.push(
    log,
    controller,
    chat,
    createStatusBarItem(controller.current, controller.onDidChange),
    controller.onDidChange(({ state }) => {
      void vscode.commands.executeCommand('setContext', ContextKeys.serverState, state);
    }),
    vscode.window.registerWebviewViewProvider(ViewIds.chat, chat, {
      webviewOptions: { retainContextWhenHidden: false },
    }),
    registerEmptyTreeView(ViewIds.agents),
    registerEmptyTreeView(ViewIds.tasks),
    registerServerCommands(controller, log),
  );
  // Start the server once activate() has returned: loading the language client is most of the
  // client's code, and activation must stay fast.
  setImmediate(() => void controller.start());
  log.info(`MOCO ${version} activated in ${(performance.now() - started).toFixed(1)} ms.`);
}

export function deactivate(): void {
  // Disposables in context.subscriptions stop the server.
}
