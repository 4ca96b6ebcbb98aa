/**
 * Each run's chat messages, in the OpenAI wire format, stored as JSON in the order they were
 * appended. Resuming a run replays them to the model.
 */
import type { ChatMessage } from '../../../protocol/run';
import type { Connection } from './connection';
import { runNotFound } from './errors';

/** Reads and writes the `messages` table. Every append is committed when the call returns. */
export class MessageStore {
  constructor(private readonly connection: Connection) {}

  /**
   * Appends a message to a run's conversation, in one statement.
   * @returns its `seq` within the run: 1 for the first message, then 2, 3...
   * @throws {StorageError} `RunNotFound` when there is no run with that id.
   */
  append(runId: string, message: ChatMessage): number {
    const row = this.connection.get<{ seq: number }>(
      `INSERT INTO messages (run_id, seq, session_id, role, body)
       SELECT r.id, coalesce((SELECT max(m.seq) FROM messages m WHERE m.run_id = r.id), 0) + 1,
         r.session_id, ?, ?
       FROM runs r WHERE r.id = ?
       RETURNING seq`,
      message.role, JSON.stringify(message), runId,
    );
    if (!row) throw runNotFound(this.connection.file, runId);
    return row.seq;
  }

  /** The run's messages in `seq` order; `[]` for an unknown run. */
  list(runId: string): ChatMessage[] {
    return this.connection
      .all<{ body: string }>('SELECT body FROM messages WHERE run_id = ? ORDER BY seq', runId)
      .map((row) => JSON.parse(row.body) as ChatMessage);
  }

  /** Number of messages of one session's runs, or of the whole database without `sessionId`. */
  count(sessionId?: string): number {
    const row =
      sessionId === undefined
        ? this.connection.get<{ n: number }>('SELECT count(*) AS n FROM messages')
        : this.connection.get<{ n: number }>('SELECT count(*) AS n FROM messages WHERE session_id = ?', sessionId);
    return row?.n ?? 0;
  }
}
