/**
 * The server's life cycle on its connection: LSP `initialize` (checks the storage folder),
 * `initialized` (reports `ready`), `shutdown` (reports `stopping`), and `server/health`.
 */
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { DidChangeStatusNotification, HealthRequest, type ServerHealth } from '../../../protocol/server';
import { currentHealth, type ServerIdentity } from '../health';
import { initialize } from './initialize';

/** Registers the life-cycle handlers on `connection`. */
export function registerLifecycleHandlers(connection: Connection): void {
  const startedAt = new Date(performance.timeOrigin);
  let identity: ServerIdentity | undefined;

  connection.onInitialize(async (params) => {
    const { result, options } = await initialize(params);
    identity = { storagePath: options.storagePath, startedAt };
    connection.console.info(
      `MOCO server ${result.serverInfo?.version ?? ''} (pid ${process.pid}, Node ${process.version}) ` +
        `storing its state in ${options.storagePath}`,
    );
    return result;
  });

  connection.onInitialized(() => {
    if (identity) void connection.sendNotification(DidChangeStatusNotification, { state: 'ready', health: currentHealth(identity) });
  });

  connection.onRequest(HealthRequest, (): ServerHealth | ResponseError => {
    if (!identity) return new ResponseError(ErrorCodes.ServerNotInitialized, 'The MOCO server has not been initialised yet.');
    return currentHealth(identity);
  });

  connection.onShutdown(() => {
    if (identity) void connection.sendNotification(DidChangeStatusNotification, { state: 'stopping', health: currentHealth(identity) });
  });
}
