/**
 * Entry of the extension (`dist/client.js`). It only wires: the output channel, the server
 * controller, the session hub, the views, the commands, the editor's answers to the server
 * (secrets, `vscode.lm`, tool settings, symbols) and `@moco` (CONVENTIONS.md §3). `activate` must stay fast (target
 * < 50 ms, `npm run bench:startup`): the server starts in the background.
 */
import * as vscode from 'vscode';
import { CommandIds, ContextKeys, OutputChannelName, ViewIds } from '../../protocol/ids';
import { ChatController } from './chat/chatController';
import { errorActions } from './commands/errorActions';
import { registerProviderCommands } from './commands/providerCommands';
import { registerRunCommands } from './commands/runCommands';
import { registerServerCommands } from './commands/serverCommands';
import { registerToolCommands } from './commands/toolCommands';
import { bundledRipgrepPath, registerEditorToolRequests } from './editorTools';
import { ServerController } from './languageClient';
import { registerLmChat } from './lm/lmChat';
import { registerChatParticipant } from './participant/participant';
import { registerReview } from './review';
import { registerScm } from './scm';
import { ApiKeys } from './secrets';
import { onDidChangeSettings, runFields } from './settings';
import { registerToolSettings } from './toolSettings';
import { SessionHub } from './state/sessionHub';
import { createStatusBarItem } from './status/statusBar';
import { AgentsView } from './views/agentsTree';
import { ChatViewProvider } from './views/chatView';
import { TasksView } from './views/tasksTree';
import { Transcripts } from './views/transcript';

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
  const hub = new SessionHub(server, context.workspaceState);
  const agents = new AgentsView(server, hub, log);
  const tasks = new TasksView(server, log);
  const transcripts = new Transcripts(server, hub);
  const apiKeys = new ApiKeys(context.secrets, server);
  let workingDirOverride: string | undefined;
  const chatController = new ChatController({
    server,
    hub,
    sendDefaults: () => runFields(workingDirOverride),
    workingDir: () => runFields(workingDirOverride).workingDir,
    setWorkingDir: (dir) => (workingDirOverride = dir),
    errorActions,
    revealRun: async (runId) => {
      await agents.revealRun(runId);
      const found = hub.findNode(runId);
      if (found) await vscode.commands.executeCommand(CommandIds.openTranscript, { sessionId: found.sessionId, runId });
    },
    log,
  });
  const chat = new ChatViewProvider(context.extensionUri, server, chatController);
  context.subscriptions.push(
    log,
    server,
    hub,
    chatController,
    chat,
    agents,
    tasks,
    transcripts,
    apiKeys,
    createStatusBarItem(server.current, server.onDidChange),
    server.onDidChange(({ state }) => {
      void vscode.commands.executeCommand('setContext', ContextKeys.serverState, state);
    }),
    vscode.window.registerWebviewViewProvider(ViewIds.chat, chat),
    onDidChangeSettings(() => void chatController.refreshContext()),
    registerServerCommands(server, log),
    vscode.commands.registerCommand(CommandIds.newChat, async () => {
      await hub.setCurrent(undefined);
      await chat.reveal();
    }),
    registerProviderCommands(server, apiKeys),
    registerRunCommands({
      server,
      hub,
      transcripts,
      tasks,
      sendToChat: async (text) => {
        await chat.reveal();
        await chatController.send(text);
      },
    }),
    registerLmChat(server, log),
    registerToolSettings(server, () => bundledRipgrepPath(vscode.env.appRoot), log),
    registerEditorToolRequests(server),
    registerToolCommands(server, () => hub.currentSessionId),
    registerChatParticipant(server, hub, context.extensionUri),
    registerScm({ server, log }),
    registerReview({
      context,
      server,
      log,
      showRun: async (sessionId, runId) => {
        await hub.setCurrent(sessionId);
        await hub.load(sessionId).catch(() => undefined);
        await agents.revealRun(runId);
      },
    }),
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
