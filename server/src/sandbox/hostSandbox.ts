/**
 * The part of the `none` and `bubblewrap` drivers that is the same: host processes in their own
 * process group, a private HOME, the clean environment, run-to-end, and dispose(). A driver gives
 * only how a command line becomes an executable and its arguments.
 */
import { rm } from 'node:fs/promises';
import { commandEnv, newRunToken, resolveCwd } from './env';
import { startHostProcess } from './hostProcess';
import { runToEnd } from './runToEnd';
import type { RunResult, Sandbox, SandboxConfig, SandboxKind, SandboxProcess, SpawnOptions } from './types';

/** How one driver starts a command on the host. */
export interface HostLauncher {
  /** @param env the command's whole environment. @returns what to spawn (in `cwd`, with `env`). */
  launch(command: string, cwd: string, env: Record<string, string>): { file: string; args: string[] };
}

/** What a {@link HostSandbox} is made of. */
export interface HostSandboxParts {
  kind: SandboxKind;
  description: string;
  config: SandboxConfig;
  launcher: HostLauncher;
  /** `PATH` of commands. */
  path: string;
  /** `HOME` of commands as they see it. */
  home: string;
  /** A host directory made for this sandbox, removed by dispose(). */
  ownedDir?: string;
}

/** A {@link Sandbox} whose commands are host processes (the `none` and `bubblewrap` drivers). */
export class HostSandbox implements Sandbox {
  readonly kind: SandboxKind;
  readonly description: string;
  readonly config: SandboxConfig;
  private readonly live = new Set<SandboxProcess>();
  private disposed = false;

  constructor(private readonly parts: HostSandboxParts) {
    this.kind = parts.kind;
    this.description = parts.description;
    this.config = parts.config;
  }

  run(command: string, options: SpawnOptions & { timeoutMs?: number }, signal: AbortSignal): Promise<RunResult> {
    const limits = { timeoutMs: options.timeoutMs ?? this.config.timeoutMs, outputCapBytes: this.config.outputCapBytes };
    return runToEnd(() => this.spawn(command, options), limits, signal);
  }

  async spawn(command: string, options: SpawnOptions): Promise<SandboxProcess> {
    if (this.disposed) throw new Error('This sandbox was disposed.');
    const cwd = resolveCwd(this.config, options);
    const token = newRunToken();
    const env = commandEnv({ PATH: this.parts.path, HOME: this.parts.home, LANG: process.env.LANG }, options.env, token);
    const { file, args } = this.parts.launcher.launch(command, cwd, env);
    const proc = await startHostProcess({ file, args, cwd, env, token });
    this.live.add(proc);
    void proc.exited.then(() => this.live.delete(proc));
    return proc;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all([...this.live].map((proc) => proc.kill()));
    if (this.parts.ownedDir) await rm(this.parts.ownedDir, { recursive: true, force: true });
  }
}
