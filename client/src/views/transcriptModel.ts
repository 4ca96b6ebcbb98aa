/**
 * A run's transcript as Markdown: its task, the text and thinking it streamed, its tool calls
 * with arguments, summary and duration, its delegations with each sub-agent's result, its final
 * status and its usage. Built from a session's stored runs and events (`sessions/get`) plus the
 * live ones; pure (no `vscode`), unit-tested. Shown read-only by transcript.ts.
 */
import { TranscriptScheme } from '../../../protocol/ids';
import type { ApprovalDecision, RunEvent, RunNode } from '../../../protocol/run';
import { applyEvents, emptyRunTreeState, rollUpUsage, type NodeView, type RunTreeState } from '../../../protocol/runTreeState';
import { formatCost, formatElapsed, groupDigits, usageParts } from './format';
import { statusWord } from './runStatus';

/** A session's runs and events, as `sessions/get` gives them (protocol/sessions.ts `SessionDetail`). */
export interface TranscriptSource {
  runs: readonly RunNode[];
  events: readonly RunEvent[];
}

/** What the transcript shows. */
export interface TranscriptOptions {
  /** `moco.chat.showThinking`: false leaves thinking out entirely. */
  showThinking: boolean;
}

/** Characters of a sub-agent's result shown in its parent's transcript. */
export const DELEGATION_RESULT_CHARS = 2000;

/** The path of a transcript URI: `/<sessionId>/<runId>.md`. */
export function transcriptPath(sessionId: string, runId: string): string {
  return `/${encodeURIComponent(sessionId)}/${encodeURIComponent(runId)}.md`;
}

/** The full transcript URI text, `moco-transcript:/<sessionId>/<runId>.md`. */
export function transcriptUri(sessionId: string, runId: string): string {
  return `${TranscriptScheme}:${transcriptPath(sessionId, runId)}`;
}

/** The session and run of a transcript URI's path, or `undefined` when it is not one. */
export function parseTranscriptPath(path: string): { sessionId: string; runId: string } | undefined {
  const match = /^\/([^/]+)\/([^/]+)\.md$/.exec(path);
  if (!match?.[1] || !match[2]) return undefined;
  return { sessionId: decodeURIComponent(match[1]), runId: decodeURIComponent(match[2]) };
}

/** The run tree of a session: its stored nodes, then its events replayed over them. */
export function treeOf(source: TranscriptSource): RunTreeState {
  const started = source.runs.map(
    (node, index): RunEvent => ({ kind: 'runStarted', node, runId: node.id, seq: index - source.runs.length, time: node.startedAt }),
  );
  return applyEvents(applyEvents(emptyRunTreeState(), started), source.events);
}

/** Whether an event changes the transcript of `runId` (its own events, and its children's starts and ends). */
export function affectsTranscript(event: RunEvent, runId: string, tree: RunTreeState): boolean {
  if (event.runId === runId) return true;
  return tree.nodes[event.runId]?.parentId === runId;
}

/**
 * The Markdown transcript of one run.
 *
 * @param sessionId for the links to the sub-agents' transcripts.
 */
export function renderTranscript(source: TranscriptSource, sessionId: string, runId: string, options: TranscriptOptions): string {
  const tree = treeOf(source);
  const node = tree.nodes[runId];
  if (!node) return `# Run not found\n\nSession ${sessionId} has no run ${runId}.\n`;
  const out: string[] = [...header(tree, node), '', '---', ''];
  const body = renderBody(source, tree, node, sessionId, options);
  out.push(...(body.length > 0 ? body : ['_Nothing streamed yet._', '']));
  out.push('---', '', ...outcome(node));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function header(tree: RunTreeState, node: NodeView): string[] {
  const lines = [`# ${node.label} · ${statusWord(node.status)}`, ''];
  if (node.task) lines.push(...quote(node.task), '');
  const parent = node.parentId === undefined ? undefined : tree.nodes[node.parentId];
  if (parent) lines.push(`- **Delegated by:** ${parent.label}`);
  if (node.model || node.provider) lines.push(`- **Model:** ${[node.provider, node.model].filter(Boolean).join('/')}`);
  if (node.startedAtMs) lines.push(`- **Started:** ${new Date(node.startedAtMs).toISOString()}`);
  if (node.startedAtMs && node.endedAtMs !== undefined) lines.push(`- **Duration:** ${formatElapsed(node.endedAtMs - node.startedAtMs)}`);
  const own = node.usage;
  lines.push(`- **Tokens:** ${groupDigits(own.inputTokens)} in · ${groupDigits(own.outputTokens)} out${own.costUsd > 0 ? ` · ${formatCost(own.costUsd)}` : ''}`);
  if (node.children.length > 0) lines.push(`- **With sub-agents:** ${usageParts(rollUpUsage(tree, node.id)).join(' · ') || 'no tokens'}`);
  return lines;
}

function outcome(node: NodeView): string[] {
  switch (node.status) {
    case 'done':
      return ['**Done.**'];
    case 'failed':
      return [`**Failed:** ${node.error?.message ?? 'no reason was given.'}`];
    case 'cancelled':
      return ['**Cancelled.**'];
    case 'interrupted':
      return [
        node.parentId === undefined
          ? '**Interrupted:** the process stopped before the run ended. MOCO: Resume Run continues it.'
          : '**Interrupted:** the process stopped before the run ended.',
      ];
    case 'waiting-for-approval':
      return [`**Waiting for approval**${node.approval ? ` of \`${node.approval.name}\`: ${node.approval.reason}` : '.'}`];
    case 'queued':
    case 'running':
      return ['_Still running…_'];
  }
}

function renderBody(source: TranscriptSource, tree: RunTreeState, node: NodeView, sessionId: string, options: TranscriptOptions): string[] {
  const finished = new Map<string, Extract<RunEvent, { kind: 'toolFinished' }>>();
  const decisions = new Map<string, ApprovalDecision>();
  const toolCallIds = new Set<string>();
  for (const event of source.events) {
    if (event.runId !== node.id) continue;
    if (event.kind === 'toolFinished') finished.set(event.toolCallId, event);
    if (event.kind === 'approvalResolved') decisions.set(event.approvalId, event.decision);
    if (event.kind === 'toolStarted') toolCallIds.add(event.toolCallId);
  }
  const childByCall = new Map<string, NodeView>();
  for (const childId of node.children) {
    const child = tree.nodes[childId];
    if (child?.parentId === node.id) {
      const callId = source.runs.find((r) => r.id === childId)?.toolCallId ?? startedNode(source, childId)?.toolCallId;
      if (callId) childByCall.set(callId, child);
    }
  }

  const out: string[] = [];
  let block: { kind: 'text' | 'thinking'; text: string } | undefined;
  const flush = (): void => {
    if (!block) return;
    const text = block.text.trim();
    if (text) out.push(...(block.kind === 'text' ? [text] : ['**Thinking**', '', ...quote(text)]), '');
    block = undefined;
  };
  const append = (kind: 'text' | 'thinking', text: string): void => {
    if (block?.kind !== kind) flush();
    block = { kind, text: (block?.text ?? '') + text };
  };

  for (const event of source.events) {
    if (event.kind === 'runStarted' && event.node.parentId === node.id && event.runId !== node.id) {
      const child = tree.nodes[event.runId];
      const callId = event.node.toolCallId;
      if (child && !(callId && toolCallIds.has(callId))) {
        flush();
        out.push(...delegation(tree, child, sessionId), '');
      }
      continue;
    }
    if (event.runId !== node.id) continue;
    switch (event.kind) {
      case 'textDelta':
        append('text', event.text);
        break;
      case 'thinkingDelta':
        if (options.showThinking) append('thinking', event.text);
        break;
      case 'toolStarted': {
        flush();
        const child = childByCall.get(event.toolCallId);
        out.push(...(child ? delegation(tree, child, sessionId) : toolCall(event, finished.get(event.toolCallId))), '');
        break;
      }
      case 'approvalRequested': {
        flush();
        const decision = decisions.get(event.approvalId);
        const answer = decision === undefined ? 'waiting for your answer' : decision === 'approve' ? 'approved' : decision === 'deny' ? 'denied' : 'always allowed in this session';
        out.push(`> **Approval needed** for \`${event.name}\`: ${event.reason} (${answer})`, '');
        break;
      }
      case 'retry':
        flush();
        out.push(
          `_Retry ${event.attempt} after ${formatDuration(event.delayMs)}: ${event.reason}${event.discardsPartialOutput ? ' (the partial answer above was discarded)' : ''}_`,
          '',
        );
        break;
      case 'limit':
        flush();
        out.push(`> **Limit (${event.limit}):** ${event.message}`, '');
        break;
      case 'warning':
        flush();
        out.push(`> **Warning:** ${event.message}`, '');
        break;
      case 'runFinished':
        flush();
        if (event.result && !source.events.some((e) => e.runId === node.id && e.kind === 'textDelta')) out.push(event.result, '');
        break;
      case 'runStarted':
      case 'statusChanged':
      case 'toolFinished':
      case 'approvalResolved':
      case 'usage':
        break;
    }
  }
  flush();
  return out;
}

function startedNode(source: TranscriptSource, runId: string): RunNode | undefined {
  for (const event of source.events) if (event.kind === 'runStarted' && event.runId === runId) return event.node;
  return undefined;
}

function toolCall(started: Extract<RunEvent, { kind: 'toolStarted' }>, finished: Extract<RunEvent, { kind: 'toolFinished' }> | undefined): string[] {
  const state = finished ? `${finished.ok ? 'ok' : 'failed'} · ${formatDuration(finished.durationMs)}` : 'running…';
  const lines = [`#### Tool \`${started.name}\` · ${state}`, ''];
  const args = typeof started.arguments === 'string' ? started.arguments : JSON.stringify(started.arguments, null, 2);
  if (args && args !== '{}') lines.push(...fenced(args, typeof started.arguments === 'string' ? '' : 'json'), '');
  if (finished?.summary) lines.push(`→ ${finished.summary}`);
  return lines;
}

function delegation(tree: RunTreeState, child: NodeView, sessionId: string): string[] {
  const usage = usageParts(rollUpUsage(tree, child.id));
  const lines = [`#### Delegated to \`${child.label}\` · ${[statusWord(child.status), ...usage].join(' · ')}`, ''];
  if (child.task) lines.push(...quote(child.task), '');
  if (child.result) {
    const result = child.result.length > DELEGATION_RESULT_CHARS ? `${child.result.slice(0, DELEGATION_RESULT_CHARS)}…` : child.result;
    lines.push('Result:', '', ...quote(result), '');
  }
  if (child.error) lines.push(`Error: ${child.error.message}`, '');
  lines.push(`Transcript: ${transcriptUri(sessionId, child.id)}`);
  return lines;
}

/** `850 ms` below a second, else as {@link formatElapsed}. */
function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : formatElapsed(ms);
}

/** A Markdown blockquote of a text, line by line. */
function quote(text: string): string[] {
  return text.trimEnd().split('\n').map((line) => (line ? `> ${line}` : '>'));
}

/** A fenced code block whose fence is longer than any backtick run inside (CommonMark §4.5). */
export function fenced(text: string, language: string): string[] {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, text, fence];
}

