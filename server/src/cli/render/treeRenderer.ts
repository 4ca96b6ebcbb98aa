/**
 * The live agent tree for a terminal: the lines of treeLines.ts redrawn in place with log-update,
 * at most 10 times a second. Warnings, retries and limits (and, with `verbose`, finished tool
 * calls) are kept above the tree. When the root finishes, the last frame stays on screen and the
 * answer, the errors and the totals are printed below it.
 */
import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import { type RunEvent } from '../../../../protocol/run';
import {
  errorLine,
  limitLine,
  retryLine,
  toolFinishedLine,
  totalsLine,
  warningLine,
} from './eventLines';
import { applyEvent, emptyRunTreeState, type NodeView, type RunTreeState } from '../../../../protocol/runTreeState';
import { deriveTreeLines } from './treeLines';
import { type Renderer, type RendererOptions } from './types';

/** Minimum time between two frames, ms (at most 10 redraws a second). */
export const FRAME_INTERVAL_MS = 100;

/** Creates the `tree` renderer; see {@link RendererOptions}. Meant for a TTY `out`. */
export function createTreeRenderer(options: RendererOptions): Renderer {
  const colors = pc.createColors(options.color);
  const log = createLogUpdate(options.out);
  const err = options.err ?? options.out;
  let state: RunTreeState = emptyRunTreeState();
  /** The root whose tree is on screen. */
  let activeRoot: string | undefined;
  const finishedRoots = new Set<string>();
  let frame = 0;
  let lastDrawMs = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let suspended = 0;
  /** Lines to keep above the tree, held while suspended. */
  const held: string[] = [];

  const draw = (): void => {
    if (suspended > 0 || activeRoot === undefined) return;
    const lines = deriveTreeLines(state, activeRoot, {
      nowMs: Date.now(),
      spinnerFrame: frame,
      colors,
      showThinking: options.showThinking,
      showText: options.stream,
      width: terminalWidth(options.out),
    });
    log(lines.join('\n'));
    lastDrawMs = Date.now();
  };

  const startTimer = (): void => {
    if (timer) return;
    timer = setInterval(() => {
      frame += 1;
      draw();
    }, FRAME_INTERVAL_MS);
    timer.unref();
  };

  const stopTimer = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  const keep = (line: string): void => {
    if (suspended > 0) {
      held.push(line);
    } else if (activeRoot === undefined) {
      options.out.write(`${line}\n`);
    } else {
      log.persist(line);
      draw();
    }
  };

  /** Leaves the last frame on screen and prints the outcome of the tree below it. */
  const closeTree = (rootId: string, endMs: number): void => {
    draw();
    log.done();
    stopTimer();
    activeRoot = undefined;
    finishedRoots.add(rootId);
    const root = state.nodes[rootId];
    if (root?.result !== undefined && options.answer !== false) options.out.write(`\n${root.result.replace(/\n*$/, '\n')}`);
    for (const node of subtree(state, rootId)) {
      if (node.status === 'failed') err.write(`${colors.red(errorLine(node))}\n`);
    }
    options.out.write(`${colors.dim(totalsLine(state, rootId, endMs))}\n`);
  };

  const sideLine = (node: NodeView, event: RunEvent): string | undefined => {
    switch (event.kind) {
      case 'warning':
        return colors.yellow(warningLine(node, event));
      case 'limit':
        return colors.yellow(limitLine(node, event));
      case 'retry':
        return colors.yellow(retryLine(node, event, false));
      case 'toolFinished':
        return options.verbose ? toolFinishedLine(node, event, colors) : undefined;
      default:
        return undefined;
    }
  };

  const onEvent = (event: RunEvent): void => {
    state = applyEvent(state, event);
    const node = state.nodes[event.runId];
    if (!node) return;
    if (activeRoot === undefined && !finishedRoots.has(node.rootId)) {
      activeRoot = node.rootId;
      startTimer();
    }
    const line = sideLine(node, event);
    if (line !== undefined) keep(line);
    if (event.kind === 'runFinished' && node.id === activeRoot) {
      closeTree(node.id, Date.parse(event.time) || Date.now());
    }
  };

  return {
    onEvents(events) {
      for (const event of events) onEvent(event);
      if (Date.now() - lastDrawMs >= FRAME_INTERVAL_MS) draw();
    },
    finish() {
      while (held.length > 0) options.out.write(`${held.shift()}\n`);
      suspended = 0;
      if (activeRoot !== undefined) closeTree(activeRoot, Date.now());
      stopTimer();
    },
    suspend() {
      suspended += 1;
      if (suspended === 1 && activeRoot !== undefined) {
        log.clear();
        log.done();
      }
      let resumed = false;
      return () => {
        if (resumed) return;
        resumed = true;
        suspended = Math.max(0, suspended - 1);
        if (suspended > 0) return;
        while (held.length > 0) keep(held.shift() ?? '');
        draw();
      };
    },
  };
}

/** The stream's width in columns; `undefined` when unknown (a pty with no size reports 0). */
function terminalWidth(stream: NodeJS.WritableStream): number | undefined {
  const columns = (stream as { columns?: number }).columns;
  return columns !== undefined && columns > 0 ? columns : undefined;
}

/** The node `rootId` and its descendants, depth-first. */
function subtree(state: RunTreeState, rootId: string): NodeView[] {
  const node = state.nodes[rootId];
  if (!node) return [];
  return [node, ...node.children.flatMap((child) => subtree(state, child))];
}
