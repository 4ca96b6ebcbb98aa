// Which tools each agent gets in a run tree: base tools on offer, and MCP tools of its profile's
// servers only (others stay names).
import { describe, expect, it } from 'vitest';
import { mcpToolsFor, withOfferedTools } from '../../server/src/engine/agentTools';
import type { AgentConfig, Profile } from '../../server/src/profiles';
import type { McpToolGrants } from '../../server/src/profiles/tools';

function agent(name: string, tools: string[], mcpTools: Partial<McpToolGrants> = {}): AgentConfig {
  return {
    name,
    description: '',
    mode: 'subagent',
    systemPrompt: `I am ${name}.`,
    tools,
    unavailableTools: [],
    mcpTools: { allow: [], deny: [], wildcard: false, ...mcpTools },
    file: `/p/agents/${name}.md`,
  };
}

const mcp = new Map([
  ['files', ['files__read_file', 'files__write_file']],
  ['github', ['github__create_issue']],
]);

const profile = (agents: AgentConfig[]): Profile => ({
  name: 'team',
  description: '',
  source: 'workspace',
  path: '/p',
  includeBaseTools: true,
  mcpServers: [{ name: 'files', command: 'npx', args: [], env: {} }],
  orchestrator: { maxParallelTasks: 5, retry: { attempts: 3, baseDelayMs: 200 }, maxToolCallsPerTurn: 20, maxTurns: 50, budget: {}, maxInputChars: 400_000 },
  policyRules: {},
  agents,
  entryAgent: agents[0]!.name,
  skills: [],
  warnings: [],
});

describe('MCP tools of an agent', () => {
  it('"*" gets every tool of the profile\'s servers, never of the others', () => {
    expect(mcpToolsFor(agent('a', [], { wildcard: true }), ['files'], mcp)).toEqual(['files__read_file', 'files__write_file']);
  });

  it('named tools and server__* patterns; refusals win', () => {
    expect(mcpToolsFor(agent('a', [], { allow: ['files__read_*'] }), ['files', 'github'], mcp)).toEqual(['files__read_file']);
    expect(mcpToolsFor(agent('a', [], { wildcard: true, deny: ['files__write_file'] }), ['files'], mcp)).toEqual(['files__read_file']);
    expect(mcpToolsFor(agent('a', [], { allow: ['github__*'] }), ['files'], mcp)).toEqual([]);
  });

  it('an agent that names no MCP tool and has no "*" gets none', () => {
    expect(mcpToolsFor(agent('a', ['read_file']), ['files'], mcp)).toEqual([]);
  });
});

describe('withOfferedTools', () => {
  it('drops base tools not on offer, adds MCP tools, and names the servers not given', () => {
    const result = withOfferedTools(profile([agent('coder', ['read_file', 'websearch', 'execute_bash'], { wildcard: true })]), {
      offered: new Set(['read_file', 'execute_bash']),
      mcp: new Map([['files', ['files__read_file', 'files__write_file']]]),
      otherServers: ['github'],
    });
    const [coder] = result.agents;
    expect(coder?.tools).toEqual(['read_file', 'execute_bash', 'files__read_file', 'files__write_file']);
    expect(coder?.systemPrompt).toBe('I am coder.\n\nMCP servers configured in this workspace but not given to you (you cannot call them): github.');
  });

  it('leaves the prompt alone when every server is given, and does not change the profile it was given', () => {
    const original = profile([agent('coder', ['read_file'])]);
    const result = withOfferedTools(original, { offered: new Set(['read_file']), mcp: new Map([['files', ['files__read_file']]]), otherServers: [] });
    expect(result.agents[0]?.systemPrompt).toBe('I am coder.');
    expect(original.agents[0]?.tools).toEqual(['read_file']);
  });
});
