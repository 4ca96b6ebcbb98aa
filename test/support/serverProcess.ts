/**
 * Starts the built server (`dist/server.js`) as a real child process and talks to it over real
 * JSON-RPC through Node IPC, the transport the VS Code client uses.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { InitializeParams } from 'vscode-languageserver/node';
import { repoRoot } from './repo';

export const serverModule = path.join(repoRoot, 'dist', 'server.js');

export interface RunningServer {
  child: ChildProcess;
  connection: MessageConnection;
  /** Text the server wrote to stderr so far. */
  stderr: () => string;
  /** Ends the process if it still runs and waits for its exit. */
  kill: () => Promise<void>;
}

/**
 * Forks `dist/server.js --node-ipc` with `process.execPath` and opens a connection to it.
 * @param env the child's whole environment; default: this process's.
 */
export function startServer(env?: NodeJS.ProcessEnv): RunningServer {
  const child = fork(serverModule, ['--node-ipc'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], ...(env ? { env } : {}) });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  return {
    child,
    connection,
    stderr: () => stderr,
    kill: async () => {
      connection.dispose();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** The minimal LSP `initialize` params the MOCO client sends. */
export function initializeParams(storagePath: string): InitializeParams {
  return {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions: { storagePath, clientVersion: 'test' },
  };
}
