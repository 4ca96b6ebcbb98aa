/**
 * MOCO's persistent storage on node:sqlite: open the database with {@link openDatabase}, then use
 * its stores. See database.ts for durability and migrations.ts for the schema.
 */
export { BUSY_TIMEOUT_MS, MocoDatabase, openDatabase, type OpenDatabaseOptions } from './database';
export { StorageError, type StorageFailure } from './errors';
export { EventStore } from './events';
export { MessageStore } from './messages';
export { SCHEMA_VERSION } from './migrations';
export { RunStore, type RunPatch } from './runs';
export {
  nameFromMessage,
  SESSION_NAME_MAX_LENGTH,
  SessionStore,
  type NewSession,
  type SessionPatch,
} from './sessions';
export { TaskStore, type TaskRow } from './tasks';
