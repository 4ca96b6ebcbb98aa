/**
 * The audit log of the command policy: one row per decision on a command a tool wanted to run —
 * who asked (session, run, agent, tool), what (the command line and its decisive simple command),
 * which rule decided (pattern and source, or the default), and the outcome. Rows are never
 * updated; they outlive their session (no foreign key), so deleting a chat keeps its audit trail.
 */
import type { PolicyDecision, RuleSource } from '../policy/types';
import type { Connection } from './connection';

/** What happened to the command: run without asking, refused, run after the user approved, refused by the user. */
export type AuditOutcome = 'allowed' | 'denied' | 'approved' | 'rejected';

/** One decision to record. */
export interface AuditEntry {
  /** ISO 8601 UTC. */
  time: string;
  sessionId: string;
  runId: string;
  /** The agent whose tool call it was. */
  agent: string;
  /** The tool (`execute_bash`, `start_background`, `send_input`...). */
  tool: string;
  /** The command line as the model wrote it. */
  command: string;
  /** The normalised simple command that decided; absent when none did (an empty line, a parse failure). */
  decisive?: string;
  /** The deciding rule's pattern; absent when the default decided. */
  rulePattern?: string;
  /** The deciding rule's source, or `default`. */
  ruleSource: RuleSource | 'default';
  /** The policy's decision. */
  decision: PolicyDecision;
  outcome: AuditOutcome;
  /** One sentence: why (the policy's reason, and the user's answer). */
  reason: string;
}

/** A stored entry. */
export interface AuditRow extends AuditEntry {
  /** Increasing with time of recording. */
  id: number;
}

interface Row {
  id: number;
  time: string;
  sessionId: string;
  runId: string;
  agent: string;
  tool: string;
  command: string;
  decisive: string | null;
  rulePattern: string | null;
  ruleSource: string;
  decision: string;
  outcome: string;
  reason: string;
}

const SELECT = `SELECT id, time, session_id AS sessionId, run_id AS runId, agent, tool, command, decisive,
  rule_pattern AS rulePattern, rule_source AS ruleSource, decision, outcome, reason FROM audit_log`;

/** Default and largest number of rows {@link AuditStore.list} returns. */
export const AUDIT_LIST_LIMIT = { default: 100, max: 10_000 } as const;

/** Reads and writes the `audit_log` table. Every write is committed when the call returns. */
export class AuditStore {
  constructor(private readonly connection: Connection) {}

  /**
   * Appends an entry.
   * @returns its id.
   * @throws {StorageError} when the file cannot be written (the caller fails closed).
   */
  record(entry: AuditEntry): number {
    const row = this.connection.get<{ id: number }>(
      `INSERT INTO audit_log (time, session_id, run_id, agent, tool, command, decisive, rule_pattern, rule_source, decision, outcome, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      entry.time, entry.sessionId, entry.runId, entry.agent, entry.tool, entry.command, entry.decisive ?? null,
      entry.rulePattern ?? null, entry.ruleSource, entry.decision, entry.outcome, entry.reason,
    );
    return row?.id ?? 0;
  }

  /**
   * Entries, the newest first.
   * @param query `sessionId` to keep one session's; `limit` rows at most (default 100, at most 10,000).
   */
  list(query: { sessionId?: string; limit?: number } = {}): AuditRow[] {
    const limit = Math.min(Math.max(1, Math.floor(query.limit ?? AUDIT_LIST_LIMIT.default)), AUDIT_LIST_LIMIT.max);
    const rows = query.sessionId === undefined
      ? this.connection.all<Row>(`${SELECT} ORDER BY id DESC LIMIT ?`, limit)
      : this.connection.all<Row>(`${SELECT} WHERE session_id = ? ORDER BY id DESC LIMIT ?`, query.sessionId, limit);
    return rows.map(toEntry);
  }
}

function toEntry(row: Row): AuditRow {
  const entry: AuditRow = {
    id: row.id,
    time: row.time,
    sessionId: row.sessionId,
    runId: row.runId,
    agent: row.agent,
    tool: row.tool,
    command: row.command,
    ruleSource: row.ruleSource as AuditRow['ruleSource'],
    decision: row.decision as PolicyDecision,
    outcome: row.outcome as AuditOutcome,
    reason: row.reason,
  };
  if (row.decisive !== null) entry.decisive = row.decisive;
  if (row.rulePattern !== null) entry.rulePattern = row.rulePattern;
  return entry;
}
