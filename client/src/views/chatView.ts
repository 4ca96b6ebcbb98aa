/**
 * The Chat view: a webview view whose document is `dist/webview.js`. It relays the webview's
 * messages to the {@link ChatController} and posts the connection state on every change and when
 * the webview says it is ready (after each load: the webview does not retain its context when
 * hidden).
 */
import * as vscode from 'vscode';
import { ViewIds } from '../../../protocol/ids';
import {
  parseWebviewMessage,
  type ClientToWebviewMessage,
  type ConnectionNotification,
} from '../../../protocol/webview';
import type { ChatController } from '../chat/chatController';
import type { ConnectionSnapshot } from '../languageClient';
import { renderWebviewHtml } from './webviewHtml';

/** Maps a connection snapshot to the webview's `connection/didChange` message. */
export function connectionMessage(snapshot: ConnectionSnapshot): ConnectionNotification {
  const { state, health, reason } = snapshot;
  return {
    type: 'connection/didChange',
    state,
    ...(health && state === 'ready'
      ? { server: { version: health.version, pid: health.pid, nodeVersion: health.nodeVersion } }
      : {}),
    ...(reason ? { reason } : {}),
  };
}

/** Provides the Chat webview view. */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private viewSubscriptions: vscode.Disposable[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly connection: {
      readonly current: ConnectionSnapshot;
      readonly onDidChange: vscode.Event<ConnectionSnapshot>;
    },
    private readonly controller: ChatController,
  ) {
    this.subscription = connection.onDidChange((s) => {
      this.post(connectionMessage(s));
      // The agents and the session come from the server: send them again once it is (back) up.
      if (s.state === 'ready') void controller.refreshContext().then(() => controller.loadCurrent());
    });
  }

  /** Shows the Chat view (and focuses its input). */
  async reveal(): Promise<void> {
    if (this.view) this.view.show(false);
    else await vscode.commands.executeCommand(`${ViewIds.chat}.focus`);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    view.webview.html = renderWebviewHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      title: 'MOCO Chat',
    });
    this.controller.attach((message) => this.post(message));
    this.viewSubscriptions = [
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) return;
        if (message.type === 'webview/ready') this.post(connectionMessage(this.connection.current));
        void this.controller.handle(message);
      }),
      view.onDidDispose(() => this.disposeView()),
    ];
  }

  dispose(): void {
    this.disposeView();
    this.subscription.dispose();
  }

  private disposeView(): void {
    for (const s of this.viewSubscriptions) s.dispose();
    this.viewSubscriptions = [];
    if (this.view) this.controller.detach();
    this.view = undefined;
  }

  private post(message: ClientToWebviewMessage): void {
    void this.view?.webview.postMessage(message);
  }
}
