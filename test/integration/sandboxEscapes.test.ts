// Escapes tried in each sandbox driver (issue 5 "Escapes, tried in each sandbox driver"): writing
// outside the workspace, reading /root, ~/.ssh and the host's secrets, opening a network
// connection, a fork bomb, a 10 MB output flood, sleeping past the timeout, leaving processes
// behind, and cancelling. Real parts: a private dockerd with the offline busybox image, the real
// bwrap, host processes; an HTTP server on the host's 127.0.0.1 as the network target.
//
// `none` runs commands on the host: writing outside the workspace, reading host files and the
// network are NOT contained by it (the command policy and approval are its containment), so for
// `none` these cases assert only what the driver does contain: no host environment passed, the
// output cap, the timeout, no process left behind, a fork bomb ended by the group kill.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBubblewrapSandbox } from '../../server/src/sandbox/bubblewrapDriver';
import { SESSION_LABEL } from '../../server/src/sandbox/dockerContainer';
import { createDockerSandbox } from '../../server/src/sandbox/dockerDriver';
import { createNoneSandbox } from '../../server/src/sandbox/noneDriver';
import { SANDBOX_DEFAULTS, type Sandbox, type SandboxConfig } from '../../server/src/sandbox/types';
import { startDockerEngine, type DockerEngine } from '../support/dockerEngine';
import { repoRoot } from '../support/repo';
import { buildSandboxImage, SANDBOX_TEST_IMAGE } from '../support/sandboxImage';

const FAKE_KEY = `-----BEGIN OPENSSH PRIVATE KEY----- fake-${randomBytes(6).toString('hex')}`;
const FAKE_SECRET = `sk-test-${randomBytes(12).toString('hex')}`;
const ROOT_SECRET = `root-secret-${randomBytes(6).toString('hex')}`;
const never = new AbortController().signal;

let workspace: string;
const CONFIG_TEXT = 'name: team\n';
let fakeHome: string;
let rootSecretFile: string;
let server: Server;
let port: number;
let connections = 0;
const savedEnv = { HOME: process.env.HOME, OPENAI_API_KEY: process.env.OPENAI_API_KEY };

beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), 'moco-sbx-ws-'));
  // Files that configure MOCO: read-only inside the docker and bubblewrap sandboxes.
  await mkdir(path.join(workspace, '.moco', 'profiles', 'team'), { recursive: true });
  await writeFile(path.join(workspace, '.moco', 'profiles', 'team', 'profile.yaml'), CONFIG_TEXT);
  await writeFile(path.join(workspace, '.mcp.json'), CONFIG_TEXT);
  await writeFile(path.join(workspace, '.env'), CONFIG_TEXT);
  // A fake HOME with a fake key, outside /tmp so that only the HOME mask can hide it.
  await mkdir(path.join(repoRoot, '.cache'), { recursive: true });
  fakeHome = await mkdtemp(path.join(repoRoot, '.cache', 'sbx-home-'));
  await mkdir(path.join(fakeHome, '.ssh'));
  await writeFile(path.join(fakeHome, '.ssh', 'id_ed25519'), FAKE_KEY);
  process.env.HOME = fakeHome;
  process.env.OPENAI_API_KEY = FAKE_SECRET;
  rootSecretFile = `/root/.moco-sandbox-test-${randomBytes(4).toString('hex')}`;
  await writeFile(rootSecretFile, ROOT_SECRET);
  server = createServer((_request, response) => {
    connections++;
    response.end('reached the host');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  process.env.HOME = savedEnv.HOME;
  if (savedEnv.OPENAI_API_KEY === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = savedEnv.OPENAI_API_KEY;
  await new Promise((resolve) => server.close(resolve));
  await rm(rootSecretFile, { force: true });
  await rm(fakeHome, { recursive: true, force: true });
  await rm(workspace, { recursive: true, force: true });
});

function config(overrides: Partial<SandboxConfig> = {}): SandboxConfig {
  return { ...SANDBOX_DEFAULTS, workspace, sessionId: `escape-${randomBytes(4).toString('hex')}`, timeoutMs: 20_000, ...overrides };
}

/** Host processes whose environment holds `MOCO_TEST_MARK=<mark>` (the commands below set it). */
function hostProcessesWithMark(mark: string): number[] {
  const needle = `MOCO_TEST_MARK=${mark}`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(needle)) found.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

/** What a driver's test needs besides the sandbox. */
interface DriverCase {
  name: 'docker' | 'bubblewrap' | 'none';
  create(overrides?: Partial<SandboxConfig>): Promise<Sandbox>;
  /** Processes of the sandbox still running that the command `mark` started. */
  leftovers(sandbox: Sandbox, mark: string): Promise<string[]>;
  /** Whether the driver itself contains files and the network (not `none`). */
  confines: boolean;
}

let engine: DockerEngine | undefined;

const dockerCase: DriverCase = {
  name: 'docker',
  create: (overrides) => createDockerSandbox(config({ image: SANDBOX_TEST_IMAGE, pidsLimit: 128, ...overrides }), { socketPath: engine!.socketPath }),
  async leftovers(sandbox) {
    const docker = engine!.docker;
    const [info] = await docker.listContainers({ filters: { label: [`${SESSION_LABEL}=${sandbox.config.sessionId}`] } });
    if (!info) throw new Error('the session container is gone');
    const top = (await docker.getContainer(info.Id).top({ ps_args: '-o pid,stat,args' })) as { Processes: string[][] };
    // Only the init and its sleeping child belong there between commands. A process that has
    // exited and not yet been reaped (stat Z, or `[name]`: its memory already released) is gone.
    return top.Processes.filter(([, stat, args]) => !stat?.startsWith('Z') && !args?.startsWith('['))
      .map((row) => row.join(' '))
      .filter((row) => !/docker-init|sleep 2147483647/.test(row));
  },
  confines: true,
};

const hostLeftovers = (_sandbox: Sandbox, mark: string): Promise<string[]> =>
  Promise.resolve(hostProcessesWithMark(mark).map(String));

const cases: DriverCase[] = [
  dockerCase,
  { name: 'bubblewrap', create: (overrides) => createBubblewrapSandbox(config(overrides)), leftovers: hostLeftovers, confines: true },
  { name: 'none', create: (overrides) => createNoneSandbox(config(overrides)), leftovers: hostLeftovers, confines: false },
];

describe.each(cases)('the $name sandbox', (driver) => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    if (driver.name === 'docker') {
      engine = await startDockerEngine();
      await buildSandboxImage(engine.docker);
    }
    sandbox = await driver.create();
  }, 60_000);

  afterAll(async () => {
    await sandbox?.dispose();
    if (driver.name === 'docker') await engine?.stop();
  }, 60_000);

  const mark = (): string => randomBytes(6).toString('hex');
  const run = (command: string, env: Record<string, string> = {}, timeoutMs?: number) =>
    sandbox.run(command, { env, ...(timeoutMs ? { timeoutMs } : {}) }, never);

  it('writes inside the workspace', async () => {
    const result = await run('echo inside > inside.txt && cat inside.txt');
    expect(result).toMatchObject({ exitCode: 0, stdout: 'inside\n' });
    expect(await readFile(path.join(workspace, 'inside.txt'), 'utf8')).toBe('inside\n');
  });

  if (driver.confines) {
    it('leaves the host untouched when writing outside the workspace', async () => {
      const id = randomBytes(4).toString('hex');
      const targets = [`/etc/moco-escape-${id}`, path.join(fakeHome, `moco-escape-${id}`), path.join(tmpdir(), `moco-escape-${id}`), `/root/moco-escape-${id}`];
      const result = await run(targets.map((target) => `echo pwned > ${target}; `).join('') + 'echo done');
      expect(result.stdout).toBe('done\n');
      for (const target of targets) expect(existsSync(target), `${target} was written on the host`).toBe(false);
    });

    it('cannot change the files that configure MOCO (.mcp.json, .moco/, .env), and says so', async () => {
      const result = await run('echo evil > .mcp.json; echo evil >> .env; echo evil > .moco/profiles/team/profile.yaml; mkdir .moco/evil; echo done');
      expect(result.stdout).toBe('done\n');
      expect(result.stderr).toMatch(/Read-only file system/);
      for (const file of ['.mcp.json', '.env', path.join('.moco', 'profiles', 'team', 'profile.yaml')]) {
        expect(await readFile(path.join(workspace, file), 'utf8'), file).toBe(CONFIG_TEXT);
      }
      expect(existsSync(path.join(workspace, '.moco', 'evil'))).toBe(false);
    });

    it('cannot read /root or the HOME\'s ~/.ssh key', async () => {
      const result = await run(`cat ${rootSecretFile} ${path.join(fakeHome, '.ssh', 'id_ed25519')} "$HOME/.ssh/id_ed25519"`);
      expect(result.stdout + result.stderr).not.toContain(ROOT_SECRET);
      expect(result.stdout + result.stderr).not.toContain(FAKE_KEY);
      expect(result.exitCode).not.toBe(0);
    });
  }

  it('does not pass the host environment (secrets) to commands', async () => {
    const result = await run('env; cat /proc/self/environ', { GIVEN: 'yes' });
    expect(result.stdout).not.toContain(FAKE_SECRET);
    expect(result.stdout).not.toContain('OPENAI_API_KEY');
    expect(result.stdout).toContain('GIVEN=yes');
  });

  it('keeps ~ away from the real HOME', async () => {
    const result = await run('cat ~/.ssh/id_ed25519');
    expect(result.stdout).not.toContain(FAKE_KEY);
    expect(result.exitCode).not.toBe(0);
  });

  it(driver.confines ? 'cannot connect to a server on the host\'s 127.0.0.1' : 'reaches the host network (not contained: the policy is)', async () => {
    const before = connections;
    const result = await run(`printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 127.0.0.1 ${port}`);
    if (driver.confines) {
      expect(result.stdout).not.toContain('reached the host');
      expect(connections).toBe(before);
    } else {
      // The control: the server is reachable, so the refusals above are the sandbox's doing.
      expect(result.stdout).toContain('reached the host');
    }
  });

  it('stops a fork bomb and leaves nothing running; the next command works', async () => {
    const id = mark();
    // Docker: the pids limit holds it while the leader sleeps, then the timeout kills it. The host
    // drivers: the bomb's leader returns at once and its whole process group is killed.
    const bomb = driver.name === 'docker' ? 'f(){ f|f& }; f; sleep 30' : 'f(){ f|f& }; f';
    const result = await run(bomb, { MOCO_TEST_MARK: id }, 3000);
    expect(result.durationMs).toBeLessThan(30_000);
    expect(await driver.leftovers(sandbox, id)).toEqual([]);
    expect(await run('echo alive')).toMatchObject({ exitCode: 0, stdout: 'alive\n' });
  }, 60_000);

  it('cuts a 10 MB output flood at the cap and returns', async () => {
    const result = await run("head -c 10000000 /dev/zero | tr '\\0' a; echo tail >&2");
    expect(result.truncated).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.stdout.length + result.stderr.length).toBe(SANDBOX_DEFAULTS.outputCapBytes);
    expect(result.stdout).toMatch(/^a+$/);
  });

  it('kills a command that sleeps past the timeout', async () => {
    const id = mark();
    const result = await run('echo before; sleep 60; echo after', { MOCO_TEST_MARK: id }, 1000);
    expect(result).toMatchObject({ timedOut: true, exitCode: null, stdout: 'before\n' });
    expect(result.durationMs).toBeLessThan(30_000);
    expect(await driver.leftovers(sandbox, id)).toEqual([]);
  });

  it('leaves no background, nohup or setsid process behind after run', async () => {
    const id = mark();
    const result = await run('sleep 1000 & nohup sleep 1001 >/dev/null 2>&1 & setsid sleep 1002 & echo started', { MOCO_TEST_MARK: id });
    expect(result).toMatchObject({ exitCode: 0, stdout: 'started\n', timedOut: false });
    expect(result.durationMs).toBeLessThan(30_000);
    expect(await driver.leftovers(sandbox, id)).toEqual([]);
  });

  it('kill() of a spawned process kills everything it started', async () => {
    const id = mark();
    const proc = await sandbox.spawn('setsid sleep 1003 & sleep 1004 & read line; echo "got $line"; sleep 1005', { env: { MOCO_TEST_MARK: id } });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await proc.write('hello\n');
    await expect.poll(() => out, { timeout: 10_000 }).toBe('got hello\n');
    await proc.kill();
    expect((await proc.exited).exitCode).toBeNull();
    expect(await driver.leftovers(sandbox, id)).toEqual([]);
  });

  it('cancelling a run kills it and rejects with the reason', async () => {
    const id = mark();
    const controller = new AbortController();
    const running = sandbox.run('sleep 1000 & sleep 1001', { env: { MOCO_TEST_MARK: id } }, controller.signal);
    setTimeout(() => controller.abort(new Error('cancelled by the user')), 300);
    await expect(running).rejects.toThrow('cancelled by the user');
    expect(await driver.leftovers(sandbox, id)).toEqual([]);
  });
});
