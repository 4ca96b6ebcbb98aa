/**
 * Owns the MOCO server process and its health, as rust-analyzer's client does: it starts the
 * server through `vscode-languageclient` over IPC, lets the language client's default error
 * handler decide on restarts after a crash (at most {@link maxRestarts} in 3 minutes), and
 * publishes one {@link ConnectionState} that the status bar, the context key and the Chat view
 * follow.
 */
import * as vscode from 'vscode';
import type {
  CloseHandlerResult,
  ErrorHandler,
  LanguageClient,
  LanguageClientOptions,
  NotificationHandler,
  NotificationType,
  ProgressType,
  ProgressToken,
  RequestHandler,
  RequestType,
  RequestType0,
  ServerOptions,
} from 'vscode-languageclient/node';
import type * as LanguageClientNode from 'vscode-languageclient/node';
import type { RequestParam } from 'vscode-jsonrpc';
import { LanguageClientId } from '../../protocol/ids';
import {
  DidChangeStatusNotification,
  HealthRequest,
  type ServerHealth,
  type ServerInitializationOptions,
} from '../../protocol/server';
import type { ConnectionState } from '../../protocol/webview';
import { errorMessage } from './errorMessage';

/**
 * `vscode-languageclient/node`. esbuild bundles it into `client.js` but evaluates it only when
 * `start()` first imports it, not at activation: it is most of the client's code.
 */
type LanguageClientModule = typeof LanguageClientNode;

/** Restarts allowed within 3 minutes (the language client's default error handler's window). */
export const maxRestarts = 4;
/** How long, in ms, the server may take from spawn to answering `initialize`. */
export const startTimeoutMs = 30_000;

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

/**
 * The client side of the server's life: start, restart, stop, health. Start, restart and stop
 * run one at a time, in the order they were asked for.
 */
export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private snapshot: ConnectionSnapshot = { state: 'stopped' };
  private lifecycle: Promise<void> = Promise.resolve();
  private readonly changeEmitter = new vscode.EventEmitter<ConnectionSnapshot>();
  /** Handlers registered on every language client, the first and each restarted one. */
  private readonly handlers: ((client: LanguageClient) => void)[] = [];
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
   * Starts the server if none is running or starting. Never rejects: a failure (an `initialize`
   * error, a `failed` status from the server, a crash while starting, no answer within
   * {@link startTimeoutMs}) becomes the `failed` state, is logged, and is shown with "Show Logs"
   * and "Restart Server" actions.
   */
  start(): Promise<void> {
    return this.serialize(() => this.startNow());
  }

  /** Stops the server, if any, and starts a fresh one. Never rejects (see {@link start}). */
  restart(): Promise<void> {
    return this.serialize(async () => {
      this.log.info('Restarting the MOCO server on request.');
      await this.stopNow();
      await this.startNow();
    });
  }

  /** Stops the server (LSP `shutdown` and `exit`; killed after 2 s). Never rejects. */
  stop(): Promise<void> {
    return this.serialize(() => this.stopNow());
  }

  /**
   * Asks the server for its health, waiting while it is starting or restarting.
   *
   * @param token cancels the wait and the request.
   * @throws {Error} when the server is stopped or failed, or is not ready within
   *   {@link startTimeoutMs}; `vscode.CancellationError` when cancelled.
   */
  async health(token?: vscode.CancellationToken): Promise<ServerHealth> {
    await this.whenReady(token);
    const client = this.client;
    if (!client?.isRunning()) throw new Error('The MOCO server is not running.');
    return client.sendRequest(HealthRequest, token);
  }

  /**
   * Sends a request to the server, waiting while it is starting or restarting.
   *
   * @param token cancels the wait and the request (`$/cancelRequest`).
   * @throws {Error} when the server is stopped or failed, or not ready within
   *   {@link startTimeoutMs}; the server's `ResponseError` (with a `MocoErrorCodes` code) when the
   *   request fails; `vscode.CancellationError` when cancelled.
   */
  async request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R> {
    const client = await this.readyClient(token);
    return client.sendRequest(type, params as RequestParam<P>, token);
  }

  /** {@link request} for a request without params (`RequestType0`: `sessions/list`, `tasks/list`). */
  async request0<R>(type: RequestType0<R, void>, token?: vscode.CancellationToken): Promise<R> {
    const client = await this.readyClient(token);
    return client.sendRequest(type, token);
  }

  private async readyClient(token: vscode.CancellationToken | undefined): Promise<LanguageClient> {
    await this.whenReady(token);
    const client = this.client;
    if (!client?.isRunning()) throw new Error('The MOCO server is not running.');
    return client;
  }

  /** Sends a notification to the server when it is running; dropped otherwise. */
  notify<P>(type: NotificationType<P>, params: P): void {
    const client = this.client;
    if (client?.isRunning()) void client.sendNotification(type, params as RequestParam<P>);
  }

  /**
   * Reports progress (`$/progress`) on a token the server gave, for example the partial results of
   * an `lm/chat` request. Dropped when the server is not running.
   */
  sendProgress<P>(type: ProgressType<P>, token: ProgressToken, value: P): void {
    const client = this.client;
    if (client?.isRunning()) void client.sendProgress(type, token, value as RequestParam<P>);
  }

  /**
   * Handles `$/progress` on a token this client gave the server, for example the partial results
   * of a `git/commitMessage` request (its `partialResultToken`), on this server and on every
   * restarted one. Register it before sending the request; dispose it once the request has ended.
   */
  onProgress<P>(type: ProgressType<P>, token: ProgressToken, handler: NotificationHandler<P>): vscode.Disposable {
    return this.addHandler((client) => client.onProgress(type, token, handler));
  }

  /**
   * Handles a server notification, on this server and on every restarted one.
   * @returns a disposable that stops handling it (on servers started later).
   */
  onNotification<P>(type: NotificationType<P>, handler: NotificationHandler<P>): vscode.Disposable {
    return this.addHandler((client) => client.onNotification(type, handler));
  }

  /**
   * Answers a server request, on this server and on every restarted one. The handler gets the
   * request's cancellation token.
   */
  onRequest<P, R, E>(type: RequestType<P, R, E>, handler: RequestHandler<P, R, E>): vscode.Disposable {
    return this.addHandler((client) => client.onRequest(type, handler));
  }

  private addHandler(register: (client: LanguageClient) => vscode.Disposable): vscode.Disposable {
    const registrations = new Map<LanguageClient, vscode.Disposable>();
    const onClient = (client: LanguageClient): void => void registrations.set(client, register(client));
    this.handlers.push(onClient);
    if (this.client) onClient(this.client);
    return new vscode.Disposable(() => {
      const index = this.handlers.indexOf(onClient);
      if (index >= 0) this.handlers.splice(index, 1);
      for (const registration of registrations.values()) registration.dispose();
      registrations.clear();
    });
  }

  dispose(): void {
    void this.stop();
    this.changeEmitter.dispose();
  }

  private serialize(operation: () => Promise<void>): Promise<void> {
    this.lifecycle = this.lifecycle.then(operation, operation);
    return this.lifecycle;
  }

  private async startNow(): Promise<void> {
    if (this.client) return;
    this.update({ state: 'starting' });
    let client: LanguageClient | undefined;
    try {
      client = this.createClient(await import('vscode-languageclient/node'));
      this.client = client;
      await withTimeout(client.start(), startTimeoutMs, `The MOCO server did not answer within ${startTimeoutMs / 1000} seconds.`);
    } catch (error) {
      if (client && this.client !== client) return;
      this.abandon(client, errorMessage(error));
    }
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    this.update({ state: 'stopped', reason: 'The MOCO server was stopped.' });
    try {
      await client.dispose(2000);
    } catch (error) {
      this.log.warn(`Stopping the MOCO server: ${errorMessage(error)}`);
    }
  }

  private createClient(lc: LanguageClientModule): LanguageClient {
    const { LanguageClient, TransportKind } = lc;
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
    // Registered before start(), so that nothing the server sends early is missed.
    for (const register of this.handlers) register(client);
    // Each server process, the first and every restarted one, says once after `initialized`
    // whether it is ready or why it cannot work.
    client.onNotification(DidChangeStatusNotification, ({ state, health, failure }) => {
      if (this.client !== client) return;
      if (state === 'ready') {
        this.log.info(`Connected to MOCO server ${health.version} (pid ${health.pid}, Node ${health.nodeVersion}).`);
        this.update({ state: 'ready', health });
      } else if (state === 'failed') {
        this.abandon(client, failure?.message ?? 'The MOCO server reported a failure.');
      }
    });
    return client;
  }

  /**
   * The language client's default error handler (restart up to {@link maxRestarts} times in
   * 3 minutes; shut down after 3 write errors), wrapped to follow the state. A server that stops
   * while starting is not restarted, since it would only fail again: `start()` reports why, or,
   * during a restart, the state becomes `stopped`.
   */
  private errorHandler(lc: LanguageClientModule, client: () => LanguageClient): ErrorHandler {
    const { CloseAction } = lc;
    let defaults: ErrorHandler | undefined;
    const fallback = (): ErrorHandler => (defaults ??= client().createDefaultErrorHandler(maxRestarts));
    const dontRestart: CloseHandlerResult = { action: CloseAction.DoNotRestart, handled: true };
    return {
      error: (error, message, count) => fallback().error(error, message, count),
      closed: async () => {
        if (this.client !== client()) return dontRestart;
        if (!client().isRunning()) {
          if (this.snapshot.state === 'restarting') {
            this.client = undefined;
            this.fail('stopped', 'The MOCO server stopped again while restarting. The logs say why.');
          }
          return dontRestart;
        }
        const decision = await fallback().closed();
        if (decision.action === CloseAction.Restart) {
          this.log.warn('The MOCO server stopped unexpectedly; restarting it.');
          this.update({ state: 'restarting' });
          return { action: CloseAction.Restart, handled: true };
        }
        this.client = undefined;
        this.fail('stopped', `The MOCO server stopped ${maxRestarts + 1} times in 3 minutes, so it was not restarted again.`);
        return dontRestart;
      },
    };
  }

  /**
   * Gives up on a server that could not start: forgets it, stops its process if it still runs
   * (after a time-out or a `failed` status; after a failed `initialize` the language client has
   * stopped it already), and reports `failed` with the reason.
   */
  private abandon(client: LanguageClient | undefined, reason: string): void {
    this.client = undefined;
    if (client?.needsStop()) {
      void client.dispose(2000).catch((error: unknown) => this.log.warn(`Stopping the MOCO server: ${errorMessage(error)}`));
    }
    this.fail('failed', reason, 'MOCO could not start its server.');
  }

  /** Resolves once the state is `ready`; rejects at once when it is `stopped` or `failed`. */
  private whenReady(token?: vscode.CancellationToken): Promise<void> {
    return new Promise((resolve, reject) => {
      const subscriptions: vscode.Disposable[] = [];
      const settle = (outcome: () => void): void => {
        clearTimeout(timer);
        for (const s of subscriptions) s.dispose();
        outcome();
      };
      const check = ({ state, reason }: ConnectionSnapshot): void => {
        if (state === 'ready') settle(resolve);
        else if (state === 'stopped' || state === 'failed') {
          settle(() => reject(new Error(reason ?? `The MOCO server is ${state}.`)));
        }
      };
      const timer = setTimeout(
        () => settle(() => reject(new Error(`The MOCO server was not ready within ${startTimeoutMs / 1000} seconds.`))),
        startTimeoutMs,
      );
      subscriptions.push(this.onDidChange(check));
      if (token) subscriptions.push(token.onCancellationRequested(() => settle(() => reject(new vscode.CancellationError()))));
      check(this.snapshot);
    });
  }

  private fail(state: 'stopped' | 'failed', reason: string, prefix?: string): void {
    this.log.error(state === 'failed' ? `The MOCO server could not start: ${reason}` : reason);
    this.update({ state, reason });
    void this.offerLogs(prefix ? `${prefix} ${reason}` : reason);
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

/** Resolves or rejects as `promise` does, or rejects with `message` after `ms` milliseconds. */
async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
