// MCP over HTTP with server-everything as a real child process on 127.0.0.1: Streamable HTTP, the
// fallback to HTTP+SSE, a server that goes away and comes back (found by the health check), and
// URLs that lead nowhere.
import { afterEach, describe, expect, it } from 'vitest';
import { McpManager } from '../../server/src/mcp/manager';
import type { McpTimings } from '../../server/src/mcp/types';
import { freePort, httpSpec, memoryLogger, startEverythingHttp, TEST_TIMINGS, waitFor, type HttpMcpServer, type MemoryLogger } from '../support/mcpServers';

const signal = new AbortController().signal;
let manager: McpManager | undefined;
let logger: MemoryLogger;
const servers: HttpMcpServer[] = [];

function newManager(timings: Partial<McpTimings> = TEST_TIMINGS): McpManager {
  logger = memoryLogger();
  manager = new McpManager({ workspace: '/workspace', logger, timings });
  return manager;
}

async function everything(mode: 'streamableHttp' | 'sse', port?: number): Promise<HttpMcpServer> {
  const server = await startEverythingHttp(mode, port);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await manager?.dispose();
  manager = undefined;
  await Promise.all(servers.splice(0).map((server) => server.kill()));
});

describe('Streamable HTTP', () => {
  it('lists tools, calls them and reads a resource', async () => {
    const server = await everything('streamableHttp');
    const mcp = newManager();
    await mcp.start([httpSpec('remote', server.url)]);
    const [status] = mcp.status();
    expect(status).toMatchObject({ name: 'remote', state: 'ready', transport: 'http', target: server.url, restarts: 0 });
    expect(status!.pid).toBeUndefined();
    const names = mcp.tools(['remote']).map((tool) => tool.definition.name);
    expect(names).toEqual(expect.arrayContaining(['remote__echo', 'remote__get-sum']));
    expect((await mcp.callTool('remote', 'echo', { message: 'over HTTP' }, signal)).content).toBe('Echo: over HTTP');
    const read = await mcp.readResource('remote', 'demo://resource/static/document/features.md');
    expect((read.contents[0] as { text: string }).text.length).toBeGreaterThan(100);
  });

  it('finds a server that went away with the health check, and reconnects when it is back', async () => {
    const port = await freePort();
    const first = await everything('streamableHttp', port);
    const mcp = newManager({ ...TEST_TIMINGS, healthCheckIntervalMs: 200, pingTimeoutMs: 2_000, quarantineMaxFailures: 1_000 });
    await mcp.start([httpSpec('remote', first.url)]);
    await first.kill();
    await waitFor('the health check to notice', () => mcp.status()[0]!.state === 'reconnecting');
    expect(mcp.status()[0]!.lastError).toContain('The MCP server "remote" at ' + first.url + ' did not answer a health check (ping)');

    await everything('streamableHttp', port);
    await waitFor('the reconnection', () => mcp.status()[0]!.state === 'ready');
    expect(mcp.status()[0]!.restarts).toBeGreaterThan(0);
    expect((await mcp.callTool('remote', 'echo', { message: 'again' }, signal)).content).toBe('Echo: again');
  });

  it('notices a lost server on the next call and says so to the model', async () => {
    const server = await everything('streamableHttp');
    const mcp = newManager({ ...TEST_TIMINGS, reconnectBaseDelayMs: 5_000, reconnectMaxDelayMs: 5_000, quarantineMaxFailures: 1_000 });
    await mcp.start([httpSpec('remote', server.url)]);
    await server.kill();
    const call = await mcp.callTool('remote', 'echo', { message: 'lost' }, signal);
    expect(call.isError).toBe(true);
    expect(call.content).toMatch(/^The MCP server "remote" lost its connection while echo ran \(.*fetch failed.*\); it is being reconnected\. The call may or may not have taken effect/);
    expect(mcp.status()[0]!.state).toBe('reconnecting');
  });
});

describe('HTTP+SSE', () => {
  it('falls back to SSE when Streamable HTTP gets a 4xx', async () => {
    const server = await everything('sse');
    const mcp = newManager();
    await mcp.start([httpSpec('legacy', server.url)]);
    expect(mcp.status()[0]).toMatchObject({ state: 'ready', transport: 'sse' });
    expect(logger.text('info')).toContain('MCP server "legacy": Streamable HTTP was refused');
    expect((await mcp.callTool('legacy', 'get-sum', { a: 1, b: 2 }, signal)).content).toBe('The sum of 1 and 2 is 3.');
  });

  it('goes straight to SSE for type sse', async () => {
    const server = await everything('sse');
    const mcp = newManager();
    await mcp.start([httpSpec('legacy', server.url, 'sse')]);
    expect(mcp.status()[0]).toMatchObject({ state: 'ready', transport: 'sse' });
    expect(logger.text('info')).not.toContain('Streamable HTTP was refused');
    expect((await mcp.callTool('legacy', 'echo', { message: 'sse' }, signal)).content).toBe('Echo: sse');
  });
});

describe('URLs that lead nowhere', () => {
  it('says that nothing answers at the URL', async () => {
    const port = await freePort();
    const mcp = newManager();
    await mcp.start([httpSpec('absent', `http://127.0.0.1:${port}/mcp?token=secret`)]);
    const status = mcp.status()[0]!;
    expect(status.state).toBe('failed');
    expect(status.target).toBe(`http://127.0.0.1:${port}/mcp`);
    expect(status.lastError).toMatch(new RegExp(`^The MCP server "absent" could not be reached at http://127\\.0\\.0\\.1:${port}/mcp \\(ECONNREFUSED: .+\\)\\. Check that the server is running and that the URL is right; fix it in /workspace/\\.mcp\\.json\\.$`));
  });

  it('says that the URL is not an MCP endpoint when both transports get a 404', async () => {
    const server = await everything('streamableHttp');
    const mcp = newManager();
    await mcp.start([httpSpec('wrong-path', `http://127.0.0.1:${server.port}/nope`)]);
    const status = mcp.status()[0]!;
    expect(status.state).toBe('failed');
    expect(status.lastError).toBe(
      `The MCP server "wrong-path" at http://127.0.0.1:${server.port}/nope answered HTTP 404 to Streamable HTTP and to the HTTP+SSE fallback. ` +
        'Check the URL (Streamable HTTP endpoints usually end in /mcp, SSE ones in /sse); fix it in /workspace/.mcp.json.',
    );
  });
});
