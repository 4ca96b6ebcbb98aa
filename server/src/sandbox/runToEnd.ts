/**
 * `Sandbox.run` for every driver: a started {@link SandboxProcess} followed to its end with a
 * timeout, an output cap and cancellation. Shared so that the three drivers behave the same.
 */
import type { Readable } from 'node:stream';
import type { RunResult, SandboxProcess } from './types';

/** Limits of one {@link runToEnd}. */
export interface RunLimits {
  /** Kill the process tree after this many ms; `timedOut` is then true. */
  timeoutMs: number;
  /** Bytes of stdout + stderr kept together; the rest is read and dropped (`truncated`). */
  outputCapBytes: number;
}

/**
 * Reads both streams to their end, stops the process on timeout or abort, and resolves once the
 * process has exited and its streams have closed. Output past the cap is still read (so the
 * process never blocks on a full pipe) but not kept.
 * @param start starts the process; called here so that the wall time includes the start.
 * @throws the signal's reason when aborted (after the process tree is killed).
 */
export async function runToEnd(
  start: () => Promise<SandboxProcess>,
  limits: RunLimits,
  signal: AbortSignal,
): Promise<RunResult> {
  signal.throwIfAborted();
  const startedAt = performance.now();
  const proc = await start();
  const sink = new CappedSink(limits.outputCapBytes);
  const outputDone = Promise.all([sink.drain(proc.stdout, 'stdout'), sink.drain(proc.stderr, 'stderr')]);
  proc.closeStdin();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void proc.kill().catch(() => undefined);
  }, limits.timeoutMs);
  const onAbort = (): void => void proc.kill().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const { exitCode } = await proc.exited;
    await outputDone;
    signal.throwIfAborted();
    return {
      exitCode,
      stdout: sink.text('stdout'),
      stderr: sink.text('stderr'),
      timedOut,
      truncated: sink.truncated,
      durationMs: performance.now() - startedAt,
    };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** Keeps the first `cap` bytes of two streams together. */
class CappedSink {
  private readonly chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  private kept = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  /** Resolves when the stream has ended or closed (or errored: a killed process's pipe may). */
  drain(stream: Readable, which: 'stdout' | 'stderr'): Promise<void> {
    return new Promise((resolve) => {
      stream.on('data', (data: Buffer | string) => this.add(which, typeof data === 'string' ? Buffer.from(data) : data));
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });
  }

  text(which: 'stdout' | 'stderr'): string {
    return Buffer.concat(this.chunks[which]).toString('utf8');
  }

  private add(which: 'stdout' | 'stderr', data: Buffer): void {
    const room = this.cap - this.kept;
    if (data.length > room) this.truncated = true;
    if (room <= 0) return;
    const part = data.length > room ? data.subarray(0, room) : data;
    this.chunks[which].push(part);
    this.kept += part.length;
  }
}
