// The session event sink and the run tree's budget and cancellation, on a real SQLite file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import type { RunEvent } from '../../protocol/run';
import { CancelledError, LimitError } from '../../server/src/orchestrator/errors';
import { DELTA_FLUSH_MS, SessionEventSink } from '../../server/src/orchestrator/eventSink';
import { RunTree, type Budget } from '../../server/src/orchestrator/runTree';
import { openDatabase, type MocoDatabase } from '../../server/src/storage';

let dir: string;
let db: MocoDatabase;
let sessionId: string;
/** Each batch the listener received, with what the database held for the session at that moment. */
let batches: { events: RunEvent[]; storedSeqs: number[] }[];

function newSink(id = sessionId): SessionEventSink {
  return new SessionEventSink(id, db.events, (_id, events) => {
    batches.push({ events, storedSeqs: db.events.list(id).map((event) => event.seq) });
  });
}

const seen = (): RunEvent[] => batches.flatMap((batch) => batch.events);
const brief = (event: RunEvent): string => `${event.seq}:${event.runId}:${event.kind}${'text' in event ? `:${event.text}` : ''}`;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'moco-orch-events-'));
  db = openDatabase(path.join(dir, 'moco.db'));
  sessionId = db.sessions.create({ profile: 'default', model: 'openai/gpt-4.1-mini', workingDir: dir }).id;
  batches = [];
});

afterEach(async () => {
  vi.useRealTimers();
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SessionEventSink', () => {
  it('numbers events from the last stored seq on, strictly increasing', () => {
    const time = new Date().toISOString();
    db.events.append(sessionId, [1, 2, 3].map((seq) => ({ seq, time, runId: 'old', kind: 'warning', message: `earlier ${seq}` })));
    const sink = newSink();
    sink.emit({ runId: 'r1', kind: 'statusChanged', status: 'running' });
    sink.emit({ runId: 'r1', kind: 'textDelta', text: 'hi' });
    sink.emit({ runId: 'r1', kind: 'warning', message: 'careful' });
    expect(seen().map((event) => event.seq)).toEqual([4, 5, 6]);
    expect(db.events.list(sessionId).map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sends the first delta at once and merges those that follow within 50 ms', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const sink = newSink();
    sink.emit({ runId: 'r1', kind: 'textDelta', text: 'Hel' });
    // The first token is not held back.
    expect(seen().map(brief)).toEqual(['1:r1:textDelta:Hel']);
    sink.emit({ runId: 'r1', kind: 'textDelta', text: 'lo, ' });
    sink.emit({ runId: 'r1', kind: 'textDelta', text: '' });
    sink.emit({ runId: 'r1', kind: 'textDelta', text: 'world' });
    expect(batches).toHaveLength(1);
    expect(db.events.list(sessionId)).toHaveLength(1);
    vi.advanceTimersByTime(DELTA_FLUSH_MS);
    expect(batches).toHaveLength(2);
    expect(seen().map(brief)).toEqual(['1:r1:textDelta:Hel', '2:r1:textDelta:lo, world']);
    // After a quiet window, the next delta goes at once again.
    vi.advanceTimersByTime(DELTA_FLUSH_MS);
    sink.emit({ runId: 'r1', kind: 'textDelta', text: '!' });
    expect(seen().map(brief).at(-1)).toBe('3:r1:textDelta:!');
  });

  it('flushes pending deltas before any other event, so the order is what happened', () => {
    const sink = newSink();
    sink.emit({ runId: 'r1', kind: 'thinkingDelta', text: 'let me ' });
    sink.emit({ runId: 'r1', kind: 'thinkingDelta', text: 'see' });
    sink.emit({ runId: 'r1', kind: 'textDelta', text: 'I will ' });
    sink.emit({ runId: 'r2', kind: 'textDelta', text: 'Other run.' });
    sink.emit({ runId: 'r1', kind: 'textDelta', text: 'read it.' });
    sink.emit({ runId: 'r1', kind: 'toolStarted', toolCallId: 'c1', name: 'read_file', arguments: { path: 'a.ts' } });
    expect(seen().map(brief)).toEqual([
      '1:r1:thinkingDelta:let me ',
      '2:r1:thinkingDelta:see',
      '3:r1:textDelta:I will ',
      '4:r2:textDelta:Other run.',
      '5:r1:textDelta:read it.',
      '6:r1:toolStarted',
    ]);
    // The last delta and the tool event went out together.
    expect(batches.at(-1)?.events.map((event) => event.kind)).toEqual(['textDelta', 'toolStarted']);
  });

  it('stores every batch before the listener sees it', () => {
    const sink = newSink();
    sink.emit({ runId: 'r1', kind: 'textDelta', text: 'a' });
    sink.emit({ runId: 'r1', kind: 'usage', usage: { inputTokens: 1, outputTokens: 1, costUsd: 0 }, treeUsage: { inputTokens: 1, outputTokens: 1, costUsd: 0 } });
    sink.emit({ runId: 'r1', kind: 'textDelta', text: 'b' });
    sink.flush();
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      for (const event of batch.events) expect(batch.storedSeqs).toContain(event.seq);
    }
  });

  it('goes on after the events another process wrote to the same session meanwhile', () => {
    const mine = newSink();
    const theirs = newSink(); // a second `moco` on the same session and database
    mine.emit({ runId: 'r1', kind: 'warning', message: 'mine 1' });
    theirs.emit({ runId: 'r2', kind: 'warning', message: 'theirs 1' });
    mine.emit({ runId: 'r1', kind: 'warning', message: 'mine 2' });
    expect(db.events.list(sessionId).map((event) => [event.seq, event.runId])).toEqual([[1, 'r1'], [2, 'r2'], [3, 'r1']]);
    expect(seen().map((event) => event.seq)).toEqual([1, 2, 3]);
  });

  it('shows nothing that could not be stored', () => {
    const sink = newSink('no-such-session');
    expect(() => sink.emit({ runId: 'r1', kind: 'warning', message: 'lost?' })).toThrow();
    expect(batches).toEqual([]);
  });
});

describe('RunTree', () => {
  function newTree(budget: Budget): RunTree {
    return new RunTree(sessionId, db.runs, newSink(), budget);
  }
  const nodeInput = { agent: 'orchestrator', task: 'build it', provider: 'openai', model: 'gpt-4.1-mini' };

  it('aborts every node with a BudgetExceeded LimitError when the tree spends more tokens than max_tokens', () => {
    const tree = newTree({ maxTokens: 100 });
    const root = tree.startNode(nodeInput);
    const child = tree.startNode({ ...nodeInput, agent: 'coder', parentId: root.node.id, toolCallId: 'call_1' }, root.signal);
    const sibling = tree.startNode({ ...nodeInput, agent: 'tester', parentId: root.node.id, toolCallId: 'call_2' }, root.signal);
    tree.addUsage(root.node.id, { inputTokens: 40, outputTokens: 10, costUsd: 0 });
    expect(root.signal.aborted).toBe(false);
    tree.addUsage(child.node.id, { inputTokens: 40, outputTokens: 20, costUsd: 0 });

    for (const { signal } of [root, child, sibling]) {
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toBeInstanceOf(LimitError);
      expect(signal.reason).toMatchObject({ code: MocoErrorCodes.BudgetExceeded, limit: 'tokenBudget' });
    }
    const limits = seen().filter((event) => event.kind === 'limit');
    expect(limits).toHaveLength(1);
    expect(limits[0]).toMatchObject({ runId: child.node.id, limit: 'tokenBudget', message: expect.stringMatching(/110 tokens, above its budget of 100.*max_tokens/) as unknown });
    expect(tree.treeUsage).toEqual({ inputTokens: 80, outputTokens: 30, costUsd: 0 });
    expect(db.runs.get(child.node.id)?.usage).toEqual({ inputTokens: 40, outputTokens: 20, costUsd: 0 });

    // More usage after the stop says nothing more.
    tree.addUsage(sibling.node.id, { inputTokens: 5, outputTokens: 5, costUsd: 0 });
    expect(seen().filter((event) => event.kind === 'limit')).toHaveLength(1);
  });

  it('stops the tree at max_cost_usd with a costBudget limit', () => {
    const tree = newTree({ maxCostUsd: 0.01 });
    const root = tree.startNode(nodeInput);
    tree.addUsage(root.node.id, { inputTokens: 1, outputTokens: 1, costUsd: 0.004 });
    expect(root.signal.aborted).toBe(false);
    tree.addUsage(root.node.id, { inputTokens: 1, outputTokens: 1, costUsd: 0.008 });
    expect(root.signal.reason).toMatchObject({ code: MocoErrorCodes.BudgetExceeded, limit: 'costBudget' });
    expect(seen().find((event) => event.kind === 'limit')).toMatchObject({ limit: 'costBudget', message: expect.stringContaining('max_cost_usd') as unknown });
  });

  it('cancels a node with its descendants and leaves its parent and siblings running', () => {
    const tree = newTree({});
    const root = tree.startNode(nodeInput);
    const child = tree.startNode({ ...nodeInput, agent: 'coder', parentId: root.node.id }, root.signal);
    const grandchild = tree.startNode({ ...nodeInput, agent: 'tester', parentId: child.node.id }, child.signal);
    const sibling = tree.startNode({ ...nodeInput, agent: 'reviewer', parentId: root.node.id }, root.signal);
    expect(tree.cancel(child.node.id)).toBe(true);
    expect(child.signal.reason).toBeInstanceOf(CancelledError);
    expect(grandchild.signal.aborted).toBe(true);
    expect(root.signal.aborted).toBe(false);
    expect(sibling.signal.aborted).toBe(false);
    expect(tree.cancel(child.node.id)).toBe(false);

    expect(tree.cancel(root.node.id)).toBe(true);
    expect(sibling.signal.aborted).toBe(true);
  });

  it('stores every node and change before its event, and ends nodes with their outcome', () => {
    const tree = newTree({});
    const root = tree.startNode(nodeInput);
    expect(db.runs.get(root.node.id)).toMatchObject({ status: 'running', agent: 'orchestrator', rootId: root.node.id });
    tree.setStatus(root.node.id, 'waiting-for-approval');
    expect(db.runs.get(root.node.id)?.status).toBe('waiting-for-approval');
    const final = tree.finish(root.node.id, { status: 'done', result: 'built' });
    expect(final).toMatchObject({ status: 'done', result: 'built' });
    expect(db.runs.get(root.node.id)).toMatchObject({ status: 'done', result: 'built', endedAt: final.endedAt });
    expect(seen().map((event) => event.kind)).toEqual(['runStarted', 'statusChanged', 'runFinished']);
    expect(tree.has(root.node.id)).toBe(false);
  });
});
