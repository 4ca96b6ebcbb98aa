/**
 * The sandbox contract (../shared/DESIGN.md "Sandbox"): one interface, three drivers (`docker`
 * through dockerode, `bubblewrap`, `none`). The command policy runs before every driver; a driver
 * only confines what it is given. Limits default to the kOS design: 1 CPU, 512 MB, a pids limit,
 * no network, a timeout and an output cap (see {@link SANDBOX_DEFAULTS}).
 */
import type { Readable } from 'node:stream';

/** The drivers. `none` = the command policy and approval only, the command runs on the host. */
export type SandboxKind = 'docker' | 'bubblewrap' | 'none';

/** The setting `moco.sandbox.mode` and the CLI's `--sandbox`. */
export type SandboxMode = 'auto' | SandboxKind;

/** Limits and options of one session's sandbox. */
export interface SandboxConfig {
  /** Real path of the workspace: mounted read-write at the same path; the only writable place besides a tmpfs /tmp. */
  workspace: string;
  /** Docker image (`moco.sandbox.image`, `--sandbox-image`); default {@link SANDBOX_DEFAULTS.image}. */
  image: string;
  /** CPUs (Docker `NanoCpus` = cpus × 1e9). Default 1. */
  cpus: number;
  /** Memory limit in MB (Docker `Memory`). Default 512. */
  memoryMb: number;
  /** Max processes (Docker `PidsLimit`; bubblewrap: `ulimit -u` inside). Default 256. */
  pidsLimit: number;
  /** Whether commands may open network connections (`moco.sandbox.network`). Default false. */
  network: boolean;
  /** Timeout of a foreground command in ms. Default 120000. */
  timeoutMs: number;
  /** Bytes of stdout + stderr kept per command; the rest is dropped and said. Default 1 MiB. */
  outputCapBytes: number;
  /** The session the sandbox belongs to: the Docker container's label value. */
  sessionId: string;
}

/** Defaults of {@link SandboxConfig} (source: the kOS design, via the issue). */
export const SANDBOX_DEFAULTS = {
  image: 'debian:bookworm-slim',
  cpus: 1,
  memoryMb: 512,
  pidsLimit: 256,
  network: false,
  timeoutMs: 120_000,
  outputCapBytes: 1024 * 1024,
} as const;

/** Options of one command. */
export interface SpawnOptions {
  /** Absolute directory inside the workspace (default: the workspace). */
  cwd?: string;
  /**
   * Variables for the command. The host's environment is never passed through (no secrets reach
   * the sandbox); drivers set only `PATH`, `HOME` (a tmpfs), `LANG`, `TERM` and these.
   */
  env?: Record<string, string>;
}

/** A process started in the sandbox (foreground or background). */
export interface SandboxProcess {
  /** An id for display (host pid, or the Docker exec id). */
  readonly id: string;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Writes to the process's stdin. @throws {Error} when stdin is closed. */
  write(data: string): Promise<void>;
  /** Closes stdin (EOF). */
  closeStdin(): void;
  /** Kills the process and every process it started (its whole group), then resolves. Idempotent. */
  kill(): Promise<void>;
  /**
   * Resolves when the process has exited: exit code, or null with the signal that killed it.
   * Whatever the process left running (its group, `setsid`/`nohup` escapees) is killed before it
   * resolves. Rejects with a {@link SandboxError} when the sandbox itself failed meanwhile (the
   * Docker engine stopped).
   */
  readonly exited: Promise<{ exitCode: number | null; signal?: string }>;
}

/** The result of {@link Sandbox.run}. */
export interface RunResult {
  /** Exit code; null when killed (timeout, cancel, OOM). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** True when the timeout killed it. */
  timedOut: boolean;
  /** True when output beyond `outputCapBytes` was dropped. */
  truncated: boolean;
  /** Wall time in ms. */
  durationMs: number;
}

/** One session's sandbox. */
export interface Sandbox {
  readonly kind: SandboxKind;
  /** One line for the user: which driver, and for `auto` why (for example "bubblewrap: no Docker engine answered at /var/run/docker.sock"). */
  readonly description: string;
  readonly config: SandboxConfig;
  /**
   * Runs a command to its end with `bash -c` (or `sh -c` when the image has no bash), the timeout
   * and the output cap; kills the whole process tree on timeout or abort.
   * @throws the signal's reason when aborted.
   * @throws {SandboxError} when the sandbox itself fails (the engine stopped, the image is missing).
   */
  run(command: string, options: SpawnOptions & { timeoutMs?: number }, signal: AbortSignal): Promise<RunResult>;
  /** Starts a long-lived command (background processes). @throws {SandboxError}. */
  spawn(command: string, options: SpawnOptions): Promise<SandboxProcess>;
  /** Stops every process and releases the sandbox (removes the Docker container). Idempotent. */
  dispose(): Promise<void>;
}

/** The sandbox itself failed (not the command): a message that says what to do. */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
}
