/**
 * Entry of the MOCO server process (`dist/server.js`). It only wires: the JSON-RPC connection
 * (transport chosen by the command line: `--node-ipc`, `--stdio` or `--socket=N`) and its
 * handlers. Logic lives in the modules it calls (CONVENTIONS.md §3).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { RunDidChangeNotification } from '../../protocol/run';
import { EngineHost } from './handlers/engineHost';
import { registerLifecycleHandlers } from './handlers/lifecycle';
import { registerRunHandlers } from './handlers/run';
import { registerSessionHandlers } from './handlers/sessions';

const connection = createConnection(ProposedFeatures.all);
const host = new EngineHost((sessionId, events) => {
  void connection.sendNotification(RunDidChangeNotification, { sessionId, events });
});
registerLifecycleHandlers(connection, host);
registerRunHandlers(connection, host);
registerSessionHandlers(connection, host);
connection.listen();
