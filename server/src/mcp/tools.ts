/**
 * MCP tools as MOCO tools: a {@link JsonSchemaTool} named `server__tool` whose description and
 * `inputSchema` are the server's, whose arguments are checked by a zod schema built from that JSON
 * Schema (zod's `z.fromJSONSchema`; a loose object when it cannot be built, leaving the check to
 * the server), and whose implementation calls the server through the manager.
 */
import type { Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { JsonSchemaTool } from '../tools/registry';
import { guarded } from '../tools/results';
import type { ToolResult } from '../tools/types';

/** An MCP tool, with where it comes from (for matching a profile's `server__*` grants). */
export interface McpTool extends JsonSchemaTool {
  /** The server's configured name (before sanitising). */
  server: string;
  /** The tool's name on its server (before sanitising). */
  mcpName: string;
  /** The server's `readOnlyHint` annotation: true when the tool says it changes nothing. A hint, not a guarantee. */
  readOnly: boolean;
}

/** Calls the tool on its server; only an abort rejects. */
export type McpToolCaller = (args: Record<string, unknown>, signal: AbortSignal) => Promise<ToolResult>;

/**
 * @param name the model's name for it (naming.ts).
 * @param server the server's configured name.
 * @param info the tool as `tools/list` gave it.
 * @param call runs the tool (the manager's callTool, bound to the server and tool).
 */
export function buildMcpTool(name: string, server: string, info: McpToolInfo, call: McpToolCaller): McpTool {
  const inputSchema = { ...info.inputSchema, type: 'object' } as Record<string, unknown>;
  const description = info.description?.trim() || info.title?.trim() || info.annotations?.title?.trim() || `The tool ${info.name} of the MCP server ${server}.`;
  return {
    server,
    mcpName: info.name,
    readOnly: info.annotations?.readOnlyHint === true,
    inputSchema,
    definition: { name, description, parameters: argumentsChecker(inputSchema) },
    implementation: guarded(name, (args, _context, signal) => call(args as Record<string, unknown>, signal)),
  };
}

function argumentsChecker(inputSchema: Record<string, unknown>): z.ZodType {
  const schema = { ...inputSchema };
  delete schema.$schema;
  try {
    return z.fromJSONSchema(schema);
  } catch {
    return z.looseObject({});
  }
}
