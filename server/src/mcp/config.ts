/**
 * A workspace's MCP servers, from three sources merged by server name: `profile.yaml`
 * `mcp_servers` wins over `<workspace>/.vscode/mcp.json`, which wins over `<workspace>/.mcp.json`.
 * A name defined twice is said in a warning. A profile entry with a name alone gives the profile's
 * agents a server of the workspace files.
 */
import { homedir } from 'node:os';
import type { McpServerConfig } from '../profiles/types';
import { readClaudeMcpJson, readVsCodeMcpJson } from './configFiles';
import type { McpServerSpec } from './types';

/** What {@link loadMcpConfig} reads. */
export interface McpConfigInput {
  /** Absolute path of the workspace. */
  workspace: string;
  /** The profile's `mcp_servers`, with where it is defined for messages. */
  profile?: {
    /** The profile's name. */
    name: string;
    /** Absolute path of its `profile.yaml`, when known. */
    file?: string;
    servers: readonly McpServerConfig[];
  };
  /** The environment `${env:NAME}` / `${NAME}` read; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** `${userHome}`; default `os.homedir()`. */
  userHome?: string;
  /**
   * Whether to read `.vscode/mcp.json` and `.mcp.json`; default true. Pass false in a workspace the
   * user does not trust: those files start programs.
   */
  workspaceFiles?: boolean;
}

/** The merged configuration. */
export interface McpConfig {
  /** Profile servers first (in their order), then `.vscode/mcp.json`'s, then `.mcp.json`'s. */
  servers: McpServerSpec[];
  /** Problems met, each naming its file (and line when known) and what to do. Log them. */
  warnings: string[];
}

/** Reads and merges the three sources. Never throws: problems are warnings. */
export async function loadMcpConfig(input: McpConfigInput): Promise<McpConfig> {
  const env = input.env ?? process.env;
  const warnings: string[] = [];
  const profileServers = fromProfile(input);
  const readFiles = input.workspaceFiles ?? true;
  const vscode = readFiles ? await readVsCodeMcpJson(input.workspace, { workspaceFolder: input.workspace, userHome: input.userHome ?? homedir(), env }) : { servers: [], warnings: [] };
  const claude = readFiles ? await readClaudeMcpJson(input.workspace, env) : { servers: [], warnings: [] };
  warnings.push(...vscode.warnings, ...claude.warnings);

  const chosen = new Map<string, McpServerSpec>();
  const definedIn = new Map<string, string[]>();
  for (const spec of [...profileServers, ...vscode.servers, ...claude.servers]) {
    const places = definedIn.get(spec.name) ?? [];
    places.push(describeOrigin(spec));
    definedIn.set(spec.name, places);
    if (!chosen.has(spec.name)) chosen.set(spec.name, spec);
  }
  for (const [name, places] of definedIn) {
    if (places.length > 1) {
      warnings.push(`MCP server "${name}" is defined ${places.length} times: in ${places.join(', in ')}. The first is used (profile.yaml wins over .vscode/mcp.json, which wins over .mcp.json); rename or remove the others.`);
    }
  }
  for (const server of input.profile?.servers ?? []) {
    if (isReference(server) && !chosen.has(server.name)) {
      warnings.push(
        `The profile "${input.profile?.name ?? ''}" gives its agents the MCP server "${server.name}", but neither .vscode/mcp.json nor .mcp.json of ${input.workspace} defines it` +
          `${readFiles ? '' : ' (the workspace files are not read in an untrusted workspace)'}. Define it there, or give it a command or url in profile.yaml.`,
      );
    }
  }
  return { servers: [...chosen.values()], warnings };
}

function fromProfile(input: McpConfigInput): McpServerSpec[] {
  const profile = input.profile;
  if (!profile) return [];
  const origin = profile.file ?? `profile "${profile.name}"`;
  const specs: McpServerSpec[] = [];
  for (const server of profile.servers) {
    const base = { name: server.name, source: 'profile' as const, origin };
    if ('command' in server && typeof server.command === 'string') {
      specs.push({ ...base, transport: 'stdio', command: server.command, args: [...server.args], env: { ...server.env }, cwd: input.workspace });
    } else if ('url' in server && typeof server.url === 'string') {
      specs.push({ ...base, transport: 'http', url: server.url, headers: {} });
    }
  }
  return specs;
}

/** A profile entry with a name alone: a reference to a server of the workspace files. */
function isReference(server: McpServerConfig): boolean {
  return !('command' in server) && !('url' in server);
}

function describeOrigin(spec: McpServerSpec): string {
  return spec.source === 'profile' ? `profile.yaml (${spec.origin})` : spec.origin;
}
