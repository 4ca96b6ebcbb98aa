/**
 * MOCO's database: one SQLite file (node:sqlite) holding sessions, the run tree, messages, events,
 * usage and costs, background tasks, and the command policy's audit log.
 *
 * Durability: the file is in WAL mode with `synchronous = NORMAL`, and every store method commits
 * before it returns (alone, or in a short transaction), so killing the process (`kill -9`) loses
 * nothing that a store call had returned from. (NORMAL can lose the last commits on a power cut
 * or an OS crash, never on a process crash; source: https://www.sqlite.org/pragma.html#pragma_synchronous.)
 */
import * as path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { MocoErrorCodes } from '../../../protocol/errors';
import { AuditStore } from './audit';
import { Connection } from './connection';
import { StorageError, toStorageError } from './errors';
import { EventStore } from './events';
import { MessageStore } from './messages';
import { inspectSchema, migrate } from './migrations';
import { RunStore } from './runs';
import { SessionStore } from './sessions';
import { TaskStore } from './tasks';
import { loadSqlite } from './sqlite';

/** How long a write waits for another connection's lock before it fails as `locked`, in ms. */
export const BUSY_TIMEOUT_MS = 5_000;

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** How long a write waits for another connection's lock, in ms; default {@link BUSY_TIMEOUT_MS}. */
  busyTimeoutMs?: number;
}

/** An open MOCO database and its stores. Use from one process; other processes open their own. */
export class MocoDatabase {
  readonly sessions: SessionStore;
  readonly runs: RunStore;
  readonly messages: MessageStore;
  readonly events: EventStore;
  readonly tasks: TaskStore;
  /** The command policy's decisions (schema v4). */
  readonly audit: AuditStore;

  /** @internal Use {@link openDatabase}. */
  constructor(private readonly connection: Connection) {
    this.sessions = new SessionStore(connection);
    this.runs = new RunStore(connection);
    this.messages = new MessageStore(connection);
    this.events = new EventStore(connection);
    this.tasks = new TaskStore(connection);
    this.audit = new AuditStore(connection);
  }

  /** Absolute path of the database file (or `:memory:`). */
  get file(): string {
    return this.connection.file;
  }

  /**
   * Runs `fn`, which calls the stores, as one transaction: all its writes are committed together,
   * or none when it throws (the error is rethrown). Nests. `fn` must be synchronous.
   * @throws {TypeError} when `fn` returns a Promise.
   */
  transaction<T>(fn: () => T): T {
    return this.connection.transaction(fn);
  }

  /** Closes the file (checkpointing the WAL into it). Idempotent; later store calls throw. */
  close(): void {
    this.connection.close();
  }
}

/**
 * Opens (creating it if missing) the database file and brings its schema up to date. The folder
 * must exist (see `ensureWritableDir`). `':memory:'` opens a private in-memory database.
 *
 * A file written by a newer MOCO is refused before anything is written to it.
 *
 * @param file path of the database file, for example `<storage>/moco.db`.
 * @param options busy timeout.
 * @throws {StorageError} code `StorageUnavailable` when the file cannot be opened, is locked,
 *   damaged, of another program, of a newer schema, or cannot be migrated; its message names the
 *   file and what to do.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): MocoDatabase {
  const location = file === ':memory:' ? file : path.resolve(file);
  const connection = new Connection(openFile(location), location);
  try {
    const busyTimeoutMs = Math.max(0, Math.round(options.busyTimeoutMs ?? BUSY_TIMEOUT_MS));
    connection.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    inspectSchema(connection);
    configure(connection);
    migrate(connection);
  } catch (error) {
    connection.close();
    throw asStorageError(error, location);
  }
  return new MocoDatabase(connection);
}

function openFile(location: string): DatabaseSync {
  try {
    const { DatabaseSync } = loadSqlite();
    return new DatabaseSync(location, { enableForeignKeyConstraints: true });
  } catch (error) {
    throw asStorageError(error, location);
  }
}

/** WAL, `synchronous = NORMAL` and foreign keys, per connection (WAL persists in the file). */
function configure(connection: Connection): void {
  const mode = connection.get<{ journal_mode: string }>('PRAGMA journal_mode = WAL')?.journal_mode;
  if (mode !== 'wal' && connection.file !== ':memory:') {
    throw new StorageError(
      MocoErrorCodes.StorageUnavailable,
      'cannot-open',
      connection.file,
      `MOCO cannot use its database ${connection.file}: its file system does not support SQLite's ` +
        `write-ahead log (journal mode stayed "${mode ?? 'unknown'}"). Choose a storage folder on a local disk.`,
    );
  }
  connection.exec('PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
}

function asStorageError(error: unknown, file: string): StorageError {
  const converted = toStorageError(error, file);
  if (converted instanceof StorageError) return converted;
  return new StorageError(
    MocoErrorCodes.StorageUnavailable,
    'cannot-open',
    file,
    `MOCO cannot open its database ${file} (${(error as Error).message}). ` +
      'Check that its folder exists and is writable, then try again.',
    error,
  );
}
