/**
 * Names of MCP tools as the model sees them: `server__tool` (MOCO's namespacing), made to fit the
 * OpenAI function-name rule `^[a-zA-Z0-9_-]{1,64}$` (platform.openai.com, function calling) and
 * kept unique across the servers of a workspace.
 */
import { createHash } from 'node:crypto';

/** Longest tool name OpenAI-compatible providers accept. */
export const MAX_TOOL_NAME_LENGTH = 64;
/** Between the server's and the tool's part of a name. */
export const MCP_NAME_SEPARATOR = '__';

/** Whether `name` is a valid OpenAI function name. */
export function isValidToolName(name: string): boolean {
  return /^[a-zA-Z0-9_-]{1,64}$/.test(name);
}

/** `text` with every character outside `[a-zA-Z0-9_-]` replaced by `_`; `_` when empty. */
export function sanitizeNamePart(text: string): string {
  const cleaned = text.replace(/[^a-zA-Z0-9_-]/g, '_');
  return cleaned === '' ? '_' : cleaned;
}

/**
 * The name of one tool before uniqueness: `<server>__<tool>`, sanitised. A name longer than 64
 * characters keeps its first 57 and ends with `_` and 6 hex digits of a SHA-1 of the original
 * server and tool names, so that two long names that share a beginning stay apart.
 */
export function mcpToolName(server: string, tool: string): string {
  const name = `${sanitizeNamePart(server)}${MCP_NAME_SEPARATOR}${sanitizeNamePart(tool)}`;
  if (name.length <= MAX_TOOL_NAME_LENGTH) return name;
  const hash = createHash('sha1').update(`${server}\u0000${tool}`).digest('hex').slice(0, 6);
  return `${name.slice(0, MAX_TOOL_NAME_LENGTH - 7)}_${hash}`;
}

/** The tools of one server, by their MCP names, in the server's order. */
export interface ServerToolNames {
  server: string;
  tools: readonly string[];
}

/**
 * Names for every tool of every server, unique across all of them: servers in the given order,
 * each server's tools in its order; a name already taken gets `_2`, `_3`... (cut to fit 64).
 * The same input always gives the same names.
 *
 * @returns server name → MCP tool name → the model's tool name.
 */
export function assignToolNames(servers: readonly ServerToolNames[]): Map<string, Map<string, string>> {
  const taken = new Set<string>();
  const result = new Map<string, Map<string, string>>();
  for (const { server, tools } of servers) {
    const names = new Map<string, string>();
    for (const tool of tools) {
      if (names.has(tool)) continue;
      const name = unique(mcpToolName(server, tool), taken);
      taken.add(name);
      names.set(tool, name);
    }
    result.set(server, names);
  }
  return result;
}

function unique(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let suffix = 2; ; suffix += 1) {
    const tail = `_${suffix}`;
    const candidate = `${name.slice(0, MAX_TOOL_NAME_LENGTH - tail.length)}${tail}`;
    if (!taken.has(candidate)) return candidate;
  }
}
