/**
 * The connection panel of the Chat view: connecting, connected (one line: version, pid), or what
 * failed with its fixes.
 */
import { CommandIds } from '../../../protocol/ids';
import type { ConnectionNotification, WebviewCommandId } from '../../../protocol/webview';

/** Builds the panel for one `connection/didChange` message. Text only: no HTML from messages. */
export function renderConnection(
  message: ConnectionNotification,
  run: (command: WebviewCommandId) => void,
): HTMLElement {
  const panel = element('section', 'connection');
  panel.setAttribute('aria-label', 'MOCO server connection');
  panel.dataset.state = message.state;
  switch (message.state) {
    case 'starting':
    case 'restarting': {
      const ring = element('vscode-progress-ring');
      ring.setAttribute('aria-hidden', 'true');
      panel.append(
        ring,
        text('p', message.state === 'starting' ? 'Starting the MOCO server…' : 'The MOCO server stopped; reconnecting…'),
      );
      break;
    }
    case 'ready': {
      // One muted line: the chat below is what matters once the server runs.
      const server = message.server;
      panel.append(text('span', server ? `Connected to MOCO server ${server.version}` : 'Connected to the MOCO server', 'status'));
      if (server) panel.append(text('span', `pid ${server.pid} · Node ${server.nodeVersion}`, 'detail'));
      break;
    }
    case 'stopped':
    case 'failed': {
      const title = message.state === 'failed' ? 'The MOCO server could not start.' : 'The MOCO server is stopped.';
      panel.setAttribute('role', 'alert');
      panel.append(text('p', title, 'status error'));
      if (message.reason) panel.append(text('p', message.reason, 'detail'));
      const actions = element('div', 'actions');
      actions.append(
        button('Show Logs', () => run(CommandIds.showLogs), true),
        button('Restart Server', () => run(CommandIds.restartServer), false),
      );
      panel.append(actions);
      break;
    }
  }
  return panel;
}

function element(tag: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

function text(tag: string, content: string, className?: string): HTMLElement {
  const node = element(tag, className);
  node.textContent = content;
  return node;
}

function button(label: string, onClick: () => void, secondary: boolean): HTMLElement {
  const node = text('vscode-button', label);
  if (secondary) node.setAttribute('secondary', '');
  node.addEventListener('click', onClick);
  return node;
}
