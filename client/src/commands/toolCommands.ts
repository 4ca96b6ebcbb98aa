/**
 * Commands of the agents' tools: `MOCO: Restart MCP Server…` (from the palette, with a pick of
 * the servers; or from a server's row in the Agents view) and `MOCO: Show Command Audit Log`
 * (the command policy's decisions of the Chat view's session, as a Markdown table).
 */
import * as vscode from 'vscode';
import { AuditListRequest } from '../../../protocol/audit';
import { CommandIds } from '../../../protocol/ids';
import { McpRestartRequest, McpStatusRequest } from '../../../protocol/mcp';
import type { ServerController } from '../languageClient';
import { auditMarkdown } from '../views/auditModel';
import { showErrorWithActions } from './showError';

/** Registers the tool commands. */
export function registerToolCommands(server: ServerController, currentSessionId: () => string | undefined): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandIds.restartMcpServer, (item?: { id?: string } | string) => restartMcpServer(server, item)),
    vscode.commands.registerCommand(CommandIds.showAuditLog, () => showAuditLog(server, currentSessionId())),
  );
}

async function restartMcpServer(server: ServerController, item?: { id?: string } | string): Promise<void> {
  let name = typeof item === 'string' ? item : item?.id?.startsWith('mcp:') ? item.id.slice('mcp:'.length) : undefined;
  try {
    if (!name) {
      const { servers } = await server.request0(McpStatusRequest);
      if (servers.length === 0) {
        void vscode.window.showInformationMessage('No MCP servers are configured: add them to the profile (mcp_servers), .vscode/mcp.json or .mcp.json.');
        return;
      }
      const picked = await vscode.window.showQuickPick(
        servers.map((s) => ({ label: s.name, description: `${s.state} · ${s.transport}`, detail: s.lastError })),
        { title: 'Restart MCP Server', placeHolder: 'The server to restart' },
      );
      if (!picked) return;
      name = picked.label;
    }
    const serverName = name;
    const status = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Restarting the MCP server ${serverName}…` },
      () => server.request(McpRestartRequest, { name: serverName }),
    );
    if (status.state === 'ready') void vscode.window.showInformationMessage(`MCP server ${serverName} is ready with ${status.toolCount} tools.`);
    else void vscode.window.showErrorMessage(`MCP server ${serverName} is ${status.state}: ${status.lastError ?? 'see the MOCO output channel'}`);
  } catch (error) {
    await showErrorWithActions(error, `Could not restart the MCP server${name ? ` ${name}` : ''}.`);
  }
}

async function showAuditLog(server: ServerController, sessionId: string | undefined): Promise<void> {
  try {
    const { entries } = await server.request(AuditListRequest, sessionId ? { sessionId, limit: 500 } : { limit: 500 });
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: auditMarkdown(entries, sessionId) });
    await vscode.window.showTextDocument(document, { preview: true });
  } catch (error) {
    await showErrorWithActions(error, 'Could not read the command audit log.');
  }
}
