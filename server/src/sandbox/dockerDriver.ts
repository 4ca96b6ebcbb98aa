/**
 * The `docker` driver: one long-lived container per session (created by
 * {@link createDockerSandbox}, removed by dispose()), an exec per command. Confinement in
 * dockerContainer.ts; the per-command wrapper and kill in dockerScripts.ts.
 */
import type Docker from 'dockerode';
import { commandEnv, newRunToken, resolveCwd } from './env';
import { CONTAINER_HOME, containerCreateOptions, containerName, removeOrphanContainers } from './dockerContainer';
import { startDockerExec } from './dockerExec';
import { ensureImage } from './dockerImage';
import { killCommand } from './dockerScripts';
import { dockerEndpoints, engineDownError, findDockerEngine, isEngineDown, type DockerEndpoint } from './dockerSocket';
import { runToEnd } from './runToEnd';
import { SandboxError, type RunResult, type Sandbox, type SandboxConfig, type SandboxProcess, type SpawnOptions } from './types';

/** Options of {@link createDockerSandbox}. */
export interface DockerSandboxOptions {
  /** Only this Unix socket (tests); default: DOCKER_HOST, then the Docker and podman sockets. */
  socketPath?: string;
  /** Lines for the UI while the image is pulled. */
  onProgress?: (message: string) => void;
  /** Cancels the image pull and container start. */
  signal?: AbortSignal;
}

/** Engines (by label) whose orphans this process already removed. */
const cleanedEngines = new Set<string>();

/**
 * Connects to an engine, removes orphaned sandbox containers once per engine and process, makes
 * sure the image is there (pulling it) and starts the session's container.
 * @throws {SandboxError} when no engine answers (naming the sockets tried), the image is missing
 *   and cannot be pulled, or the container cannot be created.
 */
export async function createDockerSandbox(config: SandboxConfig, options: DockerSandboxOptions = {}): Promise<Sandbox> {
  const probe = await findDockerEngine(dockerEndpoints(options.socketPath));
  if (!probe.ok) {
    throw new SandboxError(
      `The Docker sandbox needs a Docker-compatible engine, and none answered (${probe.reasons.join('; ')}). Start Docker (sudo systemctl start docker) or podman (systemctl --user start podman.socket), set DOCKER_HOST, or set moco.sandbox.mode / --sandbox to bubblewrap or none.`,
    );
  }
  const { docker, endpoint } = probe;
  return withEngine(endpoint, async () => {
    if (!cleanedEngines.has(endpoint.label)) {
      await removeOrphanContainers(docker);
      cleanedEngines.add(endpoint.label);
    }
    const image = await ensureImage(docker, config.image, options.onProgress, options.signal);
    const sandbox = new DockerSandbox(docker, endpoint, config, image.path, describe(endpoint, config));
    await sandbox.startContainer();
    return sandbox;
  });
}

function describe(endpoint: DockerEndpoint, config: SandboxConfig): string {
  return `docker: engine at ${endpoint.label} answered; image ${config.image}, ${config.cpus} CPU, ${config.memoryMb} MB, at most ${config.pidsLimit} processes, ${config.network ? 'network allowed' : 'no network'}`;
}

/** Runs `work`, turning a lost engine into a SandboxError that says what to do. */
async function withEngine<T>(endpoint: DockerEndpoint, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SandboxError) throw error;
    if (isEngineDown(error)) throw engineDownError(endpoint.label, error);
    throw new SandboxError(`The Docker sandbox failed: ${(error as Error).message.split('\n')[0]}`);
  }
}

class DockerSandbox implements Sandbox {
  readonly kind = 'docker' as const;
  private container: Docker.Container | undefined;
  private readonly live = new Set<SandboxProcess>();
  private disposed = false;

  constructor(
    private readonly docker: Docker,
    private readonly endpoint: DockerEndpoint,
    readonly config: SandboxConfig,
    private readonly imagePath: string,
    readonly description: string,
  ) {}

  /** Creates and starts the session's container (again, when someone removed it). */
  async startContainer(): Promise<void> {
    const container = await this.docker.createContainer(containerCreateOptions(this.config, containerName(this.config.sessionId)));
    this.container = container;
    let problem: string | undefined;
    try {
      await container.start();
      if ((await this.execQuiet(['sh', '-c', 'true'])) !== 0) problem = 'sh -c true failed';
    } catch (error) {
      if (isEngineDown(error)) throw error;
      problem = (error as Error).message.split('\n')[0];
    }
    if (problem) {
      await container.remove({ force: true }).catch(() => undefined);
      throw new SandboxError(
        `The sandbox image ${this.config.image} cannot run commands (${problem}): it needs sh and sleep (Debian, Ubuntu, Alpine and busybox images have them). Use such an image, or set moco.sandbox.image / --sandbox-image.`,
      );
    }
  }

  run(command: string, options: SpawnOptions & { timeoutMs?: number }, signal: AbortSignal): Promise<RunResult> {
    const limits = { timeoutMs: options.timeoutMs ?? this.config.timeoutMs, outputCapBytes: this.config.outputCapBytes };
    return runToEnd(() => this.start(command, options, false), limits, signal);
  }

  spawn(command: string, options: SpawnOptions): Promise<SandboxProcess> {
    return this.start(command, options, true);
  }

  private async start(command: string, options: SpawnOptions, stdin: boolean): Promise<SandboxProcess> {
    if (this.disposed) throw new Error('This sandbox was disposed.');
    const cwd = resolveCwd(this.config, options);
    const token = newRunToken();
    const env = commandEnv({ PATH: this.imagePath, HOME: CONTAINER_HOME }, options.env, token);
    const request = { command, cwd, env, token, stdin, killTree: (t: string) => this.killTree(t), fail: (e: unknown) => this.failure(e) };
    const proc = await withEngine(this.endpoint, async () => {
      try {
        return await startDockerExec(this.docker, this.requireContainer(), request);
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 404) await this.startContainer(); // removed behind our back: a new one
        else if (status === 409) await this.requireContainer().start(); // stopped: start it again
        else throw error;
        return startDockerExec(this.docker, this.requireContainer(), request);
      }
    });
    this.live.add(proc);
    void proc.exited.finally(() => this.live.delete(proc)).catch(() => undefined);
    return proc;
  }

  /**
   * Kills every process of a command with the kill exec; when the exec cannot run (a fork bomb
   * has used up the pids limit), restarts the container, which ends every process in it.
   */
  private async killTree(token: string): Promise<void> {
    if (this.disposed) return; // the container is gone, and everything in it
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        if ((await this.execQuiet(killCommand(token))) === 0) return;
      } catch (error) {
        if (isEngineDown(error)) throw engineDownError(this.endpoint.label, error);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await withEngine(this.endpoint, () => this.requireContainer().restart({ t: 0 }));
  }

  /** Runs an exec to its end, output discarded. @returns its exit code. */
  private async execQuiet(cmd: string[]): Promise<number | null> {
    const exec = await this.requireContainer().exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    stream.resume();
    await new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });
    for (let attempt = 0; attempt < 50; attempt++) {
      const info = await exec.inspect();
      if (!info.Running) return info.ExitCode ?? null;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return null;
  }

  private failure(error: unknown): Error {
    if (error instanceof SandboxError) return error;
    if (isEngineDown(error)) return engineDownError(this.endpoint.label, error);
    return new SandboxError(`The Docker sandbox failed: ${(error as Error).message.split('\n')[0]}`);
  }

  private requireContainer(): Docker.Container {
    if (!this.container) throw new SandboxError('The sandbox container was not started.');
    return this.container;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    try {
      await this.container?.remove({ force: true });
    } catch {
      // gone already, or the engine is down: the next start-up removes it as an orphan
    }
    await Promise.allSettled([...this.live].map((proc) => proc.exited));
  }
}
