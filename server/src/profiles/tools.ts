/**
 * Resolves an agent's `tools:` against the tools this project implements.
 *
 * MOCO's rules (moco-ai/moco `src/moco/tools/discovery.py`, `core/orchestrator.py`): a list names the
 * tools, a map enables those set to true; `"*"` stands for every base tool; `delegate_to_agent` is
 * not a base tool and must be named (MOCO's own orchestrators list it after `"*"`).
 */

/** The tool that starts a sub-agent; never part of `"*"`. */
import { DELEGATE_TOOL } from '../../../protocol/tools';

export { DELEGATE_TOOL };

/** `tools:` as written: a list of names (may hold `"*"`), or a map of name → true/false. */
export type ToolsSpec = string[] | Record<string, boolean>;

/** The outcome of {@link resolveTools}. */
export interface ResolvedTools {
  /** Tools the agent may call, in the order of `knownTools`. */
  tools: string[];
  /** Names asked for that this project does not implement (MOCO tools it lacks, or typos), in file order. */
  unavailable: string[];
  /** Base tools named explicitly but left out because the profile sets `include_base_tools: false`. */
  leftOut: string[];
  /** MCP tools the spec names (`server__tool`, `server__*`), granted and refused: see {@link McpToolGrants}. */
  mcp: McpToolGrants;
}

/**
 * The MCP tools an agent's `tools:` names, as written: `files__read_file`, `files__*` (every tool of
 * the server `files`). MCP tool names hold `__` (server, two underscores, tool); base tools never do.
 * Whether the servers exist is known only when they connect, at run time.
 */
export interface McpToolGrants {
  /** Patterns granted (list entries, or map entries set to true). */
  allow: string[];
  /** Patterns refused (map entries set to false). */
  deny: string[];
  /** True when the spec has `"*"` (or is absent): the agent also gets every tool of its profile's servers. */
  wildcard: boolean;
}

/** Whether a tool name is an MCP tool name (`server__tool`). */
export function isMcpToolName(name: string): boolean {
  return name.includes('__');
}

/**
 * @param spec the agent's `tools:`; absent means `["*"]` (every base tool).
 * @param knownTools the tools this project implements.
 * @param includeBaseTools the profile's `include_base_tools`; when false, only `delegate_to_agent`
 *   can be granted (MCP tools are resolved elsewhere).
 */
export function resolveTools(
  spec: ToolsSpec | undefined,
  knownTools: readonly string[],
  includeBaseTools: boolean,
): ResolvedTools {
  const { requested, denied } = requestedNames(spec ?? ['*']);
  const baseTools = knownTools.filter((tool) => tool !== DELEGATE_TOOL);
  const granted = new Set<string>();
  const unavailable: string[] = [];
  const leftOut: string[] = [];
  const mcp: McpToolGrants = { allow: [], deny: [...denied].filter(isMcpToolName), wildcard: requested.includes('*') };
  for (const name of requested) {
    if (isMcpToolName(name)) {
      mcp.allow.push(name);
    } else if (name === '*') {
      if (includeBaseTools) baseTools.forEach((tool) => granted.add(tool));
    } else if (!knownTools.includes(name)) {
      unavailable.push(name);
    } else if (name !== DELEGATE_TOOL && !includeBaseTools) {
      leftOut.push(name);
    } else {
      granted.add(name);
    }
  }
  return {
    tools: knownTools.filter((tool) => granted.has(tool) && !denied.has(tool)),
    unavailable,
    leftOut,
    mcp,
  };
}

function requestedNames(spec: ToolsSpec): { requested: string[]; denied: Set<string> } {
  if (Array.isArray(spec)) return { requested: unique(spec.map((name) => name.trim())), denied: new Set() };
  const entries = Object.entries(spec);
  return {
    requested: unique(entries.filter(([, on]) => on).map(([name]) => name.trim())),
    denied: new Set(entries.filter(([, on]) => !on).map(([name]) => name.trim())),
  };
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
