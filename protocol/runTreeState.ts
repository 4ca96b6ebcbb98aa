/**
 * The run tree as the CLI, the Agents view and the Tasks view show it, rebuilt from `run/didChange` events (protocol/run.ts). A pure
 * module: {@link applyEvent} returns a new state and never mutates the old one, so it is tested
 * without a terminal or an editor. The CLI's live tree (`server/src/cli/render/treeLines.ts`) and
 * the editor's tree views are derived from it.
 */
import type { RunError, RunEvent, RunNode, RunStatus } from './run';
import { addUsage, zeroUsage, type Usage } from './usage';

/** A tool call that has started and not yet finished. */
export interface RunningTool {
  toolCallId: string;
  name: string;
  /** Parsed arguments, or the raw text when they were not valid JSON. */
  arguments: unknown;
}

/** One node of the tree as the CLI shows it. */
export interface NodeView {
  id: string;
  /** Absent for the root of a tree. */
  parentId?: string;
  rootId: string;
  /** Agent name from the profile. */
  agent: string;
  /**
   * The agent name, made unique within its tree: the second run of `coder` in one tree is
   * `coder#2`. Used to prefix plain lines.
   */
  label: string;
  task: string;
  provider: string;
  model: string;
  status: RunStatus;
  /** This node's own tokens and USD (children not included). */
  usage: Usage;
  /** Epoch ms. */
  startedAtMs: number;
  /** Epoch ms; set once the node has a final status. */
  endedAtMs?: number;
  /** Running tool calls, in the order they started. */
  tools: RunningTool[];
  /** The tool call that waits for the user's approval, if any. */
  approval?: { approvalId: string; name: string; reason: string };
  /** The last {@link RECENT_CHARS} characters of answer text streamed in the current step. */
  recentText: string;
  /** The last {@link RECENT_CHARS} characters of thinking streamed in the current step. */
  recentThinking: string;
  /** The final answer, once `done`. */
  result?: string;
  error?: RunError;
  /** Child node ids, in the order they started. */
  children: string[];
}

/** All nodes the CLI has seen, by id, and the roots in the order they started. */
export interface RunTreeState {
  readonly nodes: Readonly<Record<string, NodeView>>;
  readonly roots: readonly string[];
  /** The last `treeUsage` of a `usage` event, per root id (the server's roll-up of the tree). */
  readonly treeUsage: Readonly<Record<string, Usage>>;
}

/** Statuses after which a node does nothing more (`interrupted` can be resumed as a new run). */
export const FINAL_STATUSES: ReadonlySet<RunStatus> = new Set([
  'done',
  'failed',
  'cancelled',
  'interrupted',
]);

/** How many characters of the current step's text and thinking a node keeps for the live tree. */
export const RECENT_CHARS = 400;

/** A state with no nodes. */
export function emptyRunTreeState(): RunTreeState {
  return { nodes: {}, roots: [], treeUsage: {} };
}

/** Applies events in order; see {@link applyEvent}. */
export function applyEvents(state: RunTreeState, events: readonly RunEvent[]): RunTreeState {
  return events.reduce(applyEvent, state);
}

/**
 * The state after one event. Events about a node whose `runStarted` was not seen (a renderer
 * attached mid-run) create a placeholder root named after the run id, which a later `runStarted`
 * fills in.
 */
export function applyEvent(state: RunTreeState, event: RunEvent): RunTreeState {
  if (event.kind === 'runStarted') return startNode(state, event.node, event.time);
  const known = state.nodes[event.runId];
  const withNode = known ? state : addPlaceholder(state, event.runId, event.time);
  const node = withNode.nodes[event.runId];
  if (!node) return withNode;
  const eventMs = parseTime(event.time) ?? node.startedAtMs;
  switch (event.kind) {
    case 'statusChanged':
      return put(withNode, withStatus(node, event.status, eventMs));
    case 'textDelta':
      return put(withNode, { ...node, recentText: recent(node.recentText, event.text) });
    case 'thinkingDelta':
      return put(withNode, { ...node, recentThinking: recent(node.recentThinking, event.text) });
    case 'toolStarted': {
      const tool = { toolCallId: event.toolCallId, name: event.name, arguments: event.arguments };
      const tools = [...node.tools, tool];
      return put(withNode, { ...node, tools, recentText: '', recentThinking: '' });
    }
    case 'toolFinished':
      return put(withNode, {
        ...node,
        tools: node.tools.filter((t) => t.toolCallId !== event.toolCallId),
      });
    case 'approvalRequested':
      return put(withNode, {
        ...node,
        approval: { approvalId: event.approvalId, name: event.name, reason: event.reason },
      });
    case 'approvalResolved':
      return node.approval?.approvalId === event.approvalId
        ? put(withNode, { ...node, approval: undefined })
        : withNode;
    case 'usage':
      return {
        ...put(withNode, { ...node, usage: event.usage }),
        treeUsage: { ...withNode.treeUsage, [node.rootId]: event.treeUsage },
      };
    case 'retry':
      return event.discardsPartialOutput
        ? put(withNode, { ...node, recentText: '', recentThinking: '' })
        : withNode;
    case 'runFinished':
      return put(withNode, {
        ...withStatus(node, event.status, eventMs),
        result: event.result ?? node.result,
        error: event.error ?? node.error,
      });
    case 'limit':
    case 'warning':
      return withNode;
  }
}

/** Tokens and USD of a node and all its descendants. */
export function rollUpUsage(state: RunTreeState, nodeId: string): Usage {
  const node = state.nodes[nodeId];
  if (!node) return zeroUsage();
  return node.children.reduce((sum, child) => addUsage(sum, rollUpUsage(state, child)), node.usage);
}

/**
 * The totals of the tree rooted at `rootId`: the server's last `treeUsage` when one was seen
 * (it also counts nodes this state never saw), else the roll-up of the nodes seen.
 */
export function treeTotals(state: RunTreeState, rootId: string): Usage {
  return state.treeUsage[rootId] ?? rollUpUsage(state, rootId);
}

/** Whether a node has a final status. */
export function isFinal(node: NodeView): boolean {
  return FINAL_STATUSES.has(node.status);
}

function startNode(state: RunTreeState, node: RunNode, time: string): RunTreeState {
  const existing = state.nodes[node.id];
  const startedAtMs = parseTime(node.startedAt) ?? parseTime(time) ?? 0;
  const view: NodeView = {
    id: node.id,
    parentId: node.parentId,
    rootId: node.rootId,
    agent: node.agent,
    label: existing?.label ?? uniqueLabel(state, node),
    task: node.task,
    provider: node.provider,
    model: node.model,
    status: node.status,
    usage: node.usage,
    startedAtMs,
    endedAtMs: parseTime(node.endedAt),
    tools: existing?.tools ?? [],
    recentText: existing?.recentText ?? '',
    recentThinking: existing?.recentThinking ?? '',
    result: node.result,
    error: node.error,
    children: existing?.children ?? [],
  };
  let next = put(state, view);
  const parent = node.parentId === undefined ? undefined : next.nodes[node.parentId];
  if (parent && !parent.children.includes(node.id)) {
    next = put(next, { ...parent, children: [...parent.children, node.id] });
  }
  const isRoot = node.parentId === undefined || parent === undefined;
  if (isRoot && !next.roots.includes(node.id)) next = { ...next, roots: [...next.roots, node.id] };
  if (!isRoot && next.roots.includes(node.id)) {
    next = { ...next, roots: next.roots.filter((id) => id !== node.id) };
  }
  return next;
}

function addPlaceholder(state: RunTreeState, runId: string, time: string): RunTreeState {
  const name = `run ${runId.slice(0, 8)}`;
  const view: NodeView = {
    id: runId,
    rootId: runId,
    agent: name,
    label: name,
    task: '',
    provider: '',
    model: '',
    status: 'running',
    usage: zeroUsage(),
    startedAtMs: parseTime(time) ?? 0,
    tools: [],
    recentText: '',
    recentThinking: '',
    children: [],
  };
  return { ...put(state, view), roots: [...state.roots, runId] };
}

function uniqueLabel(state: RunTreeState, node: RunNode): string {
  const same = Object.values(state.nodes).filter(
    (other) => other.rootId === node.rootId && other.agent === node.agent,
  ).length;
  return same === 0 ? node.agent : `${node.agent}#${same + 1}`;
}

function withStatus(node: NodeView, status: RunStatus, eventMs: number): NodeView {
  const final = FINAL_STATUSES.has(status);
  return {
    ...node,
    status,
    endedAtMs: final ? (node.endedAtMs ?? eventMs) : undefined,
    tools: final ? [] : node.tools,
    approval: final ? undefined : node.approval,
  };
}

function put(state: RunTreeState, node: NodeView): RunTreeState {
  return { ...state, nodes: { ...state.nodes, [node.id]: node } };
}

/** The tail of `previous + delta` (deltas are coalesced; a line may span several). */
function recent(previous: string, delta: string): string {
  return (previous + delta).slice(-RECENT_CHARS);
}

/** The last non-empty line of a text, trimmed; '' when there is none. */
export function lastNonEmptyLine(text: string): string {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]?.trim();
    if (line) return line;
  }
  return '';
}

/** Epoch ms of an ISO 8601 time, or `undefined` when absent or not a date. */
export function parseTime(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}
