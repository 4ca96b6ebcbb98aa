/**
 * The background processes of one session (start_background ... get_output): short ids (`p1`,
 * `p2`...), a cap on processes running at once, finished processes kept for a while with their
 * output, and {@link ProcessTable.dispose}, which kills them all when the session ends.
 *
 * The table does not start processes itself: the tool starts them in the session's sandbox and
 * hands the {@link SandboxProcess} over, so the table works with every sandbox driver.
 */
import type { SandboxProcess } from '../../sandbox/types';
import { BackgroundProcess } from './backgroundProcess';
import { MAX_FINISHED_PROCESSES, MAX_RUNNING_PROCESSES, PROCESS_OUTPUT_BYTES } from './limits';

export { BackgroundProcess, type ProcessState } from './backgroundProcess';

/** Options of {@link createProcessTable}; every field has a default from limits.ts. */
export interface ProcessTableOptions {
  /** Background processes running at once. Default {@link MAX_RUNNING_PROCESSES} (10). */
  maxRunning?: number;
  /** Finished processes kept with their output; the oldest are forgotten first. Default {@link MAX_FINISHED_PROCESSES} (20). */
  maxFinished?: number;
  /** Bytes of output kept per process (ring buffer). Default {@link PROCESS_OUTPUT_BYTES} (1 MiB). */
  outputBytes?: number;
}

/** What {@link ProcessTable.start} needs besides the process. */
export interface StartRequest {
  command: string;
  name?: string;
  /** Working directory relative to the run's working directory (`.` for itself), for display. */
  cwd: string;
}

/** The outcome of {@link ProcessTable.start}. */
export type StartOutcome = { ok: true; process: BackgroundProcess } | ({ ok: false } & Refusal);

/** Why a process cannot start: `message` for the model, `summary` (one line) for the user. */
export interface Refusal {
  message: string;
  summary: string;
}

/** One session's background processes. Safe for concurrent calls of several agent runs. */
export class ProcessTable {
  private readonly processes = new Map<string, BackgroundProcess>();
  private readonly maxRunning: number;
  private readonly maxFinished: number;
  private readonly outputBytes: number;
  private nextNumber = 1;
  /** Starts in flight: they count against the cap until they are in the table. */
  private starting = 0;
  private disposed = false;

  constructor(options: ProcessTableOptions = {}) {
    this.maxRunning = options.maxRunning ?? MAX_RUNNING_PROCESSES;
    this.maxFinished = options.maxFinished ?? MAX_FINISHED_PROCESSES;
    this.outputBytes = options.outputBytes ?? PROCESS_OUTPUT_BYTES;
  }

  /** Why no process can be started now (the session ended, or the cap is reached), or undefined. */
  refusal(): Refusal | undefined {
    if (this.disposed) return { message: 'The session has ended, so no background process can be started.', summary: 'session ended' };
    const running = this.running();
    if (running.length + this.starting < this.maxRunning) return undefined;
    const starting = this.starting > 0 ? [`${this.starting} starting`] : [];
    const list = [...running.map((entry) => `${entry.label}: ${entry.command}`), ...starting].join('; ');
    return {
      message:
        `${this.maxRunning} background processes are ${this.starting > 0 ? 'running or starting' : 'running'} already, the most a session may run at once (${list}). ` +
        'Stop one you no longer need with stop_process, then start this one again.',
      summary: 'too many background processes',
    };
  }

  /**
   * Starts a background process: checks the cap, calls `spawn`, and adds the process under a new
   * id. The cap holds across concurrent calls (a start in flight counts).
   * @throws what `spawn` throws (a SandboxError when the sandbox fails).
   */
  async start(request: StartRequest, spawn: () => Promise<SandboxProcess>): Promise<StartOutcome> {
    const refused = this.refusal();
    if (refused) return { ok: false, ...refused };
    this.starting++;
    let started: SandboxProcess;
    try {
      started = await spawn();
    } finally {
      this.starting--;
    }
    if (this.disposed) {
      await started.kill();
      return { ok: false, message: 'The session ended while the process was starting; it was killed.', summary: 'session ended' };
    }
    const id = `p${this.nextNumber++}`;
    const entry = new BackgroundProcess({ id, name: request.name, command: request.command, cwd: request.cwd, outputBytes: this.outputBytes }, started);
    this.processes.set(id, entry);
    this.forgetOldFinished();
    return { ok: true, process: entry };
  }

  /** The process with id `ref`, else the newest one named `ref`, else undefined. */
  find(ref: string): BackgroundProcess | undefined {
    const byId = this.processes.get(ref);
    if (byId) return byId;
    return this.list()
      .reverse()
      .find((entry) => entry.name === ref);
  }

  /** Every process kept, oldest first. */
  list(): BackgroundProcess[] {
    return [...this.processes.values()];
  }

  /** The processes still running, oldest first. */
  running(): BackgroundProcess[] {
    return this.list().filter((entry) => entry.running);
  }

  /** For the model, when `ref` names no process: the ids it may use instead. */
  unknownMessage(ref: string): string {
    const known = this.list();
    if (known.length === 0) return `There is no background process ${ref}: none has been started in this session. Start one with start_background.`;
    const ids = known.map((entry) => `${entry.label} ${entry.describeState()}`).join('; ');
    return `There is no background process ${ref}. Known processes: ${ids}. Use one of these ids (list_processes shows them all).`;
  }

  /** Kills every running process (each whole group) and refuses new ones. Idempotent; never rejects. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.allSettled(this.running().map((entry) => entry.stop()));
  }

  private forgetOldFinished(): void {
    const finished = this.list().filter((entry) => !entry.running);
    for (const entry of finished.slice(0, Math.max(0, finished.length - this.maxFinished))) this.processes.delete(entry.id);
  }
}

/**
 * A session's process table. The engine creates one per session, puts it in
 * `ToolServices.processes` next to the session's sandbox, and calls {@link ProcessTable.dispose}
 * when the session ends or the server exits (before disposing the sandbox).
 */
export function createProcessTable(options: ProcessTableOptions = {}): ProcessTable {
  return new ProcessTable(options);
}
