/**
 * The database schema, as ordered migrations (CONVENTIONS.md §10).
 *
 * `MIGRATIONS[n - 1]` takes a database from schema version `n - 1` to `n`; the version lives in
 * `PRAGMA user_version` and each step runs in its own transaction together with the version bump,
 * so a failed step leaves the file at the version before it. A released step is never edited:
 * change the schema by appending a step, and commit a fixture `test/fixtures/storage/schema-vN.sql`
 * written by the new version.
 *
 * Layout of version 1:
 * - `sessions`: one row per session; `updated_at` is the time of its last event.
 * - `runs`: one row per node of a run tree; `pk` keeps insertion (= start) order stable across
 *   `VACUUM`; usage columns hold this node's own tokens (`input_tokens`, `output_tokens`) and USD
 *   (`cost_usd`).
 * - `messages`: each run's chat messages as JSON (`body`), numbered by `seq` from 1 within the run.
 * - `events`: each session's run events as JSON (`body`), numbered by the event's own `seq`.
 * Deleting a session deletes its runs, messages and events (foreign keys, ON DELETE CASCADE).
 *
 * Version 2 adds `runs.owner`: the process that runs a node (`<host>:<pid>`), so that a process
 * opening the file marks as interrupted only the nodes of processes that are gone, never those of
 * another live window on the same workspace.
 *
 * Version 3 adds background tasks (`tasks/run`): `sessions.kind` (`chat` or `task`, default
 * `chat`), `sessions.base_url` (the base URL a send overrode the provider's with, so that a resume
 * reaches the same endpoint; never a key), and `tasks`: one row per task session with its title,
 * log file, start time and the host and pid of the detached process that runs it (`pid` is null
 * until the process has been spawned).
 *
 * Version 4 adds `audit_log`: one row per decision of the command policy (issue 5), with who asked
 * (session, run, agent, tool), the command and its decisive simple command, the rule (pattern and
 * source, `default` when none matched), the decision and the outcome. No foreign key: the audit
 * trail outlives a deleted session. `id` orders the rows by recording time.
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import type { Connection } from './connection';
import { StorageError } from './errors';

/** `PRAGMA application_id` of a MOCO database: the ASCII bytes "MOCO" (0x4D4F434F). */
export const MOCO_APPLICATION_ID = 0x4d4f434f;

const V1 = `
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  profile TEXT NOT NULL,
  model TEXT NOT NULL,
  working_dir TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_by_updated ON sessions (updated_at);

CREATE TABLE runs (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  parent_id TEXT REFERENCES runs (id) ON DELETE CASCADE,
  root_id TEXT NOT NULL,
  tool_call_id TEXT,
  agent TEXT NOT NULL,
  task TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  status TEXT NOT NULL,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  result TEXT,
  error_code INTEGER,
  error_message TEXT
) STRICT;
CREATE INDEX runs_by_session ON runs (session_id, pk);
CREATE INDEX runs_by_parent ON runs (parent_id, tool_call_id);
CREATE INDEX runs_by_root ON runs (root_id);
CREATE INDEX runs_active ON runs (status)
  WHERE status IN ('queued', 'running', 'waiting-for-approval');

CREATE TABLE messages (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) STRICT;
CREATE INDEX messages_by_session ON messages (session_id);

CREATE TABLE events (
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  run_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  time TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
) STRICT;

PRAGMA application_id = ${MOCO_APPLICATION_ID};
`;

const V2 = `ALTER TABLE runs ADD COLUMN owner TEXT;`;

const V3 = `
ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'chat' CHECK (kind IN ('chat', 'task'));
ALTER TABLE sessions ADD COLUMN base_url TEXT;

CREATE TABLE tasks (
  session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  log_file TEXT NOT NULL,
  started_at TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER
) STRICT;
CREATE INDEX tasks_by_started ON tasks (started_at);
`;

const V4 = `
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  session_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  agent TEXT NOT NULL,
  tool TEXT NOT NULL,
  command TEXT NOT NULL,
  decisive TEXT,
  rule_pattern TEXT,
  rule_source TEXT NOT NULL CHECK (rule_source IN ('builtin', 'settings', 'profile', 'policy-file', 'session', 'default')),
  decision TEXT NOT NULL CHECK (decision IN ('allow', 'ask', 'deny')),
  outcome TEXT NOT NULL CHECK (outcome IN ('allowed', 'denied', 'approved', 'rejected')),
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_by_session ON audit_log (session_id, id);
`;

/** The migration steps, oldest first: step `n` (index `n - 1`) produces schema version `n`. */
export const MIGRATIONS: readonly string[] = [V1, V2, V3, V4];

/** The schema version this code writes and reads: the number of migration steps. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Reads the file's schema version and checks that this code may use the file, before anything
 * is written to it.
 *
 * @returns the version in `PRAGMA user_version` (0 for a new, empty file).
 * @throws {StorageError} `newer-schema` when a newer MOCO wrote the file; `damaged` when the file
 *   belongs to another program (another `application_id`, or tables but no version); any
 *   file-level SQLite failure as its {@link StorageError}.
 */
export function inspectSchema(connection: Connection): number {
  const file = connection.file;
  const version = pragmaNumber(connection, 'user_version');
  const applicationId = pragmaNumber(connection, 'application_id');
  const foreign =
    (applicationId !== 0 && applicationId !== MOCO_APPLICATION_ID) ||
    (version === 0 && hasTables(connection));
  if (foreign) {
    throw new StorageError(
      MocoErrorCodes.StorageUnavailable,
      'damaged',
      file,
      `MOCO cannot use ${file}: it is a SQLite database of another program. ` +
        'Move the file aside or choose another storage folder, then try again.',
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new StorageError(
      MocoErrorCodes.StorageUnavailable,
      'newer-schema',
      file,
      `MOCO cannot use its database ${file}: it was written by a newer MOCO (schema version ` +
        `${version}; this MOCO knows up to ${SCHEMA_VERSION}) and is left untouched. ` +
        'Upgrade MOCO, or move the file aside to start with an empty history.',
    );
  }
  return version;
}

/**
 * Applies every migration step above the file's version, each in its own `BEGIN IMMEDIATE`
 * transaction with its `user_version` bump. A step another process applied in the meantime is
 * skipped (the version is read again inside the transaction).
 *
 * @throws {StorageError} `migration-failed` when a step fails (the file keeps the previous
 *   version), or the file-level {@link StorageError} that stopped it (locked, disk full...).
 */
export function migrate(connection: Connection, steps: readonly string[] = MIGRATIONS): void {
  for (let target = 1; target <= steps.length; target += 1) {
    if (pragmaNumber(connection, 'user_version') >= target) continue;
    try {
      connection.transaction(() => {
        if (pragmaNumber(connection, 'user_version') >= target) return;
        connection.exec(steps[target - 1] ?? '');
        connection.exec(`PRAGMA user_version = ${target}`);
      });
    } catch (error) {
      if (error instanceof StorageError) throw error;
      throw new StorageError(
        MocoErrorCodes.StorageUnavailable,
        'migration-failed',
        connection.file,
        `MOCO could not upgrade its database ${connection.file} to schema version ${target} ` +
          `(${(error as Error).message}); the file is unchanged. Move it aside to start with an ` +
          'empty history, and report the problem.',
        error,
      );
    }
  }
}

function pragmaNumber(connection: Connection, name: 'user_version' | 'application_id'): number {
  const row = connection.get<Record<string, number>>(`PRAGMA ${name}`);
  return row?.[name] ?? 0;
}

function hasTables(connection: Connection): boolean {
  return connection.get<{ n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'")?.n !== 0;
}
