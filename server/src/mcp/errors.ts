/**
 * MCP failures in words a user can act on: what failed (the command or the URL), why, and what to
 * check. Also sorts errors: a lost connection (reconnect) from an answer of the server (a failed
 * call on a live server).
 */
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerSpec } from './types';

/** What a server runs or reaches, for display: the command line, or the URL without credentials and query. */
export function describeTarget(spec: McpServerSpec): string {
  if (spec.transport === 'stdio') return [spec.command, ...spec.args].map((part) => (/[\s"']/.test(part) ? JSON.stringify(part) : part)).join(' ');
  try {
    const url = new URL(spec.url);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return spec.url;
  }
}

/** Whether the SDK reports that the server did not answer in time. */
export function isTimeout(error: unknown): boolean {
  return error instanceof McpError && error.code === (ErrorCode.RequestTimeout as number);
}

/**
 * Whether `error` means the connection is gone (the process exited, HTTP cannot reach the server,
 * the transport closed), as opposed to an answer of a live server (a JSON-RPC error) or a timeout.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof McpError) return error.code === (ErrorCode.ConnectionClosed as number);
  return true;
}

/**
 * Whether a failed Streamable HTTP connection should be retried over HTTP+SSE: the server answered
 * the first POST with a 4xx (the SDK's documented backwards-compatibility rule), except 401/403,
 * which ask for credentials rather than another transport.
 */
export function shouldFallBackToSse(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code !== undefined && error.code >= 400 && error.code < 500 && error.code !== 401 && error.code !== 403;
}

/**
 * Why a server could not be started or reached.
 *
 * @param stderrTail the last lines the process wrote on stderr ('' when none or remote).
 */
export function describeConnectFailure(spec: McpServerSpec, error: unknown, timeoutMs: number, stderrTail: string): string {
  const target = describeTarget(spec);
  const fix = `fix it in ${spec.origin}`;
  const code = errnoCode(error);
  const said = wroteOnStderr(stderrTail);
  if (spec.transport === 'stdio') {
    if (code === 'ENOENT') {
      return `The MCP server "${spec.name}" could not start: the command "${spec.command}" was not found (working directory ${spec.cwd}). Check that it is installed and on the PATH of the MOCO server, or write its full path; ${fix}.`;
    }
    if (code === 'EACCES') return `The MCP server "${spec.name}" could not start: "${spec.command}" is not executable (permission denied). Check its permissions, or ${fix}.`;
    if (isTimeout(error)) return `The MCP server "${spec.name}" (${target}) did not answer MCP's initialize within ${seconds(timeoutMs)}. Check that the command starts an MCP server that speaks over stdio.${said}`;
    if (isConnectionLoss(error)) return `The MCP server "${spec.name}" (${target}) exited before it was ready. Run the command in a terminal to see why, and ${fix}.${said}`;
    return `The MCP server "${spec.name}" (${target}) failed to start: ${messageOf(error)}.${said}`;
  }
  if (isTimeout(error)) return `The MCP server "${spec.name}" at ${target} did not answer MCP's initialize within ${seconds(timeoutMs)}. Check that the URL is an MCP endpoint and that the server is not overloaded.`;
  const status = httpStatus(error);
  if (status === 401 || status === 403) {
    return `The MCP server "${spec.name}" at ${target} refused the connection (HTTP ${status}): it needs credentials. Add them in "headers" (for example "Authorization": "Bearer <token>") in ${spec.origin}; MOCO does not run OAuth sign-ins for MCP servers.`;
  }
  if (status !== undefined) {
    return `The MCP server "${spec.name}" at ${target} answered HTTP ${status}${spec.transport === 'http' ? ' to Streamable HTTP and to the HTTP+SSE fallback' : ''}. Check the URL (Streamable HTTP endpoints usually end in /mcp, SSE ones in /sse); ${fix}.`;
  }
  if (code !== undefined) {
    return `The MCP server "${spec.name}" could not be reached at ${target} (${code}: ${causeMessage(error)}). Check that the server is running and that the URL is right; ${fix}.`;
  }
  return `The MCP server "${spec.name}" at ${target} could not be connected: ${messageOf(error)}. Check that the server is running and that the URL is right; ${fix}.`;
}

/** Why a connection that was ready was lost, for status and logs. */
export function describeLoss(spec: McpServerSpec, cause: string, stderrTail: string): string {
  const said = wroteOnStderr(stderrTail);
  return spec.transport === 'stdio'
    ? `The MCP server "${spec.name}" (${describeTarget(spec)}) ${cause}.${said}`
    : `The MCP server "${spec.name}" at ${describeTarget(spec)} ${cause}.`;
}

function wroteOnStderr(stderrTail: string): string {
  return stderrTail === '' ? '' : ` Its last words on stderr: "${stderrTail}".`;
}

/** A duration for messages: `30 s`, `250 ms`. */
export function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** The message of an error, and of its cause when it only says `fetch failed`. */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

function causeMessage(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof Error ? cause.message : messageOf(error);
}

function errnoCode(error: unknown): string | undefined {
  const own = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof own === 'string') return own;
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

function httpStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (error instanceof McpError) return undefined;
  return typeof code === 'number' && code >= 400 && code < 600 ? code : undefined;
}
