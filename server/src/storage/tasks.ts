/**
 * Background tasks: one row per task session (its session has `kind = 'task'`), with what the
 * Tasks view needs that the run tree does not hold: the title, the log file, and which process
 * runs it. Status and usage come from the session's runs (see server/src/tasks/).
 */
import type { Connection } from './connection';
import { sessionNotFound, SQLITE_CONSTRAINT_FOREIGNKEY, sqliteErrcode } from './errors';

/** A stored task. */
export interface TaskRow {
  /** The task's own session. */
  sessionId: string;
  /** The task text, first line, at most 80 characters. */
  title: string;
  /** Absolute path of the process's log file (stdout and stderr). */
  logFile: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  /** `os.hostname()` of the machine the process runs on. */
  host: string;
  /** Operating-system pid of the task process; undefined until it has been spawned. */
  pid?: number;
}

interface Row {
  sessionId: string;
  title: string;
  logFile: string;
  startedAt: string;
  host: string;
  pid: number | null;
}

const SELECT = `SELECT session_id AS sessionId, title, log_file AS logFile, started_at AS startedAt, host, pid FROM tasks`;

/** Reads and writes the `tasks` table. Every write is committed when the call returns. */
export class TaskStore {
  constructor(private readonly connection: Connection) {}

  /**
   * Stores a new task of an existing session.
   * @throws {StorageError} `SessionNotFound` when the session does not exist.
   * @throws {Error} SQLite's "UNIQUE constraint failed" when the session already has a task.
   */
  create(task: TaskRow): void {
    try {
      this.connection.run(
        'INSERT INTO tasks (session_id, title, log_file, started_at, host, pid) VALUES (?, ?, ?, ?, ?, ?)',
        task.sessionId, task.title, task.logFile, task.startedAt, task.host, task.pid ?? null,
      );
    } catch (error) {
      if (sqliteErrcode(error) === SQLITE_CONSTRAINT_FOREIGNKEY) throw sessionNotFound(this.connection.file, task.sessionId);
      throw error;
    }
  }

  /** Records the pid of the spawned process. @returns false when there is no such task. */
  setPid(sessionId: string, pid: number): boolean {
    return this.connection.run('UPDATE tasks SET pid = ? WHERE session_id = ?', pid, sessionId) > 0;
  }

  /** The task of a session, or undefined. */
  get(sessionId: string): TaskRow | undefined {
    const row = this.connection.get<Row>(`${SELECT} WHERE session_id = ?`, sessionId);
    return row && toTask(row);
  }

  /** Every task, the newest first. */
  list(): TaskRow[] {
    return this.connection.all<Row>(`${SELECT} ORDER BY started_at DESC, rowid DESC`).map(toTask);
  }
}

function toTask(row: Row): TaskRow {
  const task: TaskRow = { sessionId: row.sessionId, title: row.title, logFile: row.logFile, startedAt: row.startedAt, host: row.host };
  if (row.pid !== null) task.pid = row.pid;
  return task;
}
