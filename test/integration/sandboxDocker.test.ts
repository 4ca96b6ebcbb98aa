// The Docker driver against a real dockerd (test/support/dockerEngine.ts) and the offline busybox
// image: the container's confinement and limits, exit codes and streams, orphaned containers, a
// missing image, a missing engine, an engine that stops mid-session, a container removed behind
// the sandbox's back. The escapes are in sandboxEscapes.test.ts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER_LABEL, removeOrphanContainers, SANDBOX_LABEL, SESSION_LABEL } from '../../server/src/sandbox/dockerContainer';
import { createDockerSandbox } from '../../server/src/sandbox/dockerDriver';
import { SANDBOX_DEFAULTS, SandboxError, type Sandbox, type SandboxConfig } from '../../server/src/sandbox/types';
import { startDockerEngine, type DockerEngine } from '../support/dockerEngine';
import { buildSandboxImage, SANDBOX_TEST_IMAGE } from '../support/sandboxImage';

const never = new AbortController().signal;
let engine: DockerEngine;
let workspace: string;
let sessionCount = 0;

beforeAll(async () => {
  engine = await startDockerEngine();
  await buildSandboxImage(engine.docker);
  workspace = await mkdtemp(path.join(tmpdir(), 'moco-docker-ws-'));
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  if (workspace) await rm(workspace, { recursive: true, force: true });
}, 60_000);

function config(overrides: Partial<SandboxConfig> = {}): SandboxConfig {
  return { ...SANDBOX_DEFAULTS, image: SANDBOX_TEST_IMAGE, workspace, sessionId: `docker-test-${++sessionCount}`, ...overrides };
}

async function containerOf(sandbox: Sandbox) {
  const [info] = await engine.docker.listContainers({ all: true, filters: { label: [`${SESSION_LABEL}=${sandbox.config.sessionId}`] } });
  return info;
}

describe('a session sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createDockerSandbox(config({ cpus: 0.5, memoryMb: 256, pidsLimit: 48 }), { socketPath: engine.socketPath });
  });
  afterAll(() => sandbox?.dispose());

  it('is one labelled container with no network, a read-only root, no capabilities and the limits', async () => {
    const info = await containerOf(sandbox);
    expect(info?.Labels).toMatchObject({ [SANDBOX_LABEL]: '1', [SESSION_LABEL]: sandbox.config.sessionId, [OWNER_LABEL]: `${hostname()}:${process.pid}` });
    const details = await engine.docker.getContainer(info!.Id).inspect();
    expect((details.Config as { NetworkDisabled?: boolean }).NetworkDisabled).toBe(true);
    expect(details.Config.User).toBe(`${process.getuid!()}:${process.getgid!()}`);
    expect(details.HostConfig).toMatchObject({
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      NanoCpus: 500_000_000,
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      PidsLimit: 48,
      Init: true,
    });
    // The workspace only, writable, at its own path (this workspace has no MOCO config files).
    expect(details.HostConfig.Mounts).toEqual([expect.objectContaining({ Type: 'bind', Source: workspace, Target: workspace })]);
    expect(details.HostConfig.Mounts?.[0]?.ReadOnly ?? false).toBe(false);
    expect(Object.keys(details.HostConfig.Tmpfs ?? {})).toEqual(['/tmp']);
    expect(sandbox.description).toContain(`docker: engine at ${engine.socketPath} answered`);
  });

  it('runs one exec per command in that same container', async () => {
    await sandbox.run('echo one > /tmp/shared', {}, never);
    const result = await sandbox.run('cat /tmp/shared; cat /etc/hostname', {}, never);
    expect(result.stdout.split('\n')[0]).toBe('one');
    expect((await containerOf(sandbox))?.Id.startsWith(result.stdout.split('\n')[1]!)).toBe(true);
  });

  it('returns the exit code and stdout and stderr apart, in the given cwd with the given env', async () => {
    await mkdir(path.join(workspace, 'sub'), { recursive: true });
    const result = await sandbox.run('pwd; echo "$GREETING"; echo oops >&2; exit 7', { cwd: 'sub', env: { GREETING: 'hello' } }, never);
    expect(result).toMatchObject({ exitCode: 7, stdout: `${path.join(workspace, 'sub')}\nhello\n`, stderr: 'oops\n', timedOut: false, truncated: false });
  });

  it('refuses a cwd outside the workspace', async () => {
    await expect(sandbox.run('true', { cwd: '/etc' }, never)).rejects.toThrow(SandboxError);
  });

  it('holds a command to the pids limit', async () => {
    // Prints how many sleeps it started; the shell stops at the first fork the limit refuses.
    const result = await sandbox.run('i=0; while [ $i -lt 100 ]; do sleep 5 & i=$((i+1)); echo $i; done', {}, never);
    const started = Number(result.stdout.trim().split('\n').at(-1));
    expect(result.stderr).toMatch(/can't fork|Resource temporarily unavailable/);
    expect(started).toBeLessThan(48);
    expect(started).toBeGreaterThan(10);
  });

  it('passes stdin to a spawned process and says when it is closed', async () => {
    const proc = await sandbox.spawn('cat', {});
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await proc.write('line one\n');
    proc.closeStdin();
    expect(await proc.exited).toEqual({ exitCode: 0 });
    expect(out).toBe('line one\n');
    await expect(proc.write('late')).rejects.toThrow('stdin is closed');
  });

  it('creates a new container when its container was removed behind its back', async () => {
    const before = await containerOf(sandbox);
    await engine.docker.getContainer(before!.Id).remove({ force: true });
    const result = await sandbox.run('echo back', {}, never);
    expect(result.stdout).toBe('back\n');
    expect((await containerOf(sandbox))?.Id).not.toBe(before!.Id);
  });
});

it('kills a command past the memory limit', async () => {
  const sandbox = await createDockerSandbox(config({ memoryMb: 32 }), { socketPath: engine.socketPath });
  try {
    const result = await sandbox.run('dd if=/dev/zero of=/dev/null bs=64M count=1 && echo survived', {}, never);
    expect(result.stdout).not.toContain('survived');
    expect(result.exitCode).not.toBe(0);
  } finally {
    await sandbox.dispose();
  }
});

it('dispose() removes the container', async () => {
  const sandbox = await createDockerSandbox(config(), { socketPath: engine.socketPath });
  expect(await containerOf(sandbox)).toBeDefined();
  await sandbox.dispose();
  await sandbox.dispose();
  expect(await containerOf(sandbox)).toBeUndefined();
});

describe('orphaned containers', () => {
  async function deadPid(): Promise<number> {
    const child = spawn('true');
    await once(child, 'exit');
    return child.pid!;
  }

  async function labelled(owner: string) {
    const container = await engine.docker.createContainer({
      Image: SANDBOX_TEST_IMAGE,
      Cmd: ['sleep', '1000'],
      Labels: { [SANDBOX_LABEL]: '1', [SESSION_LABEL]: 'old', [OWNER_LABEL]: owner },
      HostConfig: { NetworkMode: 'none' },
    });
    await container.start();
    return container.id;
  }

  it('removes the containers of MOCO processes that are gone, and keeps live ones', async () => {
    const orphan = await labelled(`${hostname()}:${await deadPid()}`);
    const otherHost = await labelled('another-machine:1');
    const live = await createDockerSandbox(config(), { socketPath: engine.socketPath });
    try {
      const removed = await removeOrphanContainers(engine.docker);
      expect(removed).toEqual([orphan]);
      const left = (await engine.docker.listContainers({ all: true })).map((info) => info.Id);
      expect(left).not.toContain(orphan);
      expect(left).toContain(otherHost);
      expect(left).toContain((await containerOf(live))?.Id);
    } finally {
      await live.dispose();
      await engine.docker.getContainer(otherHost).remove({ force: true });
    }
  });
});

describe('failures of the sandbox itself', () => {
  it('says the image is missing and could not be pulled, after trying', async () => {
    const progress: string[] = [];
    // A registry on a closed local port: fails at once, with or without a network.
    const image = '127.0.0.1:9/moco/absent:none';
    const creating = createDockerSandbox(config({ image }), { socketPath: engine.socketPath, onProgress: (line) => progress.push(line) });
    await expect(creating).rejects.toThrow(SandboxError);
    await expect(creating).rejects.toThrow(
      new RegExp(`The sandbox image ${image.replace(/[.:/]/g, '\\$&')} is not available locally and could not be pulled \\(.+\\)\\. Pull or build it, or set moco\\.sandbox\\.image / --sandbox-image\\.`),
    );
    expect(progress[0]).toBe(`Pulling ${image}…`);
  });

  it('says the image cannot run commands when it has no shell', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'moco-noshell-'));
    try {
      await writeFile(path.join(root, 'README'), 'no shell here');
      const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const stream = await engine.docker.importImage(tar.stdout, { repo: 'local/noshell', tag: 'test' });
      await new Promise((resolve, reject) => engine.docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve(undefined))));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    const creating = createDockerSandbox(config({ image: 'local/noshell:test' }), { socketPath: engine.socketPath });
    await expect(creating).rejects.toThrow(/^The sandbox image local\/noshell:test cannot run commands \(.+\): it needs sh and sleep/);
    const left = await engine.docker.listContainers({ all: true, filters: { ancestor: ['local/noshell:test'] } });
    expect(left).toEqual([]);
  });

  it('names the sockets it tried when no engine answers', async () => {
    const socket = path.join(workspace, 'no-such-docker.sock');
    const creating = createDockerSandbox(config(), { socketPath: socket });
    await expect(creating).rejects.toThrow(SandboxError);
    await expect(creating).rejects.toThrow(`${socket}: no such socket`);
    await expect(creating).rejects.toThrow(/Start Docker .* or set moco\.sandbox\.mode \/ --sandbox to bubblewrap or none/);
  });

  it('says the engine stopped when it goes away mid-session', async () => {
    const ownEngine = await startDockerEngine();
    try {
      await buildSandboxImage(ownEngine.docker);
      const sandbox = await createDockerSandbox(config(), { socketPath: ownEngine.socketPath });
      expect((await sandbox.run('echo up', {}, never)).stdout).toBe('up\n');
      await ownEngine.stop();
      const running = sandbox.run('echo still', {}, never);
      await expect(running).rejects.toThrow(SandboxError);
      await expect(running).rejects.toThrow(`The Docker engine at ${ownEngine.socketPath} stopped answering`);
      await sandbox.dispose();
    } finally {
      await ownEngine.stop();
    }
  }, 60_000);
});
