/**
 * The command gate of one agent run (`CommandGate` of tools/services.ts): evaluates the command
 * with the policy and the session's rules, asks the user when the verdict is `ask`, adds a session
 * rule on "Always allow", and records every decision in the audit log. It takes only the command
 * text and the tool's name: nothing the model sends can lower the policy.
 */
import type { AuditEntry, AuditOutcome } from '../storage/audit';
import type { CommandAuthorization, CommandGate } from '../tools/services';
import type { CommandPolicy } from './policy';
import { sessionPatternFor, type SessionRules } from './sessionRules';
import type { CommandVerdict } from './types';

/** What the user is asked. */
export interface CommandApprovalRequest {
  /** The command line as the model wrote it. */
  command: string;
  /** The tool that wants to run it. */
  tool: string;
  verdict: CommandVerdict;
  /** Why approval is needed (the verdict's reason). */
  reason: string;
  /** The session rules "Always allow" adds (shown to the user); empty when it cannot help (a rule asked, not the default). */
  alwaysPatterns: string[];
}

/** The user's answer: run once, refuse, or run and allow such commands for the rest of the session. */
export type CommandApprovalAnswer = 'approve' | 'deny' | 'always';

/** Asks the user (the approval UI in the editor, the terminal prompt in the CLI). @throws the signal's reason when cancelled. */
export type AskUser = (request: CommandApprovalRequest, signal: AbortSignal) => Promise<CommandApprovalAnswer>;

/** Where decisions are recorded: `MocoDatabase.audit`. */
export interface AuditSink {
  /** @throws when the entry cannot be stored (the gate then refuses the command). */
  record(entry: AuditEntry): unknown;
}

/** Options of {@link createCommandGate}. */
export interface CommandGateOptions {
  policy: CommandPolicy;
  /** The session's "Always allow" rules, shared by every run of the session. */
  sessionRules: SessionRules;
  audit: AuditSink;
  /** The run the gate belongs to, for the audit log. */
  who: { sessionId: string; runId: string; agent: string };
  ask: AskUser;
  /** The clock, for the audit log's times; default `() => new Date()`. */
  now?: () => Date;
}

/** Creates the gate of one agent run. */
export function createCommandGate(options: CommandGateOptions): CommandGate {
  return {
    authorize: ({ command, tool, cwd }, signal) => authorize(options, command, tool, cwd, signal),
  };
}

async function authorize(options: CommandGateOptions, command: string, tool: string, cwd: string | undefined, signal: AbortSignal): Promise<CommandAuthorization> {
  signal.throwIfAborted();
  const verdict = options.policy.evaluate(command, { session: options.sessionRules, ...(cwd ? { cwd } : {}) });
  if (verdict.decision === 'allow') return settle(options, { command, tool, verdict, outcome: 'allowed', reason: verdict.reason });
  if (verdict.decision === 'deny') return settle(options, { command, tool, verdict, outcome: 'denied', reason: verdict.reason });

  const alwaysPatterns = [...new Set(verdict.commands.filter((c) => c.decision === 'ask' && !c.rule).map((c) => sessionPatternFor(c)))];
  let answer: CommandApprovalAnswer;
  try {
    answer = await options.ask({ command, tool, verdict, reason: verdict.reason, alwaysPatterns }, signal);
  } catch (error) {
    record(options, { command, tool, verdict, outcome: 'rejected', reason: `${verdict.reason} The run was cancelled while the user was asked.` });
    throw error;
  }
  if (answer === 'deny') return settle(options, { command, tool, verdict, outcome: 'rejected', reason: `${verdict.reason} The user refused.` });
  if (answer === 'always') for (const pattern of alwaysPatterns) options.sessionRules.allow(pattern);
  const how = answer === 'always' && alwaysPatterns.length > 0 ? ` The user approved, and allowed ${alwaysPatterns.map((p) => `"${p}"`).join(', ')} for the session.` : ' The user approved.';
  return settle(options, { command, tool, verdict, outcome: 'approved', reason: `${verdict.reason}${how}` });
}

interface Decision {
  command: string;
  tool: string;
  verdict: CommandVerdict;
  outcome: AuditOutcome;
  reason: string;
}

/** Records the decision, then answers; an audit log that cannot be written refuses the command (fails closed). */
function settle(options: CommandGateOptions, decision: Decision): CommandAuthorization {
  try {
    record(options, decision);
  } catch (error) {
    return {
      ok: false,
      message: `the command could not be written to the audit log (${(error as Error).message}), and no command runs unrecorded. Tell the user; do not retry until the storage problem is fixed.`,
      summary: 'refused: the audit log cannot be written',
    };
  }
  if (decision.outcome === 'allowed' || decision.outcome === 'approved') return { ok: true };
  return refusal(decision);
}

function record(options: CommandGateOptions, decision: Decision): void {
  const { verdict } = decision;
  const rule = verdict.decisive?.rule;
  const entry: AuditEntry = {
    time: (options.now?.() ?? new Date()).toISOString(),
    ...options.who,
    tool: decision.tool,
    command: decision.command,
    ruleSource: rule?.source ?? 'default',
    decision: verdict.decision,
    outcome: decision.outcome,
    reason: decision.reason,
  };
  if (verdict.decisive) entry.decisive = verdict.decisive.command;
  if (rule) entry.rulePattern = rule.pattern;
  options.audit.record(entry);
}

/** The refusal's message for the model (what, which rule, why, what not to do) and summary for the user. */
function refusal(decision: Decision): CommandAuthorization {
  const { verdict } = decision;
  const rule = verdict.decisive?.rule;
  if (decision.outcome === 'rejected') {
    return {
      ok: false,
      message: `the user refused to run it (${verdict.reason}). Do not run it again, in this or another form; ask the user what to do instead, or continue without it.`,
      summary: 'rejected by the user',
    };
  }
  return {
    ok: false,
    message:
      `the command policy denies it. ${verdict.reason} Do not retry it, in this or another spelling (other quoting, ` +
      'a wrapper, a script, another tool); if the task really needs it, stop and tell the user what to run and why.',
    summary: rule ? `denied by rule "${rule.pattern}" (${rule.source})` : 'denied: no rule matches (default deny)',
  };
}
