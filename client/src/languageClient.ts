/**
 * Owns the MOCO server process and its health, as rust-analyzer's client does: it starts the
 * server through `vscode-languageclient` over IPC, restarts it after a crash (at most
 * {@link maxRestarts} times in {@link restartWindowMs}), and publishes one {@link ConnectionState}
 * that the status bar, the context key and the Chat view follow.
 */
import * as vscode from 'vscode';
import type {
  CloseHandlerResult,
  ErrorHandler,
  ErrorHandlerResult,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';
import type * as LanguageClientNode from 'vscode-languageclient/node';
import {
  DidChangeStatusNotification,
  HealthRequest,
  type ServerHealth,
  type ServerInitializationOptions,
} from '../../protocol/server';
import { LanguageClientId } from '../../protocol/ids';
import type { ConnectionState } from '../../protocol/webview';
import { describeStartFailure } from './startFailure';

/**
 * `vscode-languageclient/node`, loaded on first start rather than at activation: it is most of
 * the client's code, and `activate()` must stay fast (target < 50 ms). It is bundled apart, as
 * `dist/languageClientNode.js` (see `languageClientNode.ts`).
 */
type LanguageClientModule = typeof LanguageClientNode;

/**
 * Loads `dist/languageClientNode.js` with the extension host's `require` (a dynamic `import()`
 * of an extension's own file does not load in the extension host).
 *
 * @throws {Error} when the file is missing from the installed extension.
 */
function loadLanguageClient(): LanguageClientModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- on demand, see LanguageClientModule
  return require('./languageClientNode.js') as LanguageClientModule;
}

/** How many crashes in {@link restartWindowMs} the client restarts the server after (as the
 * language client's default error handler: 4 restarts within 3 minutes). */
export const maxRestarts = 4;
/** The window, in ms, in which crashes are counted (3 minutes, as the default error handler). */
export const restartWindowMs = 3 * 60 * 1000;

/** A snapshot of the server connection. `health` is set only in the `ready` state. */
export interface ConnectionSnapshot {
  state: ConnectionState;
  health?: ServerHealth;
  /** Why the server is `stopped` or `failed`, in words for the user. */
  reason?: string;
}

/** Where the server lives and how it is started. */
export interface ServerLaunch {
  /** Absolute path of `dist/server.js`. */
  serverModule: string;
  /** Passed to the server as `initializationOptions`. */
  initializationOptions: ServerInitializationOptions;
}

export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private snapshot: ConnectionSnapshot = { state: 'stopped' };
  private crashTimes: number[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<ConnectionSnapshot>();
  /** Fires on every change of {@link current}. */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly launch: ServerLaunch,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The current connection state, health and failure reason. */
  get current(): ConnectionSnapshot {
    return this.snapshot;
  }

  /**
   * Starts the server if it is not running. Never rejects: a failure becomes the `failed` state,
   * is logged, and is shown to the user with a "Show Logs" action.
   */
  async start(): Promise<void> {
    if (this.client) return;
    this.crashTimes = [];
    this.update({ state: 'starting' });
    let client: LanguageClient | undefined;
    try {
      client = this.createClient(loadLanguageClient());
      this.client = client;
      await client.start();
    } catch (error) {
      if (client && this.client !== client) return;
      const reason = describeStartFailure(error);
      this.log.error(`The MOCO server could not start: ${reason}`);
      this.update({ state: 'failed', reason });
      // The language client has already stopped the process after the failed start.
      this.client = undefined;
      void this.offerLogs(`MOCO could not start its server. ${reason}`);
    }
  }

  /** Stops the server (if any) and starts a fresh one. */
  async restart(): Promise<void> {
    this.log.info('Restarting the MOCO server on request.');
    await this.stopClient();
    await this.start();
  }

  /**
   * Asks the running server for its health.
   *
   * @throws {Error} when the server is not running.
   */
  async health(token?: vscode.CancellationToken): Promise<ServerHealth> {
    const client = this.client;
    if (!client?.isRunning()) {
      throw new Error('The MOCO server is not running.');
    }
    return client.sendRequest(HealthRequest, token);
  }

  dispose(): void {
    void this.stopClient();
    this.changeEmitter.dispose();
  }

  private createClient(lc: LanguageClientModule): LanguageClient {
    const { LanguageClient, State, TransportKind } = lc;
    const { serverModule, initializationOptions } = this.launch;
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: {
        module: serverModule,
        transport: TransportKind.ipc,
        options: { execArgv: ['--nolazy', '--inspect=6011'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [],
      outputChannel: this.log,
      initializationOptions,
      initializationFailedHandler: () => false,
      errorHandler: this.errorHandler(lc, () => client),
    };
    const client = new LanguageClient(LanguageClientId, 'MOCO Server', serverOptions, clientOptions);
    client.onDidChangeState(({ newState }) => {
      if (this.client !== client) return;
      if (newState === State.Running) void this.refreshHealth(client);
    });
    client.onNotification(DidChangeStatusNotification, ({ state, health }) => {
      if (this.client !== client) return;
      this.log.info(`MOCO server ${health.version} (pid ${health.pid}) is ${state}.`);
      if (state === 'ready') this.update({ state: 'ready', health });
    });
    return client;
  }

  /**
   * Restarts a server that was running and stopped; a server that stops while starting is not
   * restarted, since it would only fail again: `start()` reports why (the server's `initialize`
   * error), or, during a restart, the state becomes `stopped`.
   */
  private errorHandler(lc: LanguageClientModule, client: () => LanguageClient): ErrorHandler {
    const { CloseAction, ErrorAction } = lc;
    return {
      error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue, handled: true }),
      closed: (): CloseHandlerResult => {
        if (this.client !== client()) return { action: CloseAction.DoNotRestart, handled: true };
        if (!client().isRunning()) {
          if (this.snapshot.state === 'restarting') {
            const reason = 'The MOCO server stopped again while restarting. The logs say why.';
            this.log.error(reason);
            this.update({ state: 'stopped', reason });
            this.client = undefined;
            void this.offerLogs(reason);
          }
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        const now = Date.now();
        this.crashTimes = [...this.crashTimes.filter((t) => now - t < restartWindowMs), now];
        const crashes = this.crashTimes.length;
        if (crashes <= maxRestarts) {
          this.log.warn(
            `The MOCO server stopped unexpectedly; restarting it (restart ${crashes} of ${maxRestarts} allowed in 3 minutes).`,
          );
          this.update({ state: 'restarting' });
          return { action: CloseAction.Restart, handled: true };
        }
        const reason = `The MOCO server stopped ${crashes} times in 3 minutes, so it was not restarted again.`;
        this.log.error(reason);
        this.update({ state: 'stopped', reason });
        this.client = undefined;
        void this.offerLogs(reason);
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  }

  private async refreshHealth(client: LanguageClient): Promise<void> {
    try {
      const health = await client.sendRequest(HealthRequest);
      if (this.client !== client) return;
      this.log.info(
        `Connected to MOCO server ${health.version} (pid ${health.pid}, Node ${health.nodeVersion}).`,
      );
      this.update({ state: 'ready', health });
    } catch (error) {
      this.log.warn(`server/health failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    try {
      await client.dispose(2000);
    } catch (error) {
      this.log.warn(`Stopping the MOCO server: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.update({ state: 'stopped', reason: 'The MOCO server was stopped.' });
  }

  private update(snapshot: ConnectionSnapshot): void {
    this.snapshot = snapshot;
    this.changeEmitter.fire(snapshot);
  }

  private async offerLogs(message: string): Promise<void> {
    const showLogs = 'Show Logs';
    const restart = 'Restart Server';
    const choice = await vscode.window.showErrorMessage(message, showLogs, restart);
    if (choice === showLogs) this.log.show();
    if (choice === restart) await this.restart();
  }
}
