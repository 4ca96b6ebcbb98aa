/**
 * One-line descriptions of run events, for the plain renderer and for the lines the tree renderer
 * keeps above its live tree. Every line starts with `[label]`, the agent name made unique in its
 * tree (`coder#2`), so that `grep '^\[coder\]'` finds one agent's lines.
 */
import { type Colors } from 'picocolors/types';
import { type ApprovalDecision, type RunEvent } from '../../../../protocol/run';
import { formatArguments, formatDuration, formatTokens, formatUsd, oneLine } from './format';
import { type NodeView, rollUpUsage, type RunTreeState, treeTotals } from '../../../../protocol/runTreeState';

type EventOf<K extends RunEvent['kind']> = Extract<RunEvent, { kind: K }>;

/** Width of tasks and arguments in lines (characters). */
const WIDTH = 120;

const DECISIONS: Readonly<Record<ApprovalDecision, string>> = {
  approve: 'approved',
  deny: 'denied',
  always: 'approved for this session',
};

/** `[label]` */
export function tag(node: NodeView): string {
  return `[${node.label}]`;
}

/** `[coder] started (openai/gpt-4o-mini)`, with `: <task>` when verbose. */
export function startedLine(node: NodeView, verbose: boolean): string {
  const model = node.provider ? `${node.provider}/${node.model}` : node.model;
  const task = verbose && node.task ? `: ${oneLine(node.task, WIDTH)}` : '';
  return `${tag(node)} started (${model})${task}`;
}

/** `[orchestrator] → delegate_to_agent {"agent_name":"coder",…}` (arguments cut to 120). */
export function toolStartedLine(node: NodeView, event: EventOf<'toolStarted'>): string {
  return `${tag(node)} → ${event.name} ${formatArguments(event.arguments, WIDTH)}`;
}

/** `[orchestrator] ✓ delegate_to_agent: coder finished (1.2 s)`; `✗` when the call failed. */
export function toolFinishedLine(
  node: NodeView,
  event: EventOf<'toolFinished'>,
  colors: Colors,
): string {
  const icon = event.ok ? colors.green('✓') : colors.red('✗');
  const summary = event.summary ? `: ${oneLine(event.summary, WIDTH)}` : '';
  return `${tag(node)} ${icon} ${event.name}${summary} (${formatDuration(event.durationMs)})`;
}

/** `[coder] ⏸ write_file needs approval: <reason>` */
export function approvalRequestedLine(node: NodeView, event: EventOf<'approvalRequested'>): string {
  return `${tag(node)} ⏸ ${event.name} needs approval: ${oneLine(event.reason, WIDTH)}`;
}

/** `[coder] approval: denied` */
export function approvalResolvedLine(node: NodeView, event: EventOf<'approvalResolved'>): string {
  return `${tag(node)} approval: ${DECISIONS[event.decision]}`;
}

/**
 * `[coder] retrying in 2.0 s (attempt 1): <reason>`, or when text already shown is void:
 * `[coder] (retrying in 2.0 s, attempt 1: <reason>; the partial answer above is void)`.
 */
export function retryLine(node: NodeView, event: EventOf<'retry'>, partialShown: boolean): string {
  const when = `in ${formatDuration(event.delayMs)}`;
  const reason = oneLine(event.reason, WIDTH);
  return partialShown
    ? `${tag(node)} (retrying ${when}, attempt ${event.attempt}: ${reason}; ` +
        'the partial answer above is void)'
    : `${tag(node)} retrying ${when} (attempt ${event.attempt}): ${reason}`;
}

/** `[coder] limit (loop): <message>` */
export function limitLine(node: NodeView, event: EventOf<'limit'>): string {
  return `${tag(node)} limit (${event.limit}): ${event.message}`;
}

/** `[coder] warning: <message>` */
export function warningLine(node: NodeView, event: EventOf<'warning'>): string {
  return `${tag(node)} warning: ${event.message}`;
}

/**
 * `[coder] finished: done · 1,234 tokens · $0.0012 · 3.4 s`: tokens (in + out) and USD of the
 * node with its descendants, and its wall time.
 */
export function finishedLine(state: RunTreeState, node: NodeView): string {
  const usage = rollUpUsage(state, node.id);
  const parts = [
    `${tag(node)} finished: ${node.status}`,
    `${formatTokens(usage.inputTokens + usage.outputTokens)} tokens`,
    formatUsd(usage.costUsd),
  ];
  if (node.endedAtMs !== undefined) parts.push(formatDuration(node.endedAtMs - node.startedAtMs));
  return parts.join(' · ');
}

/** `[coder] error: <message>` */
export function errorLine(node: NodeView): string {
  return `${tag(node)} error: ${node.error?.message ?? node.status}`;
}

/**
 * The last line of a tree: `total: 10,000 tokens in, 2,345 out · $0.0123 · 12.3 s` (the tree's
 * tokens and USD, and the root's wall time up to `endMs`, epoch ms).
 */
export function totalsLine(state: RunTreeState, rootId: string, endMs: number): string {
  const usage = treeTotals(state, rootId);
  const root = state.nodes[rootId];
  const wall = root ? formatDuration((root.endedAtMs ?? endMs) - root.startedAtMs) : '';
  const input = formatTokens(usage.inputTokens);
  const tokens = `total: ${input} tokens in, ${formatTokens(usage.outputTokens)} out`;
  return [tokens, formatUsd(usage.costUsd), wall].filter(Boolean).join(' · ');
}
