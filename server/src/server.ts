/**
 * Entry of the MOCO server process (`dist/server.js`). It only wires: the JSON-RPC connection
 * (transport chosen by the command line: `--node-ipc`, `--stdio` or `--socket=N`) and its
 * handlers. Logic lives in the modules it calls (CONVENTIONS.md §3).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { DidChangeStatusNotification, HealthRequest } from '../../protocol/server';
import { currentHealth, type ServerIdentity } from './health';
import { initialize } from './handlers/initialize';

const connection = createConnection(ProposedFeatures.all);
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
  if (identity) {
    void connection.sendNotification(DidChangeStatusNotification, {
      state: 'ready',
      health: currentHealth(identity),
    });
  }
});

connection.onRequest(HealthRequest, () => {
  // The language client queues requests until `initialize` has answered, so identity is set.
  return currentHealth(identity ?? { storagePath: '', startedAt });
});

connection.onShutdown(() => {
  if (identity) {
    void connection.sendNotification(DidChangeStatusNotification, {
      state: 'stopping',
      health: currentHealth(identity),
    });
  }
});

connection.listen();
