/**
 * Real MCP servers for the MCP tests and the benchmark, all from node_modules and all local:
 * `@modelcontextprotocol/server-everything` over stdio, Streamable HTTP and HTTP+SSE (as a child
 * process on a free port of 127.0.0.1), `@modelcontextprotocol/server-filesystem` over stdio, and
 * small scripts written on the fly: a server that crashes some time after it is ready, and one that
 * exits at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { McpLogger, McpLogLevel, McpServerSpec, McpStdioServerSpec, McpTimings } from '../../server/src/mcp/types';
import { repoRoot } from './repo';

/** server-everything's entry: `node <it> stdio | streamableHttp | sse` (PORT sets the HTTP port, default 3001). */
export const EVERYTHING_ENTRY = path.join(repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
/** server-filesystem's entry: `node <it> <allowed-dir>...`. */
export const FILESYSTEM_ENTRY = path.join(repoRoot, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
const SDK_ESM = path.join(repoRoot, 'node_modules/@modelcontextprotocol/sdk/dist/esm');

/** Short timings for tests: fast reconnects, a quarantine that needs 3 failures within a minute. */
export const TEST_TIMINGS: Partial<McpTimings> = {
  connectTimeoutMs: 20_000,
  callTimeoutMs: 20_000,
  reconnectBaseDelayMs: 50,
  reconnectMaxDelayMs: 400,
  quarantineMaxFailures: 3,
  quarantineWindowMs: 60_000,
};

/** A stdio spec as config.ts would make it. */
export function stdioSpec(name: string, args: string[], cwd: string, env: Record<string, string> = {}): McpStdioServerSpec {
  return { name, source: '.vscode/mcp.json', origin: path.join(cwd, '.vscode', 'mcp.json'), transport: 'stdio', command: process.execPath, args, env, cwd };
}

/** server-everything over stdio. */
export function everythingStdio(cwd: string, name = 'everything'): McpStdioServerSpec {
  return stdioSpec(name, [EVERYTHING_ENTRY, 'stdio'], cwd);
}

/** server-filesystem over stdio, allowed to touch `dir` only. */
export function filesystemStdio(dir: string, name = 'files'): McpStdioServerSpec {
  return stdioSpec(name, [FILESYSTEM_ENTRY, dir], dir);
}

/** An HTTP spec. */
export function httpSpec(name: string, url: string, transport: 'http' | 'sse' = 'http'): McpServerSpec {
  return { name, source: '.mcp.json', origin: '/workspace/.mcp.json', transport, url, headers: {} };
}

/** A server-everything process listening on 127.0.0.1. */
export interface HttpMcpServer {
  port: number;
  /** `http://127.0.0.1:<port>/mcp` (streamableHttp) or `.../sse` (sse). */
  url: string;
  child: ChildProcess;
  /** Kills it with `signal` (default SIGKILL) and waits for its exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A free TCP port of 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts server-everything in `mode` on `port` (a free one by default) and waits until it accepts connections. */
export async function startEverythingHttp(mode: 'streamableHttp' | 'sse', port?: number): Promise<HttpMcpServer> {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, [EVERYTHING_ENTRY, mode], { env: { ...process.env, PORT: String(chosen) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 20_000;
  while (!(await accepts(chosen))) {
    if (child.exitCode !== null) throw new Error(`server-everything ${mode} exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`server-everything ${mode} did not listen on ${chosen}: ${stderr}`);
    await sleep(50);
  }
  return {
    port: chosen,
    url: `http://127.0.0.1:${chosen}/${mode === 'sse' ? 'sse' : 'mcp'}`,
    child,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Writes `<dir>/crashing-server.mjs`: an MCP server (the SDK's McpServer over stdio) with one tool,
 * `hello`, that writes "crashing on purpose" on stderr and exits with code 3 `exitAfterMs` after it
 * has answered `initialize`.
 */
export async function writeCrashingServer(dir: string, exitAfterMs: number): Promise<string> {
  const file = path.join(dir, 'crashing-server.mjs');
  const mcp = pathToFileURL(path.join(SDK_ESM, 'server/mcp.js')).href;
  const stdio = pathToFileURL(path.join(SDK_ESM, 'server/stdio.js')).href;
  await writeFile(
    file,
    `import { McpServer } from ${JSON.stringify(mcp)};
import { StdioServerTransport } from ${JSON.stringify(stdio)};
const server = new McpServer({ name: 'crashing', version: '1.0.0' });
server.registerTool('hello', { description: 'Says hello.' }, async () => ({ content: [{ type: 'text', text: 'hello' }] }));
server.server.oninitialized = () => setTimeout(() => { process.stderr.write('crashing on purpose\\n'); process.exit(3); }, ${exitAfterMs});
await server.connect(new StdioServerTransport());
`,
  );
  return file;
}

/** Writes `<dir>/exits-at-once.mjs`: writes "config missing: set API_TOKEN" on stderr and exits with code 1. */
export async function writeExitingScript(dir: string): Promise<string> {
  const file = path.join(dir, 'exits-at-once.mjs');
  await writeFile(file, "process.stderr.write('config missing: set API_TOKEN\\n');\nprocess.exit(1);\n");
  return file;
}

/** Writes `<dir>/silent.mjs`: runs for a minute and never answers on stdout. */
export async function writeSilentScript(dir: string): Promise<string> {
  const file = path.join(dir, 'silent.mjs');
  await writeFile(file, 'process.stdin.resume();\nsetTimeout(() => process.exit(0), 60_000);\n');
  return file;
}

/** A logger that keeps its lines. */
export interface MemoryLogger extends McpLogger {
  lines: Array<{ level: McpLogLevel; message: string }>;
  /** The lines of `level` (all when absent), as text. */
  text(level?: McpLogLevel): string;
}

/** A {@link MemoryLogger}. */
export function memoryLogger(): MemoryLogger {
  const lines: MemoryLogger['lines'] = [];
  return {
    lines,
    log: (level, message) => lines.push({ level, message }),
    text: (level) => lines.filter((line) => level === undefined || line.level === level).map((line) => line.message).join('\n'),
  };
}

/** Polls `check` every 20 ms until it returns a value other than undefined/false; throws after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
