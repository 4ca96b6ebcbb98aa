/**
 * Entry of the MOCO server process (`dist/server.js`). It only wires: the JSON-RPC connection
 * (transport chosen by the command line: `--node-ipc`, `--stdio` or `--socket=N`) and its
 * handlers. Logic lives in the modules it calls (CONVENTIONS.md §3).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { registerLifecycleHandlers } from './handlers/lifecycle';

const connection = createConnection(ProposedFeatures.all);
registerLifecycleHandlers(connection);
connection.listen();
