/**
 * The MCP servers of one workspace: started from the merged configuration (config.ts), their
 * status for the user, and their tools for the agents, named `server__tool` (naming.ts). Tools are
 * given per server: an agent gets the schemas of the servers its profile gives it, and no others.
 */
import type { ReadResourceResult, Resource } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerStatus } from '../../../protocol/mcp';
import { errorResult } from '../tools/results';
import type { ToolResult } from '../tools/types';
import { ManagedServer, McpUnavailableError } from './managedServer';
import { assignToolNames } from './naming';
import { buildMcpTool, type McpTool } from './tools';
import { DEFAULT_MCP_TIMINGS, type McpManagerOptions, type McpServerSpec } from './types';

/** A listener's handle. */
export interface McpListenerHandle {
  dispose(): void;
}

/** The MCP servers of one workspace. Create one per workspace; {@link dispose} it when the workspace closes. */
export class McpManager {
  private readonly servers = new Map<string, ManagedServer>();
  private readonly listeners = new Set<(servers: McpServerStatus[]) => void>();
  private names = new Map<string, Map<string, string>>();
  /** Tools built for a listing, so that each run does not rebuild their zod checks. */
  private readonly built = new WeakMap<object, McpTool>();
  private disposed = false;

  constructor(private readonly options: McpManagerOptions) {}

  /**
   * Starts the servers of `specs` (from {@link loadMcpConfig}). Called again with a new
   * configuration, it stops the servers no longer listed, restarts those whose configuration
   * changed, and leaves the others running.
   *
   * @returns once every started server is ready or has failed (at most the connect timeout, 30 s by default).
   */
  async start(specs: readonly McpServerSpec[]): Promise<void> {
    if (this.disposed) throw new Error('This McpManager was disposed; create a new one.');
    const wanted = new Map(specs.map((spec) => [spec.name, spec]));
    const stopping: Promise<void>[] = [];
    for (const [name, server] of this.servers) {
      const spec = wanted.get(name);
      if (spec && JSON.stringify(spec) === JSON.stringify(server.spec)) continue;
      this.servers.delete(name);
      stopping.push(server.stop());
    }
    await Promise.all(stopping);
    const starting: Promise<void>[] = [];
    const ordered = new Map<string, ManagedServer>();
    for (const spec of wanted.values()) {
      let server = this.servers.get(spec.name);
      if (!server) {
        server = this.createServer(spec);
        starting.push(server.start());
      } else {
        // A start of another run may still be under way: its tree waits for it too.
        starting.push(server.whenStarted());
      }
      ordered.set(spec.name, server);
    }
    this.servers.clear();
    for (const [name, server] of ordered) this.servers.set(name, server);
    this.changed();
    await Promise.all(starting);
  }

  /** The names of the configured servers, in configuration order. */
  serverNames(): string[] {
    return [...this.servers.keys()];
  }

  /** Every server's status, in configuration order. */
  status(): McpServerStatus[] {
    return [...this.servers.values()].map((server) => server.status());
  }

  /** Calls `listener` with every server's status after each change. */
  onStatus(listener: (servers: McpServerStatus[]) => void): McpListenerHandle {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * The tools of the servers named (unknown names are left out), as MOCO tools named
   * `server__tool`, ready for {@link ToolRegistry.withTools}. A server that is reconnecting or
   * quarantined keeps its last tools, whose calls then explain what is wrong; a server that never
   * started has none.
   */
  tools(serverNames: readonly string[]): McpTool[] {
    const tools: McpTool[] = [];
    for (const serverName of serverNames) {
      const server = this.servers.get(serverName);
      const names = this.names.get(serverName);
      if (!server || !names) continue;
      for (const info of server.tools()) {
        const name = names.get(info.name);
        if (name === undefined) continue;
        let tool = this.built.get(info);
        if (tool?.definition.name !== name) {
          tool = buildMcpTool(name, serverName, info, (args, signal) => this.callTool(serverName, info.name, args, signal));
          this.built.set(info, tool);
        }
        tools.push(tool);
      }
    }
    return tools;
  }

  /**
   * Calls the tool `tool` (its MCP name) of `server`. Waits for a reconnection in progress, up to
   * the call timeout. A failure is a result the model can read; only an abort of `signal` rejects.
   */
  async callTool(server: string, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
    const managed = this.servers.get(server);
    if (!managed) return errorResult(`There is no MCP server named "${server}". Servers: ${this.serverNames().join(', ') || 'none'}.`);
    return managed.callTool(tool, args, signal);
  }

  /**
   * Every resource `server` lists.
   *
   * @throws {McpUnavailableError} when there is no such server, or it is not ready, or the request fails.
   */
  async listResources(server: string, signal: AbortSignal = new AbortController().signal): Promise<Resource[]> {
    return this.get(server).listResources(signal);
  }

  /**
   * The contents of the resource `uri` of `server`.
   *
   * @throws {McpUnavailableError} when there is no such server, or it is not ready, or the request fails.
   */
  async readResource(server: string, uri: string, signal: AbortSignal = new AbortController().signal): Promise<ReadResourceResult> {
    return this.get(server).readResource(uri, signal);
  }

  /**
   * `MOCO: Restart MCP Server`: stops `name`, forgets its failures (lifting a quarantine) and starts it again.
   *
   * @returns its status once it is ready or has failed.
   * @throws {McpUnavailableError} when there is no such server.
   */
  async restart(name: string): Promise<McpServerStatus> {
    const server = this.get(name);
    await server.restart();
    return server.status();
  }

  /** Stops every server (stdio processes end) and drops the listeners. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const servers = [...this.servers.values()];
    await Promise.all(servers.map((server) => server.stop()));
    this.listeners.clear();
  }

  private get(name: string): ManagedServer {
    const server = this.servers.get(name);
    if (!server) throw new McpUnavailableError(`There is no MCP server named "${name}". Servers: ${this.serverNames().join(', ') || 'none'}.`);
    return server;
  }

  private createServer(spec: McpServerSpec): ManagedServer {
    const server: ManagedServer = new ManagedServer(spec, {
      timings: { ...DEFAULT_MCP_TIMINGS, ...this.options.timings },
      logger: this.options.logger,
      env: this.options.env ?? process.env,
      clientInfo: this.options.clientInfo ?? { name: 'moco', version: '0.0.0' },
      random: this.options.random ?? Math.random,
      onChange: () => {
        if (this.servers.get(spec.name) === server) this.changed();
      },
    });
    return server;
  }

  private changed(): void {
    this.names = assignToolNames([...this.servers.values()].map((server) => ({ server: server.spec.name, tools: server.tools().map((tool) => tool.name) })));
    const status = this.status();
    for (const listener of [...this.listeners]) {
      try {
        listener(status);
      } catch (error) {
        this.options.logger.log('error', `An MCP status listener failed: ${(error as Error).message}`);
      }
    }
  }
}
