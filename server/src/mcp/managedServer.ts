/**
 * One MCP server's life: connect, health checks (`ping` every interval), reconnecting with
 * exponential backoff and jitter when the connection is lost, quarantine when it keeps failing,
 * and calls that wait for a reconnection in progress. Every failure is logged and kept in the
 * status. Numbers in types.ts.
 */
import type { Resource, ReadResourceResult, Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerState, McpServerStatus } from '../../../protocol/mcp';
import { errorResult } from '../tools/results';
import type { ToolResult } from '../tools/types';
import { connectServer, type McpConnection } from './connect';
import { describeConnectFailure, describeLoss, describeTarget, isConnectionLoss, isTimeout, messageOf, seconds } from './errors';
import { FailureWindow, reconnectDelay } from './failures';
import { toToolResult } from './results';
import type { McpLogger, McpServerSpec, McpTimings } from './types';

/** Lines of a server's stderr kept for error messages. */
const STDERR_TAIL_LINES = 10;
/** Characters of stderr put in one error message. */
const STDERR_TAIL_CHARS = 1_000;

/** Thrown by {@link ManagedServer.listResources} and {@link ManagedServer.readResource} when the server cannot answer. */
export class McpUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpUnavailableError';
  }
}

/** What a {@link ManagedServer} needs from its manager. */
export interface ManagedServerDeps {
  timings: McpTimings;
  logger: McpLogger;
  env: Record<string, string | undefined>;
  clientInfo: { name: string; version: string };
  random: () => number;
  /** Called after every change of the status or of the tool list. */
  onChange(): void;
}

/** A server and its connection. */
export class ManagedServer {
  /** The last start, for callers that come while it runs. */
  private startup: Promise<void> = Promise.resolve();
  private state: McpServerState = 'stopped';
  private connection: McpConnection | undefined;
  /** The transport of the last connection (`sse` after a fallback), shown while reconnecting. */
  private transport: McpServerStatus['transport'];
  private toolList: McpToolInfo[] = [];
  private lastError: string | undefined;
  private restarts = 0;
  private attempt = 0;
  private failureCount = 0;
  /** Bumped by each connection attempt and by stop: callbacks of older ones are ignored. */
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private lifetime = new AbortController();
  private stderrTail: string[] = [];
  private readonly failures: FailureWindow;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly spec: McpServerSpec,
    private readonly deps: ManagedServerDeps,
  ) {
    this.failures = new FailureWindow(deps.timings.quarantineWindowMs);
    this.transport = spec.transport;
  }

  /** The status shown to the user. */
  status(): McpServerStatus {
    const status: McpServerStatus = {
      name: this.spec.name,
      source: this.spec.source,
      transport: this.transport,
      target: describeTarget(this.spec),
      state: this.state,
      toolCount: this.toolList.length,
      restarts: this.restarts,
    };
    if (this.lastError !== undefined) status.lastError = this.lastError;
    if (this.connection?.pid !== undefined) status.pid = this.connection.pid;
    return status;
  }

  /** The tools of the last successful listing (kept while reconnecting or quarantined). */
  tools(): McpToolInfo[] {
    return this.toolList;
  }

  /** Starts the server; resolves once it is ready or has failed. */
  start(): Promise<void> {
    this.startup = this.startNow();
    return this.startup;
  }

  /** Resolves once the last start is over (ready or failed): what a second caller of `McpManager.start` waits for. */
  whenStarted(): Promise<void> {
    return this.startup;
  }

  private async startNow(): Promise<void> {
    const lifetime = new AbortController();
    this.lifetime = lifetime;
    this.setState('starting');
    try {
      await this.connectNow();
      this.log('info', `MCP server "${this.spec.name}" is ready (${this.connection?.transport}, ${plural(this.toolList.length, 'tool')}).`);
    } catch (error) {
      if (lifetime.signal.aborted) return;
      this.lastError = describeConnectFailure(this.spec, error, this.deps.timings.connectTimeoutMs, this.tail());
      this.log('error', this.lastError);
      this.setState('failed');
    }
  }

  /** Stops it, forgets its failures (lifting a quarantine) and starts it again. */
  async restart(): Promise<void> {
    await this.shutDown();
    this.failures.reset();
    this.attempt = 0;
    this.restarts += 1;
    this.log('info', `MCP server "${this.spec.name}": restarting as asked.`);
    await this.start();
  }

  /** Stops it for good (state `stopped`); calls waiting on it are answered. */
  async stop(): Promise<void> {
    await this.shutDown();
    this.setState('stopped');
  }

  /** Runs a tool. A failure is a result the model can read; only an abort of `signal` rejects. */
  async callTool(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
    await this.settled(signal, this.deps.timings.callTimeoutMs);
    const unavailable = this.unavailableMessage();
    if (unavailable !== undefined || !this.connection) return errorResult(unavailable ?? `The MCP server "${this.spec.name}" is not connected.`);
    const { client } = this.connection;
    const generation = this.generation;
    try {
      const result = await client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: this.deps.timings.callTimeoutMs });
      return toToolResult(this.spec.name, tool, result);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (isTimeout(error)) {
        void this.checkHealth(generation);
        return errorResult(`The MCP tool ${tool} of the server "${this.spec.name}" did not answer within ${seconds(this.deps.timings.callTimeoutMs)}. Try a smaller request, or another approach.`);
      }
      if (isConnectionLoss(error)) {
        this.lost(generation, `lost its connection during a call of ${tool} (${messageOf(error)})`);
        return errorResult(
          `The MCP server "${this.spec.name}" lost its connection while ${tool} ran (${messageOf(error)}); it is being reconnected. ` +
            `The call may or may not have taken effect: check before calling ${tool} again.`,
        );
      }
      return errorResult(`The MCP server "${this.spec.name}" answered ${tool} with an error: ${messageOf(error)}. Check the arguments against the tool's parameters and call it again.`);
    }
  }

  /**
   * Every resource the server lists (all pages).
   *
   * @throws {McpUnavailableError} when the server is not ready or the request fails; `signal.reason` when aborted.
   */
  async listResources(signal: AbortSignal): Promise<Resource[]> {
    return this.request(signal, async (connection) => {
      if (!connection.client.getServerCapabilities()?.resources) return [];
      const resources: Resource[] = [];
      let cursor: string | undefined;
      do {
        const page = await connection.client.listResources(cursor === undefined ? {} : { cursor }, { signal, timeout: this.deps.timings.callTimeoutMs });
        resources.push(...page.resources);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return resources;
    });
  }

  /**
   * The contents of the resource `uri`.
   *
   * @throws {McpUnavailableError} when the server is not ready or the request fails; `signal.reason` when aborted.
   */
  async readResource(uri: string, signal: AbortSignal): Promise<ReadResourceResult> {
    return this.request(signal, (connection) => connection.client.readResource({ uri }, { signal, timeout: this.deps.timings.callTimeoutMs }));
  }

  private async request<T>(signal: AbortSignal, run: (connection: McpConnection) => Promise<T>): Promise<T> {
    await this.settled(signal, this.deps.timings.callTimeoutMs);
    const unavailable = this.unavailableMessage();
    if (unavailable !== undefined || !this.connection) throw new McpUnavailableError(unavailable ?? `The MCP server "${this.spec.name}" is not connected.`);
    const generation = this.generation;
    try {
      return await run(this.connection);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (isConnectionLoss(error)) this.lost(generation, `lost its connection (${messageOf(error)})`);
      throw new McpUnavailableError(`The MCP server "${this.spec.name}" could not answer: ${messageOf(error)}.`);
    }
  }

  /** Why calls cannot run now, for the model; undefined when ready. */
  private unavailableMessage(): string | undefined {
    const restart = "The user can restart it with 'MOCO: Restart MCP Server'.";
    switch (this.state) {
      case 'ready':
        return undefined;
      case 'quarantined':
        return `The MCP server "${this.spec.name}" is quarantined after ${this.failureCount} crashes: ${this.lastError ?? 'unknown error'} ${restart}`;
      case 'failed':
        return `The MCP server "${this.spec.name}" is not available: ${this.lastError ?? 'it failed to start.'} ${restart}`;
      case 'stopped':
        return `The MCP server "${this.spec.name}" is stopped.`;
      default:
        return `The MCP server "${this.spec.name}" is still ${this.state} after ${seconds(this.deps.timings.callTimeoutMs)}${this.lastError ? ` (last error: ${this.lastError})` : ''}. Try again later.`;
    }
  }

  private async connectNow(): Promise<void> {
    const generation = ++this.generation;
    this.stderrTail = [];
    const connection = await connectServer(this.spec, {
      timeoutMs: this.deps.timings.connectTimeoutMs,
      clientInfo: this.deps.clientInfo,
      env: this.deps.env,
      signal: this.lifetime.signal,
      log: (level, message) => this.log(level, message),
      onStderr: (line) => this.stderr(line),
      // A tick later, so that the last lines of stderr are in the message.
      onClose: () => setImmediate(() => this.lost(generation, this.spec.transport === 'stdio' ? 'exited' : 'closed the connection')),
      onToolsChanged: (tools) => {
        if (generation !== this.generation) return;
        this.toolList = tools;
        this.log('info', `MCP server "${this.spec.name}" now has ${plural(tools.length, 'tool')}.`);
        this.deps.onChange();
      },
    });
    if (generation !== this.generation || this.lifetime.signal.aborted) {
      await connection.close();
      throw this.lifetime.signal.reason ?? new Error('superseded');
    }
    this.connection = connection;
    this.transport = connection.transport;
    this.toolList = connection.tools;
    this.setState('ready');
    this.scheduleHealthCheck(generation);
  }

  /** The connection of `generation` is gone: reconnect, or quarantine when it keeps failing. */
  private lost(generation: number, cause: string): void {
    if (generation !== this.generation || this.state !== 'ready') return;
    const connection = this.connection;
    this.connection = undefined;
    clearTimeout(this.timer);
    void connection?.close();
    this.failed(describeLoss(this.spec, cause, this.tail()));
  }

  private failed(message: string): void {
    this.lastError = message;
    this.failureCount = this.failures.record(Date.now());
    if (this.failureCount >= this.deps.timings.quarantineMaxFailures) {
      this.log('error', `${message} MCP server "${this.spec.name}" is quarantined after ${this.failureCount} failures within ${seconds(this.deps.timings.quarantineWindowMs)}: it is not restarted automatically; restart it with 'MOCO: Restart MCP Server'.`);
      this.setState('quarantined');
      return;
    }
    this.attempt += 1;
    const { reconnectBaseDelayMs, reconnectMaxDelayMs } = this.deps.timings;
    const delay = reconnectDelay(this.attempt, reconnectBaseDelayMs, reconnectMaxDelayMs, this.deps.random());
    this.log('error', `${message} Reconnecting in ${seconds(delay)} (attempt ${this.attempt}).`);
    this.setState('reconnecting');
    this.timer = setTimeout(() => void this.reconnect(), delay);
    this.timer.unref();
  }

  private async reconnect(): Promise<void> {
    const lifetime = this.lifetime;
    this.restarts += 1;
    try {
      await this.connectNow();
      this.attempt = 0;
      this.log('info', `MCP server "${this.spec.name}" reconnected (${plural(this.toolList.length, 'tool')}).`);
    } catch (error) {
      if (lifetime.signal.aborted) return;
      this.failed(describeConnectFailure(this.spec, error, this.deps.timings.connectTimeoutMs, this.tail()));
    }
  }

  private scheduleHealthCheck(generation: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.checkHealth(generation), this.deps.timings.healthCheckIntervalMs);
    this.timer.unref();
  }

  /** Pings the server; no answer (or a lost connection) counts as a lost connection. */
  private async checkHealth(generation: number): Promise<void> {
    const client = this.connection?.client;
    if (generation !== this.generation || this.state !== 'ready' || !client) return;
    try {
      await client.ping({ timeout: this.deps.timings.pingTimeoutMs, signal: this.lifetime.signal });
    } catch (error) {
      if (this.lifetime.signal.aborted) return;
      if (isTimeout(error) || isConnectionLoss(error)) {
        this.lost(generation, `did not answer a health check (ping): ${messageOf(error)}`);
        return;
      }
    }
    if (generation === this.generation && this.state === 'ready') this.scheduleHealthCheck(generation);
  }

  private async shutDown(): Promise<void> {
    this.lifetime.abort(new DOMException('The MCP server was stopped.', 'AbortError'));
    this.generation += 1;
    clearTimeout(this.timer);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }

  /** Waits while the server is starting or reconnecting, at most `timeoutMs`. */
  private async settled(signal: AbortSignal, timeoutMs: number): Promise<void> {
    signal.throwIfAborted();
    const deadline = Date.now() + timeoutMs;
    while ((this.state === 'starting' || this.state === 'reconnecting') && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, deadline - Date.now());
        this.waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
      signal.throwIfAborted();
    }
  }

  private setState(state: McpServerState): void {
    this.state = state;
    for (const wake of [...this.waiters]) wake();
    this.deps.onChange();
  }

  private stderr(line: string): void {
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    this.log('info', `[MCP ${this.spec.name}] ${line}`);
  }

  private tail(): string {
    const text = this.stderrTail.join(' | ');
    return text.length > STDERR_TAIL_CHARS ? `...${text.slice(-STDERR_TAIL_CHARS)}` : text;
  }

  private log(level: Parameters<McpLogger['log']>[0], message: string): void {
    this.deps.logger.log(level, message);
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
