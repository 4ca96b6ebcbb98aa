/**
 * Entry of the MOCO server process (`dist/server.js`). It only wires: the JSON-RPC connection
 * (transport chosen by the command line: `--node-ipc`, `--stdio` or `--socket=N`) and its
 * handlers. Logic lives in the modules it calls (CONVENTIONS.md §3).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { McpDidChangeNotification } from '../../protocol/mcp';
import { RunDidChangeNotification } from '../../protocol/run';
import { TasksDidChangeNotification } from '../../protocol/tasks';
import { EditorSecrets, lmChatOver } from './handlers/editorRequests';
import { EngineHost } from './handlers/engineHost';
import { registerGitHandlers } from './handlers/gitRequests';
import { registerLifecycleHandlers } from './handlers/lifecycle';
import { editorGitHubToken, registerPullRequestHandlers } from './handlers/pullRequests';
import { registerReviewHandlers } from './handlers/reviewRequests';
import { registerRunHandlers } from './handlers/run';
import { registerSessionHandlers } from './handlers/sessions';
import { registerTaskHandlers } from './handlers/tasks';
import { editorToolSettings, registerToolHandlers } from './handlers/toolRequests';

const connection = createConnection(ProposedFeatures.all);
const log = (message: string): void => connection.console.error(message);
const secrets = new EditorSecrets(connection, log);
secrets.listen();
const host = new EngineHost({
  onEvents: (sessionId, events) => void connection.sendNotification(RunDidChangeNotification, { sessionId, events }),
  onTaskChange: (task) => void connection.sendNotification(TasksDidChangeNotification, { task }),
  log,
  credentials: secrets.keys,
  lmChat: lmChatOver(connection),
  toolSettings: editorToolSettings(connection, log),
  editor: connection,
  onMcpStatus: (servers) => void connection.sendNotification(McpDidChangeNotification, { servers }),
  githubToken: editorGitHubToken(connection, log),
});
registerLifecycleHandlers(connection, host);
registerRunHandlers(connection, host);
registerSessionHandlers(connection, host);
registerTaskHandlers(connection, host);
registerToolHandlers(connection, host);
registerReviewHandlers(connection, host);
registerGitHandlers(connection, host);
registerPullRequestHandlers(connection, host);
connection.listen();
