/**
 * Plain lines for pipes and CI: one stable, greppable line per thing that happened, `[agent]`
 * first (see eventLines.ts). The root's answer goes to `out` as it streams (or at the end), and
 * warnings, retries, limits and errors go to `err`. The last line of a tree is its totals.
 */
import pc from 'picocolors';
import { type RunEvent } from '../../../../protocol/run';
import {
  approvalRequestedLine,
  approvalResolvedLine,
  errorLine,
  finishedLine,
  limitLine,
  retryLine,
  startedLine,
  tag,
  toolFinishedLine,
  toolStartedLine,
  totalsLine,
  warningLine,
} from './eventLines';
import { parseTime } from './format';
import { applyEvent, emptyRunTreeState, type NodeView, type RunTreeState } from '../../../../protocol/runTreeState';
import { type Renderer, type RendererOptions } from './types';

/** A stream writer that knows whether its last character ended a line. */
class LineWriter {
  private atLineStart = true;
  constructor(private readonly stream: NodeJS.WritableStream) {}

  /** Writes text as it is. */
  raw(text: string): void {
    if (text === '') return;
    this.stream.write(text);
    this.atLineStart = text.endsWith('\n');
  }

  /** Writes one line, on a fresh line. */
  line(text: string): void {
    this.endLine();
    this.raw(`${text}\n`);
  }

  /** Ends a partly written line. */
  endLine(): void {
    if (!this.atLineStart) this.raw('\n');
  }
}

/** Creates the `plain` renderer; see {@link RendererOptions}. */
export function createPlainRenderer(options: RendererOptions): Renderer {
  const colors = pc.createColors(options.color);
  const out = new LineWriter(options.out);
  const err = options.err ? new LineWriter(options.err) : out;
  let state: RunTreeState = emptyRunTreeState();
  /** Partial lines of sub-agents' text and of thinking, by `<runId>:text|thinking`. */
  const buffers = new Map<string, string>();
  /** Nodes that showed text or thinking in their current step. */
  const shownInStep = new Set<string>();
  /** Roots whose answer text was written as it streamed. */
  const streamedRoots = new Set<string>();
  /** Roots whose totals line was written. */
  const closedRoots = new Set<string>();

  const isRoot = (node: NodeView): boolean => node.parentId === undefined;

  const emitBuffered = (node: NodeView, kind: 'text' | 'thinking', text: string): void => {
    const other = `${node.id}:${kind === 'text' ? 'thinking' : 'text'}`;
    const pending = buffers.get(other);
    buffers.delete(other);
    if (pending) writeTextLine(node, kind === 'text' ? 'thinking' : 'text', pending);
    const key = `${node.id}:${kind}`;
    const lines = ((buffers.get(key) ?? '') + text).split('\n');
    buffers.set(key, lines.pop() ?? '');
    for (const line of lines) writeTextLine(node, kind, line);
  };

  const writeTextLine = (node: NodeView, kind: 'text' | 'thinking', line: string): void => {
    if (line.trim() === '') return;
    shownInStep.add(node.id);
    out.line(
      kind === 'text' ? `${tag(node)} │ ${line}` : colors.dim(`${tag(node)} (thinking) ${line}`),
    );
  };

  const flush = (node: NodeView, discard = false): void => {
    for (const kind of ['thinking', 'text'] as const) {
      const key = `${node.id}:${kind}`;
      const rest = buffers.get(key);
      buffers.delete(key);
      if (rest && !discard) writeTextLine(node, kind, rest);
    }
  };

  const onText = (node: NodeView, text: string): void => {
    if (isRoot(node)) {
      if (!options.stream) return;
      flush(node);
      out.raw(text);
      streamedRoots.add(node.id);
      shownInStep.add(node.id);
    } else if (options.verbose) {
      emitBuffered(node, 'text', text);
    }
  };

  const onRunFinished = (node: NodeView, eventMs: number): void => {
    flush(node);
    out.line(finishedLine(state, node));
    if (node.status === 'failed') err.line(colors.red(errorLine(node)));
    if (!isRoot(node)) return;
    if (node.result !== undefined && !streamedRoots.has(node.id) && options.answer !== false) out.line(node.result);
    closedRoots.add(node.id);
    out.line(totalsLine(state, node.id, eventMs));
  };

  const onEvent = (event: RunEvent): void => {
    state = applyEvent(state, event);
    const node = state.nodes[event.runId];
    if (!node) return;
    switch (event.kind) {
      case 'runStarted':
        out.line(startedLine(node, options.verbose));
        break;
      case 'statusChanged':
        if (event.status === 'interrupted') err.line(colors.yellow(`${tag(node)} interrupted`));
        else if (options.verbose) out.line(`${tag(node)} status: ${event.status}`);
        break;
      case 'textDelta':
        onText(node, event.text);
        break;
      case 'thinkingDelta':
        if (options.showThinking) emitBuffered(node, 'thinking', event.text);
        break;
      case 'toolStarted':
        flush(node);
        shownInStep.delete(node.id);
        out.line(toolStartedLine(node, event));
        break;
      case 'toolFinished':
        out.line(toolFinishedLine(node, event, colors));
        break;
      case 'approvalRequested':
        flush(node);
        out.line(approvalRequestedLine(node, event));
        break;
      case 'approvalResolved':
        out.line(approvalResolvedLine(node, event));
        break;
      case 'usage':
        flush(node);
        shownInStep.delete(node.id);
        break;
      case 'retry': {
        const void_ = event.discardsPartialOutput;
        const shown = void_ && (shownInStep.has(node.id) || hasBuffered(buffers, node.id));
        flush(node, void_);
        if (void_) shownInStep.delete(node.id);
        out.endLine();
        err.line(colors.yellow(retryLine(node, event, shown)));
        break;
      }
      case 'limit':
        err.line(colors.yellow(limitLine(node, event)));
        break;
      case 'warning':
        err.line(colors.yellow(warningLine(node, event)));
        break;
      case 'runFinished':
        onRunFinished(node, parseTime(event.time) ?? Date.now());
        break;
    }
  };

  return {
    onEvents(events) {
      for (const event of events) onEvent(event);
    },
    finish() {
      for (const node of Object.values(state.nodes)) flush(node);
      // A tree that did not finish (interrupted, or the process is stopping) still gets its totals.
      for (const rootId of state.roots.filter((id) => !closedRoots.has(id))) {
        closedRoots.add(rootId);
        out.line(totalsLine(state, rootId, Date.now()));
      }
      out.endLine();
      if (err !== out) err.endLine();
    },
    suspend() {
      return () => {};
    },
  };
}

function hasBuffered(buffers: ReadonlyMap<string, string>, runId: string): boolean {
  return Boolean(buffers.get(`${runId}:text`) || buffers.get(`${runId}:thinking`));
}
