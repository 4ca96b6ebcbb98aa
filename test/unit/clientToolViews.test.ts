// The editor's side of the tools: the settings the server asks for, the MCP servers in the Agents
// view, and the audit log document.
import { describe, expect, it } from 'vitest';
import type { McpServerStatus } from '../../protocol/mcp';
import { DEFAULT_TOOL_SETTINGS } from '../../protocol/settings';
import { toolSettingsFrom } from '../../client/src/toolSettingsModel';
import { agentsTreeItems, SectionIds } from '../../client/src/views/agentsModel';
import { auditMarkdown } from '../../client/src/views/auditModel';

describe('tool settings', () => {
  it('defaults when nothing is set', () => {
    expect(toolSettingsFrom(() => undefined)).toEqual(DEFAULT_TOOL_SETTINGS);
  });

  it('reads each setting, keeps valid rules only and falls back on values of the wrong type', () => {
    const values: Record<string, unknown> = {
      'moco.sandbox.mode': 'docker',
      'moco.sandbox.image': ' local/sandbox:busybox ',
      'moco.sandbox.network': true,
      'moco.sandbox.cpus': 'two',
      'moco.sandbox.memoryMb': 1024,
      'moco.sandbox.timeoutSeconds': -5,
      'moco.policy.rules': { 'git log*': 'allow', 'git push --force*': 'deny', 'npm *': 'maybe', '': 'allow' },
      'moco.web.allowPrivateAddresses': 'yes',
      'moco.web.searchUrl': 'https://search.example/search',
      'moco.git.commitLanguage': ' Deutsch ',
      'moco.github.apiUrl': 'https://ghe.example/api/v3',
    };
    const invalid: string[] = [];
    expect(toolSettingsFrom((id) => values[id], '/vscode/rg', (message) => invalid.push(message))).toEqual({
      sandbox: { mode: 'docker', image: 'local/sandbox:busybox', network: true, cpus: 1, memoryMb: 1024, timeoutSeconds: 120 },
      policyRules: { 'git log*': 'allow', 'git push --force*': 'deny' },
      web: { allowPrivateAddresses: false, searchUrl: 'https://search.example/search' },
      git: { commitLanguage: 'Deutsch', githubApiUrl: 'https://ghe.example/api/v3' },
      ripgrepPath: '/vscode/rg',
    });
    // A rule that is left out is said, never silently dropped.
    expect(invalid).toEqual([
      'moco.policy.rules: the rule "npm *": "maybe" is left out; write "allow", "ask" or "deny" (lower case) for a non-empty command prefix.',
      'moco.policy.rules: the rule "": "allow" is left out; write "allow", "ask" or "deny" (lower case) for a non-empty command prefix.',
    ]);
  });

  it('an unknown sandbox mode is auto', () => {
    expect(toolSettingsFrom((id) => (id === 'moco.sandbox.mode' ? 'firecracker' : undefined)).sandbox.mode).toBe('auto');
  });
});

describe('MCP servers in the Agents view', () => {
  const server = (overrides: Partial<McpServerStatus>): McpServerStatus => ({
    name: 'files',
    source: 'profile',
    transport: 'stdio',
    target: 'npx server-filesystem .',
    state: 'ready',
    toolCount: 3,
    restarts: 0,
    ...overrides,
  });

  it('no section without servers', () => {
    expect(agentsTreeItems({ mcpServers: [] }, 0)).toEqual([]);
  });

  it('a ready server shows its tools; a quarantined one its error, expanded, restartable', () => {
    const [section] = agentsTreeItems(
      { mcpServers: [server({}), server({ name: 'flaky', state: 'quarantined', lastError: 'exited with code 1 three times in 60 s', restarts: 3, toolCount: 0 })] },
      0,
    );
    expect(section?.id).toBe(SectionIds.mcp);
    expect(section?.description).toBe('1 of 2 not working');
    expect(section?.collapsible).toBe('expanded');
    const [ready, flaky] = section!.children;
    expect(ready?.description).toBe('ready · 3 tools · stdio');
    expect(flaky?.description).toBe('quarantined · stdio · exited with code 1 three times in 60 s');
    expect(flaky?.ariaLabel).toBe('MCP server flaky, quarantined, 0 tools, exited with code 1 three times in 60 s');
    expect(flaky?.tooltip).toContain('MOCO: Restart MCP Server starts it again.');
    expect(flaky?.contextValue).toBe('moco.mcpServer');
  });

  it('all servers well: the section stays closed', () => {
    const [section] = agentsTreeItems({ mcpServers: [server({})] }, 0);
    expect(section?.collapsible).toBe('collapsed');
  });
});

describe('the audit log document', () => {
  it('says when there is nothing yet', () => {
    expect(auditMarkdown([], 's1')).toBe('# Command audit log of session s1\n\nNo shell command has been decided on yet.\n');
  });

  it('one row per decision, pipes escaped', () => {
    const text = auditMarkdown(
      [{ at: '2026-11-22T03:00:00.000Z', sessionId: 's1', runId: 'r1', agent: 'coder', tool: 'execute_bash', command: 'ls | wc -l', decision: 'allow', rule: '"ls*" (builtin)', outcome: 'allowed', reason: 'read-only' }],
      undefined,
    );
    expect(text).toContain('| 2026-11-22T03:00:00.000Z | coder | execute_bash | `ls \\| wc -l` | allow | "ls*" (builtin) | allowed |');
  });
});
