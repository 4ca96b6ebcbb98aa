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

/** `performance.now()` when the bundle began to run (esbuild.config.mjs's banner). */
declare const __mocoLoadStart: number | undefined;
/** How long, in ms, evaluating the bundle took: this module's body runs last. */
const evaluationMs = typeof __mocoLoadStart === 'number' ? performance.now() - __mocoLoadStart : undefined;

let controller: ServerController | undefined;

/** Called by VS Code on the first use of a MOCO view or command (no `*` activation). */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel(OutputChannelName, { log: true });
  const storage = context.storageUri ?? context.globalStorageUri;
  const version = String((context.extension.packageJSON as { version?: unknown }).version);
  const server = new ServerController(
    {
      serverModule: vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath,
      initializationOptions: { storagePath: storage.fsPath, clientVersion: version },
    },
    log,
  );
  controller = server;
  const chat = new ChatViewProvider(context.extensionUri, server);
  context.subscriptions.push(
    log,
    server,
    chat,
    createStatusBarItem(server.current, server.onDidChange),
    server.onDidChange(({ state }) => {
      void vscode.commands.executeCommand('setContext', ContextKeys.serverState, state);
    }),
    vscode.window.registerWebviewViewProvider(ViewIds.chat, chat),
    registerEmptyTreeView(ViewIds.agents),
    registerEmptyTreeView(ViewIds.tasks),
    registerServerCommands(server, log),
  );
  // Start the server once activate() has returned: loading the language client is most of the
  // client's code, and activation must stay fast.
  setImmediate(() => void server.start());
  const evaluated = evaluationMs === undefined ? '' : `bundle evaluated in ${evaluationMs.toFixed(1)} ms, `;
  log.info(`MOCO ${version}: ${evaluated}activate() took ${(performance.now() - started).toFixed(1)} ms.`);
}

/** Stops the server (LSP shutdown and exit) before the extension host goes away. */
export function deactivate(): Promise<void> | undefined {
  const stopping = controller?.stop();
  controller = undefined;
  return stopping;
}
