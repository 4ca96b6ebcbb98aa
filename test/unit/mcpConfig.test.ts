// MCP configuration from profile.yaml, .vscode/mcp.json and .mcp.json in a temporary workspace:
// precedence, variables, inputs that only VS Code can ask for, and files with mistakes.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMcpConfig, type McpConfigInput } from '../../server/src/mcp/config';

let workspace: string;
const env = { HOME: '/home/dev', GITHUB_TOKEN: 'ghp_123', LOG_LEVEL: 'debug' };

beforeEach(async () => {
  workspace = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-mcp-config-')));
  await mkdir(path.join(workspace, '.vscode'));
});

afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

function vscodeJson(text: string): Promise<void> {
  return writeFile(path.join(workspace, '.vscode', 'mcp.json'), text);
}

function claudeJson(text: string): Promise<void> {
  return writeFile(path.join(workspace, '.mcp.json'), text);
}

function load(extra: Partial<McpConfigInput> = {}): ReturnType<typeof loadMcpConfig> {
  return loadMcpConfig({ workspace, env, userHome: '/home/dev', ...extra });
}

describe('loadMcpConfig', () => {
  it('gives nothing, and no warning, when no source defines a server', async () => {
    expect(await load()).toEqual({ servers: [], warnings: [] });
  });

  it('reads VS Code\'s format with comments and trailing commas, and resolves its variables', async () => {
    await writeFile(path.join(workspace, '.env.mcp'), 'API_KEY=from-env-file\nREGION=eu\n');
    await vscodeJson(`{
      // a comment, as VS Code allows
      "servers": {
        "files": {
          "command": "npx",
          "args": ["-y", "@modelcontextprotocol/server-filesystem", "\${workspaceFolder}/src", "\${userHome}/notes",],
          "env": { "LEVEL": "\${env:LOG_LEVEL}", "REGION": "us", "NAME": "\${workspaceFolderBasename}" },
          "envFile": "\${workspaceFolder}/.env.mcp",
          "cwd": "tools",
        },
        "github": { "type": "http", "url": "https://api.example.com/mcp", "headers": { "Authorization": "Bearer \${env:GITHUB_TOKEN}" } },
        "legacy": { "type": "sse", "url": "http://localhost:9000/sse" },
      },
    }`);
    const config = await load();
    expect(config.warnings).toEqual([]);
    expect(config.servers).toEqual([
      {
        name: 'files',
        source: '.vscode/mcp.json',
        origin: path.join(workspace, '.vscode', 'mcp.json'),
        transport: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', `${workspace}/src`, '/home/dev/notes'],
        env: { API_KEY: 'from-env-file', REGION: 'us', LEVEL: 'debug', NAME: path.basename(workspace) },
        cwd: path.join(workspace, 'tools'),
      },
      { name: 'github', source: '.vscode/mcp.json', origin: path.join(workspace, '.vscode', 'mcp.json'), transport: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer ghp_123' } },
      { name: 'legacy', source: '.vscode/mcp.json', origin: path.join(workspace, '.vscode', 'mcp.json'), transport: 'sse', url: 'http://localhost:9000/sse', headers: {} },
    ]);
  });

  it('skips a server that needs an ${input:...}, naming the variable and what to write instead', async () => {
    await vscodeJson(`{
      "inputs": [{ "type": "promptString", "id": "api-key", "description": "Perplexity API Key", "password": true }],
      "servers": {
        "perplexity": { "command": "npx", "args": ["-y", "server-perplexity-ask"], "env": { "PERPLEXITY_API_KEY": "\${input:api-key}" } },
        "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }
      }
    }`);
    const config = await load();
    expect(config.servers.map((server) => server.name)).toEqual(['memory']);
    expect(config.warnings).toEqual([
      `${path.join(workspace, '.vscode', 'mcp.json')}:4: MCP server "perplexity" uses \${input:api-key} ("Perplexity API Key"), an input VS Code asks the user for; ` +
        "MOCO's server cannot ask, so the server is skipped. Put the value in an environment variable of the MOCO server and write ${env:NAME} instead, or define the server in profile.yaml.",
    ]);
  });

  it('reads the Claude/Cursor format with ${VAR} and ${VAR:-default}', async () => {
    await claudeJson(`{
      "mcpServers": {
        "memory": { "command": "node", "args": ["server.js", "--level=\${LOG_LEVEL}", "--region=\${REGION:-eu}"], "env": { "TOKEN": "\${GITHUB_TOKEN}" } },
        "remote": { "type": "http", "url": "https://mcp.example.com/mcp", "headers": { "X-Key": "k" } },
        "needs-secret": { "command": "node", "env": { "KEY": "\${MISSING_SECRET}" } }
      }
    }`);
    const config = await load();
    const file = path.join(workspace, '.mcp.json');
    expect(config.servers).toEqual([
      { name: 'memory', source: '.mcp.json', origin: file, transport: 'stdio', command: 'node', args: ['server.js', '--level=debug', '--region=eu'], env: { TOKEN: 'ghp_123' }, cwd: workspace },
      { name: 'remote', source: '.mcp.json', origin: file, transport: 'http', url: 'https://mcp.example.com/mcp', headers: { 'X-Key': 'k' } },
    ]);
    expect(config.warnings).toEqual([
      `${file}:5: MCP server "needs-secret" uses \${MISSING_SECRET}, but that environment variable is not set for the MOCO server and has no default; the server is skipped. Set it, or write \${MISSING_SECRET:-default}.`,
    ]);
  });

  it('merges by name: the profile wins over .vscode/mcp.json, which wins over .mcp.json, and says so', async () => {
    await vscodeJson('{"servers": {"files": {"command": "vscode-files"}, "search": {"command": "vscode-search"}}}');
    await claudeJson('{"mcpServers": {"search": {"command": "claude-search"}, "memory": {"command": "claude-memory"}, "files": {"command": "claude-files"}}}');
    const profileFile = '/profiles/dev/profile.yaml';
    const config = await load({ profile: { name: 'dev', file: profileFile, servers: [{ name: 'files', command: 'profile-files', args: ['.'], env: {} }, { name: 'remote', url: 'https://r.example.com/mcp' }] } });
    expect(config.servers.map((server) => [server.name, server.source, server.transport === 'stdio' ? server.command : server.url])).toEqual([
      ['files', 'profile', 'profile-files'],
      ['remote', 'profile', 'https://r.example.com/mcp'],
      ['search', '.vscode/mcp.json', 'vscode-search'],
      ['memory', '.mcp.json', 'claude-memory'],
    ]);
    expect(config.servers[0]).toMatchObject({ origin: profileFile, cwd: workspace });
    expect(config.warnings).toEqual([
      `MCP server "files" is defined 3 times: in profile.yaml (${profileFile}), in ${path.join(workspace, '.vscode', 'mcp.json')}, in ${path.join(workspace, '.mcp.json')}. ` +
        'The first is used (profile.yaml wins over .vscode/mcp.json, which wins over .mcp.json); rename or remove the others.',
      `MCP server "search" is defined 2 times: in ${path.join(workspace, '.vscode', 'mcp.json')}, in ${path.join(workspace, '.mcp.json')}. ` +
        'The first is used (profile.yaml wins over .vscode/mcp.json, which wins over .mcp.json); rename or remove the others.',
    ]);
  });

  it('resolves a profile entry with a name alone to the workspace\'s server, and warns when there is none', async () => {
    await claudeJson('{"mcpServers": {"memory": {"command": "claude-memory"}}}');
    const config = await load({ profile: { name: 'dev', servers: [{ name: 'memory' }, { name: 'nowhere' }] } });
    expect(config.servers.map((server) => server.name)).toEqual(['memory']);
    expect(config.warnings).toEqual([
      `The profile "dev" gives its agents the MCP server "nowhere", but neither .vscode/mcp.json nor .mcp.json of ${workspace} defines it. Define it there, or give it a command or url in profile.yaml.`,
    ]);
  });

  it('leaves the workspace files alone when asked (an untrusted workspace)', async () => {
    await vscodeJson('{"servers": {"files": {"command": "vscode-files"}}}');
    const config = await load({ workspaceFiles: false, profile: { name: 'dev', servers: [{ name: 'remote', url: 'https://r.example.com/mcp' }] } });
    expect(config.servers.map((server) => server.name)).toEqual(['remote']);
    expect(config.warnings).toEqual([]);
  });
});

describe('mistakes in the files', () => {
  it('names the file, line and column of a JSON syntax error, and keeps the other file', async () => {
    await vscodeJson('{\n  "servers": {\n    "files": { "command": "npx" "args": [] }\n  }\n}');
    await claudeJson('{"mcpServers": {"memory": {"command": "claude-memory"}}}');
    const config = await load();
    expect(config.servers.map((server) => server.name)).toEqual(['memory']);
    expect(config.warnings).toEqual([
      `${path.join(workspace, '.vscode', 'mcp.json')}:3:33: the JSON is malformed: a missing comma. Fix the file (comments and trailing commas are allowed). Its MCP servers are skipped.`,
    ]);
  });

  it('explains a server entry of the wrong shape, with its line and an example', async () => {
    await vscodeJson('{\n  "servers": {\n    "ok": {"command": "ok-server"},\n    "bad": {\n      "command": "x",\n      "args": "--stdio"\n    },\n    "empty": {},\n    "no-url": {"type": "http"},\n    "ftp": {"url": "ftp://example.com/mcp"}\n  }\n}');
    const config = await load();
    const file = path.join(workspace, '.vscode', 'mcp.json');
    expect(config.servers.map((server) => server.name)).toEqual(['ok']);
    const example =
      '{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."]} for a local server, or {"type": "http", "url": "https://example.com/mcp"} for a remote one';
    expect(config.warnings).toEqual([
      `${file}:6: MCP server "bad": args: Invalid input: expected array, received string. Write for example ${example}. "bad" is skipped.`,
      `${file}:8: MCP server "empty" has neither "command" nor "url". Write for example ${example}. "empty" is skipped.`,
      `${file}:9: MCP server "no-url" has type "http" but no "url". Write for example {"type": "http", "url": "https://example.com/mcp"}. "no-url" is skipped.`,
      `${file}:10: MCP server "ftp" has the url "ftp://example.com/mcp", which is not an http:// or https:// URL. Write for example "url": "https://example.com/mcp". "ftp" is skipped.`,
    ]);
  });

  it('explains a file whose top level is not what the format expects', async () => {
    await vscodeJson('[1, 2]');
    await claudeJson('{"mcpServers": ["memory"]}');
    const config = await load();
    expect(config.servers).toEqual([]);
    expect(config.warnings[0]).toMatch(/\.vscode\/mcp\.json:1: must be a JSON object with "servers": \{"<name>": .+\}\. Its MCP servers are skipped\.$/);
    expect(config.warnings[1]).toMatch(/\.mcp\.json:1: "mcpServers" must be an object of name: server, for example \{"files": .+\}\. Its MCP servers are skipped\.$/);
  });

  it('skips a server whose envFile is missing, and one with a variable only VS Code knows', async () => {
    await vscodeJson('{"servers": {"a": {"command": "a", "envFile": "missing.env"}, "b": {"command": "${command:pickServer}"}, "c": {"command": "${foo}"}}}');
    const config = await load();
    expect(config.servers).toEqual([]);
    expect(config.warnings[0]).toContain('MCP server "a" has "envFile": "missing.env", which cannot be read (ENOENT');
    expect(config.warnings[0]).toContain('Create the file or remove "envFile". "a" is skipped.');
    expect(config.warnings[1]).toContain("MCP server \"b\" uses ${command:pickServer}, which only VS Code can resolve; MOCO's server cannot, so the server is skipped.");
    expect(config.warnings[2]).toContain('MCP server "c" uses ${foo}, a variable MOCO does not know; the server is skipped. Known variables: ${workspaceFolder}');
  });

  it('says when ${env:NAME} is not set, and leaves it empty as VS Code does', async () => {
    await vscodeJson('{"servers": {"a": {"command": "a", "env": {"TOKEN": "${env:NOT_SET_HERE}"}}}}');
    const config = await load();
    expect(config.servers[0]).toMatchObject({ name: 'a', env: { TOKEN: '' } });
    expect(config.warnings).toEqual([`${path.join(workspace, '.vscode', 'mcp.json')}:1: MCP server "a" uses \${env:NOT_SET_HERE}, which is not set in the MOCO server's environment; it is left empty.`]);
  });
});
