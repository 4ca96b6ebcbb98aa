/**
 * Each session's run events, stored as JSON before they are sent, so that replaying them after a
 * reload or a crash rebuilds what the user saw.
 */
import type { RunEvent } from '../../../protocol/run';
import type { Connection } from './connection';
import { sessionNotFound, SQLITE_CONSTRAINT_FOREIGNKEY, sqliteErrcode } from './errors';

/** Reads and writes the `events` table. */
export class EventStore {
  constructor(private readonly connection: Connection) {}

  /**
   * Stores a batch of events of one session in one transaction, keyed by their own `seq`, and
   * moves the session's `updatedAt` to the last event's `time` (never backwards).
   * @throws {StorageError} `SessionNotFound` when there is no session with that id (nothing is
   *   stored).
   * @throws {Error} SQLite's "UNIQUE constraint failed" when a `seq` is already stored for the
   *   session (nothing of the batch is stored).
   */
  append(sessionId: string, events: readonly RunEvent[]): void {
    if (events.length === 0) return;
    try {
      this.connection.transaction(() => {
        let latest = '';
        for (const event of events) {
          this.connection.run(
            'INSERT INTO events (session_id, seq, run_id, kind, time, body) VALUES (?, ?, ?, ?, ?, ?)',
            sessionId, event.seq, event.runId, event.kind, event.time, JSON.stringify(event),
          );
          if (event.time > latest) latest = event.time;
        }
        this.connection.run(
          'UPDATE sessions SET updated_at = max(updated_at, ?) WHERE id = ?',
          latest, sessionId,
        );
      });
    } catch (error) {
      if (sqliteErrcode(error) === SQLITE_CONSTRAINT_FOREIGNKEY) {
        throw sessionNotFound(this.connection.file, sessionId);
      }
      throw error;
    }
  }

  /** The session's events with `seq` greater than `afterSeq` (default 0: all), in `seq` order. */
  list(sessionId: string, afterSeq = 0): RunEvent[] {
    return this.connection
      .all<{ body: string }>(
        'SELECT body FROM events WHERE session_id = ? AND seq > ? ORDER BY seq',
        sessionId, afterSeq,
      )
      .map((row) => JSON.parse(row.body) as RunEvent);
  }

  /** The highest `seq` stored for the session; 0 when it has no events. */
  lastSeq(sessionId: string): number {
    return (
      this.connection.get<{ seq: number }>(
        'SELECT coalesce(max(seq), 0) AS seq FROM events WHERE session_id = ?',
        sessionId,
      )?.seq ?? 0
    );
  }
}
