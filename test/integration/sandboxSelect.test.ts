// Choosing the driver (`moco.sandbox.mode` / `--sandbox`): `auto` takes a Docker engine that
// answers, else bubblewrap, else none, and says which and why; explicit modes fail clearly. Real
// dockerd (test/support/dockerEngine.ts) and real bwrap; a socket path where nothing listens stands
// for a machine without Docker.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertConfinable, detectSandbox, selectSandbox } from '../../server/src/sandbox/select';
import { SANDBOX_DEFAULTS, SandboxError, type Sandbox, type SandboxConfig } from '../../server/src/sandbox/types';
import { startDockerEngine, type DockerEngine } from '../support/dockerEngine';
import { buildSandboxImage, SANDBOX_TEST_IMAGE } from '../support/sandboxImage';

const never = new AbortController().signal;
let workspace: string;
let noDocker: string;
let sessions = 0;

beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), 'moco-select-ws-'));
  noDocker = path.join(workspace, 'nothing-listens-here.sock');
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

function config(overrides: Partial<SandboxConfig> = {}): SandboxConfig {
  return { ...SANDBOX_DEFAULTS, image: SANDBOX_TEST_IMAGE, workspace, sessionId: `select-${++sessions}`, ...overrides };
}

async function using<T>(sandbox: Sandbox, use: (sandbox: Sandbox) => Promise<T> | T): Promise<T> {
  try {
    return await use(sandbox);
  } finally {
    await sandbox.dispose();
  }
}

describe('without a Docker engine', () => {
  it('auto falls to bubblewrap and says why', async () => {
    await using(await selectSandbox('auto', config(), { dockerSocket: noDocker }), async (sandbox) => {
      expect(sandbox.kind).toBe('bubblewrap');
      expect(sandbox.description).toMatch(/^bubblewrap: no Docker engine answered \(/);
      expect(sandbox.description).toContain(`${noDocker}: no such socket`);
      expect((await sandbox.run('echo from bwrap', {}, never)).stdout).toBe('from bwrap\n');
    });
  });

  it('detectSandbox says the same without creating anything', async () => {
    const detection = await detectSandbox({ dockerSocket: noDocker });
    expect(detection.kind).toBe('bubblewrap');
    expect(detection.reason).toContain(`no Docker engine answered (${noDocker}: no such socket)`);
  });

  it('auto falls to none when bubblewrap is unavailable too, and says both reasons', async () => {
    const bwrapPath = path.join(workspace, 'no-bwrap');
    await using(await selectSandbox('auto', config(), { dockerSocket: noDocker, bwrapPath }), (sandbox) => {
      expect(sandbox.kind).toBe('none');
      expect(sandbox.description).toContain('no Docker engine answered');
      expect(sandbox.description).toContain(`bubblewrap is unavailable (${bwrapPath} is not installed`);
      expect(sandbox.description).toMatch(/commands run on the host behind the command policy only$/);
    });
  });

  it('docker, asked for, fails naming the sockets tried and what to do', async () => {
    const selecting = selectSandbox('docker', config(), { dockerSocket: noDocker });
    await expect(selecting).rejects.toThrow(SandboxError);
    await expect(selecting).rejects.toThrow(`no such socket`);
    await expect(selecting).rejects.toThrow(/Start Docker .*or set moco\.sandbox\.mode \/ --sandbox to bubblewrap or none\./);
  });

  it('bubblewrap, asked for but missing, fails saying what to install', async () => {
    const selecting = selectSandbox('bubblewrap', config(), { bwrapPath: path.join(workspace, 'no-bwrap') });
    await expect(selecting).rejects.toThrow(SandboxError);
    await expect(selecting).rejects.toThrow(/not installed \(apt-get install bubblewrap\)/);
  });

  it('refuses a workspace that holds the home folder, or is /, for every mode but none', async () => {
    expect(() => assertConfinable('/home/ada', '/home/ada')).toThrow(/holds your home folder \/home\/ada: a sandbox would give commands your ~\/.ssh keys/);
    expect(() => assertConfinable('/home', '/home/ada')).toThrow(SandboxError);
    expect(() => assertConfinable('/', '/root')).toThrow(SandboxError);
    expect(() => assertConfinable('/home/ada/project', '/home/ada')).not.toThrow();
    await expect(selectSandbox('auto', config({ workspace: '/' }), { dockerSocket: noDocker })).rejects.toThrow(/set moco.sandbox.mode \/ --sandbox to none/);
    await using(await selectSandbox('none', config({ workspace: '/' })), (sandbox) => expect(sandbox.kind).toBe('none'));
  });

  it('none, asked for, runs on the host', async () => {
    await using(await selectSandbox('none', config()), async (sandbox) => {
      expect(sandbox.kind).toBe('none');
      expect((await sandbox.run('echo host', {}, never)).stdout).toBe('host\n');
    });
  });
});

describe('with a Docker engine', () => {
  let engine: DockerEngine;
  beforeAll(async () => {
    engine = await startDockerEngine();
    await buildSandboxImage(engine.docker);
  }, 60_000);
  afterAll(() => engine?.stop(), 60_000);

  it('auto takes Docker and says which engine answered', async () => {
    await using(await selectSandbox('auto', config(), { dockerSocket: engine.socketPath }), async (sandbox) => {
      expect(sandbox.kind).toBe('docker');
      expect(sandbox.description).toMatch(new RegExp(`^docker: engine at ${engine.socketPath} answered; image ${SANDBOX_TEST_IMAGE}`));
      expect((await sandbox.run('echo from docker', {}, never)).stdout).toBe('from docker\n');
    });
  });

  it('auto falls to bubblewrap when the image cannot be had, and says so', async () => {
    const image = '127.0.0.1:9/moco/absent:none';
    await using(await selectSandbox('auto', config({ image }), { dockerSocket: engine.socketPath }), (sandbox) => {
      expect(sandbox.kind).toBe('bubblewrap');
      expect(sandbox.description).toContain(`the Docker sandbox failed (The sandbox image ${image} is not available locally`);
    });
  });
});
