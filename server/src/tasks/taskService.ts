/**
 * Background tasks (protocol/tasks.ts): `tasks/run` stores a session of kind `task` and spawns a
 * detached `moco` CLI process on it (taskProcess.ts); `tasks/list` and `tasks/cancel`; and a
 * follower that re-attaches to the tasks other processes run. While a task runs, the follower
 * reads its session's new events from the database every {@link TASK_POLL_MS} ms and passes them
 * on (they become `run/didChange`), and reports each change of the task's summary (status,
 * usage, outcome: `tasks/didChange`), the last one when it ends. A new server picks up the tasks
 * that still run when it opens the engine, so a task survives a window reload.
 */
import type { ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { MocoErrorCodes } from '../../../protocol/errors';
import type { RunEvent } from '../../../protocol/run';
import type { TaskSummary, TasksRunParams } from '../../../protocol/tasks';
import type { MocoEngine } from '../engine/engine';
import { MocoError } from '../orchestrator/errors';
import { ProviderError } from '../providers/errors';
import { nameFromMessage } from '../storage/sessions';
import { ownerAlive, processOwner } from '../storage/runs';
import { TOOL_SETTINGS_VARIABLE } from '../cli/toolOptions';
import { spawnTaskProcess, taskLogFile, type TaskLauncher } from './taskProcess';
import { isFinalStatus, summarizeTask, type SummaryContext } from './taskSummary';

/** How often the database is read for the events of tasks that run in other processes, in ms. */
export const TASK_POLL_MS = 250;

/** Where the service's news goes. */
export interface TaskNotifier {
  /** A task started, progressed or ended (`tasks/didChange`). */
  onTaskChange(task: TaskSummary): void;
  /** Events another process stored for a task's session (`run/didChange`), in `seq` order. */
  onEvents(sessionId: string, events: RunEvent[]): void;
  /** A poll failed (the database is locked, for example); the next one tries again. */
  onError?(error: unknown): void;
}

interface Followed {
  /** The highest `seq` passed on (or sent by this process's engine). */
  lastSeq: number;
  /** The last summary reported, as JSON. */
  last?: string;
  /** Whether the root's `runFinished` has been passed on: the task's last event. */
  rootFinished?: boolean;
}

/** The background tasks of one storage folder. */
export class TaskService {
  private readonly followed = new Map<string, Followed>();
  private readonly cancelRequested = new Set<string>();
  /** Sessions known not to be tasks, so that their events are not looked up again. */
  private readonly chats = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly context: SummaryContext;
  private readonly stopListening: () => void;

  /**
   * Starts following the stored tasks that have not ended.
   * @param engine the server's engine on the storage folder's database.
   */
  constructor(
    private readonly engine: MocoEngine,
    private readonly launcher: TaskLauncher,
    private readonly notify: TaskNotifier,
  ) {
    const own = processOwner();
    this.context = { alive: (owner) => owner === own || ownerAlive(owner), cancelRequested: this.cancelRequested };
    this.stopListening = engine.onEvents((sessionId, events) => this.onOwnEvents(sessionId, events));
    for (const task of engine.db.tasks.list()) {
      const summary = summarizeTask(engine.db, task, this.context);
      if (!isFinalStatus(summary.status)) this.follow(task.sessionId, engine.db.events.lastSeq(task.sessionId), summary);
    }
  }

  /**
   * Starts a background task: resolves it as `chat/send` would (so that a bad profile or a
   * missing key fails here, with the same errors), stores its session and spawns its process.
   * @returns its summary, `queued` until the process has stored the root run.
   * @throws {MocoError|ProviderError|ProfileError} as `chat/send`; `ProviderNotConfigured` for
   *   `vscode-lm`, which a process outside the editor cannot reach; `Internal` when the process
   *   cannot be started.
   */
  async run(params: TasksRunParams): Promise<TaskSummary> {
    const named = params.provider?.trim() ?? '';
    const baseURL = params.baseURL ?? (/^https?:\/\//i.test(named) ? named : undefined);
    const target = await this.engine.resolveTarget({ ...params, ...(baseURL ? { baseURL } : {}) });
    if (target.providerId === 'vscode-lm') {
      throw new ProviderError(
        MocoErrorCodes.ProviderNotConfigured,
        'A background task runs in its own process, outside the editor, so it cannot use the VS Code ' +
          'language models. Choose another provider with "MOCO: Select Provider and Model", or run the task in the chat.',
      );
    }
    const db = this.engine.db;
    const title = nameFromMessage(params.text);
    const session = db.sessions.create({
      name: title,
      profile: target.profile.name,
      model: `${target.providerId}/${target.model}`,
      workingDir: target.workingDir,
      kind: 'task',
      ...(baseURL ? { baseURL } : {}),
    });
    const logFile = taskLogFile(this.launcher.storagePath, session.id);
    db.tasks.create({ sessionId: session.id, title, logFile, startedAt: new Date().toISOString(), host: hostname() });
    let child: ChildProcess;
    try {
      // The editor's tool settings (sandbox, policy rules, web) go with the task: its CLI cannot ask.
      const env = { ...target.env, [TOOL_SETTINGS_VARIABLE]: JSON.stringify(await this.engine.toolSettings()) };
      child = await spawnTaskProcess(this.launcher, { sessionId: session.id, text: params.text, workingDir: target.workingDir, env, logFile });
    } catch (error) {
      db.sessions.delete(session.id);
      throw error;
    }
    db.tasks.setPid(session.id, child.pid!);
    // Its end is seen at once rather than at the next poll.
    child.once('exit', () => this.safePoll());
    const summary = this.summary(session.id)!;
    this.follow(session.id, 0);
    this.report(session.id, summary);
    return summary;
  }

  /** Every task, the newest first. */
  list(): TaskSummary[] {
    return this.engine.db.tasks.list().map((task) => summarizeTask(this.engine.db, task, this.context));
  }

  /**
   * Cancels a task: its run, when this server resumed it; else SIGINT to its process, which
   * cancels the run, stores it as `cancelled` and exits.
   * @returns false when the task had ended (or runs on another machine).
   * @throws {MocoError} `SessionNotFound` when no task has that session.
   */
  cancel(sessionId: string): boolean {
    const task = this.engine.db.tasks.get(sessionId);
    if (!task) throw new MocoError(MocoErrorCodes.SessionNotFound, `No background task has the session ${sessionId}. List them with tasks/list.`);
    const summary = summarizeTask(this.engine.db, task, this.context);
    if (isFinalStatus(summary.status)) return false;
    if (this.engine.isRunning(sessionId)) return summary.runId ? this.engine.cancel(summary.runId) : false;
    if (task.pid === undefined || task.host !== hostname() || !ownerAlive(`${task.host}:${task.pid}`)) return false;
    this.cancelRequested.add(sessionId);
    try {
      process.kill(task.pid, 'SIGINT');
    } catch {
      return false;
    }
    // Already followed, it keeps its place in the events; a lastSeq from now would skip the unread ones.
    if (!this.followed.has(sessionId)) this.follow(sessionId, this.engine.db.events.lastSeq(sessionId));
    return true;
  }

  /** Whether a task of that session has not ended (its session must not be deleted). */
  isActive(sessionId: string): boolean {
    const task = this.engine.db.tasks.get(sessionId);
    return task !== undefined && !isFinalStatus(summarizeTask(this.engine.db, task, this.context).status);
  }

  /** Stops following; the task processes go on. */
  close(): void {
    this.stopListening();
    this.followed.clear();
    this.stopTimer();
  }

  private safePoll(): void {
    try {
      this.poll();
    } catch (error) {
      this.notify.onError?.(error);
    }
  }

  /** Reads new events and summaries of the followed tasks, and reports what changed. */
  private poll(): void {
    const db = this.engine.db;
    for (const [sessionId, state] of this.followed) {
      if (!db.tasks.get(sessionId)) {
        this.followed.delete(sessionId);
        continue;
      }
      const events = db.events.list(sessionId, state.lastSeq);
      let summary = this.summary(sessionId)!;
      if (events.length > 0) {
        state.lastSeq = events.at(-1)!.seq;
        if (events.some((event) => event.kind === 'runFinished' && event.runId === summary.runId)) state.rootFinished = true;
        this.notify.onEvents(sessionId, events);
      }
      // The process died mid-run: store what became of its nodes, as a new server would.
      if (summary.status === 'interrupted' && summary.runId && db.runs.get(summary.runId)?.status !== 'interrupted') {
        this.engine.reapInterrupted();
        summary = this.summary(sessionId)!;
      }
      this.report(sessionId, summary);
      // The root's status is stored just before its runFinished event (and the last delta): a
      // final status alone does not mean every event has been read. Stop once the runFinished
      // has gone out, or when no run will send one (a dead process, a task cancelled before it ran).
      const ended = state.rootFinished === true || summary.status === 'interrupted' || summary.runId === undefined;
      if (isFinalStatus(summary.status) && ended) this.followed.delete(sessionId);
    }
    if (this.followed.size === 0) this.stopTimer();
  }

  private summary(sessionId: string): TaskSummary | undefined {
    const task = this.engine.db.tasks.get(sessionId);
    return task && summarizeTask(this.engine.db, task, this.context);
  }

  private report(sessionId: string, summary: TaskSummary): void {
    const state = this.followed.get(sessionId);
    const json = JSON.stringify(summary);
    if (state?.last === json) return;
    if (state) state.last = json;
    this.notify.onTaskChange(summary);
  }

  private follow(sessionId: string, lastSeq: number, summary?: TaskSummary): void {
    const state = this.followed.get(sessionId);
    if (state) state.lastSeq = Math.max(state.lastSeq, lastSeq);
    else this.followed.set(sessionId, { lastSeq, ...(summary ? { last: JSON.stringify(summary) } : {}) });
    this.timer ??= setInterval(() => this.safePoll(), TASK_POLL_MS);
  }

  /** Events this process's engine sent itself (a resumed task, interrupted nodes): not sent again. */
  private onOwnEvents(sessionId: string, events: RunEvent[]): void {
    if (this.chats.has(sessionId) || events.length === 0) return;
    const lastSeq = events.at(-1)!.seq;
    if (this.followed.has(sessionId)) this.follow(sessionId, lastSeq);
    else if (this.engine.db.tasks.get(sessionId)) this.follow(sessionId, lastSeq);
    else this.chats.add(sessionId);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
