/**
 * The Chat view's script (`dist/webview.js`). It runs in the webview's iframe, talks only to the
 * client through `postMessage`, and imports nothing from `client/` or `server/`. Wiring only:
 * the view is `app.ts`.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { ClientToWebviewMessage, WebviewToClientMessage } from '../../protocol/webview';
import { ChatApp } from './app';

interface VsCodeApi {
  postMessage(message: WebviewToClientMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  const app = new ChatApp(root, (message) => vscode.postMessage(message));
  window.addEventListener('message', (event: MessageEvent<ClientToWebviewMessage>) => app.handle(event.data));
  vscode.postMessage({ type: 'webview/ready' });
}
