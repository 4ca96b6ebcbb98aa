/**
 * MCP servers as the user sees them: each configured server's state, shown in the Agents view and
 * the output channel. One typed constant per message (CONVENTIONS.md §2). The states and their
 * numbers (health checks, reconnect backoff, quarantine) are described in server/src/mcp/README.md.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';

/**
 * Where an MCP server is in its life:
 * - `starting`: the first connection (or one asked for by `mcp/restart`) is being made;
 * - `ready`: connected, its tools are offered;
 * - `reconnecting`: the connection was lost (the process died, HTTP failed, a health check got no
 *   answer) and it is being reconnected with backoff;
 * - `failed`: it never started (command not found, exited at once, bad URL); not retried until
 *   the user restarts it;
 * - `quarantined`: it kept crashing; not restarted automatically until the user restarts it;
 * - `stopped`: shut down (the workspace closed, or its configuration was removed).
 */
export type McpServerState = 'starting' | 'ready' | 'reconnecting' | 'failed' | 'quarantined' | 'stopped';

/** How MOCO talks to a server: a local process over stdio, Streamable HTTP, or the older HTTP+SSE. */
export type McpTransportKind = 'stdio' | 'http' | 'sse';

/** One MCP server's status. */
export interface McpServerStatus {
  /** The server's configured name (the `server` of its `server__tool` tool names). */
  name: string;
  /**
   * Where it is defined: `profile`, `.vscode/mcp.json` or `.mcp.json` (the first of these that
   * defines the name wins).
   */
  source: 'profile' | '.vscode/mcp.json' | '.mcp.json';
  /** The transport in use; `sse` once an `http` server has fallen back to HTTP+SSE. */
  transport: McpTransportKind;
  /** What is run or reached, for display: the command line, or the URL without its query. */
  target: string;
  state: McpServerState;
  /** Tools the server offers (0 until it is ready for the first time). */
  toolCount: number;
  /** The last failure, in words that say what to check; absent when it never failed. */
  lastError?: string;
  /** How many times it was restarted or reconnected since it was first started. */
  restarts: number;
  /** Process id of a stdio server while it runs. */
  pid?: number;
}

/** Params of `mcp/didChange`: every server of the workspace, in configuration order. */
export interface McpStatusParams {
  servers: McpServerStatus[];
}

/**
 * `mcp/didChange` (server → client notification): a server's status changed (state, tool count,
 * error, restarts). Carries the whole list, so the client replaces what it shows.
 */
export const McpDidChangeNotification = new NotificationType<McpStatusParams>('mcp/didChange');

/** `mcp/status` (client → server request): the current list, for a view that opens. */
export const McpStatusRequest = new RequestType0<McpStatusParams, void>('mcp/status');

/** Params of `mcp/restart`. */
export interface McpRestartParams {
  /** The server's name. */
  name: string;
}

/**
 * `mcp/restart` (client → server request, `MOCO: Restart MCP Server`): stops the server, forgets
 * its failures (lifting a quarantine) and starts it again. Resolves once the new connection is
 * ready or has failed; the outcome is in the returned status. Unknown names answer `InvalidParams`.
 */
export const McpRestartRequest = new RequestType<McpRestartParams, McpServerStatus, void>('mcp/restart');
