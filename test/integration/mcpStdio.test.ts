// MCP over stdio with real servers from node_modules: server-everything and server-filesystem,
// their tools as MOCO tools, resources, a killed server that comes back, a server that keeps
// crashing (quarantined) and servers that never start.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpManager } from '../../server/src/mcp/manager';
import { descendants } from '../../server/src/mcp/processTree';
import { createBaseToolRegistry } from '../../server/src/tools/baseTools';
import type { TodoItem, ToolContext } from '../../server/src/tools/types';
import { EVERYTHING_ENTRY, everythingStdio, filesystemStdio, memoryLogger, stdioSpec, TEST_TIMINGS, waitFor, writeCrashingServer, writeExitingScript, writeSilentScript, type MemoryLogger } from '../support/mcpServers';
import { processExists } from '../support/processes';

let workspace: string;
let manager: McpManager | undefined;
let logger: MemoryLogger;
const signal = new AbortController().signal;

function context(): ToolContext {
  let todos: TodoItem[] = [];
  return { workingDir: workspace, runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => todos, set: (items) => (todos = items) } };
}


function newManager(timings = TEST_TIMINGS): McpManager {
  logger = memoryLogger();
  manager = new McpManager({ workspace, logger, timings });
  return manager;
}

beforeAll(async () => {
  workspace = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-mcp-stdio-')));
  await mkdir(path.join(workspace, 'docs'));
  await writeFile(path.join(workspace, 'docs', 'notes.txt'), 'first line\nsecond line\n');
});

afterEach(async () => {
  await manager?.dispose();
  manager = undefined;
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('server-everything over stdio', () => {
  it('stopping a server started through a wrapper (sh -c) leaves no grandchild running', async () => {
    const mcp = newManager();
    // The wrapper starts a helper that ignores the server's stdin closing (as `npx` trees and
    // servers' own workers can), then the server itself, which it does not exec.
    const wrapped = stdioSpec('wrapped', ['-c', `sleep 1000 & "${process.execPath}" "${EVERYTHING_ENTRY}" stdio; exit $?`], workspace);
    await mcp.start([{ ...wrapped, command: 'sh' }]);
    const [status] = mcp.status();
    expect(status?.state).toBe('ready');
    const shell = status!.pid!;
    const started = await descendants(shell);
    expect(started).toHaveLength(2);
    await mcp.dispose();
    manager = undefined;
    for (const pid of started) await waitFor(`process ${pid} to be gone`, () => !processExists(pid), 5_000);
    expect(processExists(shell)).toBe(false);
  });
  it('a second start while the first is under way waits for it: both see the server ready with its tools', async () => {
    const mcp = newManager();
    const specs = [everythingStdio(workspace)];
    const first = mcp.start(specs);
    await mcp.start(specs);
    expect(mcp.status()[0]?.state).toBe('ready');
    expect(mcp.tools(['everything']).length).toBeGreaterThan(5);
    await first;
  });

  it('lists its tools as server__tool MOCO tools that the registry offers and runs', async () => {
    const mcp = newManager();
    await mcp.start([everythingStdio(workspace)]);
    const [status] = mcp.status();
    expect(status).toMatchObject({ name: 'everything', state: 'ready', transport: 'stdio', restarts: 0, source: '.vscode/mcp.json' });
    expect(status!.toolCount).toBeGreaterThan(5);
    expect(status!.pid).toBeGreaterThan(0);
    expect(status!.target).toContain('server-everything');

    const tools = mcp.tools(['everything']);
    const names = tools.map((tool) => tool.definition.name);
    expect(names).toEqual(expect.arrayContaining(['everything__echo', 'everything__get-sum', 'everything__get-tiny-image']));
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(mcp.tools(['other'])).toEqual([]);

    const registry = createBaseToolRegistry().withTools(tools);
    const [spec] = registry.specs(['everything__echo']);
    expect(spec!.function).toEqual({
      name: 'everything__echo',
      description: 'Echoes back the input string',
      parameters: { type: 'object', properties: { message: { type: 'string', description: 'Message to echo' } }, required: ['message'] },
    });
    const parsed = registry.parseArguments('everything__echo', '{"message": "hello MOCO"}');
    expect(parsed).toEqual({ ok: true, args: { message: 'hello MOCO' } });
    const echo = await registry.get('everything__echo')!.implementation((parsed as { args: unknown }).args, context(), signal);
    expect(echo).toEqual({ content: 'Echo: hello MOCO', summary: 'everything/echo: Echo: hello MOCO' });

    const sum = await mcp.callTool('everything', 'get-sum', { a: 2, b: 40 }, signal);
    expect(sum.content).toBe('The sum of 2 and 40 is 42.');
    expect(sum.isError).toBeUndefined();
  });

  it('tells the model what is wrong with arguments, before and at the server', async () => {
    const mcp = newManager();
    await mcp.start([everythingStdio(workspace)]);
    const registry = createBaseToolRegistry().withTools(mcp.tools(['everything']));
    const parsed = registry.parseArguments('everything__get-sum', '{"a": "two", "b": 3}');
    expect(parsed.ok).toBe(false);
    expect((parsed as { message: string }).message).toContain('a: Invalid input: expected number, received string');
    expect((parsed as { message: string }).message).toContain('everything__get-sum takes: a (number, required), b (number, required).');

    const atServer = await mcp.callTool('everything', 'echo', {}, signal);
    expect(atServer.isError).toBe(true);
    expect(atServer.content).toContain('Invalid arguments for tool echo');
    const unknown = await mcp.callTool('everything', 'no-such-tool', {}, signal);
    expect(unknown.isError).toBe(true);
    expect(unknown.content).toContain('Tool no-such-tool not found');
  });

  it('summarises images and embedded resources instead of sending their bytes', async () => {
    const mcp = newManager();
    await mcp.start([everythingStdio(workspace)]);
    const image = await mcp.callTool('everything', 'get-tiny-image', {}, signal);
    expect(image.content).toMatch(/\[image: image\/png, \d+ bytes, not shown\]/);
    expect(image.content).not.toContain('iVBORw0KGgo');
    const reference = await mcp.callTool('everything', 'get-resource-reference', {}, signal);
    expect(reference.content).toMatch(/\[resource <demo:\/\/resource\/dynamic\/text\/1> \(text\/plain\)\]\nResource 1: This is a plaintext resource/);
  });

  it('lists and reads its resources', async () => {
    const mcp = newManager();
    await mcp.start([everythingStdio(workspace)]);
    const resources = await mcp.listResources('everything');
    const architecture = resources.find((resource) => resource.name === 'architecture.md');
    expect(architecture).toMatchObject({ uri: 'demo://resource/static/document/architecture.md', mimeType: 'text/markdown' });
    const read = await mcp.readResource('everything', architecture!.uri);
    const [first] = read.contents;
    expect(first).toMatchObject({ uri: architecture!.uri, mimeType: 'text/markdown' });
    expect((first as { text: string }).text).toContain('# Everything Server');
    await expect(mcp.readResource('nobody', 'demo://x')).rejects.toThrow('There is no MCP server named "nobody". Servers: everything.');
  });

  it('reconnects after its process is killed, and the next call works', async () => {
    const mcp = newManager();
    const seen: string[] = [];
    mcp.onStatus((servers) => seen.push(servers[0]!.state));
    await mcp.start([everythingStdio(workspace)]);
    const pid = mcp.status()[0]!.pid!;
    process.kill(pid, 'SIGKILL');
    await waitFor('the reconnection', () => {
      const status = mcp.status()[0]!;
      return status.state === 'ready' && status.pid !== pid;
    });
    expect(seen).toContain('reconnecting');
    const status = mcp.status()[0]!;
    expect(status.restarts).toBe(1);
    expect(status.lastError).toContain('The MCP server "everything"');
    expect(status.lastError).toContain('exited');
    expect(logger.text('error')).toContain('Reconnecting in');
    const echo = await mcp.callTool('everything', 'echo', { message: 'back again' }, signal);
    expect(echo.content).toBe('Echo: back again');
  });

  it('answers a call made while the server is down once it is back', async () => {
    const mcp = newManager({ ...TEST_TIMINGS, reconnectBaseDelayMs: 300, reconnectMaxDelayMs: 300 });
    await mcp.start([everythingStdio(workspace)]);
    process.kill(mcp.status()[0]!.pid!, 'SIGKILL');
    await waitFor('the lost connection', () => mcp.status()[0]!.state === 'reconnecting');
    const echo = await mcp.callTool('everything', 'echo', { message: 'waited' }, signal);
    expect(echo.content).toBe('Echo: waited');
  });

  it('lets an abort of a waiting call through', async () => {
    const mcp = newManager({ ...TEST_TIMINGS, reconnectBaseDelayMs: 5_000, reconnectMaxDelayMs: 5_000 });
    await mcp.start([everythingStdio(workspace)]);
    process.kill(mcp.status()[0]!.pid!, 'SIGKILL');
    await waitFor('the lost connection', () => mcp.status()[0]!.state === 'reconnecting');
    const controller = new AbortController();
    const call = mcp.callTool('everything', 'echo', { message: 'never' }, controller.signal);
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('the workspace\'s configuration changing', () => {
  it('keeps unchanged servers running, stops removed ones, and ends their processes on dispose', async () => {
    const mcp = newManager();
    await mcp.start([everythingStdio(workspace, 'kept'), everythingStdio(workspace, 'removed')]);
    const [kept, removed] = mcp.status();
    await mcp.start([everythingStdio(workspace, 'kept')]);
    expect(mcp.status()).toEqual([expect.objectContaining({ name: 'kept', state: 'ready', pid: kept!.pid })]);
    expect(processExists(removed!.pid!)).toBe(false);
    await mcp.dispose();
    expect(processExists(kept!.pid!)).toBe(false);
    expect(mcp.status()).toEqual([expect.objectContaining({ name: 'kept', state: 'stopped' })]);
  });
});


describe('timeouts and cancellation', () => {
  it('tells the model when a call takes longer than the call timeout, and the server stays usable', async () => {
    const mcp = newManager({ ...TEST_TIMINGS, callTimeoutMs: 500 });
    await mcp.start([everythingStdio(workspace)]);
    const slow = await mcp.callTool('everything', 'trigger-long-running-operation', { duration: 3, steps: 1 }, signal);
    expect(slow).toMatchObject({ isError: true, content: 'The MCP tool trigger-long-running-operation of the server "everything" did not answer within 500 ms. Try a smaller request, or another approach.' });
    expect((await mcp.callTool('everything', 'echo', { message: 'still here' }, signal)).content).toBe('Echo: still here');
    expect(mcp.status()[0]!.state).toBe('ready');
  });

  it('cancels a call when its run is cancelled', async () => {
    const mcp = newManager();
    await mcp.start([everythingStdio(workspace)]);
    const controller = new AbortController();
    const call = mcp.callTool('everything', 'trigger-long-running-operation', { duration: 10, steps: 2 }, controller.signal);
    setTimeout(() => controller.abort(), 200);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect((await mcp.callTool('everything', 'echo', { message: 'after cancel' }, signal)).content).toBe('Echo: after cancel');
  });

  it('gives up on a server that never answers initialize', async () => {
    const script = await writeSilentScript(workspace);
    const mcp = newManager({ ...TEST_TIMINGS, connectTimeoutMs: 500 });
    await mcp.start([stdioSpec('mute', [script], workspace)]);
    expect(mcp.status()[0]).toMatchObject({ state: 'failed' });
    expect(mcp.status()[0]!.lastError).toBe(`The MCP server "mute" (${process.execPath} ${script}) did not answer MCP's initialize within 500 ms. Check that the command starts an MCP server that speaks over stdio.`);
  });
});

describe('server-filesystem over stdio', () => {
  it('reads a file and lists a folder of the workspace, and refuses paths outside it', async () => {
    const mcp = newManager();
    await mcp.start([filesystemStdio(workspace)]);
    const names = mcp.tools(['files']).map((tool) => tool.definition.name);
    expect(names).toEqual(expect.arrayContaining(['files__read_text_file', 'files__list_directory', 'files__write_file']));
    const read = await mcp.callTool('files', 'read_text_file', { path: path.join(workspace, 'docs', 'notes.txt') }, signal);
    expect(read.content).toBe('first line\nsecond line\n');
    const listing = await mcp.callTool('files', 'list_directory', { path: workspace }, signal);
    expect(listing.content).toContain('[DIR] docs');
    const outside = await mcp.callTool('files', 'read_text_file', { path: '/etc/hostname' }, signal);
    expect(outside.isError).toBe(true);
    expect(outside.content).toContain('Access denied');
  });
});

describe('servers that fail', () => {
  it('quarantines a server that keeps crashing, explains it to the model, and lifts it on restart', async () => {
    const script = await writeCrashingServer(workspace, 500);
    const mcp = newManager();
    await mcp.start([stdioSpec('crashy', [script], workspace)]);
    expect(mcp.status()[0]!.state).toBe('ready');
    const tools = mcp.tools(['crashy']);
    expect(tools.map((tool) => tool.definition.name)).toEqual(['crashy__hello']);
    await waitFor('the quarantine', () => mcp.status()[0]!.state === 'quarantined');
    const status = mcp.status()[0]!;
    expect(status.restarts).toBe(2);
    expect(status.lastError).toContain('crashing on purpose');
    expect(logger.text('error')).toContain('MCP server "crashy" is quarantined after 3 failures');

    const answer = await tools[0]!.implementation({}, context(), signal);
    expect(answer.isError).toBe(true);
    expect(answer.content).toMatch(/^The MCP server "crashy" is quarantined after 3 crashes: The MCP server "crashy" \(.+\) exited\. Its last words on stderr: "crashing on purpose"\. The user can restart it with 'MOCO: Restart MCP Server'\.$/);

    const restarted = await mcp.restart('crashy');
    expect(restarted).toMatchObject({ state: 'ready', restarts: 3 });
    expect((await mcp.callTool('crashy', 'hello', {}, signal)).content).toBe('hello');
  });

  it('says which command was not found', async () => {
    const mcp = newManager();
    await mcp.start([{ ...stdioSpec('ghost', ['--stdio'], workspace), command: 'moco-no-such-mcp-server' }]);
    const status = mcp.status()[0]!;
    expect(status.state).toBe('failed');
    expect(status.toolCount).toBe(0);
    expect(status.lastError).toBe(
      `The MCP server "ghost" could not start: the command "moco-no-such-mcp-server" was not found (working directory ${workspace}). ` +
        `Check that it is installed and on the PATH of the MOCO server, or write its full path; fix it in ${path.join(workspace, '.vscode', 'mcp.json')}.`,
    );
    expect(logger.text('error')).toContain('the command "moco-no-such-mcp-server" was not found');
    expect(mcp.tools(['ghost'])).toEqual([]);
    const call = await mcp.callTool('ghost', 'anything', {}, signal);
    expect(call.content).toContain('The MCP server "ghost" is not available: The MCP server "ghost" could not start');
  });

  it('says that a server exited before it was ready, with what it wrote on stderr', async () => {
    const script = await writeExitingScript(workspace);
    const mcp = newManager();
    await mcp.start([stdioSpec('quitter', [script], workspace)]);
    const status = mcp.status()[0]!;
    expect(status.state).toBe('failed');
    expect(status.lastError).toContain(`The MCP server "quitter" (${process.execPath} ${script}) exited before it was ready. Run the command in a terminal to see why`);
    expect(status.lastError).toContain('Its last words on stderr: "config missing: set API_TOKEN".');
  });

  it('keeps the other servers working when one fails', async () => {
    const mcp = newManager();
    await mcp.start([{ ...stdioSpec('ghost', [], workspace), command: 'moco-no-such-mcp-server' }, everythingStdio(workspace)]);
    expect(mcp.status().map((status) => [status.name, status.state])).toEqual([
      ['ghost', 'failed'],
      ['everything', 'ready'],
    ]);
    expect(mcp.tools(['ghost', 'everything']).length).toBe(mcp.status()[1]!.toolCount);
  });
});
