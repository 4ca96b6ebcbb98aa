/**
 * One open SQLite connection with a cache of prepared statements, typed row access, and
 * transactions that nest (the outermost is `BEGIN IMMEDIATE`, inner ones are savepoints). Every
 * failure about the file comes out as a {@link StorageError} naming it.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { toStorageError } from './errors';

/** Positional values, or one object of named values (`:name` in the SQL) first. */
export type SqlParams = [Record<string, SQLInputValue>, ...SQLInputValue[]] | SQLInputValue[];

/** A prepared-statement cache over one connection. Not safe to share across processes. */
export class Connection {
  private readonly statements = new Map<string, StatementSync>();
  private depth = 0;
  private open = true;

  constructor(
    private readonly db: DatabaseSync,
    /** Absolute path of the database file, for error messages. */
    readonly file: string,
  ) {}

  /**
   * Runs a statement that returns no rows; the statement is prepared once and reused.
   * @returns the number of rows changed.
   */
  run(sql: string, ...params: SqlParams): number {
    return this.guard(() => Number(this.statement(sql).run(...(params as SQLInputValue[])).changes));
  }

  /** First row of a query, typed as `Row` (the caller's column names), or undefined. */
  get<Row>(sql: string, ...params: SqlParams): Row | undefined {
    return this.guard(() => this.statement(sql).get(...(params as SQLInputValue[])) as Row | undefined);
  }

  /** Every row of a query, typed as `Row`. */
  all<Row>(sql: string, ...params: SqlParams): Row[] {
    return this.guard(() => this.statement(sql).all(...(params as SQLInputValue[])) as Row[]);
  }

  /** Runs SQL text of one or more statements, unprepared (pragmas, migrations). */
  exec(sql: string): void {
    this.guard(() => this.db.exec(sql));
  }

  /**
   * Runs `fn` in a transaction and commits, or rolls back and rethrows when it throws. The
   * outermost call takes the write lock at once (`BEGIN IMMEDIATE`, waiting up to the busy
   * timeout), so a read-then-write never fails half-way; nested calls use savepoints.
   *
   * @throws {TypeError} when `fn` returns a Promise: SQLite transactions here are synchronous.
   */
  transaction<T>(fn: () => T): T {
    const outermost = this.depth === 0;
    const savepoint = `moco_${this.depth}`;
    this.exec(outermost ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
    this.depth += 1;
    let result: T;
    try {
      result = fn();
      if (result instanceof Promise) {
        throw new TypeError('transaction(fn): fn must be synchronous; it returned a Promise.');
      }
    } catch (error) {
      this.depth -= 1;
      this.rollback(outermost, savepoint);
      throw error;
    }
    this.depth -= 1;
    try {
      this.exec(outermost ? 'COMMIT' : `RELEASE ${savepoint}`);
    } catch (error) {
      this.rollback(outermost, savepoint);
      throw error;
    }
    return result;
  }

  /** Closes the connection; later calls fail. Idempotent. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.statements.clear();
    this.db.close();
  }

  /** True until {@link close}. */
  get isOpen(): boolean {
    return this.open;
  }

  private rollback(outermost: boolean, savepoint: string): void {
    try {
      this.db.exec(outermost ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
    } catch {
      // SQLite already rolled back on its own (for example after SQLITE_FULL); nothing to undo.
    }
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private guard<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      throw toStorageError(error, this.file);
    }
  }
}
