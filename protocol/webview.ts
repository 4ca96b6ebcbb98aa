/**
 * The typed messages between the Chat webview and the client (the extension host), sent with
 * `postMessage`. Two discriminated unions, one per direction, in the style of GitLens's
 * `IpcNotification`/`IpcCommand`: never one `{type, values?: any}` bag.
 *
 * This file imports only `ids.ts` (no Node, DOM or JSON-RPC types), so that the webview bundle,
 * which runs in a browser iframe, can use it.
 */
import { CommandIds } from './ids';

/** Connection state of the MOCO server as the client sees it (also shown in the status bar). */
export type ConnectionState = 'starting' | 'ready' | 'restarting' | 'stopped' | 'failed';

/** The parts of the server's health the Chat view shows (see `ServerHealth` in `server.ts`). */
export interface ConnectionInfo {
  /** Server version (semver). */
  version: string;
  /** Server process id. */
  pid: number;
  /** `process.version` of the server's runtime. */
  nodeVersion: string;
}

/** client → webview: the connection changed. `server` is present only in the `ready` state. */
export interface ConnectionNotification {
  type: 'connection/didChange';
  state: ConnectionState;
  server?: ConnectionInfo;
  /** For `failed` and `stopped`: why, in words for the user. */
  reason?: string;
}

/** Everything the client sends to the webview. */
export type ClientToWebviewMessage = ConnectionNotification;

/** webview → client: the webview's script has loaded and wants the current state. */
export interface ReadyCommand {
  type: 'webview/ready';
}

/** webview → client: run one of MOCO's commands (only those listed in {@link WebviewCommandId}). */
export interface RunCommandCommand {
  type: 'command/run';
  command: WebviewCommandId;
}

/** The commands a webview may ask the client to run; anything else is ignored. */
export type WebviewCommandId =
  | typeof CommandIds.showLogs
  | typeof CommandIds.restartServer
  | typeof CommandIds.showServerStatus;

/** Everything the webview sends to the client. */
export type WebviewToClientMessage = ReadyCommand | RunCommandCommand;

/** Narrows an unknown `postMessage` payload to a {@link WebviewToClientMessage}, or `undefined`. */
export function parseWebviewMessage(value: unknown): WebviewToClientMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as { type?: unknown; command?: unknown };
  if (message.type === 'webview/ready') return { type: 'webview/ready' };
  if (message.type === 'command/run' && isWebviewCommandId(message.command)) {
    return { type: 'command/run', command: message.command };
  }
  return undefined;
}

const webviewCommandIds: readonly WebviewCommandId[] = [
  CommandIds.showLogs,
  CommandIds.restartServer,
  CommandIds.showServerStatus,
];

function isWebviewCommandId(value: unknown): value is WebviewCommandId {
  return typeof value === 'string' && (webviewCommandIds as readonly string[]).includes(value);
}
