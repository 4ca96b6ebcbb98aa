/**
 * Finding a Docker-compatible engine: `DOCKER_HOST`, Docker's socket, then podman's (rootless and
 * rootful), in that order, each pinged with a short timeout. Errors say which sockets were tried.
 */
import * as path from 'node:path';
import Docker from 'dockerode';
import { SandboxError } from './types';

/** How long `auto` waits for an engine's `/_ping` (ms). */
export const DOCKER_PING_TIMEOUT_MS = 1000;

/** Unix socket paths to try, most specific first; `DOCKER_HOST` only when it is `unix://`. */
export function dockerSocketCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const sockets: string[] = [];
  const host = env.DOCKER_HOST;
  if (host?.startsWith('unix://')) sockets.push(host.slice('unix://'.length));
  sockets.push('/var/run/docker.sock');
  if (env.XDG_RUNTIME_DIR) sockets.push(path.join(env.XDG_RUNTIME_DIR, 'podman/podman.sock'));
  sockets.push('/run/podman/podman.sock');
  return [...new Set(sockets)];
}

/** One place an engine may answer. */
export interface DockerEndpoint {
  /** For messages: the socket path or the `DOCKER_HOST` value. */
  label: string;
  options: Docker.DockerOptions;
}

/**
 * Where to look: only `socketPath` when given; else `DOCKER_HOST` (any scheme dockerode reads:
 * unix, tcp with `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH`, ssh) and the usual sockets.
 */
export function dockerEndpoints(socketPath?: string, env: NodeJS.ProcessEnv = process.env): DockerEndpoint[] {
  if (socketPath) return [{ label: socketPath, options: { socketPath } }];
  const endpoints: DockerEndpoint[] = [];
  const host = env.DOCKER_HOST;
  if (host && !host.startsWith('unix://')) endpoints.push({ label: `DOCKER_HOST=${host}`, options: {} });
  for (const socket of dockerSocketCandidates(env)) endpoints.push({ label: socket, options: { socketPath: socket } });
  return endpoints;
}

/** The outcome of {@link findDockerEngine}. */
export type DockerProbe =
  | { ok: true; docker: Docker; endpoint: DockerEndpoint }
  | { ok: false; tried: string[]; reasons: string[] };

/**
 * Pings every endpoint at once and takes the first in order that answered within `timeoutMs`.
 */
export async function findDockerEngine(endpoints: DockerEndpoint[], timeoutMs = DOCKER_PING_TIMEOUT_MS): Promise<DockerProbe> {
  const answers = await Promise.all(
    endpoints.map(async (endpoint) => {
      const docker = new Docker(endpoint.options);
      try {
        await pingDocker(docker, timeoutMs);
        return { docker, endpoint };
      } catch (error) {
        return `${endpoint.label}: ${describeEngineError(error)}`;
      }
    }),
  );
  const found = answers.find((answer) => typeof answer !== 'string');
  if (found) return { ok: true, ...found };
  return { ok: false, tried: endpoints.map((e) => e.label), reasons: answers as string[] };
}

/**
 * `GET /_ping` with a timeout (dockerode takes `abortSignal`; its types do not say so).
 * @throws the connection error, or a TimeoutError after `timeoutMs`.
 */
export function pingDocker(docker: Docker, timeoutMs = DOCKER_PING_TIMEOUT_MS): Promise<unknown> {
  const ping = docker as unknown as { ping(options: { abortSignal: AbortSignal }): Promise<unknown> };
  return ping.ping({ abortSignal: AbortSignal.timeout(timeoutMs) });
}

/** A short reason for a failed connection (no such socket, refused, permission, timeout). */
export function describeEngineError(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { statusCode?: number };
  switch (e.code) {
    case 'ENOENT':
      return 'no such socket';
    case 'ECONNREFUSED':
      return 'connection refused (the engine is not running)';
    case 'EACCES':
      return 'permission denied (add your user to the docker group, or use rootless podman)';
    case 'ABORT_ERR':
      return 'no answer within 1 s';
  }
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'no answer within 1 s';
  return e.message?.split('\n')[0] ?? String(error);
}

/** True when the error means the engine itself is gone (not a Docker API refusal). */
export function isEngineDown(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'EACCES';
}

/** The SandboxError for an engine that stopped answering during a session. */
export function engineDownError(label: string, error: unknown): SandboxError {
  return new SandboxError(
    `The Docker engine at ${label} stopped answering (${describeEngineError(error)}). Start it again (sudo systemctl start docker, or podman system service), then retry; or set moco.sandbox.mode / --sandbox to bubblewrap or none.`,
  );
}
