import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { type RunEvent } from '../../protocol/run';
import {
  applyEvent,
  applyEvents,
  emptyRunTreeState,
  rollUpUsage,
  treeTotals,
} from '../../protocol/runTreeState';
import { deriveTreeLines, type TreeLineOptions } from '../../server/src/cli/render/treeLines';
import { delegationScenario, EventScript, node, T0, usage } from './cliRenderScenario';

const plain: TreeLineOptions = {
  nowMs: T0 + 5_000,
  colors: pc.createColors(false),
  showThinking: false,
  showText: false,
};

/** The state after the scenario's events up to and including the one with `seq`. */
function stateAt(seq: number, events: RunEvent[] = delegationScenario()) {
  return applyEvents(emptyRunTreeState(), events.filter((event) => event.seq <= seq));
}

const seqOf = (predicate: (event: RunEvent) => boolean): number =>
  delegationScenario().find(predicate)!.seq;

describe('run tree state', () => {
  it('nests sub-agents under the orchestrator and tracks every status', () => {
    const state = stateAt(Number.MAX_SAFE_INTEGER);
    expect(state.roots).toEqual(['root']);
    expect(state.nodes.root?.children).toEqual(['coder', 'tester']);
    expect(state.nodes.root?.status).toBe('done');
    expect(state.nodes.coder?.status).toBe('done');
    expect(state.nodes.tester?.status).toBe('failed');
    expect(state.nodes.root?.result).toBe('The coder wrote src/add.ts; the tester failed.');
    expect(state.nodes.tester?.error?.code).toBe(1202);
  });

  it('rolls tokens and cost up the tree', () => {
    const state = stateAt(Number.MAX_SAFE_INTEGER);
    const total = rollUpUsage(state, 'root');
    expect(total.inputTokens).toBe(2900);
    expect(total.outputTokens).toBe(300);
    expect(total.costUsd).toBeCloseTo(0.0009, 10);
    expect(rollUpUsage(state, 'coder')).toEqual(usage(500, 100, 0.0003));
    expect(treeTotals(state, 'root')).toEqual(usage(2900, 300, 0.0009));
  });

  it('draws one indented line per node with icon, model, tokens, cost and duration', () => {
    const lines = deriveTreeLines(stateAt(Number.MAX_SAFE_INTEGER), 'root', plain);
    expect(lines).toEqual([
      '✓ orchestrator  openai/gpt-4o-mini  3,200 tok  $0.0009  12.3 s',
      '  ✓ coder  openai/gpt-4o-mini  600 tok  $0.0003  1.2 s',
      '  ✗ tester  openai/gpt-4o-mini  480 tok  $0.0002  1.5 s  The provider kept failing (HTTP 500). Try again later, or c…',
    ]);
  });

  it('shows the tool each node is running, and the running time so far', () => {
    const state = stateAt(seqOf((event) => event.kind === 'toolStarted' && event.name === 'write_file'));
    expect(deriveTreeLines(state, 'root', plain)).toEqual([
      '◐ orchestrator  openai/gpt-4o-mini  1,050 tok  $0.0002  5.0 s  → delegate_to_agent coder (+1)',
      '  ◐ coder  openai/gpt-4o-mini  4.7 s  → write_file src/add.ts',
      '  ◐ tester  openai/gpt-4o-mini  4.7 s',
    ]);
    const after = stateAt(seqOf((event) => event.kind === 'toolFinished' && event.name === 'write_file'));
    expect(deriveTreeLines(after, 'root', plain)[1]).toBe('  ◐ coder  openai/gpt-4o-mini  4.7 s');
  });

  it('animates running nodes with a spinner frame', () => {
    const state = stateAt(1);
    expect(deriveTreeLines(state, 'root', { ...plain, spinnerFrame: 0 })[0]).toMatch(/^⠋ orchestrator/);
    expect(deriveTreeLines(state, 'root', { ...plain, spinnerFrame: 11 })[0]).toMatch(/^⠙ orchestrator/);
  });

  it('shows the last line of text or thinking of a running node when asked', () => {
    const thinking = stateAt(seqOf((event) => event.kind === 'thinkingDelta'));
    expect(deriveTreeLines(thinking, 'root', { ...plain, showThinking: true })[0]).toContain(
      'thinking: I should split the work.',
    );
    expect(deriveTreeLines(thinking, 'root', plain)[0]).not.toContain('split the work');
    const text = stateAt(seqOf((event) => event.kind === 'textDelta'));
    expect(deriveTreeLines(text, 'root', { ...plain, showText: true })[0]).toContain('“Let me delegate.”');
  });

  it('forgets the streamed text of a step that a retry voids', () => {
    const cut = stateAt(seqOf((event) => event.kind === 'textDelta' && event.text === 'The coder wr'));
    expect(cut.nodes.root?.recentText).toContain('The coder wr');
    const retried = stateAt(seqOf((event) => event.kind === 'retry' && event.runId === 'root'));
    expect(retried.nodes.root?.recentText).toBe('');
  });

  it('shows queued, waiting, cancelled and interrupted nodes, and labels repeated agents', () => {
    const s = new EventScript()
      .add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'orchestrator' }) })
      .add('a', 10, { kind: 'runStarted', node: node({ id: 'a', parentId: 'root', agent: 'coder', status: 'queued' }) })
      .add('b', 20, { kind: 'runStarted', node: node({ id: 'b', parentId: 'root', agent: 'coder' }) })
      .add('c', 30, { kind: 'runStarted', node: node({ id: 'c', parentId: 'b', agent: 'tester' }) })
      .add('b', 40, { kind: 'statusChanged', status: 'waiting-for-approval' })
      .add('b', 41, {
        kind: 'approvalRequested',
        approvalId: 'ap1',
        toolCallId: 'call_1',
        name: 'write_file',
        arguments: { path: 'a.txt' },
        reason: 'writes a file',
      })
      .add('c', 50, { kind: 'runFinished', status: 'cancelled' })
      .add('root', 60, { kind: 'statusChanged', status: 'interrupted' });
    const state = applyEvents(emptyRunTreeState(), s.events);
    expect(deriveTreeLines(state, 'root', { ...plain, nowMs: T0 + 1000 })).toEqual([
      '⚠ orchestrator  openai/gpt-4o-mini  60 ms  interrupted',
      '  ○ coder  openai/gpt-4o-mini',
      '  ⏸ coder#2  openai/gpt-4o-mini  1.0 s  write_file needs approval',
      '    ⊘ tester  openai/gpt-4o-mini  50 ms',
    ]);
    const resolved = applyEvents(state, [
      { runId: 'b', seq: 99, time: new Date(T0 + 70).toISOString(), kind: 'approvalResolved', approvalId: 'ap1', decision: 'approve' },
      { runId: 'b', seq: 100, time: new Date(T0 + 71).toISOString(), kind: 'statusChanged', status: 'running' },
    ]);
    expect(deriveTreeLines(resolved, 'root', { ...plain, nowMs: T0 + 1000 })[2]).toBe(
      '  ◐ coder#2  openai/gpt-4o-mini  1.0 s',
    );
  });

  it('never changes a state it was given', () => {
    const before = stateAt(5);
    const snapshot = JSON.stringify(before);
    const events = delegationScenario();
    let state = before;
    for (const event of events.slice(5)) state = applyEvent(state, event);
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(state).not.toBe(before);
  });

  it('keeps a placeholder for a run whose start it did not see', () => {
    const state = applyEvent(emptyRunTreeState(), {
      runId: '0123456789abcdef',
      seq: 7,
      time: new Date(T0).toISOString(),
      kind: 'toolStarted',
      toolCallId: 'call_1',
      name: 'grep',
      arguments: { pattern: 'TODO' },
    });
    expect(state.roots).toEqual(['0123456789abcdef']);
    expect(deriveTreeLines(state, '0123456789abcdef', { ...plain, nowMs: T0 })).toEqual([
      '◐ run 01234567  0 ms  → grep TODO',
    ]);
  });
});
