/** The command audit log as a Markdown document (pure: no `vscode`, unit-tested). */
import type { AuditEntry } from '../../../protocol/audit';

/** The audit entries as a Markdown table, newest first. Pure. */
export function auditMarkdown(entries: AuditEntry[], sessionId: string | undefined): string {
  const title = `# Command audit log${sessionId ? ` of session ${sessionId}` : ''}\n\n`;
  if (entries.length === 0) return `${title}No shell command has been decided on yet.\n`;
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const rows = entries.map((e) => `| ${e.at} | ${cell(e.agent)} | ${e.tool} | \`${cell(e.command)}\` | ${e.decision} | ${cell(e.rule)} | ${e.outcome} |`);
  return `${title}| time | agent | tool | command | decision | rule | outcome |\n| --- | --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`;
}
