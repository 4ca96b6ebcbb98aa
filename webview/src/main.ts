/**
 * The Chat view's script (`dist/webview.js`). It runs in the webview's iframe, talks only to the
 * client through `postMessage`, and imports nothing from `client/` or `server/`.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { ClientToWebviewMessage, WebviewToClientMessage } from '../../protocol/webview';
import { renderConnection } from './components/connection';

interface VsCodeApi {
  postMessage(message: WebviewToClientMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app');

window.addEventListener('message', (event: MessageEvent<ClientToWebviewMessage>) => {
  const message = event.data;
  if (message.type === 'connection/didChange' && app) {
    app.replaceChildren(renderConnection(message, (command) => vscode.postMessage({ type: 'command/run', command })));
  }
});

vscode.postMessage({ type: 'webview/ready' });
