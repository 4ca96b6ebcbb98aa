/**
 * Loads Node's built-in `node:sqlite` without its one-time ExperimentalWarning.
 *
 * Node 22 (and Node 23 / early 24) print "ExperimentalWarning: SQLite is an experimental feature
 * and might change at any time" on stderr the first time the module loads; the user can do nothing
 * about it, and the CLI would print it before every command. The warning is raised synchronously
 * inside the module's first load through `process.emitWarning(message, 'ExperimentalWarning')`
 * (Node's `lib/internal/util.js` `emitExperimentalWarning`), so {@link loadSqlite} replaces
 * `process.emitWarning` only for the duration of that load, drops exactly that warning, and
 * restores the original function before returning. Every other warning, including other
 * experimental features', still goes through.
 */
import type * as NodeSqlite from 'node:sqlite';

/** The `node:sqlite` module's exports. */
export type SqliteModule = typeof NodeSqlite;

let cached: SqliteModule | undefined;

/**
 * Returns the `node:sqlite` module, loading it on first use with its ExperimentalWarning dropped.
 *
 * @throws {Error} when the running Node has no `node:sqlite` (Node < 22.13 without a flag); the
 *   message says which Node version is needed.
 */
export function loadSqlite(): SqliteModule {
  if (cached) return cached;
  const sqlite = withoutSqliteWarning(() => process.getBuiltinModule('node:sqlite'));
  if (!sqlite) {
    throw new Error(
      `MOCO needs Node.js 22.13 or newer for its built-in SQLite (node:sqlite); this is Node ${process.version}.`,
    );
  }
  cached = sqlite;
  return sqlite;
}

/**
 * Runs `load` with `process.emitWarning` patched to drop the SQLite ExperimentalWarning, then
 * restores `process.emitWarning` (also when `load` throws). Exported for tests.
 */
export function withoutSqliteWarning<T>(load: () => T): T {
  const descriptor = Object.getOwnPropertyDescriptor(process, 'emitWarning');
  const emit = (process.emitWarning as (...args: unknown[]) => void).bind(process);
  process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
    if (!isSqliteExperimentalWarning(warning, rest[0])) emit(warning, ...rest);
  };
  try {
    return load();
  } finally {
    if (descriptor) Object.defineProperty(process, 'emitWarning', descriptor);
    else delete (process as { emitWarning?: unknown }).emitWarning;
  }
}

/** True for Node's `ExperimentalWarning` about SQLite, in any of `emitWarning`'s call forms. */
function isSqliteExperimentalWarning(warning: string | Error, typeOrOptions: unknown): boolean {
  const type =
    warning instanceof Error
      ? warning.name
      : typeof typeOrOptions === 'string'
        ? typeOrOptions
        : (typeOrOptions as { type?: unknown } | undefined)?.type;
  const message = warning instanceof Error ? warning.message : warning;
  return type === 'ExperimentalWarning' && /^SQLite is an experimental feature/.test(message);
}
