/** The status bar item that shows the MOCO server's state; clicking it shows the server status. */
import * as vscode from 'vscode';
import { CommandIds, StatusBarItemIds } from '../../../protocol/ids';
import type { ConnectionSnapshot } from '../languageClient';

/** Text, tooltip and colour for each connection state. */
export function statusBarPresentation(snapshot: ConnectionSnapshot): {
  text: string;
  tooltip: string;
  error: boolean;
} {
  switch (snapshot.state) {
    case 'starting':
      return { text: '$(loading~spin) MOCO', tooltip: 'MOCO server: starting…', error: false };
    case 'restarting':
      return { text: '$(loading~spin) MOCO', tooltip: 'MOCO server: restarting…', error: false };
    case 'ready': {
      const h = snapshot.health;
      const detail = h ? ` (v${h.version}, pid ${h.pid})` : '';
      return { text: '$(hubot) MOCO', tooltip: `MOCO server: ready${detail}`, error: false };
    }
    case 'stopped':
      return { text: '$(debug-stop) MOCO', tooltip: `MOCO server: stopped. ${snapshot.reason ?? ''}`.trim(), error: true };
    case 'failed':
      return { text: '$(error) MOCO', tooltip: `MOCO server: failed to start. ${snapshot.reason ?? ''}`.trim(), error: true };
  }
}

/** Creates the item, shows it and keeps it in step with `onDidChange`; dispose to remove it. */
export function createStatusBarItem(
  initial: ConnectionSnapshot,
  onDidChange: vscode.Event<ConnectionSnapshot>,
): vscode.Disposable {
  const item = vscode.window.createStatusBarItem(StatusBarItemIds.server, vscode.StatusBarAlignment.Left, 0);
  item.name = 'MOCO Server';
  const render = (snapshot: ConnectionSnapshot): void => {
    const { text, tooltip, error } = statusBarPresentation(snapshot);
    item.text = text;
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: tooltip };
    item.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.command = snapshot.state === 'ready' ? CommandIds.showServerStatus : CommandIds.showLogs;
  };
  render(initial);
  item.show();
  const subscription = onDidChange(render);
  return vscode.Disposable.from(item, subscription);
}
