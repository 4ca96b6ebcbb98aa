/**
 * The tools' side of the connection: the editor's tool settings (`settings/get`, asked before
 * each run), the MCP servers' status and restart (`mcp/status`, `mcp/restart`, and `mcp/didChange`
 * sent by server.ts), and the command audit log (`audit/list`).
 */
import { ErrorCodes, type Connection } from 'vscode-languageserver/node';
import { AuditListRequest } from '../../../protocol/audit';
import { McpRestartRequest, McpStatusRequest } from '../../../protocol/mcp';
import { DEFAULT_TOOL_SETTINGS, SettingsGetRequest, type ToolSettings } from '../../../protocol/settings';
import type { EngineHost } from './engineHost';
import { answer } from './wireErrors';

/** Registers `mcp/status`, `mcp/restart` and `audit/list`. */
export function registerToolHandlers(connection: Connection, host: EngineHost): void {
  const log = (message: string): void => connection.console.error(message);
  connection.onRequest(McpStatusRequest, () => answer(async () => ({ servers: (await host.require()).mcpStatus() }), log));
  connection.onRequest(McpRestartRequest, (params) => answer(async () => (await host.require()).restartMcp(params.name), log));
  connection.onRequest(AuditListRequest, (params) => answer(async () => ({ entries: (await host.require()).auditLog(params) }), log));
}

/**
 * Asks the editor for the tool settings (`settings/get`). A client without the handler, or a
 * failed request, gives the defaults (logged).
 */
export function editorToolSettings(connection: Connection, log: (message: string) => void): () => Promise<ToolSettings> {
  return async () => {
    try {
      return (await connection.sendRequest(SettingsGetRequest, {})) ?? DEFAULT_TOOL_SETTINGS;
    } catch (error) {
      const code = (error as { code?: unknown } | undefined)?.code;
      if (code !== ErrorCodes.MethodNotFound) log(`settings/get failed (${error instanceof Error ? error.message : String(error)}); the tools use their default settings.`);
      return DEFAULT_TOOL_SETTINGS;
    }
  };
}
