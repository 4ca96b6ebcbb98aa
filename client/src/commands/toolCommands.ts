/**
 * Commands of the agents' tools: `MOCO: Restart MCP Server…` (from the palette, with a pick of
 * the servers; or from a server's row in the Agents view) and `MOCO: Show Command Audit Log`
 * (the command policy's decisions of the Chat view's session, as a read-only Markdown document
 * that is read again each time it is shown).
 */
import * as vscode from 'vscode';
import { AuditListRequest } from '../../../protocol/audit';
import { AuditScheme, CommandIds } from '../../../protocol/ids';
import { McpRestartRequest, McpStatusRequest } from '../../../protocol/mcp';
import type { ServerController } from '../languageClient';
import { auditMarkdown } from '../views/auditModel';
import { showErrorWithActions } from './showError';

/** Registers the tool commands and the audit log's documents. */
export function registerToolCommands(server: ServerController, currentSessionId: () => string | undefined): vscode.Disposable {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  return vscode.Disposable.from(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(AuditScheme, {
      onDidChange: changed.event,
      provideTextDocumentContent: async (uri) => {
        const sessionId = uri.path.replace(/^\//, '').replace(/\.md$/, '');
        const scoped = sessionId && sessionId !== 'all' ? sessionId : undefined;
        const { entries } = await server.request(AuditListRequest, scoped ? { sessionId: scoped, limit: 500 } : { limit: 500 });
        return auditMarkdown(entries, scoped);
      },
    }),
    vscode.commands.registerCommand(CommandIds.restartMcpServer, (item?: { id?: string } | string) => restartMcpServer(server, item)),
    vscode.commands.registerCommand(CommandIds.showAuditLog, async () => {
      const uri = vscode.Uri.from({ scheme: AuditScheme, path: `/${currentSessionId() ?? 'all'}.md` });
      try {
        changed.fire(uri); // read again if it is open already
        const document = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(document, 'markdown'), { preview: true });
      } catch (error) {
        await showErrorWithActions(error, 'Could not read the command audit log.');
      }
    }),
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
