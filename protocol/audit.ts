/**
 * The command policy's audit log, as the editor reads it (`MOCO: Show Command Audit Log`). Every
 * decision on a shell command is stored: who asked, the command, the rule, the outcome.
 */
import { RequestType } from 'vscode-jsonrpc';

/** One decision of the command policy. */
export interface AuditEntry {
  /** ISO 8601 time of the decision. */
  at: string;
  sessionId: string;
  runId: string;
  /** The agent whose tool call it was. */
  agent: string;
  /** The tool: `execute_bash`, `start_background`... */
  tool: string;
  /** The command line as the model wrote it. */
  command: string;
  /** What the policy decided. */
  decision: 'allow' | 'ask' | 'deny';
  /** The rule that decided (`"rm -rf /" (builtin)`), or `default` when no rule matched. */
  rule: string;
  /** What happened: run without asking, refused, approved or rejected by the user. */
  outcome: 'allowed' | 'denied' | 'approved' | 'rejected';
  /** Why, in one sentence. */
  reason: string;
}

/** Params of `audit/list`. */
export interface AuditListParams {
  /** Only this session's decisions; all sessions when absent. */
  sessionId?: string;
  /** At most this many, newest first. Default 500. */
  limit?: number;
}

/** `audit/list` (client → server request): the newest decisions first. */
export const AuditListRequest = new RequestType<AuditListParams, { entries: AuditEntry[] }, void>('audit/list');
