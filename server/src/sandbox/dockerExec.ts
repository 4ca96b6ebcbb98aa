/**
 * One command in the session's container: a Docker exec of the wrapper (dockerScripts.ts), its
 * multiplexed stream split into stdout and stderr (`docker.modem.demuxStream`), its exit code from
 * the exec's inspect, and kill() through the sandbox's kill exec.
 */
import { PassThrough, type Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { wrappedCommand } from './dockerScripts';
import type { SandboxProcess } from './types';

/** What {@link startDockerExec} runs. */
export interface DockerExecRequest {
  command: string;
  cwd: string;
  /** The command's whole environment (KEY=value), including its run token. */
  env: Record<string, string>;
  token: string;
  /** Attach stdin (background processes that take input); otherwise stdin is /dev/null. */
  stdin: boolean;
  /** Kills every process of the token (the sandbox's kill exec, or a restart as a last resort). */
  killTree: (token: string) => Promise<void>;
  /** Turns an engine failure while following the exec into the error `exited` rejects with. */
  fail: (error: unknown) => Error;
}

/**
 * Creates and starts the exec.
 * @throws whatever dockerode throws (the caller turns engine failures into SandboxError).
 */
export async function startDockerExec(docker: Docker, container: Docker.Container, request: DockerExecRequest): Promise<SandboxProcess> {
  const exec = await container.exec({
    Cmd: wrappedCommand(request.command, request.token),
    Env: Object.entries(request.env).map(([name, value]) => `${name}=${value}`),
    WorkingDir: request.cwd,
    AttachStdin: request.stdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream: Duplex = await exec.start({ hijack: true, stdin: request.stdin });
  return new DockerExecProcess(docker, exec, stream, request);
}

class DockerExecProcess implements SandboxProcess {
  readonly id: string;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly exited: Promise<{ exitCode: number | null; signal?: string }>;
  private killed = false;
  private ended = false;
  private killing: Promise<void> | undefined;

  constructor(
    docker: Docker,
    private readonly exec: Docker.Exec,
    private readonly stream: Duplex,
    private readonly request: DockerExecRequest,
  ) {
    this.id = exec.id.slice(0, 12);
    docker.modem.demuxStream(stream, this.stdout, this.stderr);
    const streamEnded = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });
    this.exited = streamEnded.then(async () => {
      this.ended = true;
      this.stdout.end();
      this.stderr.end();
      const exitCode = await this.exitCode();
      return this.killed ? { exitCode: null, signal: 'SIGKILL' } : { exitCode };
    }).catch((error: unknown) => {
      throw request.fail(error);
    });
    this.exited.catch(() => undefined); // a background process nobody awaits must not crash the server
    if (!request.stdin) stream.end();
  }

  write(data: string): Promise<void> {
    if (!this.request.stdin || this.stream.writableEnded || this.stream.destroyed) return Promise.reject(new Error('stdin is closed'));
    return new Promise((resolve, reject) => this.stream.write(data, (error) => (error ? reject(error) : resolve())));
  }

  closeStdin(): void {
    if (!this.stream.writableEnded) this.stream.end();
  }

  kill(): Promise<void> {
    this.killing ??= (async () => {
      if (!this.ended) {
        this.killed = true;
        await this.request.killTree(this.request.token);
      }
      await this.exited;
    })();
    return this.killing;
  }

  /** The exec's exit code; the stream can end a moment before the engine marks the exec done. */
  private async exitCode(): Promise<number | null> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const info = await this.exec.inspect();
      if (!info.Running) return info.ExitCode ?? null;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return null;
  }
}
