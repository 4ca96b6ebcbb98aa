/**
 * Choosing the driver: `moco.sandbox.mode` / `--sandbox`. `auto` takes Docker when an engine
 * answers (any Docker-compatible socket, podman included), else bubblewrap on Linux when it works,
 * else `none`, and says which and why in the sandbox's description. An explicit mode that cannot
 * be had fails with a {@link SandboxError} that says what to do.
 */
import { homedir } from 'node:os';
import * as path from 'node:path';
import { createBubblewrapSandbox, probeBubblewrap } from './bubblewrapDriver';
import { createDockerSandbox } from './dockerDriver';
import { dockerEndpoints, findDockerEngine } from './dockerSocket';
import { createNoneSandbox } from './noneDriver';
import { SandboxError, type Sandbox, type SandboxConfig, type SandboxKind, type SandboxMode } from './types';

/** Options of {@link selectSandbox} and {@link detectSandbox}. */
export interface SandboxSelectOptions {
  /** Only this Docker socket (tests); default: DOCKER_HOST, then the Docker and podman sockets. */
  dockerSocket?: string;
  /** The bwrap executable (default `bwrap` on PATH). */
  bwrapPath?: string;
  /** Lines for the UI while the Docker image is pulled. */
  onProgress?: (message: string) => void;
  /** Cancels the image pull and the container start. */
  signal?: AbortSignal;
}

/** What `auto` would choose now, and why (one line). */
export interface SandboxDetection {
  kind: SandboxKind;
  reason: string;
}

/** Which engine answered, or why none did, as one clause. */
async function dockerProblem(options: SandboxSelectOptions): Promise<{ answered: string } | { problem: string }> {
  const probe = await findDockerEngine(dockerEndpoints(options.dockerSocket));
  if (probe.ok) return { answered: `engine at ${probe.endpoint.label} answered` };
  return { problem: `no Docker engine answered (${probe.reasons.join('; ')})` };
}

/**
 * Probes what `auto` would take: a Docker ping (≈1 s at most), then `bwrap ... true`.
 * Creates nothing.
 */
export async function detectSandbox(options: SandboxSelectOptions = {}): Promise<SandboxDetection> {
  const docker = await dockerProblem(options);
  if ('answered' in docker) return { kind: 'docker', reason: docker.answered };
  const bwrap = await probeBubblewrap(options.bwrapPath);
  if (!bwrap) return { kind: 'bubblewrap', reason: docker.problem };
  return { kind: 'none', reason: `${docker.problem}, and bubblewrap is unavailable (${bwrap})` };
}

/**
 * Creates the session's sandbox for a mode. In `auto`, a Docker engine that answers but whose
 * sandbox cannot be made (image missing and not pullable) falls through to bubblewrap, saying so.
 * @throws {SandboxError} when an explicit mode is unavailable (which sockets were tried, how to
 *   start Docker or choose another mode).
 */
export async function selectSandbox(mode: SandboxMode, config: SandboxConfig, options: SandboxSelectOptions = {}): Promise<Sandbox> {
  if (mode !== 'none') assertConfinable(config.workspace, homedir());
  const dockerOptions = { socketPath: options.dockerSocket, onProgress: options.onProgress, signal: options.signal };
  switch (mode) {
    case 'docker':
      return createDockerSandbox(config, dockerOptions);
    case 'bubblewrap':
      return createBubblewrapSandbox(config, { bwrapPath: options.bwrapPath });
    case 'none':
      return createNoneSandbox(config);
    case 'auto':
      break;
    default:
      throw new SandboxError(`Unknown sandbox mode "${String(mode)}": use auto, docker, bubblewrap or none.`);
  }
  const docker = await dockerProblem(options);
  let reason: string;
  if ('answered' in docker) {
    try {
      return await createDockerSandbox(config, dockerOptions);
    } catch (error) {
      if (!(error instanceof SandboxError)) throw error;
      options.signal?.throwIfAborted();
      reason = `the Docker sandbox failed (${error.message})`;
    }
  } else {
    reason = docker.problem;
  }
  const bwrap = await probeBubblewrap(options.bwrapPath);
  if (!bwrap) return createBubblewrapSandbox(config, { bwrapPath: options.bwrapPath, reason });
  return createNoneSandbox(config, `${reason}, and bubblewrap is unavailable (${bwrap})`);
}

/**
 * The workspace is mounted writable in the `docker` and `bubblewrap` sandboxes: when it is `/` or
 * holds the home folder, the sandbox would hand commands `~/.ssh` and the user's other secrets.
 * @throws {SandboxError} saying what to open instead.
 */
export function assertConfinable(workspace: string, home: string): void {
  const relative = path.relative(workspace, home);
  const holdsHome = home !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  if (workspace === '/' || holdsHome) {
    throw new SandboxError(
      `The workspace ${workspace} holds your home folder ${home}: a sandbox would give commands your ~/.ssh keys and other secrets. Open a project folder instead, or set moco.sandbox.mode / --sandbox to none (the command policy and your approval only).`,
    );
  }
}
