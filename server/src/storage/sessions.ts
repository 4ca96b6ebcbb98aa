/**
 * Sessions: named conversations. A session's usage, run count and resumability are computed from
 * its runs when it is read, so they never drift from the run tree.
 */
import { randomUUID } from 'node:crypto';
import type { SessionSummary } from '../../../protocol/sessions';
import type { Connection } from './connection';

/** What {@link SessionStore.create} needs; `id` defaults to a new UUID, `name` to `''`. */
export interface NewSession {
  id?: string;
  name?: string;
  /** Profile name, for example `development`. */
  profile: string;
  /** `provider/model`, for example `openrouter/anthropic/claude-sonnet-4`. */
  model: string;
  /** Absolute path of the working directory. */
  workingDir: string;
  /** `chat` (the default) or `task` for a background task's own session. */
  kind?: SessionSummary['kind'];
  /** Base URL the send overrode the provider's with (`ChatSendParams.baseURL`). */
  baseURL?: string;
}

/** The fields of a session that {@link SessionStore.update} may change. */
export type SessionPatch = Partial<Pick<SessionSummary, 'name' | 'profile' | 'model' | 'workingDir'>>;

/** Longest name {@link nameFromMessage} returns, in characters (Unicode code points). */
export const SESSION_NAME_MAX_LENGTH = 80;

/**
 * A session name from a user's message: its first non-blank line, trimmed, with runs of
 * whitespace collapsed, cut to {@link SESSION_NAME_MAX_LENGTH} code points (the last one an
 * ellipsis "…" when cut). `''` for a blank message.
 */
export function nameFromMessage(text: string): string {
  const line = text.split(/\r\n|\r|\n/).find((candidate) => candidate.trim() !== '') ?? '';
  const chars = Array.from(line.trim().replace(/\s+/g, ' '));
  if (chars.length <= SESSION_NAME_MAX_LENGTH) return chars.join('');
  return `${chars.slice(0, SESSION_NAME_MAX_LENGTH - 1).join('').trimEnd()}…`;
}

interface SummaryRow {
  id: string;
  name: string;
  profile: string;
  model: string;
  workingDir: string;
  createdAt: string;
  updatedAt: string;
  runCount: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  resumable: number;
  kind: SessionSummary['kind'];
}

const SUMMARY = `
SELECT s.id, s.name, s.profile, s.model, s.working_dir AS workingDir, s.kind,
  s.created_at AS createdAt, s.updated_at AS updatedAt,
  count(r.pk) FILTER (WHERE r.parent_id IS NULL) AS runCount,
  coalesce(sum(r.input_tokens), 0) AS inputTokens,
  coalesce(sum(r.output_tokens), 0) AS outputTokens,
  coalesce(sum(r.cost_usd), 0.0) AS costUsd,
  coalesce(max(r.parent_id IS NULL AND r.status = 'interrupted'), 0) AS resumable
FROM sessions s LEFT JOIN runs r ON r.session_id = s.id`;

const COLUMNS: Record<keyof SessionPatch, string> = {
  name: 'name',
  profile: 'profile',
  model: 'model',
  workingDir: 'working_dir',
};

/** Reads and writes the `sessions` table. Every write is committed when the call returns. */
export class SessionStore {
  constructor(private readonly connection: Connection) {}

  /**
   * Stores a new session, created and updated now.
   * @throws {Error} SQLite's "UNIQUE constraint failed" when `input.id` is taken.
   */
  create(input: NewSession): SessionSummary {
    const now = new Date().toISOString();
    const session: SessionSummary = {
      id: input.id ?? randomUUID(),
      name: input.name ?? '',
      profile: input.profile,
      model: input.model,
      workingDir: input.workingDir,
      createdAt: now,
      updatedAt: now,
      runCount: 0,
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      resumable: false,
      kind: input.kind ?? 'chat',
    };
    this.connection.run(
      `INSERT INTO sessions (id, name, profile, model, working_dir, created_at, updated_at, kind, base_url)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      session.id, session.name, session.profile, session.model, session.workingDir, now, now, session.kind, input.baseURL ?? null,
    );
    return session;
  }

  /** The base URL the session's sends overrode the provider's with, or undefined (none, or no session). */
  baseURL(id: string): string | undefined {
    return this.connection.get<{ baseURL: string | null }>('SELECT base_url AS baseURL FROM sessions WHERE id = ?', id)?.baseURL ?? undefined;
  }

  /** Sets (a URL) or clears (undefined) the session's base URL override. @returns false when there is no such session. */
  setBaseURL(id: string, baseURL: string | undefined): boolean {
    return this.connection.run('UPDATE sessions SET base_url = ? WHERE id = ?', baseURL ?? null, id) > 0;
  }

  /** The session with its usage (sum over all its runs), or undefined. */
  get(id: string): SessionSummary | undefined {
    const row = this.connection.get<SummaryRow>(`${SUMMARY} WHERE s.id = ? GROUP BY s.id`, id);
    return row && toSummary(row);
  }

  /** Every session, most recently updated first. */
  list(): SessionSummary[] {
    return this.connection
      .all<SummaryRow>(`${SUMMARY} GROUP BY s.id ORDER BY s.updated_at DESC, s.created_at DESC, s.id`)
      .map(toSummary);
  }

  /** Sets the name; returns the session, or undefined when there is none with that id. */
  rename(id: string, name: string): SessionSummary | undefined {
    return this.update(id, { name });
  }

  /** Changes the given fields (absent ones stay); returns the session, or undefined. */
  update(id: string, patch: SessionPatch): SessionSummary | undefined {
    const fields = (Object.keys(COLUMNS) as (keyof SessionPatch)[]).filter((key) => patch[key] !== undefined);
    if (fields.length > 0) {
      const assignments = fields.map((key) => `${COLUMNS[key]} = :${key}`).join(', ');
      const values = Object.fromEntries(fields.map((key) => [key, patch[key] as string]));
      this.connection.run(`UPDATE sessions SET ${assignments} WHERE id = :id`, { ...values, id });
    }
    return this.get(id);
  }

  /**
   * Sets the session's `updatedAt` (ISO 8601 UTC; default now), which orders {@link list}.
   * @returns false when there is no session with that id.
   */
  touch(id: string, time: string = new Date().toISOString()): boolean {
    return this.connection.run('UPDATE sessions SET updated_at = ? WHERE id = ?', time, id) > 0;
  }

  /** Deletes the session with its runs, messages and events; false when there was none. */
  delete(id: string): boolean {
    return this.connection.run('DELETE FROM sessions WHERE id = ?', id) > 0;
  }
}

function toSummary(row: SummaryRow): SessionSummary {
  return {
    id: row.id,
    name: row.name,
    profile: row.profile,
    model: row.model,
    workingDir: row.workingDir,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    runCount: row.runCount,
    usage: { inputTokens: row.inputTokens, outputTokens: row.outputTokens, costUsd: row.costUsd },
    resumable: row.resumable === 1,
    kind: row.kind,
  };
}
