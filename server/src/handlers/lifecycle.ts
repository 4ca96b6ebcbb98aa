/**
 * The server's life cycle on its connection: LSP `initialize` (checks the storage folder),
 * `initialized` (reports `ready`, or `failed` and why), `shutdown` (reports `stopping`), and
 * `server/health`.
 */
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import {
  DidChangeStatusNotification,
  HealthRequest,
  type ServerFailure,
  type ServerHealth,
} from '../../../protocol/server';
import { currentHealth, type ServerIdentity } from '../health';
import { workspaceDir, type EngineHost } from './engineHost';
import { initialize } from './initialize';

/**
 * Registers the life-cycle handlers on `connection`. Once the storage folder is usable, `host`
 * is told where the engine keeps its database; `shutdown` closes the engine.
 */
export function registerLifecycleHandlers(connection: Connection, host: EngineHost): void {
  const startedAt = new Date(performance.timeOrigin);
  let identity: ServerIdentity | undefined;
  let failure: ServerFailure | undefined;

  connection.onInitialize(async (params) => {
    const initialized = await initialize(params);
    const { result, options } = initialized;
    identity = { storagePath: options.storagePath, startedAt };
    failure = initialized.failure;
    if (!failure) host.open(options.storagePath, workspaceDir(params) ?? process.cwd());
    if (failure) connection.console.error(failure.message);
    else {
      connection.console.info(
        `MOCO server ${result.serverInfo?.version ?? ''} (pid ${process.pid}, Node ${process.version}) ` +
          `storing its state in ${options.storagePath}`,
      );
    }
    return result;
  });

  connection.onInitialized(() => {
    if (!identity) return;
    const health = currentHealth(identity);
    void connection.sendNotification(
      DidChangeStatusNotification,
      failure ? { state: 'failed', health, failure } : { state: 'ready', health },
    );
    // Background tasks that still run are followed again (their events, their end).
    if (!failure) host.attachToTasks();
  });

  connection.onRequest(HealthRequest, (): ServerHealth | ResponseError => {
    if (!identity) return new ResponseError(ErrorCodes.ServerNotInitialized, 'The MOCO server has not been initialised yet.');
    return currentHealth(identity);
  });

  connection.onShutdown(async () => {
    if (identity) void connection.sendNotification(DidChangeStatusNotification, { state: 'stopping', health: currentHealth(identity) });
    await host.close();
  });
}
