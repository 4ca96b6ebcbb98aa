/**
 * The storage's error: what went wrong with which database file, and what the user can do.
 */
import { MocoErrorCodes, type MocoErrorCode } from '../../../protocol/errors';

/**
 * Why the database could not be used.
 * - `cannot-open`: the file or its folder cannot be opened (missing folder, permissions).
 * - `locked`: another process held the database longer than the busy timeout.
 * - `disk-full`, `read-only`, `io`: the file system refused a write or a read.
 * - `damaged`: the file is not a SQLite database, is damaged, or belongs to another program.
 * - `newer-schema`: a newer MOCO wrote the file; this one leaves it untouched.
 * - `migration-failed`: upgrading the schema failed; the file keeps its old version.
 * - `not-found`: a write referred to a session or run that does not exist (code
 *   `SessionNotFound` or `RunNotFound`).
 */
export type StorageFailure =
  | 'cannot-open'
  | 'locked'
  | 'disk-full'
  | 'read-only'
  | 'io'
  | 'damaged'
  | 'newer-schema'
  | 'migration-failed'
  | 'not-found';

/**
 * A storage operation failed. `code` is `MocoErrorCodes.StorageUnavailable` for a problem with
 * the file (`failure` says which), or `SessionNotFound` / `RunNotFound` for a write that refers to
 * a missing row. The message names the file and says what to do.
 */
export class StorageError extends Error {
  constructor(
    readonly code: MocoErrorCode,
    readonly failure: StorageFailure,
    /** Absolute path of the database file. */
    readonly file: string,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StorageError';
  }
}

/** The fields node:sqlite puts on its errors (`code: 'ERR_SQLITE_ERROR'`). */
interface SqliteErrorFields {
  code?: unknown;
  /** The extended result code (https://www.sqlite.org/rescode.html). */
  errcode?: unknown;
  errstr?: unknown;
}

/** Extended SQLite result code of a node:sqlite error, or undefined for any other error. */
export function sqliteErrcode(error: unknown): number | undefined {
  const fields = error as SqliteErrorFields | undefined;
  return fields?.code === 'ERR_SQLITE_ERROR' && typeof fields.errcode === 'number'
    ? fields.errcode
    : undefined;
}

/** SQLite primary result codes this module tells apart (https://www.sqlite.org/rescode.html). */
const SQLITE = {
  BUSY: 5,
  LOCKED: 6,
  READONLY: 8,
  IOERR: 10,
  CORRUPT: 11,
  FULL: 13,
  CANTOPEN: 14,
  NOTADB: 26,
} as const;

/** SQLITE_CONSTRAINT_FOREIGNKEY, an extended code. */
export const SQLITE_CONSTRAINT_FOREIGNKEY = 787;

/**
 * Turns a node:sqlite error about the file (busy, read-only, I/O, damaged, full, cannot open)
 * into a {@link StorageError} naming `file`; returns any other error unchanged (constraint
 * violations and SQL mistakes are programming errors and keep SQLite's own message).
 */
export function toStorageError(error: unknown, file: string): unknown {
  if (error instanceof StorageError) return error;
  const errcode = sqliteErrcode(error);
  if (errcode === undefined) return error;
  const detail = (error as Error).message;
  const fail = (failure: StorageFailure, what: string, todo: string): StorageError =>
    new StorageError(
      MocoErrorCodes.StorageUnavailable,
      failure,
      file,
      `MOCO cannot use its database ${file}: ${what} (${detail}). ${todo}`,
      error,
    );
  switch (errcode & 0xff) {
    case SQLITE.BUSY:
    case SQLITE.LOCKED:
      return fail('locked', 'another process keeps it locked', 'Close the other MOCO window or `moco` process that uses it, then try again.');
    case SQLITE.FULL:
      return fail('disk-full', 'the disk is full', 'Free some disk space, then try again.');
    case SQLITE.READONLY:
      return fail('read-only', 'it is read-only', 'Make the file and its folder writable, then try again.');
    case SQLITE.IOERR:
      return fail('io', 'a disk read or write failed', 'Check the disk and free space, then try again.');
    case SQLITE.CORRUPT:
    case SQLITE.NOTADB:
      return fail('damaged', 'the file is damaged or is not a MOCO database', 'Move the file aside (MOCO then starts with an empty history), then try again.');
    case SQLITE.CANTOPEN:
      return fail('cannot-open', 'the file cannot be opened', 'Check that its folder exists and is writable, then try again.');
    default:
      return error;
  }
}

/** A write referred to a session that does not exist. */
export function sessionNotFound(file: string, sessionId: string): StorageError {
  return new StorageError(
    MocoErrorCodes.SessionNotFound,
    'not-found',
    file,
    `No session ${sessionId} in ${file}: it was deleted or never created.`,
  );
}

/** A write referred to a run that does not exist. */
export function runNotFound(file: string, runId: string): StorageError {
  return new StorageError(
    MocoErrorCodes.RunNotFound,
    'not-found',
    file,
    `No run ${runId} in ${file}: its session was deleted or the run was never stored.`,
  );
}
