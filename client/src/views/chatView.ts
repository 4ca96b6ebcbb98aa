/**
 * The Chat view: a webview view whose document is `dist/webview.js`. For now it shows the
 * connection to the server (version, pid) and offers the fixes when there is none.
 */
import * as vscode from 'vscode';
import {
  parseWebviewMessage,
  type ClientToWebviewMessage,
  type ConnectionNotification,
} from '../../../protocol/webview';
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

/**
 * Provides the Chat webview view. It posts the connection state on every change and when the
 * webview says it is ready (after each load: the webview does not retain its context when hidden).
 */
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
  ) {
    this.subscription = connection.onDidChange((s) => this.post(connectionMessage(s)));
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
    this.viewSubscriptions = [
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (message?.type === 'webview/ready') this.post(connectionMessage(this.connection.current));
        if (message?.type === 'command/run') void vscode.commands.executeCommand(message.command);
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
    this.view = undefined;
  }

  private post(message: ClientToWebviewMessage): void {
    void this.view?.webview.postMessage(message);
  }
}
