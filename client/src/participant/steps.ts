/**
 * What `@moco` in VS Code's chat shows of a run: the entry agent's text as Markdown, and one
 * progress line per tool call, delegation and retry. Pure (no `vscode`), unit-tested; the
 * participant writes the steps to its `ChatResponseStream`.
 */
import { ChatParticipantId } from '../../../protocol/ids';
import type { RunError, RunEvent } from '../../../protocol/run';
import type { RunTreeState } from '../../../protocol/runTreeState';

/** The delegation tool: its calls are shown as the delegation they start, not as a tool call. */
import { DELEGATE_TOOL } from '../../../protocol/tools';

export const DELEGATE_TOOL_NAME = DELEGATE_TOOL;

/** One thing to write to the chat response. */
export type ParticipantStep =
  | { kind: 'markdown'; text: string }
  | { kind: 'progress'; text: string }
  | { kind: 'approval'; approvalId: string; agent: string; tool: string; reason: string }
  | { kind: 'finished'; status: 'done' | 'failed' | 'cancelled' | 'interrupted'; error?: RunError };

/**
 * The steps of a batch of events for the run tree rooted at `rootId`; events of other trees are
 * left out.
 *
 * @param tree the session's tree with these events applied (the session hub's), for agent names
 *   and each node's root.
 */
export function participantSteps(events: readonly RunEvent[], rootId: string, tree: RunTreeState): ParticipantStep[] {
  const steps: ParticipantStep[] = [];
  for (const event of events) {
    const node = tree.nodes[event.runId];
    const eventRoot = event.kind === 'runStarted' ? event.node.rootId : node?.rootId;
    if (eventRoot !== rootId) continue;
    const agent = node?.label ?? (event.kind === 'runStarted' ? event.node.agent : event.runId);
    const isRoot = event.runId === rootId;
    switch (event.kind) {
      case 'runStarted':
        if (!isRoot) steps.push({ kind: 'progress', text: `Delegated to ${agent}` });
        break;
      case 'textDelta':
        if (isRoot && event.text) steps.push({ kind: 'markdown', text: event.text });
        break;
      case 'toolStarted':
        if (event.name !== DELEGATE_TOOL_NAME) steps.push({ kind: 'progress', text: `${agent}: ${event.name}…` });
        break;
      case 'approvalRequested':
        steps.push({ kind: 'approval', approvalId: event.approvalId, agent, tool: event.name, reason: event.reason });
        break;
      case 'retry':
        steps.push({ kind: 'progress', text: `${agent}: retrying (${event.reason})` });
        if (isRoot && event.discardsPartialOutput) steps.push({ kind: 'markdown', text: '\n\n_(The answer above was cut off; the model starts again.)_\n\n' });
        break;
      case 'limit':
      case 'warning':
        steps.push({ kind: 'markdown', text: `\n\n> **${agent}:** ${event.message}\n\n` });
        break;
      case 'runFinished':
        if (isRoot) steps.push({ kind: 'finished', status: event.status, error: event.error });
        break;
      case 'statusChanged':
        if (isRoot && event.status === 'interrupted') steps.push({ kind: 'finished', status: 'interrupted' });
        break;
      case 'thinkingDelta':
      case 'toolFinished':
      case 'approvalResolved':
      case 'usage':
        break;
    }
  }
  return steps;
}

/** A turn of VS Code's chat history, as far as it matters here (`ChatResponseTurn`). */
interface HistoryTurn {
  participant?: unknown;
  result?: { metadata?: { readonly [key: string]: unknown } };
}

/**
 * The MOCO session of a VS Code chat conversation: the `sessionId` kept in the metadata of
 * `@moco`'s last answer in the history, so that each conversation continues its own session.
 */
export function previousSessionId(history: readonly unknown[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i] as HistoryTurn | undefined;
    if (turn?.participant !== ChatParticipantId) continue;
    const sessionId = turn.result?.metadata?.sessionId;
    if (typeof sessionId === 'string' && sessionId) return sessionId;
  }
  return undefined;
}
