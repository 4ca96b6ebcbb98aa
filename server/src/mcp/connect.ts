/**
 * One connection to one MCP server with `@modelcontextprotocol/sdk`'s client: a process over stdio
 * (`StdioClientTransport`: working directory, a safe base environment plus the configured one,
 * stderr captured), or Streamable HTTP (`StreamableHTTPClientTransport`) with the fallback to
 * HTTP+SSE (`SSEClientTransport`) that the SDK's docs recommend when the first POST gets a 4xx.
 * `initialize` and `tools/list` run within one deadline.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { DEFAULT_INHERITED_ENV_VARS, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';
import type { McpTransportKind } from '../../../protocol/mcp';
import { shouldFallBackToSse } from './errors';
import { descendants, killAll } from './processTree';
import type { McpHttpServerSpec, McpLogLevel, McpServerSpec, McpStdioServerSpec } from './types';

/** Variables passed from the MOCO server's environment to stdio servers, besides the SDK's own safe list (HOME, LOGNAME, PATH, SHELL, TERM, USER). */
export const EXTRA_SAFE_ENV_VARS = ['LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TZ', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME'] as const;

/** A live connection. */
export interface McpConnection {
  client: Client;
  /** The transport in use (`sse` after a fallback). */
  transport: McpTransportKind;
  /** The stdio server's process id. */
  pid?: number;
  /** The server's tools, all pages. */
  tools: McpToolInfo[];
  /** Closes the connection (ends a stdio process: stdin closed, then SIGTERM, then SIGKILL). */
  close(): Promise<void>;
}

/** What {@link connectServer} needs besides the server's configuration. */
export interface ConnectOptions {
  /** Deadline (ms) for starting, `initialize` and `tools/list` together. */
  timeoutMs: number;
  clientInfo: { name: string; version: string };
  /** The environment the safe variables are taken from. */
  env: Record<string, string | undefined>;
  /** Each line a stdio server writes on stderr. */
  onStderr(line: string): void;
  /** The connection was lost after {@link connectServer} resolved (not called for {@link McpConnection.close}). */
  onClose(): void;
  /** The server's tool list changed (`notifications/tools/list_changed`, refreshed by the SDK). */
  onToolsChanged(tools: McpToolInfo[]): void;
  log(level: McpLogLevel, message: string): void;
  /** Aborts the attempt (the manager is being disposed or the server restarted). */
  signal: AbortSignal;
}

/**
 * Connects to `spec` and lists its tools.
 *
 * @throws the SDK's or Node's error when the server cannot be started or reached, does not answer
 *   in time (`McpError` RequestTimeout), or closes before it is ready (`McpError` ConnectionClosed);
 *   `signal.reason` when aborted. errors.ts turns these into words.
 */
export async function connectServer(spec: McpServerSpec, options: ConnectOptions): Promise<McpConnection> {
  const deadline = Date.now() + options.timeoutMs;
  if (spec.transport === 'stdio') return open(spec, stdioTransport(spec, options), 'stdio', deadline, options);
  if (spec.transport === 'sse') return open(spec, sseTransport(spec), 'sse', deadline, options);
  try {
    return await open(spec, new StreamableHTTPClientTransport(new URL(spec.url), { requestInit: { headers: spec.headers } }), 'http', deadline, options);
  } catch (error) {
    if (!shouldFallBackToSse(error)) throw error;
    options.log('info', `MCP server "${spec.name}": Streamable HTTP was refused (${(error as Error).message}); trying HTTP+SSE.`);
    return open(spec, sseTransport(spec), 'sse', deadline, options);
  }
}

function sseTransport(spec: McpHttpServerSpec): SSEClientTransport {
  return new SSEClientTransport(new URL(spec.url), { requestInit: { headers: spec.headers } });
}

function stdioTransport(spec: McpStdioServerSpec, options: ConnectOptions): StdioClientTransport {
  const env: Record<string, string> = {};
  for (const key of [...DEFAULT_INHERITED_ENV_VARS, ...EXTRA_SAFE_ENV_VARS]) {
    const value = options.env[key];
    if (value !== undefined && !value.startsWith('()')) env[key] = value;
  }
  Object.assign(env, spec.env);
  const transport = new StdioClientTransport({ command: spec.command, args: spec.args, env, cwd: spec.cwd, stderr: 'pipe' });
  let pending = '';
  transport.stderr?.on('data', (chunk: Buffer | string) => {
    pending += chunk.toString();
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') options.onStderr(line);
  });
  transport.stderr?.on('end', () => {
    if (pending.trim() !== '') options.onStderr(pending);
    pending = '';
  });
  return transport;
}

async function open(spec: McpServerSpec, transport: Transport, kind: McpTransportKind, deadline: number, options: ConnectOptions): Promise<McpConnection> {
  let ready = false;
  let closedEarly = false;
  let closing = false;
  const client = new Client(options.clientInfo, {
    capabilities: {},
    listChanged: {
      tools: {
        onChanged: (error, tools) => {
          if (closing) return;
          if (error) options.log('warn', `MCP server "${spec.name}": its tool list changed but could not be read again: ${error.message}`);
          else if (tools) options.onToolsChanged(tools);
        },
      },
    },
  });
  client.onclose = () => {
    if (closing) return;
    if (ready) options.onClose();
    else closedEarly = true;
  };
  client.onerror = (error) => options.log('debug', `MCP server "${spec.name}": transport error: ${error.message}`);
  const close = async (): Promise<void> => {
    closing = true;
    const pid = transport instanceof StdioClientTransport ? transport.pid : null;
    // What the server started dies with it: the SDK signals only its own child.
    const started = pid === null ? [] : await descendants(pid);
    await client.close().catch(() => undefined);
    killAll(started);
  };
  try {
    await client.connect(transport, { timeout: remaining(deadline), signal: options.signal });
    const tools = await listAllTools(client, deadline, options.signal);
    if (closedEarly) throw new McpError(ErrorCode.ConnectionClosed, 'Connection closed');
    ready = true;
    const pid = transport instanceof StdioClientTransport ? transport.pid : null;
    return { client, transport: kind, tools, close, ...(pid === null ? {} : { pid }) };
  } catch (error) {
    await close();
    throw options.signal.aborted ? options.signal.reason : error;
  }
}

async function listAllTools(client: Client, deadline: number, signal: AbortSignal): Promise<McpToolInfo[]> {
  if (!client.getServerCapabilities()?.tools) return [];
  const tools: McpToolInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: remaining(deadline), signal });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

function remaining(deadline: number): number {
  return Math.max(1, deadline - Date.now());
}
