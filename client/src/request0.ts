/**
 * `ServerController.request` for requests without params (`RequestType0`: `tasks/list`,
 * `sessions/list`). The controller's `request` is typed for `RequestType` only; at run time the
 * language client sends a `RequestType0` with no params whatever is passed for them. Remove this
 * once `ServerController` has an overload for `RequestType0`.
 */
import type * as vscode from 'vscode';
import type { RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { ServerController } from './languageClient';

/** Sends a request without params; errors as `ServerController.request`. */
export function request0<R>(server: ServerController, type: RequestType0<R, void>, token?: vscode.CancellationToken): Promise<R> {
  return server.request(type as unknown as RequestType<undefined, R, void>, undefined, token);
}
