/**
 * A real Docker engine for the sandbox tests: Debian's `dockerd` (package docker.io) started with
 * its own data root, exec root, pid file and socket, and the flags of ../shared/ENVIRONMENT.md
 * (no iptables, no bridge, no IP forwarding on the host). It needs root and docker.io: when either
 * is missing, {@link startDockerEngine} throws and the Docker tests fail with that message; they
 * never skip.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Docker from 'dockerode';
import { pingDocker } from '../../server/src/sandbox/dockerSocket';
import { repoRoot } from './repo';

/** A running engine. */
export interface DockerEngine {
  /** Unix socket it listens on. */
  socketPath: string;
  /** A client on that socket. */
  docker: Docker;
  /** dockerd's pid. */
  pid: number;
  /** The end of dockerd's log, for failure messages. */
  log(): string;
  /** Stops dockerd by its pid (SIGTERM, SIGKILL after 15 s) and removes its folders. Idempotent. */
  stop(): Promise<void>;
}

/** How long dockerd may take to answer its first ping (it took 0.45 s here). */
const START_TIMEOUT_MS = 30_000;

/**
 * Starts dockerd and waits until it answers `/_ping`.
 * @throws {Error} saying what to install or change when it cannot start (not root, not installed,
 *   no answer within 30 s: with the end of its log).
 */
export async function startDockerEngine(): Promise<DockerEngine> {
  const dockerd = spawnSync('dockerd', ['--version'], { encoding: 'utf8' });
  if (dockerd.error) {
    throw new Error(`The Docker sandbox tests need Debian's dockerd, which is not installed (${dockerd.error.message}): apt-get install docker.io tini (scripts/test.sh does).`);
  }
  if (process.getuid?.() !== 0) {
    throw new Error('The Docker sandbox tests start their own dockerd, which needs root: run them as root (CI does).');
  }
  // The socket and exec root stay short (a Unix socket path has at most 107 bytes); the images
  // and layers go under .cache, not into a possibly small tmpfs.
  const runDir = await mkdtemp(path.join(tmpdir(), 'moco-dockerd-'));
  const cacheDir = path.join(repoRoot, '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const dataRoot = await mkdtemp(path.join(cacheDir, 'dockerd-data-'));
  const socketPath = path.join(runDir, 'docker.sock');
  const logPath = path.join(runDir, 'dockerd.log');
  const logFd = openSync(logPath, 'a');
  const child = spawn(
    'dockerd',
    [
      '--data-root', dataRoot,
      '--exec-root', path.join(runDir, 'exec'),
      '--pidfile', path.join(runDir, 'dockerd.pid'),
      '-H', `unix://${socketPath}`,
      '--iptables=false', '--ip6tables=false', '--ip-masq=false', '--ip-forward=false',
      '--bridge=none', '--userland-proxy=false', '--default-ulimit', 'nofile=20000:20000',
    ],
    { stdio: ['ignore', logFd, logFd], detached: true },
  );
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error('dockerd did not start.');
  const log = (): string => {
    try {
      return readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '';
    }
  };
  let exited: string | undefined;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
    resolve();
  }));
  const killOnExit = (): void => void tryKill(pid, 'SIGKILL');
  process.once('exit', killOnExit);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      process.off('exit', killOnExit);
      if (!exited) {
        tryKill(pid, 'SIGTERM');
        const timer = setTimeout(() => tryKill(pid, 'SIGKILL'), 15_000);
        await exitedPromise;
        clearTimeout(timer);
      }
      await rm(runDir, { recursive: true, force: true });
      await rm(dataRoot, { recursive: true, force: true, maxRetries: 3 });
    })();
    return stopped;
  };
  const docker = new Docker({ socketPath });
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      await pingDocker(docker);
      break;
    } catch (error) {
      if (exited || Date.now() > deadline) {
        await stop();
        throw new Error(`dockerd ${exited ?? 'did not answer within 30 s'} (${(error as Error).message}). Its log:\n${log()}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { socketPath, docker, pid, log, stop };
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}
