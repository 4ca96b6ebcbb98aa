/**
 * The round trip of an MCP tool call, for `npm run bench:sandbox`: `everything__echo` of
 * `@modelcontextprotocol/server-everything` called through McpManager.callTool (MOCO's whole path:
 * the wait for readiness, the SDK's request with its timeout, the conversion of the result), over
 * stdio (a child process) and over Streamable HTTP (a child process on 127.0.0.1). Median and
 * 95th percentile over MOCO_BENCH_MCP_CALLS calls (default 200) after 20 warm-up calls each.
 * Run alone: `npx tsx bench/mcpBench.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { McpManager } from '../server/src/mcp/manager';
import { everythingStdio, httpSpec, startEverythingHttp } from '../test/support/mcpServers';
import { median, percentile, printTable } from './support/measure';

const CALLS = Number(process.env.MOCO_BENCH_MCP_CALLS ?? 200);
const WARM_UP = 20;

/** Round trips of an MCP tool call, ms. */
export interface McpFigures {
  stdioCallMedianMs: number;
  stdioCallP95Ms: number;
  httpCallMedianMs: number;
  httpCallP95Ms: number;
}

/** Measures the round trip of `echo` over stdio and Streamable HTTP; starts and stops its own servers. */
export async function measureMcp(): Promise<McpFigures> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'moco-mcp-bench-'));
  const http = await startEverythingHttp('streamableHttp');
  const manager = new McpManager({ workspace, logger: { log: (level, message) => level === 'error' && console.error(message) } });
  try {
    await manager.start([everythingStdio(workspace, 'stdio'), httpSpec('http', http.url)]);
    for (const status of manager.status()) {
      if (status.state !== 'ready') throw new Error(`MCP server ${status.name} is ${status.state}: ${status.lastError ?? ''}`);
    }
    const stdio = await roundTrips(manager, 'stdio');
    const overHttp = await roundTrips(manager, 'http');
    return { stdioCallMedianMs: median(stdio), stdioCallP95Ms: percentile(stdio, 95), httpCallMedianMs: median(overHttp), httpCallP95Ms: percentile(overHttp, 95) };
  } finally {
    await manager.dispose();
    await http.kill();
    await rm(workspace, { recursive: true, force: true });
  }
}

async function roundTrips(manager: McpManager, server: string): Promise<number[]> {
  const signal = new AbortController().signal;
  const times: number[] = [];
  for (let index = 0; index < WARM_UP + CALLS; index += 1) {
    const start = performance.now();
    const result = await manager.callTool(server, 'echo', { message: `call ${index}` }, signal);
    const elapsed = performance.now() - start;
    if (result.content !== `Echo: call ${index}`) throw new Error(`Unexpected answer from ${server}: ${result.content}`);
    if (index >= WARM_UP) times.push(elapsed);
  }
  return times;
}

async function main(): Promise<void> {
  console.log(`MCP tool call round trip: Node ${process.version}, ${CALLS} calls of server-everything's echo per transport.\n`);
  const figures = await measureMcp();
  printTable([
    { name: 'MCP call over stdio, median', value: figures.stdioCallMedianMs, unit: 'ms', digits: 2 },
    { name: 'MCP call over stdio, p95', value: figures.stdioCallP95Ms, unit: 'ms', digits: 2 },
    { name: 'MCP call over Streamable HTTP, median', value: figures.httpCallMedianMs, unit: 'ms', digits: 2 },
    { name: 'MCP call over Streamable HTTP, p95', value: figures.httpCallP95Ms, unit: 'ms', digits: 2 },
  ]);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  });
}
