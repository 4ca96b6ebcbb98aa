/**
 * The workspace's MCP files:
 * - `.vscode/mcp.json`, VS Code's format (code.visualstudio.com/docs/copilot/reference/mcp-configuration):
 *   `{"inputs": [...], "servers": {"<name>": {"type"?: "stdio" | "http" | "sse", "command", "args",
 *   "env", "envFile", "cwd", "url", "headers"}}}`, VS Code's variables resolved;
 * - `.mcp.json`, Claude Code's and Cursor's format: `{"mcpServers": {"<name>": {"command", "args",
 *   "env"} | {"type": "http" | "sse", "url", "headers"}}}`, `${VAR}` and `${VAR:-default}` resolved.
 * Both are read as JSON with comments (jsonc.ts) and checked with zod. A malformed file, or a server
 * that cannot be used, is skipped with a warning that names the file, the line and what to write.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { parseJsonc, type JsoncDocument } from './jsonc';
import type { McpConfigSource, McpServerSpec } from './types';
import { substituteClaude, substituteDeep, substituteVsCode, type Substituted, type VariableContext } from './variables';

/** Servers read from one file, and the problems met. */
export interface FileServers {
  servers: McpServerSpec[];
  warnings: string[];
}

const text = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const serverSchema = z.looseObject({
  type: z.enum(['stdio', 'http', 'sse']).optional(),
  command: z.string().min(1).optional(),
  args: z.array(text).optional(),
  // VS Code lets null unset a variable.
  env: z.record(z.string(), z.union([text, z.null()])).optional(),
  envFile: z.string().min(1).optional(),
  cwd: z.string().min(1).optional(),
  url: z.string().min(1).optional(),
  headers: z.record(z.string(), text).optional(),
});
type RawServer = z.infer<typeof serverSchema>;

const inputSchema = z.looseObject({ id: z.string(), description: z.string().optional() });

/** One format: the file, its servers' key, what it supports, how its variables resolve. */
interface Format {
  source: McpConfigSource;
  /** The key that holds the servers. */
  key: 'servers' | 'mcpServers';
  /** Whether `envFile` and `cwd` are read (VS Code's format only). */
  vscodeFields: boolean;
  substitute: (value: string) => Substituted;
}

const EXAMPLE =
  '{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."]} for a local server, ' +
  'or {"type": "http", "url": "https://example.com/mcp"} for a remote one';

/** Reads `<workspace>/.vscode/mcp.json`; no file gives no servers and no warning. */
export function readVsCodeMcpJson(workspace: string, context: VariableContext): Promise<FileServers> {
  return readMcpFile(path.join(workspace, '.vscode', 'mcp.json'), workspace, {
    source: '.vscode/mcp.json',
    key: 'servers',
    vscodeFields: true,
    substitute: (value) => substituteVsCode(value, context),
  });
}

/** Reads `<workspace>/.mcp.json`; no file gives no servers and no warning. */
export function readClaudeMcpJson(workspace: string, env: Record<string, string | undefined>): Promise<FileServers> {
  return readMcpFile(path.join(workspace, '.mcp.json'), workspace, {
    source: '.mcp.json',
    key: 'mcpServers',
    vscodeFields: false,
    substitute: (value) => substituteClaude(value, env),
  });
}

async function readMcpFile(file: string, workspace: string, format: Format): Promise<FileServers> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { servers: [], warnings: [] };
    return { servers: [], warnings: [`${file}: cannot be read (${(error as Error).message}); its MCP servers are skipped.`] };
  }
  const parsed = parseJsonc(file, content);
  if (!parsed.ok) return { servers: [], warnings: [`${parsed.message} Its MCP servers are skipped.`] };
  const { document } = parsed;
  const root = document.value;
  if (root === undefined) return { servers: [], warnings: [] };
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return { servers: [], warnings: [`${file}:1: must be a JSON object with "${format.key}": {"<name>": ${EXAMPLE}}. Its MCP servers are skipped.`] };
  }
  const entries = (root as Record<string, unknown>)[format.key];
  if (entries === undefined) return { servers: [], warnings: [] };
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) {
    return { servers: [], warnings: [`${at(file, document, [format.key])}: "${format.key}" must be an object of name: server, for example {"files": ${EXAMPLE}}. Its MCP servers are skipped.`] };
  }
  const inputs = readInputs(root as Record<string, unknown>);
  const result: FileServers = { servers: [], warnings: [] };
  for (const [name, raw] of Object.entries(entries as Record<string, unknown>)) {
    const where = at(file, document, [format.key, name]);
    const checked = serverSchema.safeParse(raw);
    if (!checked.success) {
      const [issue] = checked.error.issues;
      const fieldPath = [format.key, name, ...(issue?.path ?? [])].map(String);
      result.warnings.push(`${at(file, document, fieldPath)}: MCP server "${name}": ${fieldPath.slice(2).join('.') || 'the entry'}: ${issue?.message ?? 'invalid'}. Write for example ${EXAMPLE}. "${name}" is skipped.`);
      continue;
    }
    const outcome = await toSpec(name, checked.data, { file, where, workspace, format, inputs });
    if ('warning' in outcome) result.warnings.push(outcome.warning);
    else {
      result.servers.push(outcome.spec);
      result.warnings.push(...outcome.notes);
    }
  }
  return result;
}

function readInputs(root: Record<string, unknown>): Map<string, string | undefined> {
  const inputs = new Map<string, string | undefined>();
  if (!Array.isArray(root.inputs)) return inputs;
  for (const input of root.inputs) {
    const parsed = inputSchema.safeParse(input);
    if (parsed.success) inputs.set(parsed.data.id, parsed.data.description);
  }
  return inputs;
}

function at(file: string, document: JsoncDocument, fieldPath: string[]): string {
  const line = document.lineOf(fieldPath);
  return line === undefined ? file : `${file}:${line}`;
}

interface SpecContext {
  file: string;
  /** `file:line` of the server's entry. */
  where: string;
  workspace: string;
  format: Format;
  inputs: Map<string, string | undefined>;
}

type SpecOutcome = { spec: McpServerSpec; notes: string[] } | { warning: string };

async function toSpec(name: string, raw: RawServer, context: SpecContext): Promise<SpecOutcome> {
  const { where, format } = context;
  const substituted = substituteDeep(raw, (value) => format.substitute(value));
  if (!substituted.ok) return { warning: `${where}: MCP server "${name}" ${unresolvable(substituted, context)}` };
  const server = substituted.value;
  const notes = substituted.unsetEnv.map((variable) => `${where}: MCP server "${name}" uses \${env:${variable}}, which is not set in the MOCO server's environment; it is left empty.`);
  const type = server.type ?? (server.command !== undefined ? 'stdio' : server.url !== undefined ? 'http' : undefined);
  const base = { name, source: format.source, origin: context.file };
  if (type === 'stdio') {
    if (server.command === undefined) return { warning: `${where}: MCP server "${name}" has type "stdio" but no "command". Write for example ${EXAMPLE}. "${name}" is skipped.` };
    const env = await stdioEnv(name, server, context);
    if ('warning' in env) return env;
    const cwd = format.vscodeFields && server.cwd !== undefined ? path.resolve(context.workspace, server.cwd) : context.workspace;
    return { spec: { ...base, transport: 'stdio', command: server.command, args: server.args ?? [], env: env.env, cwd }, notes };
  }
  if (type === undefined) return { warning: `${where}: MCP server "${name}" has neither "command" nor "url". Write for example ${EXAMPLE}. "${name}" is skipped.` };
  if (server.url === undefined) return { warning: `${where}: MCP server "${name}" has type "${type}" but no "url". Write for example {"type": "${type}", "url": "https://example.com/mcp"}. "${name}" is skipped.` };
  if (!isHttpUrl(server.url)) return { warning: `${where}: MCP server "${name}" has the url "${server.url}", which is not an http:// or https:// URL. Write for example "url": "https://example.com/mcp". "${name}" is skipped.` };
  return { spec: { ...base, transport: type, url: server.url, headers: server.headers ?? {} }, notes };
}

async function stdioEnv(name: string, server: RawServer, context: SpecContext): Promise<{ env: Record<string, string> } | { warning: string }> {
  const env: Record<string, string> = {};
  if (context.format.vscodeFields && server.envFile !== undefined) {
    const envFile = path.resolve(context.workspace, server.envFile);
    try {
      Object.assign(env, parseDotenv(await readFile(envFile, 'utf8')));
    } catch (error) {
      return { warning: `${context.where}: MCP server "${name}" has "envFile": "${server.envFile}", which cannot be read (${(error as Error).message}). Create the file or remove "envFile". "${name}" is skipped.` };
    }
  }
  for (const [key, value] of Object.entries(server.env ?? {})) {
    if (value === null) delete env[key];
    else env[key] = value;
  }
  return { env };
}

function unresolvable(failure: Extract<Substituted, { ok: false }>, context: SpecContext): string {
  const { variable } = failure;
  switch (failure.kind) {
    case 'input': {
      const id = variable.slice('${input:'.length, -1);
      const description = context.inputs.get(id);
      return (
        `uses ${variable}${description ? ` ("${description}")` : ''}, an input VS Code asks the user for; MOCO's server cannot ask, so the server is skipped. ` +
        'Put the value in an environment variable of the MOCO server and write ${env:NAME} instead, or define the server in profile.yaml.'
      );
    }
    case 'command':
    case 'config':
      return `uses ${variable}, which only VS Code can resolve; MOCO's server cannot, so the server is skipped. Write the value itself, or use \${env:NAME}.`;
    case 'env':
      return `uses ${variable}, but that environment variable is not set for the MOCO server and has no default; the server is skipped. Set it, or write \${${variable.slice(2, -1)}:-default}.`;
    default:
      return (
        `uses ${variable}, a variable MOCO does not know; the server is skipped. ` +
        'Known variables: ${workspaceFolder}, ${workspaceFolderBasename}, ${userHome}, ${env:NAME}, ${pathSeparator}.'
      );
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
