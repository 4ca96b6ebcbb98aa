/**
 * The lines of the live agent tree, derived from a {@link RunTreeState}. Pure: the time and the
 * spinner frame are parameters, so the same state always gives the same lines.
 */
import { stripVTControlCharacters } from 'node:util';
import { type Colors } from 'picocolors/types';
import { type RunStatus } from '../../../../protocol/run';
import { formatDuration, formatTokens, formatUsd, oneLine, previewArguments } from './format';
import { lastNonEmptyLine, type NodeView, rollUpUsage, type RunTreeState } from '../../../../protocol/runTreeState';

/** Frames of the running spinner (the `dots` spinner of sindresorhus/cli-spinners). */
export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Icons of the statuses; `running` is a spinner frame when animated. */
export const STATUS_ICONS: Readonly<Record<RunStatus, string>> = {
  queued: '○',
  running: '◐',
  'waiting-for-approval': '⏸',
  done: '✓',
  failed: '✗',
  cancelled: '⊘',
  interrupted: '⚠',
};

/** Options of {@link deriveTreeLines}. */
export interface TreeLineOptions {
  /** Epoch ms: durations of unfinished nodes run until then. */
  nowMs: number;
  /** Index into {@link SPINNER_FRAMES} for running nodes; absent to show `◐`. */
  spinnerFrame?: number;
  /** picocolors' formatters (`createColors(false)` for none). */
  colors: Colors;
  /** Show the last line of a running node's thinking. */
  showThinking: boolean;
  /** Show the last line of a running node's answer text as it streams. */
  showText: boolean;
  /**
   * Terminal width in columns: the activity part of a line is cut to fit in it (and left out
   * when less than 10 columns remain). Absent: activities are cut to 60 characters only.
   */
  width?: number;
}

/** Width (in characters) of the activity snippets: current tool, text, error. */
const SNIPPET = 60;

/** The narrowest activity worth showing, in columns. */
const MIN_ACTIVITY = 10;

/**
 * One line per node of the tree rooted at `rootId`, depth-first in start order, children indented
 * by two spaces: icon, agent, provider/model, tokens (in + out) and USD of the node with its
 * descendants, duration, and what it is doing (the running tool, the approval it waits for, or
 * its error). Empty when the root is unknown.
 */
export function deriveTreeLines(
  state: RunTreeState,
  rootId: string,
  options: TreeLineOptions,
): string[] {
  const lines: string[] = [];
  const visit = (id: string, depth: number): void => {
    const node = state.nodes[id];
    if (!node) return;
    lines.push(nodeLine(state, node, '  '.repeat(depth), options));
    for (const child of node.children) visit(child, depth + 1);
  };
  visit(rootId, 0);
  return lines;
}

/** The icon of a status, colored; `running` animates when a spinner frame is given. */
export function statusIcon(status: RunStatus, colors: Colors, spinnerFrame?: number): string {
  switch (status) {
    case 'running':
      return colors.cyan(
        spinnerFrame === undefined
          ? STATUS_ICONS.running
          : (SPINNER_FRAMES[spinnerFrame % SPINNER_FRAMES.length] ?? STATUS_ICONS.running),
      );
    case 'done':
      return colors.green(STATUS_ICONS.done);
    case 'failed':
      return colors.red(STATUS_ICONS.failed);
    case 'waiting-for-approval':
    case 'interrupted':
      return colors.yellow(STATUS_ICONS[status]);
    case 'queued':
    case 'cancelled':
      return colors.dim(STATUS_ICONS[status]);
  }
}

function nodeLine(
  state: RunTreeState,
  node: NodeView,
  indent: string,
  options: TreeLineOptions,
): string {
  const { colors } = options;
  const icon = statusIcon(node.status, colors, options.spinnerFrame);
  const parts = [`${indent}${icon} ${colors.bold(node.label)}`];
  if (node.model) {
    parts.push(colors.dim(node.provider ? `${node.provider}/${node.model}` : node.model));
  }
  const usage = rollUpUsage(state, node.id);
  const tokens = usage.inputTokens + usage.outputTokens;
  if (tokens > 0) parts.push(`${formatTokens(tokens)} tok`, formatUsd(usage.costUsd));
  if (node.status !== 'queued') {
    parts.push(formatDuration((node.endedAtMs ?? options.nowMs) - node.startedAtMs));
  }
  const head = parts.join('  ');
  // Columns left for the activity: the terminal's width less the head, the gap and one spare.
  const room = options.width === undefined ? SNIPPET : options.width - visibleWidth(head) - 3;
  const activity = room >= MIN_ACTIVITY ? nodeActivity(node, Math.min(room, SNIPPET), options) : '';
  return activity ? `${head}  ${activity}` : head;
}

function visibleWidth(text: string): number {
  return [...stripVTControlCharacters(text)].length;
}

function nodeActivity(node: NodeView, width: number, options: TreeLineOptions): string {
  const { colors } = options;
  if (node.approval) return colors.yellow(oneLine(`${node.approval.name} needs approval`, width));
  if (node.status === 'failed' && node.error) return colors.red(oneLine(node.error.message, width));
  if (node.status === 'interrupted') return colors.yellow('interrupted');
  const [tool, ...others] = node.tools;
  if (tool) {
    const more = others.length > 0 ? ` (+${others.length})` : '';
    const head = `→ ${tool.name} `;
    const args = previewArguments(tool.arguments, Math.max(1, width - head.length - more.length));
    return colors.cyan(oneLine(`${head}${args}${more}`, width));
  }
  if (node.status !== 'running') return '';
  const text = options.showText ? lastNonEmptyLine(node.recentText) : '';
  if (text) return colors.dim(`“${oneLine(text, width - 2)}”`);
  const thinking = options.showThinking ? lastNonEmptyLine(node.recentThinking) : '';
  return thinking ? colors.dim(`thinking: ${oneLine(thinking, width - 10)}`) : '';
}
