/**
 * One background process of a session: the {@link SandboxProcess} it runs as, its state, and its
 * output in a ring buffer with the read cursor of `get_output`.
 */
import type { Readable } from 'node:stream';
import type { SandboxProcess } from '../../sandbox/types';
import { OutputBuffer } from './outputBuffer';

/** Where a background process is in its life. */
export type ProcessState =
  | { kind: 'running' }
  | { kind: 'exited'; exitCode: number }
  /** Ended by a signal that did not come from stop_process (a crash, the OOM killer). */
  | { kind: 'killed'; signal?: string }
  /** Ended by stop_process, or when the session ended. */
  | { kind: 'stopped' };

/** What {@link BackgroundProcess} is started with. */
export interface BackgroundSpec {
  /** Short id, for example `p1`. */
  id: string;
  /** A name the model gave, for example `dev-server`. */
  name?: string;
  /** The command line as the model wrote it. */
  command: string;
  /** Working directory, relative to the working directory of the run (`.` for itself). */
  cwd: string;
  /** Bytes of output kept (ring buffer). */
  outputBytes: number;
}

/**
 * After the process exits, how long (ms) its streams may take to deliver their last bytes before
 * it counts as finished anyway (a detached grandchild may hold a pipe open).
 */
const DRAIN_GRACE_MS = 500;

/** A running or finished background process. */
export class BackgroundProcess {
  readonly id: string;
  readonly name: string | undefined;
  readonly command: string;
  readonly cwd: string;
  /** When it started, ms since the epoch. */
  readonly startedAt = Date.now();
  /** When it ended, ms since the epoch (undefined while running). */
  endedAt: number | undefined;
  state: ProcessState = { kind: 'running' };
  readonly output: OutputBuffer;
  /** Absolute output offset up to which `get_output` has shown the output. */
  readCursor = 0;
  /** Resolves once the process has exited and its output has been read to the end. Never rejects. */
  readonly finished: Promise<void>;
  private stopRequested = false;
  /** Set as soon as the process has exited, before its output is drained. */
  private hasExited = false;

  constructor(
    spec: BackgroundSpec,
    private readonly process: SandboxProcess,
  ) {
    this.id = spec.id;
    this.name = spec.name;
    this.command = spec.command;
    this.cwd = spec.cwd;
    this.output = new OutputBuffer(spec.outputBytes);
    const drained = Promise.all([this.collect(process.stdout), this.collect(process.stderr)]);
    this.finished = process.exited.then(
      async ({ exitCode, signal }) => {
        this.hasExited = true;
        await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_GRACE_MS).unref())]);
        this.endedAt = Date.now();
        if (this.stopRequested) this.state = { kind: 'stopped' };
        else if (exitCode !== null) this.state = { kind: 'exited', exitCode };
        else this.state = { kind: 'killed', signal };
      },
      () => {
        this.endedAt = Date.now();
        this.state = { kind: 'killed' };
      },
    );
  }

  /** The id the sandbox gave the process (host pid, or the Docker exec id). */
  get sandboxId(): string {
    return this.process.id;
  }

  get running(): boolean {
    return this.state.kind === 'running';
  }

  /** `p1 (dev-server)`, or `p1` without a name. */
  get label(): string {
    return this.name ? `${this.id} (${this.name})` : this.id;
  }

  /** `running for 12 s`, `exited with code 1 after 3.0 s`, `stopped after 40 s`... */
  describeState(now = Date.now()): string {
    const elapsed = formatSeconds(((this.endedAt ?? now) - this.startedAt) / 1000);
    switch (this.state.kind) {
      case 'running':
        return `running for ${elapsed}`;
      case 'exited':
        return `exited with code ${this.state.exitCode} after ${elapsed}`;
      case 'killed':
        return `killed${this.state.signal ? ` by ${this.state.signal}` : ''} after ${elapsed}`;
      case 'stopped':
        return `stopped after ${elapsed}`;
    }
  }

  /** Writes to the process's stdin. @throws {Error} when stdin is closed. */
  write(data: string): Promise<void> {
    return this.process.write(data);
  }

  /** Kills the process and its whole group, then waits until it counts as finished. Idempotent. */
  async stop(): Promise<void> {
    if (!this.hasExited) this.stopRequested = true;
    await this.process.kill();
    await this.finished;
  }

  private collect(stream: Readable): Promise<void> {
    return new Promise((resolve) => {
      stream.on('data', (data: Buffer | string) => this.output.append(typeof data === 'string' ? Buffer.from(data) : data));
      stream.once('end', resolve);
      stream.once('close', resolve);
      // A killed process's pipe may error; its output so far is kept.
      stream.once('error', () => resolve());
    });
  }
}

/** Seconds for people: `0.4 s`, `12 s`, `3 min 5 s`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}
