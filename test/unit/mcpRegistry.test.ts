// MCP tools in the tool registry: JSON Schema parameters given to the model as they are, the
// arguments checked and passed on as sent, and a run's registry built with withTools.
import { describe, expect, it } from 'vitest';
import type { Tool as McpToolInfo } from '@modelcontextprotocol/sdk/types.js';
import { buildMcpTool } from '../../server/src/mcp/tools';
import { BASE_TOOL_NAMES, createBaseToolRegistry } from '../../server/src/tools/baseTools';
import { ToolRegistry } from '../../server/src/tools/registry';
import type { ToolContext, ToolResult } from '../../server/src/tools/types';

const searchInfo: McpToolInfo = {
  name: 'search.issues',
  description: 'Searches the issues.',
  inputSchema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { query: { type: 'string' }, limit: { type: 'integer', minimum: 1, default: 10 } },
    required: ['query'],
  },
  annotations: { readOnlyHint: true },
};

const context = { workingDir: '/w', runId: 'r', agent: 'a', toolCallId: 'c', todos: { get: () => [], set: () => undefined } } satisfies ToolContext;

function recordingTool(info: McpToolInfo, answer: ToolResult = { content: 'ok', summary: 'ok' }) {
  const calls: Array<Record<string, unknown>> = [];
  const tool = buildMcpTool('github__search_issues', 'github', info, (args) => {
    calls.push(args);
    return Promise.resolve(answer);
  });
  return { tool, calls };
}

describe('JSON Schema tools in the registry', () => {
  it('gives the model the server\'s schema without $schema, and keeps where the tool comes from', () => {
    const { tool } = recordingTool(searchInfo);
    expect(tool).toMatchObject({ server: 'github', mcpName: 'search.issues', readOnly: true });
    const registry = createBaseToolRegistry().withTools([tool]);
    expect(registry.names()).toEqual([...BASE_TOOL_NAMES, 'github__search_issues']);
    expect(registry.specs(['github__search_issues'])[0]!.function).toEqual({
      name: 'github__search_issues',
      description: 'Searches the issues.',
      parameters: { type: 'object', properties: { query: { type: 'string' }, limit: { type: 'integer', minimum: 1, default: 10 } }, required: ['query'] },
    });
  });

  it('does not change the registry it extends', () => {
    const base = createBaseToolRegistry();
    base.withTools([recordingTool(searchInfo).tool]);
    expect(base.names()).toEqual([...BASE_TOOL_NAMES]);
    expect(base.get('github__search_issues')).toBeUndefined();
  });

  it('checks arguments against the schema and passes them on as sent (the server applies its defaults)', async () => {
    const { tool, calls } = recordingTool(searchInfo);
    const registry = new ToolRegistry().withTools([tool]);
    const parsed = registry.parseArguments('github__search_issues', '{"query": "crash", "extra": true}');
    expect(parsed).toEqual({ ok: true, args: { query: 'crash', extra: true } });
    await registry.get('github__search_issues')!.implementation((parsed as { args: unknown }).args, context, new AbortController().signal);
    expect(calls).toEqual([{ query: 'crash', extra: true }]);

    const bad = registry.parseArguments('github__search_issues', '{"limit": 0}');
    expect(bad.ok).toBe(false);
    expect((bad as { message: string }).message).toContain('query: Invalid input: expected string, received undefined');
    expect((bad as { message: string }).message).toContain('github__search_issues takes: query (string, required), limit (integer, minimum 1).');
  });

  it('leaves the check to the server when the schema cannot be turned into zod', () => {
    const { tool } = recordingTool({ name: 'odd', inputSchema: { type: 'object', properties: { x: { $ref: '#/definitions/X' } }, definitions: { X: { type: 'string' } } } });
    const registry = new ToolRegistry().withTools([tool]);
    expect(registry.parseArguments('github__search_issues', '{"x": 3}')).toEqual({ ok: true, args: { x: 3 } });
    expect(registry.specs(['github__search_issues'])[0]!.function.description).toBe('The tool odd of the MCP server github.');
  });

  it('refuses a name that is taken and a schema that is not an object', () => {
    const { tool } = recordingTool(searchInfo);
    expect(() => new ToolRegistry().withTools([tool, tool])).toThrow('A tool named github__search_issues is registered already');
    const registry = new ToolRegistry();
    expect(() => registry.register({ ...tool, inputSchema: { type: 'array' } })).toThrow('The inputSchema of tool github__search_issues must be a JSON Schema with type "object", not "array".');
  });

  it('turns a failure of the caller into an error result, and lets an abort through', async () => {
    const failing = buildMcpTool('s__t', 's', searchInfo, () => Promise.reject(new Error('socket hang up')));
    const result = await failing.implementation({ query: 'x' }, context, new AbortController().signal);
    expect(result).toMatchObject({ isError: true, content: 's__t failed: socket hang up; try again or use another approach' });
    const controller = new AbortController();
    controller.abort();
    await expect(failing.implementation({ query: 'x' }, context, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
