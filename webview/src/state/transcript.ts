/**
 * The transcript reducer: folds run events (protocol/run.ts) into the {@link Transcript} the Chat
 * view shows. No DOM: tested on its own. It mutates the transcript it is given and returns what
 * changed, so that a text delta re-renders one segment, not the whole chat.
 */
import type { RunEvent, RunNode, RunStatus } from '../../../protocol/run';
import { FINAL_STATUSES } from '../../../protocol/runTreeState';
import { addUsage, zeroUsage, type Usage } from '../../../protocol/usage';
import type { Changes, RunView, RunViewStatus, ToolItem, ToolStatus, Transcript, TranscriptItem } from './model';

/** A transcript with nothing in it. */
export function emptyTranscript(): Transcript {
  return { roots: [], runs: new Map(), items: new Map(), tools: new Map(), approvals: new Map(), nextItem: 1 };
}

/** An empty change set. */
export function noChanges(): Changes {
  return { structure: new Set(), content: new Set(), meta: new Set(), roots: false };
}


/** Whether a run's status is final. */
export function isFinalStatus(status: RunViewStatus): boolean {
  return status !== 'pending' && FINAL_STATUSES.has(status);
}

/**
 * Shows a root the client announced (`run/didStart`) before its `runStarted` event: `task` is
 * the text the user sent. Does nothing when the run is already known.
 */
export function addPendingRoot(t: Transcript, runId: string, task: string, changes: Changes = noChanges()): Changes {
  if (t.runs.has(runId)) return changes;
  addRun(t, { id: runId, rootId: runId, agent: '', task, provider: '', model: '', status: 'pending' }, changes);
  return changes;
}

/** Applies events in order; returns what changed (accumulated into `changes` when given). */
export function applyEvents(t: Transcript, events: readonly RunEvent[], changes: Changes = noChanges()): Changes {
  for (const event of events) applyEvent(t, event, changes);
  return changes;
}

/**
 * Applies one event. Events about a run whose `runStarted` was not seen (the view attached
 * mid-run) create a placeholder root that a later `runStarted` fills in.
 */
export function applyEvent(t: Transcript, event: RunEvent, changes: Changes): void {
  if (event.kind === 'runStarted') {
    startRun(t, event.node, changes);
    return;
  }
  const run =
    t.runs.get(event.runId) ??
    addRun(t, { id: event.runId, rootId: event.runId, agent: '', task: '', provider: '', model: '', status: 'running' }, changes);
  switch (event.kind) {
    case 'statusChanged':
      setStatus(t, run, event.status, changes);
      return;
    case 'textDelta':
    case 'thinkingDelta':
      appendText(t, run, event.kind === 'textDelta' ? 'text' : 'thinking', event.text, changes);
      return;
    case 'toolStarted': {
      const tool = t.tools.get(toolKey(run.id, event.toolCallId)) ?? addTool(t, run, event.toolCallId, event.name, changes);
      tool.arguments = event.arguments;
      changes.content.add(tool.id);
      return;
    }
    case 'toolFinished': {
      const tool = t.tools.get(toolKey(run.id, event.toolCallId)) ?? addTool(t, run, event.toolCallId, event.name, changes);
      tool.status = event.ok ? 'done' : 'failed';
      tool.summary = event.summary;
      tool.durationMs = event.durationMs;
      changes.content.add(tool.id);
      return;
    }
    case 'approvalRequested': {
      const tool = t.tools.get(toolKey(run.id, event.toolCallId)) ?? addTool(t, run, event.toolCallId, event.name, changes);
      tool.arguments = event.arguments;
      tool.approval = { approvalId: event.approvalId, reason: event.reason };
      if (tool.status === 'running') tool.status = 'waiting-for-approval';
      t.approvals.set(event.approvalId, tool);
      changes.content.add(tool.id);
      return;
    }
    case 'approvalResolved': {
      const tool = t.approvals.get(event.approvalId);
      if (!tool?.approval) return;
      tool.approval.decision = event.decision;
      if (tool.status === 'waiting-for-approval') tool.status = 'running';
      changes.content.add(tool.id);
      return;
    }
    case 'usage': {
      run.usage = event.usage;
      const root = t.runs.get(run.rootId);
      if (root) root.treeUsage = event.treeUsage;
      markAncestors(t, run, changes);
      return;
    }
    case 'retry':
      if (event.discardsPartialOutput) discardStep(t, run, changes);
      addItem(t, run, { kind: 'notice', id: nextId(t), runId: run.id, tone: 'retry', message: retryMessage(event) }, changes);
      return;
    case 'limit':
    case 'warning':
      addItem(t, run, { kind: 'notice', id: nextId(t), runId: run.id, tone: event.kind, message: event.message }, changes);
      return;
    case 'runFinished':
      if (event.result !== undefined) run.result = event.result;
      if (event.error !== undefined) run.error = event.error;
      setStatus(t, run, event.status, changes);
      return;
  }
}

/**
 * Makes the transcript agree with the stored nodes of a loaded session (`session/didLoad`'s
 * `runs`): a node without a `runStarted` event is added, and a node's stored status and usage win
 * over those its events left (an `interrupted` status is stored when the engine opens).
 */
export function syncNodes(t: Transcript, nodes: readonly RunNode[], changes: Changes = noChanges()): Changes {
  for (const node of nodes) {
    const run = t.runs.get(node.id);
    if (!run) {
      startRun(t, node, changes);
      continue;
    }
    if (node.result !== undefined) run.result = node.result;
    if (node.error !== undefined) run.error = node.error;
    run.usage = node.usage;
    if (run.status !== node.status) setStatus(t, run, node.status, changes);
    changes.meta.add(run.id);
  }
  return changes;
}

/** The root that runs now (pending, queued, running or waiting), the latest one; else undefined. */
export function activeRootId(t: Transcript): string | undefined {
  for (let i = t.roots.length - 1; i >= 0; i--) {
    const id = t.roots[i];
    const run = id === undefined ? undefined : t.runs.get(id);
    if (run && !isFinalStatus(run.status)) return run.id;
  }
  return undefined;
}

/** Tokens and USD of a run and all its descendants, from their own usages. */
export function subtreeUsage(t: Transcript, runId: string): Usage {
  const run = t.runs.get(runId);
  if (!run) return zeroUsage();
  return run.children.reduce((sum, child) => addUsage(sum, subtreeUsage(t, child)), run.usage);
}

/**
 * The totals a root's footer shows: the server's last `treeUsage` for that tree (it counts
 * every node, also those this view never saw), else the sum of the nodes seen.
 */
export function rootUsage(t: Transcript, rootId: string): Usage {
  return t.runs.get(rootId)?.treeUsage ?? subtreeUsage(t, rootId);
}

type RunFields = Pick<RunView, 'id' | 'rootId' | 'agent' | 'task' | 'provider' | 'model' | 'status'> & Partial<RunView>;

function addRun(t: Transcript, fields: RunFields, changes: Changes): RunView {
  const run: RunView = { usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, items: [], children: [], ...fields };
  t.runs.set(run.id, run);
  changes.structure.add(run.id);
  changes.meta.add(run.id);
  if (run.parentId === undefined) {
    t.roots.push(run.id);
    changes.roots = true;
  }
  return run;
}

function startRun(t: Transcript, node: RunNode, changes: Changes): void {
  const existing = t.runs.get(node.id);
  const parent = node.parentId === undefined ? undefined : t.runs.get(node.parentId);
  const fields = {
    agent: node.agent,
    task: node.task,
    provider: node.provider,
    model: node.model,
    status: node.status,
    usage: node.usage,
    rootId: parent ? node.rootId : node.id,
    ...(node.result !== undefined ? { result: node.result } : {}),
    ...(node.error !== undefined ? { error: node.error } : {}),
  };
  if (existing) {
    // A placeholder or a pending root gets its details; its place in the transcript stays.
    Object.assign(existing, fields, existing.task && !node.task ? { task: existing.task } : {});
    changes.meta.add(existing.id);
    return;
  }
  const run = addRun(t, { id: node.id, ...fields, ...(parent ? { parentId: parent.id } : {}) }, changes);
  if (!parent) return;
  parent.children.push(run.id);
  const tool = node.toolCallId === undefined ? undefined : t.tools.get(toolKey(parent.id, node.toolCallId));
  if (tool && tool.runId === parent.id) {
    tool.delegations.push(run.id);
    changes.content.add(tool.id);
  } else {
    addItem(t, parent, { kind: 'delegation', id: nextId(t), runId: parent.id, childId: run.id }, changes);
  }
  markAncestors(t, run, changes);
}

function setStatus(t: Transcript, run: RunView, status: RunStatus, changes: Changes): void {
  run.status = status;
  changes.meta.add(run.id);
  if (status !== 'done' && status !== 'failed' && status !== 'cancelled' && status !== 'interrupted') return;
  // Tools of a run that ended before they did stop spinning (a done run's unfinished call: done).
  const toolStatus: ToolStatus = status;
  for (const item of run.items) {
    if (item.kind === 'tool' && (item.status === 'running' || item.status === 'waiting-for-approval')) {
      item.status = toolStatus;
      changes.content.add(item.id);
    }
  }
}

function appendText(t: Transcript, run: RunView, kind: 'text' | 'thinking', text: string, changes: Changes): void {
  const last = run.items[run.items.length - 1];
  if (last?.kind === kind) {
    last.text += text;
    changes.content.add(last.id);
    return;
  }
  addItem(t, run, { kind, id: nextId(t), runId: run.id, text }, changes);
}

/**
 * The key of a tool card: a call id is unique only within its run (providers such as Gemini's
 * and Ollama's number them `call_0`, `call_1`… in every answer).
 */
function toolKey(runId: string, toolCallId: string): string {
  return `${runId}\u0000${toolCallId}`;
}

/** The tool card of a call of a run, if the transcript has one. */
export function findTool(t: Transcript, runId: string, toolCallId: string): ToolItem | undefined {
  return t.tools.get(toolKey(runId, toolCallId));
}

function addTool(t: Transcript, run: RunView, toolCallId: string, name: string, changes: Changes): ToolItem {
  const tool: ToolItem = { kind: 'tool', id: nextId(t), runId: run.id, toolCallId, name, arguments: undefined, status: 'running', delegations: [] };
  t.tools.set(toolKey(run.id, toolCallId), tool);
  addItem(t, run, tool, changes);
  return tool;
}

function addItem(t: Transcript, run: RunView, item: TranscriptItem, changes: Changes): void {
  run.items.push(item);
  t.items.set(item.id, item);
  changes.structure.add(run.id);
}

/**
 * A retry that discards the partial output: the text and thinking streamed since the step began
 * (after the last tool card or delegation) go; notices stay.
 */
function discardStep(t: Transcript, run: RunView, changes: Changes): void {
  let start = run.items.length;
  while (start > 0) {
    const kind = run.items[start - 1]?.kind;
    if (kind !== 'text' && kind !== 'thinking' && kind !== 'notice') break;
    start--;
  }
  const kept = run.items.slice(0, start);
  for (const item of run.items.slice(start)) {
    if (item.kind === 'notice') kept.push(item);
    else t.items.delete(item.id);
  }
  if (kept.length !== run.items.length) {
    run.items = kept;
    changes.structure.add(run.id);
  }
}

function markAncestors(t: Transcript, run: RunView, changes: Changes): void {
  for (let r: RunView | undefined = run; r; r = r.parentId === undefined ? undefined : t.runs.get(r.parentId)) {
    changes.meta.add(r.id);
  }
}

function retryMessage(event: { attempt: number; delayMs: number; reason: string }): string {
  const seconds = event.delayMs >= 1000 ? `${(event.delayMs / 1000).toFixed(1)} s` : `${event.delayMs} ms`;
  return `Retrying (attempt ${event.attempt}) in ${seconds}: ${event.reason}`;
}

function nextId(t: Transcript): string {
  return `i${t.nextItem++}`;
}
