// The shell and process tools on the real `none` sandbox driver (host processes in their own
// group), with command gates that allow, deny or record. Calls go through the registry's
// parseArguments, then the implementation, as the orchestrator makes them.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNoneSandbox } from '../../server/src/sandbox/noneDriver';
import { SANDBOX_DEFAULTS, SandboxError, type Sandbox, type SandboxConfig } from '../../server/src/sandbox/types';
import { createProcessTable, processTools, type ProcessTable } from '../../server/src/tools/process';
import { ToolRegistry } from '../../server/src/tools/registry';
import type { CommandAuthorization, CommandGate, CommandRequest, ToolServices } from '../../server/src/tools/services';
import type { TodoItem, ToolContext, ToolResult } from '../../server/src/tools/types';

const registry = new ToolRegistry();
for (const tool of processTools()) registry.register(tool);

/** A gate that records every question and allows, unless `deny` matches the command. */
class RecordingGate implements CommandGate {
  readonly asked: { command: string; tool: string }[] = [];
  constructor(private readonly deny?: RegExp) {}
  authorize({ command, tool }: CommandRequest): Promise<CommandAuthorization> {
    this.asked.push({ command, tool });
    if (this.deny?.test(command)) {
      return Promise.resolve({
        ok: false,
        message: `"${command}" is denied by the rule "touch*" (settings). Do not retry it; ask the user.`,
        summary: 'denied by rule "touch*" (settings)',
      });
    }
    return Promise.resolve({ ok: true });
  }
}

let workspace: string;
let sandbox: Sandbox;
let table: ProcessTable;
let gate: RecordingGate;

async function makeSandbox(overrides: Partial<SandboxConfig> = {}): Promise<Sandbox> {
  return createNoneSandbox({ ...SANDBOX_DEFAULTS, workspace, sessionId: 'test-session', ...overrides });
}

function context(services: Partial<ToolServices> = {}): ToolContext {
  let todos: TodoItem[] = [];
  return {
    workingDir: workspace,
    runId: 'run-1',
    agent: 'coder',
    toolCallId: 'call_1',
    todos: { get: () => todos, set: (items) => (todos = items) },
    services: { sandbox: () => Promise.resolve(sandbox), commandGate: gate, processes: table, ...services },
  };
}

async function call(name: string, args: Record<string, unknown>, ctx = context(), signal = new AbortController().signal): Promise<ToolResult> {
  const parsed = registry.parseArguments(name, JSON.stringify(args));
  if (!parsed.ok) throw new Error(parsed.message);
  return registry.get(name)!.implementation(parsed.args, ctx, signal);
}

/** Polls until `check` is true (at most 10 s). */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Whether a process runs (a zombie waiting for its parent to reap it counts as gone). */
async function isAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function readPid(file: string): Promise<number> {
  await until(() => existsSync(path.join(workspace, file)), file);
  return Number((await readFile(path.join(workspace, file), 'utf8')).trim());
}

beforeEach(async () => {
  workspace = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-tools-process-')));
  sandbox = await makeSandbox();
  table = createProcessTable();
  gate = new RecordingGate(/touch marker/);
});
afterEach(async () => {
  await table.dispose();
  await sandbox.dispose();
  await rm(workspace, { recursive: true, force: true });
});

describe('execute_bash', () => {
  it('returns the exit code, stdout and stderr apart, and a summary line', async () => {
    const result = await call('execute_bash', { command: 'echo out; echo err >&2; exit 3' });
    expect(result.isError).toBeFalsy();
    expect(result.content).toMatch(/^Exit code: 3 \(\d+\.\d s\)/);
    expect(result.content).toContain('--- stdout ---\nout\n--- stderr ---\nerr');
    expect(result.summary).toMatch(/^exit 3 · \d+\.\d s$/);
    expect(gate.asked).toEqual([{ command: 'echo out; echo err >&2; exit 3', tool: 'execute_bash' }]);

    const quiet = await call('execute_bash', { command: 'true' });
    expect(quiet.content).toContain('--- stdout: empty ---\n--- stderr: empty ---');
    expect(quiet.summary).toMatch(/^exit 0 · /);
  });

  it('runs in working_dir inside the workspace and refuses one outside it without asking the policy', async () => {
    await mkdir(path.join(workspace, 'sub'));
    const inside = await call('execute_bash', { command: 'pwd', working_dir: 'sub' });
    expect(inside.content).toContain(`--- stdout ---\n${path.join(workspace, 'sub')}`);

    for (const outside of ['..', '/tmp', 'sub/../../']) {
      const refused = await call('execute_bash', { command: 'touch escaped', working_dir: outside });
      expect(refused.isError).toBe(true);
      expect(refused.content).toContain('working_dir:');
      expect(refused.content).toContain('outside the working directory');
    }
    const missing = await call('execute_bash', { command: 'pwd', working_dir: 'nope' });
    expect(missing.isError).toBe(true);
    expect(missing.content).toContain('does not exist');
    expect(gate.asked.map((entry) => entry.command)).toEqual(['pwd']);
  });

  it('kills a command at its timeout, with every process it started, and says so', async () => {
    const result = await call('execute_bash', { command: 'echo started; (sleep 30; : > late-file) & echo $! > child.pid; sleep 30', timeout: 1.5 });
    expect(result.isError).toBe(true);
    expect(result.content).toContain('Timed out after 1.5 s and was killed, with every process it started.');
    expect(result.content).toContain('--- stdout ---\nstarted');
    expect(result.summary).toBe('timed out after 1.5 s');
    expect(await isAlive(await readPid('child.pid'))).toBe(false);
  });

  it('says when the sandbox cut the output, and shows only the start and end of long output', async () => {
    await sandbox.dispose();
    sandbox = await makeSandbox({ outputCapBytes: 1000 });
    const capped = await call('execute_bash', { command: 'head -c 5000 /dev/zero | tr "\\0" x' });
    expect(capped.content).toContain('Output truncated at 1000 B');
    expect(capped.summary).toMatch(/· output truncated$/);
    expect(capped.content).toContain(`--- stdout ---\n${'x'.repeat(1000)}\n--- stderr: empty ---`);

    await sandbox.dispose();
    sandbox = await makeSandbox();
    const long = await call('execute_bash', { command: 'seq 1 100000' });
    expect(long.content).toContain('Only 64.0 KiB of the output is shown');
    expect(long.content).toMatch(/--- stdout ---\n1\n2\n3\n/);
    expect(long.content).toMatch(/of stdout cut here/);
    expect(long.content).toMatch(/\n99999\n100000\n--- stderr: empty ---$/);
    expect(Buffer.byteLength(long.content)).toBeLessThan(64 * 1024 + 1000);
  });

  it('never runs a command the policy denies, whatever the arguments say', async () => {
    const parsed = registry.parseArguments('execute_bash', JSON.stringify({ command: 'touch marker', allow_dangerous: true }));
    expect(parsed).toEqual({ ok: true, args: { command: 'touch marker' } });
    const result = await call('execute_bash', { command: 'touch marker', allow_dangerous: true });
    expect(result.isError).toBe(true);
    expect(result.content).toBe('The command was not run: "touch marker" is denied by the rule "touch*" (settings). Do not retry it; ask the user.');
    expect(result.summary).toBe('denied by rule "touch*" (settings)');
    expect(existsSync(path.join(workspace, 'marker'))).toBe(false);
  });

  it('refuses to run anything without a command policy, and says when there is no sandbox', async () => {
    const noGate = await call('execute_bash', { command: 'echo hi > marker' }, context({ commandGate: undefined }));
    expect(noGate.isError).toBe(true);
    expect(noGate.content).toContain('no command policy is set up');
    expect(existsSync(path.join(workspace, 'marker'))).toBe(false);

    const noSandbox = await call('execute_bash', { command: 'echo hi' }, context({ sandbox: undefined }));
    expect(noSandbox.content).toContain('no sandbox is configured');
    expect(gate.asked).toEqual([]);
  });

  it('reports a failing sandbox with its message', async () => {
    const failing = () => Promise.reject(new SandboxError('No Docker engine answered at /var/run/docker.sock; start Docker or set moco.sandbox.mode to bubblewrap.'));
    const result = await call('execute_bash', { command: 'echo hi' }, context({ sandbox: failing }));
    expect(result.isError).toBe(true);
    expect(result.content).toBe(
      'The sandbox failed, so the command did not run: No Docker engine answered at /var/run/docker.sock; start Docker or set moco.sandbox.mode to bubblewrap.',
    );
    expect(result.summary).toBe('sandbox error');
  });

  it('kills the command when the call is cancelled', async () => {
    const controller = new AbortController();
    const running = call('execute_bash', { command: 'echo $$ > shell.pid; sleep 30 & echo $! > child.pid; wait' }, context(), controller.signal);
    const shell = await readPid('shell.pid');
    const child = await readPid('child.pid');
    controller.abort();
    await expect(running).rejects.toThrow(/abort/i);
    expect(await isAlive(shell)).toBe(false);
    expect(await isAlive(child)).toBe(false);
  });

  it('refuses a timeout above the maximum through the schema', () => {
    const parsed = registry.parseArguments('execute_bash', JSON.stringify({ command: 'true', timeout: 601 }));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain('timeout');
  });
});

const ECHO_SERVER = `sh -c 'echo ready; while read l; do echo got:$l; done'`;

describe('background processes', () => {
  it('start, wait, send input, read new output, list and stop', async () => {
    const started = await call('start_background', { command: ECHO_SERVER, name: 'echo-server' });
    expect(started.isError).toBeFalsy();
    expect(started.content).toContain(`Started p1 (echo-server) in .: ${ECHO_SERVER}`);
    expect(started.summary).toBe('started p1 (echo-server)');
    expect(gate.asked).toEqual([{ command: ECHO_SERVER, tool: 'start_background' }]);

    const ready = await call('wait_for_pattern', { id: 'p1', pattern: '^ready$', timeout: 10 });
    expect(ready.isError).toBeFalsy();
    expect(ready.content).toContain('The matching line:\nready\np1 (echo-server) is still running.');

    const sent = await call('send_input', { id: 'p1', input: 'hello' });
    expect(sent.content).toContain('Sent 6 B to the stdin of p1 (echo-server)');
    const got = await call('wait_for_pattern', { id: 'echo-server', pattern: 'got:h[a-z]+', timeout: 10 });
    expect(got.content).toContain('The matching line:\ngot:hello');

    const first = await call('get_output', { id: 'p1', since_last: true });
    expect(first.content).toContain('--- new output since the last read ---\nready\ngot:hello');
    expect(first.summary).toBe('read 2 lines of p1 (echo-server)');
    const none = await call('get_output', { id: 'p1', since_last: true });
    expect(none.content).toContain('--- new output since the last read: none ---');
    expect(none.summary).toBe('no new output from p1 (echo-server)');

    await call('send_input', { id: 'p1', input: 'again' });
    await call('wait_for_pattern', { id: 'p1', pattern: 'got:again', timeout: 10 });
    const second = await call('get_output', { id: 'p1', since_last: true });
    expect(second.content).toMatch(/--- new output since the last read ---\ngot:again$/);
    const all = await call('get_output', { id: 'p1' });
    expect(all.content).toMatch(/--- output ---\nready\ngot:hello\ngot:again$/);
    const tail = await call('get_output', { id: 'p1', tail_lines: 1 });
    expect(tail.content).toMatch(/--- output ---\ngot:again$/);

    const listed = await call('list_processes', {});
    expect(listed.content).toMatch(/^p1 \(echo-server\) · running for .* · 0 B unread · in \. · \$ sh -c/);
    expect(listed.summary).toBe('1 process, 1 running');

    const pid = Number(table.find('p1')!.sandboxId);
    const stopped = await call('stop_process', { id: 'p1' });
    expect(stopped.content).toMatch(/^Stopped p1 \(echo-server\) and every process it started; it stopped after/);
    expect(stopped.content).toContain('Last output (up to 20 lines):\nready\ngot:hello\ngot:again');
    expect(await isAlive(pid)).toBe(false);
    expect((await call('list_processes', {})).content).toMatch(/^p1 \(echo-server\) · stopped after/);
    const late = await call('send_input', { id: 'p1', input: 'more' });
    expect(late.isError).toBe(true);
    expect(late.content).toContain('p1 (echo-server) has stopped after');
    expect(late.content).toContain('reads no more input');
    expect((await call('get_output', { id: 'p1' })).content).toContain('got:again');
    const again = await call('stop_process', { id: 'p1' });
    expect(again.content).toContain('there was nothing to stop');
  });

  it('says when a process exits before the pattern, and when the wait times out', async () => {
    await call('start_background', { command: 'echo starting; exit 4' });
    const exited = await call('wait_for_pattern', { id: 'p1', pattern: 'never printed', timeout: 10 });
    expect(exited.isError).toBe(true);
    expect(exited.content).toMatch(/^p1 exited with code 4 after .* before the pattern \/never printed\/ appeared in its output\./);
    expect(exited.content).toContain('Last output (up to 20 lines):\nstarting');
    expect(exited.summary).toBe('p1 ended before the pattern');

    await call('start_background', { command: 'echo waiting; sleep 30' });
    const timedOut = await call('wait_for_pattern', { id: 'p2', pattern: 'done', timeout: 0.3 });
    expect(timedOut.isError).toBe(true);
    expect(timedOut.content).toMatch(/^The pattern \/done\/ did not appear in the output of p2 within 0\.3 s; p2 is still running\. Wait again/);
    expect(timedOut.summary).toBe('pattern not seen in 0.3 s');
    expect(table.find('p2')!.running).toBe(true);
  });

  it('finds a pattern in output printed before the wait', async () => {
    await call('start_background', { command: 'echo "listening on port 8080"; sleep 30' });
    await until(() => table.find('p1')!.output.end > 0, 'output');
    const found = await call('wait_for_pattern', { id: 'p1', pattern: 'port ([0-9]+)' });
    expect(found.content).toBe('The pattern /port ([0-9]+)/ was in the output of p1. The matching line:\nlistening on port 8080\nCaptured groups: 1: "8080"\np1 is still running.');
  });

  it('gives up a pattern that backtracks catastrophically instead of hanging the server', async () => {
    await call('start_background', { command: `printf '${'a'.repeat(40)}!\\n'; sleep 30` });
    await until(() => table.find('p1')!.output.end > 0, 'output');
    const slow = await call('wait_for_pattern', { id: 'p1', pattern: '(a+)+$', timeout: 10 });
    expect(slow.isError).toBe(true);
    expect(slow.content).toMatch(/^The pattern \/\(a\+\)\+\$\/ took too long to match against the output of p1 and was given up/);
    expect(slow.summary).toBe('pattern too slow');
  });

  it('reads long output on with since_last, 64 KiB of whole lines at a time', async () => {
    await call('start_background', { command: 'seq 1 30000; echo end-of-output' });
    await call('wait_for_pattern', { id: 'p1', pattern: '^end-of-output$', timeout: 10 });
    const pages: string[] = [];
    for (;;) {
      const page = await call('get_output', { id: 'p1', since_last: true });
      pages.push(page.content.slice(page.content.indexOf('---\n') + 4));
      if (!page.content.includes('more output is unread')) break;
      expect(page.content).toMatch(/\[\d+\.\d KiB more output is unread: call get_output with since_last again to read on\.\]/);
      expect(Buffer.byteLength(page.content)).toBeLessThan(64 * 1024 + 500);
    }
    expect(pages.length).toBe(3);
    expect(pages.join('\n').split('\n')).toEqual([...Array.from({ length: 30000 }, (_, index) => String(index + 1)), 'end-of-output']);
    const latest = await call('get_output', { id: 'p1' });
    expect(latest.content).toContain('Only the last 64.0 KiB are shown');
  });

  it('stops waiting when the call is cancelled, and the process keeps running', async () => {
    await call('start_background', { command: 'sleep 30' });
    const controller = new AbortController();
    const waiting = call('wait_for_pattern', { id: 'p1', pattern: 'x', timeout: 60 }, context(), controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow(/abort/i);
    expect(table.find('p1')!.running).toBe(true);
    expect((await call('list_processes', {})).content).toMatch(/^p1 · running/);
  });

  it('explains an invalid regular expression and an unknown id', async () => {
    const none = await call('get_output', { id: 'p7' });
    expect(none.isError).toBe(true);
    expect(none.content).toBe('There is no background process p7: none has been started in this session. Start one with start_background.');

    await call('start_background', { command: 'sleep 30', name: 'sleeper' });
    const invalid = await call('wait_for_pattern', { id: 'p1', pattern: 'port (\\d+' });
    expect(invalid.isError).toBe(true);
    expect(invalid.content).toMatch(/^The pattern "port \(\\\\d\+" is not a valid JavaScript regular expression \(.*Unterminated group/);
    expect(invalid.summary).toBe('invalid pattern');

    for (const name of ['stop_process', 'get_output', 'wait_for_pattern', 'send_input']) {
      const unknown = await call(name, { id: 'p9', pattern: 'x', input: 'x' });
      expect(unknown.isError).toBe(true);
      expect(unknown.content).toMatch(/^There is no background process p9\. Known processes: p1 \(sleeper\) running for .*\. Use one of these ids/);
      expect(unknown.summary).toBe('no process p9');
    }
  });

  it('never starts a command the policy denies', async () => {
    const denied = await call('start_background', { command: 'touch marker; sleep 30', allow_dangerous: true });
    expect(denied.isError).toBe(true);
    expect(denied.content).toContain('The command was not run: "touch marker; sleep 30" is denied');
    expect(denied.summary).toBe('denied by rule "touch*" (settings)');
    expect(table.list()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(existsSync(path.join(workspace, 'marker'))).toBe(false);
  });

  it('puts input to a shell that reads commands from stdin through the policy', async () => {
    await call('start_background', { command: 'bash', name: 'shell' });
    const denied = await call('send_input', { id: 'shell', input: 'touch marker' });
    expect(denied.isError).toBe(true);
    expect(denied.summary).toBe('denied by rule "touch*" (settings)');
    const allowed = await call('send_input', { id: 'shell', input: 'echo hi-from-bash' });
    expect(allowed.isError).toBeFalsy();
    await call('wait_for_pattern', { id: 'shell', pattern: 'hi-from-bash', timeout: 10 });
    expect(existsSync(path.join(workspace, 'marker'))).toBe(false);
    expect(gate.asked.map((entry) => `${entry.tool}: ${entry.command}`)).toEqual([
      'start_background: bash',
      'send_input: touch marker',
      'send_input: echo hi-from-bash',
    ]);

    // Input to a script reading lines is data, not commands: the policy is not asked.
    await call('start_background', { command: ECHO_SERVER });
    await call('send_input', { id: 'p2', input: 'touch marker' });
    expect((await call('wait_for_pattern', { id: 'p2', pattern: 'got:touch marker', timeout: 10 })).isError).toBeFalsy();
    expect(gate.asked).toHaveLength(4);
  });

  it('caps the processes running at once, also for concurrent starts', async () => {
    table = createProcessTable({ maxRunning: 2 });
    const results = await Promise.all([1, 2, 3].map((n) => call('start_background', { command: `sleep 30 # ${n}` })));
    expect(results.filter((result) => !result.isError)).toHaveLength(2);
    const refused = results.find((result) => result.isError)!;
    const item = String.raw`(p\d: sleep 30 # \d|\d starting)`;
    expect(refused.content).toMatch(new RegExp(String.raw`^2 background processes are running (or starting )?already, the most a session may run at once \(${item}(; ${item})?\)\. Stop one`));
    expect(refused.summary).toBe('too many background processes');
    await call('stop_process', { id: 'p1' });
    const third = await call('start_background', { command: 'sleep 30' });
    expect(third.summary).toBe('started p3');
  });

  it('says when older output was dropped from the ring buffer', async () => {
    table = createProcessTable({ outputBytes: 1000 });
    await call('start_background', { command: 'seq 1 2000; echo finished' });
    await call('wait_for_pattern', { id: 'p1', pattern: '^finished$', timeout: 10 });
    const output = await call('get_output', { id: 'p1', since_last: true });
    expect(output.content).toMatch(/\[\d+\.\d KiB of older output was dropped before it was read: a process keeps only its last 1000 B\.\]/);
    expect(output.content).toMatch(/\n1999\n2000\nfinished$/);
    expect(output.content).not.toMatch(/\n1\n2\n/);
  });

  it('dispose kills every process with the processes it started, and refuses new ones', async () => {
    await call('start_background', { command: 'sleep 60 & echo $! > a-child.pid; wait' });
    await call('start_background', { command: 'sleep 60 & echo $! > b-child.pid; wait' });
    const pids = [Number(table.find('p1')!.sandboxId), Number(table.find('p2')!.sandboxId), await readPid('a-child.pid'), await readPid('b-child.pid')];
    for (const pid of pids) expect(await isAlive(pid)).toBe(true);
    await table.dispose();
    for (const pid of pids) expect(await isAlive(pid)).toBe(false);
    expect((await call('list_processes', {})).content).toMatch(/^p1 · stopped after .*\np2 · stopped after/);
    const late = await call('start_background', { command: 'sleep 1' });
    expect(late.content).toBe('The session has ended, so no background process can be started.');
  });

  it('says background processes are unavailable without a table', async () => {
    const result = await call('start_background', { command: 'sleep 1' }, context({ processes: undefined }));
    expect(result.isError).toBe(true);
    expect(result.content).toContain('this session has no background processes');
  });
});
