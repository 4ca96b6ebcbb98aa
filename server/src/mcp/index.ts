/**
 * MCP client support (issue 5): the public API for the engine, the server's handlers and the CLI.
 * See README.md beside this file.
 */
export { loadMcpConfig, type McpConfig, type McpConfigInput } from './config';
export { McpManager, type McpListenerHandle } from './manager';
export { McpUnavailableError } from './managedServer';
export { assignToolNames, isValidToolName, mcpToolName, MCP_NAME_SEPARATOR } from './naming';
export { toToolResult, MCP_RESULT_MAX_CHARS } from './results';
export type { McpTool } from './tools';
export * from './types';
