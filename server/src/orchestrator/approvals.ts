/**
 * Approval of tool calls. A call that needs approval puts its run in `waiting-for-approval`,
 * emits `approvalRequested`, and waits: for `approval/respond` over JSON-RPC in the editor, or for
 * the terminal approver the CLI passes in (which denies when there is no terminal and no `--yes`).
 * "Always" approves that tool for the rest of the session. The command policy of a later issue
 * decides case by case through the same gate.
 */
import { randomUUID } from 'node:crypto';
import type { ApprovalDecision } from '../../../protocol/run';
import type { SessionEventSink } from './eventSink';
import type { RunTree } from './runTree';

/** What is asked. */
export interface ApprovalRequest {
  agent: string;
  toolName: string;
  arguments: unknown;
  reason: string;
  /**
   * What "Always allow in this session" allows: this key's later requests are approved without
   * asking. Default the tool's name. A protected file's write passes the call's arguments; the
   * command policy passes a fresh key each time, because it keeps "always" as session rules of its
   * own (the command's prefix), so that "always" for `npm test` does not allow every command.
   */
  alwaysKey?: string;
}

/** Answers an approval request directly (the CLI's terminal prompt). */
export type Approver = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalDecision>;

interface Pending {
  resolve: (decision: ApprovalDecision) => void;
}

/** The approvals of one session. */
export class ApprovalGate {
  private readonly pending = new Map<string, Pending>();
  private readonly alwaysAllowed = new Set<string>();

  /** @param approver answers requests itself; without it they wait for {@link respond}. */
  constructor(private readonly approver?: Approver) {}

  /**
   * Asks for approval of one call and waits for the answer.
   *
   * @returns true when approved ('approve' or 'always').
   * @throws the signal's reason when the run is cancelled while waiting.
   */
  async request(
    context: { tree: RunTree; sink: SessionEventSink; runId: string; toolCallId: string },
    request: ApprovalRequest,
    signal: AbortSignal,
  ): Promise<boolean> {
    return (await this.decide(context, request, signal)) !== 'deny';
  }

  /**
   * As {@link request}, with the user's answer: `always` also when an earlier "always" for the
   * same key answers it without asking.
   * @throws the signal's reason when the run is cancelled while waiting.
   */
  async decide(
    context: { tree: RunTree; sink: SessionEventSink; runId: string; toolCallId: string },
    request: ApprovalRequest,
    signal: AbortSignal,
  ): Promise<ApprovalDecision> {
    const key = request.alwaysKey ?? request.toolName;
    if (this.alwaysAllowed.has(key)) return 'always';
    signal.throwIfAborted();
    const approvalId = randomUUID();
    const { tree, sink, runId } = context;
    tree.setStatus(runId, 'waiting-for-approval');
    sink.emit({
      runId,
      kind: 'approvalRequested',
      approvalId,
      toolCallId: context.toolCallId,
      name: request.toolName,
      arguments: request.arguments,
      reason: request.reason,
    });
    let decision: ApprovalDecision;
    try {
      decision = await this.wait(approvalId, request, signal);
    } catch (error) {
      // Cancelled while waiting: the question is closed, as denied.
      sink.emit({ runId, kind: 'approvalResolved', approvalId, decision: 'deny' });
      throw error;
    } finally {
      this.pending.delete(approvalId);
    }
    if (decision === 'always') this.alwaysAllowed.add(key);
    sink.emit({ runId, kind: 'approvalResolved', approvalId, decision });
    tree.setStatus(runId, 'running');
    return decision;
  }

  /**
   * Answers a pending request (`approval/respond`).
   * @returns false when no request with that id is pending.
   */
  respond(approvalId: string, decision: ApprovalDecision): boolean {
    const pending = this.pending.get(approvalId);
    if (!pending) return false;
    this.pending.delete(approvalId); // a second answer in the same tick is refused too
    pending.resolve(decision);
    return true;
  }

  private wait(approvalId: string, request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
    return new Promise<ApprovalDecision>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = (decision: ApprovalDecision): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(decision);
      };
      this.pending.set(approvalId, { resolve: settle });
      if (this.approver) {
        this.approver(request, signal).then(settle, (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
      }
    });
  }
}
