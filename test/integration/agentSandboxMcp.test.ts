// One task of an agent, run by the real `moco` CLI against the mock LLM: the command policy
// refuses a destructive command even with --yes, execute_bash then runs in the Docker sandbox (a
// private dockerd, the offline busybox image), and a tool of the MCP server-everything (configured
// in the workspace's .mcp.json, given to the profile by name) answers over stdio. The decisions
// are in the audit log of the CLI's SQLite file, and no container is left behind.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/storage/database';
import { SANDBOX_LABEL } from '../../server/src/sandbox';
import { createSandbox, type Sandbox } from '../support/cliHarness';
import { startDockerEngine, type DockerEngine } from '../support/dockerEngine';
import { EVERYTHING_ENTRY } from '../support/mcpServers';
import type { MockRequest } from '../support/mockLlm';
import { buildSandboxImage } from '../support/sandboxImage';
import { teamScript } from '../support/teams';

/** Writes where it ran: `/.dockerenv` exists only in a Docker container. */
const SHELL_COMMAND = 'test -f /.dockerenv && echo "in docker as $(id -u)" > where.txt; cat where.txt';

let engine: DockerEngine;
let image: string;
let sandbox: Sandbox;

beforeAll(async () => {
  engine = await startDockerEngine();
  image = await buildSandboxImage(engine.docker);
}, 60_000);
afterAll(async () => {
  await sandbox?.cleanup();
  await engine?.stop();
});

/** The content of the tool message answering the call `id` in a request. */
function toolResult(request: MockRequest | undefined, id: string): string {
  const message = (request?.body.messages ?? []).find((m) => m.role === 'tool' && m.tool_call_id === id);
  return typeof message?.content === 'string' ? message.content : '';
}

describe('an agent with the Docker sandbox and an MCP server', () => {
  it('refuses rm -rf /, runs execute_bash in the container, calls everything__echo, and audits the commands', async () => {
    sandbox = await createSandbox();
    const profile = path.join(sandbox.profilesDir, 'tools-team');
    await mkdir(path.join(profile, 'agents'), { recursive: true });
    await writeFile(path.join(profile, 'profile.yaml'), 'name: tools-team\ndescription: shell and MCP\nmcp_servers:\n  - name: everything\n');
    await writeFile(
      path.join(profile, 'agents', 'runner.md'),
      '---\ndescription: runs commands\nmode: primary\ntools: [execute_bash, "everything__echo"]\n---\n[agent:runner] You run commands.\n',
    );
    await writeFile(
      path.join(sandbox.workspace, '.mcp.json'),
      JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'] } } }),
    );
    const mock = await sandbox.startMock(
      teamScript({
        runner: (_request, turn) =>
          [
            { toolCalls: [{ id: 'call_rm', name: 'execute_bash', arguments: { command: 'rm -rf /' } }] },
            { toolCalls: [{ id: 'call_sh', name: 'execute_bash', arguments: { command: SHELL_COMMAND } }] },
            { toolCalls: [{ id: 'call_mcp', name: 'everything__echo', arguments: { message: 'hello over MCP' } }] },
          ][turn] ?? { content: 'Done.' },
      }),
    );

    const result = await sandbox.run(['run', '-p', 'tools-team', '--yes', '--sandbox', 'docker', '--sandbox-image', image, '--no-stream', 'use the tools'], {
      env: { DOCKER_HOST: `unix://${engine.socketPath}` },
      timeoutMs: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const requests = mock.chatRequests();
    expect(requests).toHaveLength(4);
    // The model saw only the tools its profile gives it, the MCP one under its namespaced name.
    expect((requests[0]?.body.tools ?? []).map((t) => (t as { function: { name: string } }).function.name)).toEqual(['execute_bash', 'everything__echo']);
    expect(toolResult(requests[1], 'call_rm')).toMatch(/^The command was not run: the command policy denies it\./);
    const shell = toolResult(requests[2], 'call_sh');
    expect(shell).toMatch(/^Exit code: 0 /);
    expect(shell).toContain(`in docker as ${process.getuid?.() ?? ''}`);
    expect(await readFile(path.join(sandbox.workspace, 'where.txt'), 'utf8')).toBe(`in docker as ${process.getuid?.() ?? ''}\n`);
    expect(toolResult(requests[3], 'call_mcp')).toContain('Echo: hello over MCP');

    const db = openDatabase(path.join(sandbox.home, 'moco.db'));
    try {
      const audit = db.audit.list({ limit: 10 }).reverse();
      expect(audit.map((entry) => [entry.agent, entry.tool, entry.command, entry.decision, entry.outcome])).toEqual([
        ['runner', 'execute_bash', 'rm -rf /', 'deny', 'denied'],
        ['runner', 'execute_bash', SHELL_COMMAND, 'allow', 'allowed'],
      ]);
      expect(audit[0]?.ruleSource).toBe('builtin');
    } finally {
      db.close();
    }
    // The session's container went with the CLI.
    expect(await engine.docker.listContainers({ all: true, filters: { label: [`${SANDBOX_LABEL}=1`] } })).toEqual([]);
  });
});
