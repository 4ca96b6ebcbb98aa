/**
 * A host process in its own process group, as a {@link SandboxProcess}: used by the `none` and
 * `bubblewrap` drivers. kill() signals the whole group (SIGTERM, then SIGKILL after a grace), and
 * when the main process ends, whatever it left running (its group, and the processes carrying its
 * run token) is killed before `exited` resolves.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { killProcessesWithToken } from './procSweep';
import { SandboxError, type SandboxProcess } from './types';

/** ms between SIGTERM and SIGKILL when a process is killed. */
export const KILL_GRACE_MS = 1000;

/** What {@link startHostProcess} starts. */
export interface HostCommand {
  file: string;
  args: string[];
  /** Host directory to start in. */
  cwd: string;
  /** The whole environment of the process (nothing is inherited). */
  env: Record<string, string>;
  /** The run token in `env` (see env.ts), to find escaped processes. */
  token: string;
}

/**
 * Starts the process in a new process group (`detached`).
 * @throws {SandboxError} when it cannot be started (missing executable, bad cwd).
 */
export async function startHostProcess(command: HostCommand): Promise<SandboxProcess> {
  const child = spawn(command.file, command.args, {
    cwd: command.cwd,
    env: command.env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  try {
    await once(child, 'spawn');
  } catch (error) {
    throw new SandboxError(`Could not start ${command.file} in ${command.cwd}: ${(error as Error).message}.`);
  }
  return new HostProcess(child, command.token);
}

/** Process groups still running, killed if this process exits first (they are detached). */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const group of liveGroups) {
        try {
          process.kill(-group, 'SIGKILL');
        } catch {
          // gone
        }
      }
    });
  }
  liveGroups.add(pid);
}

class HostProcess implements SandboxProcess {
  readonly id: string;
  readonly exited: Promise<{ exitCode: number | null; signal?: string }>;
  private leaderExited = false;
  private killing: Promise<void> | undefined;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly token: string,
  ) {
    this.id = String(child.pid);
    trackGroup(Number(this.id));
    child.stdin.on('error', () => undefined); // EPIPE when the process is gone: write() reports it
    this.exited = new Promise((resolve) => {
      child.once('exit', (exitCode, signal) => {
        this.leaderExited = true;
        void this.killLeftovers().then(() => {
          liveGroups.delete(Number(this.id));
          resolve(signal ? { exitCode, signal } : { exitCode });
        });
      });
    });
  }

  get stdout() {
    return this.child.stdout;
  }

  get stderr() {
    return this.child.stderr;
  }

  write(data: string): Promise<void> {
    const stdin = this.child.stdin;
    if (stdin.destroyed || stdin.writableEnded) return Promise.reject(new Error('stdin is closed'));
    return new Promise((resolve, reject) => stdin.write(data, (error) => (error ? reject(error) : resolve())));
  }

  closeStdin(): void {
    this.child.stdin.end();
  }

  kill(): Promise<void> {
    this.killing ??= this.stop();
    return this.killing;
  }

  private async stop(): Promise<void> {
    if (!this.leaderExited) {
      this.signalGroup('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, KILL_GRACE_MS)));
      await Promise.race([this.exited, grace]);
      clearTimeout(timer);
      this.signalGroup('SIGKILL');
    }
    await this.exited;
  }

  private async killLeftovers(): Promise<void> {
    this.signalGroup('SIGKILL');
    await killProcessesWithToken(this.token, Number(this.id));
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-Number(this.id), signal);
    } catch {
      // the group is empty
    }
  }
}
