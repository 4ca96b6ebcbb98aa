/**
 * The tools each agent of a run tree gets, once the tree's environment is known: the base tools
 * its profile grants, less those not offered here (`websearch` without a search endpoint), plus
 * the MCP tools of its profile's servers. Servers configured in the workspace but not given to the
 * profile stay names only: the agent is told they exist, never their schemas.
 */
import picomatch from 'picomatch';
import type { AgentConfig, Profile } from '../profiles';

/** The connected MCP servers of the workspace: server name → its tools' full names (`server__tool`). */
export type McpToolIndex = ReadonlyMap<string, readonly string[]>;

/** What the tree's environment offers. */
export interface ToolOffer {
  /** Base tools that exist in this environment (for example no `websearch` without an endpoint). */
  offered: ReadonlySet<string>;
  /** Tools of each MCP server the profile gives its agents. */
  mcp: McpToolIndex;
  /** MCP servers the workspace configures that the profile does not give: named, never started. */
  otherServers: readonly string[];
}

/**
 * The MCP tools `agent` gets: those of the servers its profile lists (`mcp_servers`) that its
 * `tools:` grants (`"*"` or absent grants all of them; `server__*` or `server__tool` name them),
 * less those it refuses (`server__tool: false`). In the order of the index.
 */
export function mcpToolsFor(agent: AgentConfig, profileServers: readonly string[], mcp: McpToolIndex): string[] {
  const given = new Set(profileServers);
  const allow = agent.mcpTools.allow.length > 0 ? picomatch(agent.mcpTools.allow) : undefined;
  const deny = agent.mcpTools.deny.length > 0 ? picomatch(agent.mcpTools.deny) : undefined;
  const tools: string[] = [];
  for (const [server, names] of mcp) {
    if (!given.has(server)) continue;
    for (const name of names) {
      const granted = agent.mcpTools.wildcard || (allow?.(name) ?? false);
      if (granted && !(deny?.(name) ?? false)) tools.push(name);
    }
  }
  return tools;
}

/**
 * A copy of `profile` whose agents' `tools` are what this environment gives them (see the module
 * comment), with a note in each system prompt naming the workspace's MCP servers it was not given.
 */
export function withOfferedTools(profile: Profile, offer: ToolOffer): Profile {
  const profileServers = profile.mcpServers.map((server) => server.name);
  const notGiven = offer.otherServers.filter((name) => !profileServers.includes(name));
  const agents = profile.agents.map((agent): AgentConfig => {
    const tools = [...agent.tools.filter((name) => offer.offered.has(name)), ...mcpToolsFor(agent, profileServers, offer.mcp)];
    const note =
      notGiven.length > 0
        ? `\n\nMCP servers configured in this workspace but not given to you (you cannot call them): ${notGiven.join(', ')}.`
        : '';
    return { ...agent, tools, systemPrompt: `${agent.systemPrompt}${note}` };
  });
  return { ...profile, agents };
}
