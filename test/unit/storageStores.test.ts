// The stores on a real SQLite file: sessions, the run tree, messages, events, and transactions.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import type { ChatMessage, RunEvent, RunNode, RunStatus } from '../../protocol/run';
import {
  nameFromMessage,
  openDatabase,
  StorageError,
  type MocoDatabase,
} from '../../server/src/storage';

let dir: string;
let db: MocoDatabase;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'moco-stores-'));
  db = openDatabase(path.join(dir, 'moco.db'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const zero = { inputTokens: 0, outputTokens: 0, costUsd: 0 };

function newSession(name?: string): string {
  return db.sessions.create({ profile: 'development', model: 'openrouter/openai/gpt-4o', workingDir: '/work/app', ...(name ? { name } : {}) }).id;
}

let counter = 0;
/** Stores a node; a root unless `parent` is given. */
function node(sessionId: string, fields: Partial<RunNode> & { parent?: RunNode } = {}): RunNode {
  counter += 1;
  const { parent, ...rest } = fields;
  const id = rest.id ?? `run-${counter}`;
  const stored: RunNode = {
    id,
    sessionId,
    rootId: parent ? parent.rootId : id,
    ...(parent ? { parentId: parent.id } : {}),
    agent: parent ? 'coder' : 'orchestrator',
    task: `task ${counter}`,
    provider: 'openrouter',
    model: 'openai/gpt-4o',
    status: 'running',
    usage: zero,
    startedAt: '2026-11-21T10:00:00.000Z',
    ...rest,
  };
  db.runs.insert(stored);
  return stored;
}

function event(seq: number, runId: string, time = `2026-11-21T10:00:${String(seq).padStart(2, '0')}.000Z`): RunEvent {
  return { seq, runId, time, kind: 'textDelta', text: `part ${seq} ` };
}

function storageFailure(action: () => unknown): StorageError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(StorageError);
    return error as StorageError;
  }
  throw new Error('expected a StorageError');
}

describe('sessions', () => {
  it('creates a session with a new id and an empty name, and reads it back', () => {
    const created = db.sessions.create({ profile: 'code', model: 'zai/glm-4.7', workingDir: '/work/app' });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created).toMatchObject({ name: '', profile: 'code', model: 'zai/glm-4.7', runCount: 0, usage: zero, resumable: false });
    expect(created.updatedAt).toBe(created.createdAt);
    expect(db.sessions.get(created.id)).toEqual(created);
    expect(db.sessions.get('no-such-session')).toBeUndefined();
  });

  it('lists the most recently updated first', () => {
    const older = newSession('older');
    const newer = newSession('newer');
    const middle = newSession('middle');
    db.sessions.touch(older, '2026-11-21T08:00:00.000Z');
    db.sessions.touch(middle, '2026-11-21T09:00:00.000Z');
    db.sessions.touch(newer, '2026-11-21T10:00:00.000Z');
    expect(db.sessions.list().map((session) => session.name)).toEqual(['newer', 'middle', 'older']);
    expect(db.sessions.touch('no-such-session')).toBe(false);
  });

  it('renames and updates only the fields given', () => {
    const id = newSession();
    expect(db.sessions.rename(id, 'Fix the login bug')?.name).toBe('Fix the login bug');
    const updated = db.sessions.update(id, { model: 'ollama/qwen3:8b', workingDir: '/work/other' });
    expect(updated).toMatchObject({ name: 'Fix the login bug', profile: 'development', model: 'ollama/qwen3:8b', workingDir: '/work/other' });
    expect(db.sessions.get(id)).toEqual(updated);
    expect(db.sessions.rename('no-such-session', 'x')).toBeUndefined();
    expect(db.sessions.update('no-such-session', { profile: 'code' })).toBeUndefined();
  });

  it('deletes a session with its runs, messages and events, and nothing of other sessions', () => {
    const doomed = newSession('doomed');
    const kept = newSession('kept');
    for (const sessionId of [doomed, kept]) {
      const root = node(sessionId);
      const child = node(sessionId, { parent: root });
      db.messages.append(root.id, { role: 'user', content: 'hello' });
      db.messages.append(child.id, { role: 'user', content: 'sub-task' });
      db.events.append(sessionId, [event(1, root.id), event(2, child.id)]);
    }
    const doomedRuns = db.runs.listBySession(doomed);

    expect(db.sessions.delete(doomed)).toBe(true);
    expect(db.sessions.get(doomed)).toBeUndefined();
    expect(db.runs.listBySession(doomed)).toEqual([]);
    expect(doomedRuns.map((run) => db.runs.get(run.id))).toEqual([undefined, undefined]);
    expect(db.messages.count(doomed)).toBe(0);
    expect(db.events.list(doomed)).toEqual([]);
    expect(db.sessions.delete(doomed)).toBe(false);

    expect(db.runs.listBySession(kept)).toHaveLength(2);
    expect(db.messages.count(kept)).toBe(2);
    expect(db.messages.count()).toBe(2);
    expect(db.events.lastSeq(kept)).toBe(2);
  });
});

describe('nameFromMessage', () => {
  it('takes the first non-blank line, trimmed, with spaces collapsed', () => {
    expect(nameFromMessage('\n\n   Fix   the\tlogin bug  \nin src/auth.ts')).toBe('Fix the login bug');
    expect(nameFromMessage('  \n ')).toBe('');
  });

  it('cuts a long line to 80 characters ending with an ellipsis, never inside a character', () => {
    const long = `${'🙂'.repeat(50)} ${'word '.repeat(30)}`;
    const name = nameFromMessage(long);
    expect(Array.from(name)).toHaveLength(80);
    expect(name.endsWith('…')).toBe(true);
    expect(name.startsWith('🙂'.repeat(50))).toBe(true);
    expect(nameFromMessage('x'.repeat(80))).toBe('x'.repeat(80));
  });
});

describe('the run tree', () => {
  it('stores a node and reads every field back', () => {
    const sessionId = newSession();
    const root = node(sessionId, { status: 'done', usage: { inputTokens: 120, outputTokens: 30, costUsd: 0.0021 }, endedAt: '2026-11-21T10:01:00.000Z', result: 'Done.' });
    const failed = node(sessionId, {
      parent: root,
      toolCallId: 'call_1',
      status: 'failed',
      endedAt: '2026-11-21T10:00:30.000Z',
      error: { code: MocoErrorCodes.BudgetExceeded, message: 'The tree spent its 0.50 USD budget.' },
    });
    expect(db.runs.get(root.id)).toEqual(root);
    expect(db.runs.get(failed.id)).toEqual(failed);
    expect(db.runs.get('no-such-run')).toBeUndefined();
  });

  it('updates only the fields of the patch', () => {
    const root = node(newSession());
    db.runs.update(root.id, { usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.001 } });
    db.runs.update(root.id, { status: 'done', endedAt: '2026-11-21T10:02:00.000Z', result: 'All tests pass.', model: 'openai/gpt-4.1' });
    expect(db.runs.get(root.id)).toEqual({
      ...root,
      status: 'done',
      usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.001 },
      endedAt: '2026-11-21T10:02:00.000Z',
      result: 'All tests pass.',
      model: 'openai/gpt-4.1',
    });
  });

  it('names the missing session, parent or run', () => {
    const sessionId = newSession();
    const orphan = storageFailure(() => node('no-such-session'));
    expect(orphan.code).toBe(MocoErrorCodes.SessionNotFound);
    expect(orphan.message).toContain('no-such-session');
    const noParent = storageFailure(() =>
      node(sessionId, { parentId: 'no-such-parent', rootId: 'no-such-parent' }),
    );
    expect(noParent.code).toBe(MocoErrorCodes.RunNotFound);
    expect(noParent.message).toContain('no-such-parent');
    expect(storageFailure(() => db.runs.update('no-such-run', { status: 'done' })).code).toBe(MocoErrorCodes.RunNotFound);
    expect(db.runs.listBySession(sessionId)).toEqual([]);
  });

  it('lists a session in start order, a parent’s children, and the child of a tool call', () => {
    const sessionId = newSession();
    const root = node(sessionId);
    const a = node(sessionId, { parent: root, toolCallId: 'call_a' });
    const b = node(sessionId, { parent: root, toolCallId: 'call_b' });
    const grandchild = node(sessionId, { parent: a, toolCallId: 'call_c' });
    const second = node(sessionId);
    expect(db.runs.listBySession(sessionId).map((run) => run.id)).toEqual([root.id, a.id, b.id, grandchild.id, second.id]);
    expect(db.runs.children(root.id).map((run) => run.id)).toEqual([a.id, b.id]);
    expect(db.runs.children(grandchild.id)).toEqual([]);
    expect(db.runs.findChildByToolCall(root.id, 'call_b')).toEqual(b);
    expect(db.runs.findChildByToolCall(root.id, 'call_c')).toBeUndefined();
  });

  it('rolls usage up over a tree, and over a session', () => {
    const sessionId = newSession();
    const root = node(sessionId, { usage: { inputTokens: 1000, outputTokens: 100, costUsd: 0.01 } });
    const child = node(sessionId, { parent: root, usage: { inputTokens: 500, outputTokens: 50, costUsd: 0.005 } });
    node(sessionId, { parent: child, usage: { inputTokens: 250, outputTokens: 25, costUsd: 0.0025 } });
    const other = node(sessionId, { usage: { inputTokens: 7, outputTokens: 3, costUsd: 0.5 } });
    node(newSession(), { usage: { inputTokens: 99_999, outputTokens: 9_999, costUsd: 9 } });

    const tree = db.runs.treeUsage(root.id);
    expect(tree).toMatchObject({ inputTokens: 1750, outputTokens: 175 });
    expect(tree.costUsd).toBeCloseTo(0.0175, 10);
    expect(db.runs.treeUsage(other.id)).toEqual({ inputTokens: 7, outputTokens: 3, costUsd: 0.5 });
    expect(db.runs.treeUsage('no-such-run')).toEqual(zero);

    const session = db.sessions.get(sessionId);
    expect(session).toMatchObject({ runCount: 2, usage: { inputTokens: 1757, outputTokens: 178 } });
    expect(session?.usage.costUsd).toBeCloseTo(0.5175, 10);
  });

  it('marks every node that was in flight interrupted, and only those', () => {
    const busy = newSession();
    const statuses: RunStatus[] = ['queued', 'running', 'waiting-for-approval', 'done', 'failed', 'cancelled'];
    const root = node(busy, { status: 'running' });
    const children = statuses.map((status) => node(busy, { parent: root, status }));
    const idle = newSession();
    node(idle, { status: 'done' });
    expect(db.sessions.get(busy)?.resumable).toBe(false);

    const interrupted = db.runs.markInterrupted();
    expect(interrupted.map((run) => run.id)).toEqual([root.id, ...children.slice(0, 3).map((run) => run.id)]);
    expect(interrupted.every((run) => run.status === 'interrupted')).toBe(true);
    expect(db.runs.listBySession(busy).map((run) => run.status)).toEqual([
      'interrupted', 'interrupted', 'interrupted', 'interrupted', 'done', 'failed', 'cancelled',
    ]);
    expect(db.sessions.get(busy)?.resumable).toBe(true);
    expect(db.sessions.get(idle)?.resumable).toBe(false);
    expect(db.runs.markInterrupted()).toEqual([]);
  });
});

describe('messages', () => {
  it('numbers each run’s messages from 1 and returns them exactly as appended', () => {
    const sessionId = newSession();
    const root = node(sessionId);
    const child = node(sessionId, { parent: root });
    const conversation: ChatMessage[] = [
      { role: 'system', content: 'You are the orchestrator.' },
      { role: 'user', content: 'Refactor src/cart.ts' },
      {
        role: 'assistant',
        content: null,
        reasoning: 'The cart needs a reviewer.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'delegate_to_agent', arguments: '{"agent_name":"refactorer"' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Error: the arguments are not valid JSON.' },
    ];
    expect(conversation.map((message) => db.messages.append(root.id, message))).toEqual([1, 2, 3, 4]);
    expect(db.messages.append(child.id, { role: 'user', content: 'sub-task' })).toBe(1);
    expect(db.messages.list(root.id)).toEqual(conversation);
    expect(db.messages.list('no-such-run')).toEqual([]);
    expect(db.messages.count(sessionId)).toBe(5);
    expect(db.messages.count('no-such-session')).toBe(0);
  });

  it('refuses a message for a run that does not exist', () => {
    const failure = storageFailure(() => db.messages.append('no-such-run', { role: 'user', content: 'hi' }));
    expect(failure.code).toBe(MocoErrorCodes.RunNotFound);
    expect(db.messages.count()).toBe(0);
  });
});

describe('events', () => {
  it('returns events in seq order, after a given seq, and the last seq', () => {
    const sessionId = newSession();
    const root = node(sessionId);
    expect(db.events.lastSeq(sessionId)).toBe(0);
    db.events.append(sessionId, [
      { seq: 1, runId: root.id, time: '2026-11-21T10:00:00.000Z', kind: 'runStarted', node: root },
      event(2, root.id),
      { seq: 3, runId: root.id, time: '2026-11-21T10:00:03.000Z', kind: 'toolStarted', toolCallId: 'call_1', name: 'read_file', arguments: { path: 'a.ts' } },
    ]);
    db.events.append(sessionId, [event(4, root.id), event(5, root.id)]);
    db.events.append(sessionId, []);

    expect(db.events.list(sessionId).map((stored) => stored.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(db.events.list(sessionId)[0]).toEqual({ seq: 1, runId: root.id, time: '2026-11-21T10:00:00.000Z', kind: 'runStarted', node: root });
    expect(db.events.list(sessionId, 3)).toEqual([event(4, root.id), event(5, root.id)]);
    expect(db.events.list(sessionId, 5)).toEqual([]);
    expect(db.events.lastSeq(sessionId)).toBe(5);
  });

  it('moves the session to the top of the list with its last event time', () => {
    const first = newSession('first');
    const second = newSession('second');
    db.sessions.touch(first, '2026-11-21T09:00:00.000Z');
    db.sessions.touch(second, '2026-11-21T09:30:00.000Z');
    const root = node(first);
    db.events.append(first, [event(1, root.id, '2026-11-21T09:59:00.000Z'), event(2, root.id, '2026-11-21T10:00:00.000Z')]);
    expect(db.sessions.get(first)?.updatedAt).toBe('2026-11-21T10:00:00.000Z');
    expect(db.sessions.list().map((session) => session.name)).toEqual(['first', 'second']);
  });

  it('stores a batch whole or not at all', () => {
    const sessionId = newSession();
    const root = node(sessionId);
    db.events.append(sessionId, [event(1, root.id)]);
    expect(() => db.events.append(sessionId, [event(2, root.id), event(1, root.id)])).toThrow(/UNIQUE/);
    expect(db.events.lastSeq(sessionId)).toBe(1);

    const failure = storageFailure(() => db.events.append('no-such-session', [event(1, root.id)]));
    expect(failure.code).toBe(MocoErrorCodes.SessionNotFound);
    expect(db.events.list('no-such-session')).toEqual([]);
  });

  it('loads a 1,000-message session whole', () => {
    const sessionId = newSession();
    const root = node(sessionId);
    for (let seq = 1; seq <= 1000; seq += 1) {
      db.messages.append(root.id, { role: seq % 2 ? 'user' : 'assistant', content: `message ${seq}` });
    }
    db.events.append(sessionId, Array.from({ length: 1000 }, (_, index) => event(index + 1, root.id)));

    expect(db.sessions.get(sessionId)?.runCount).toBe(1);
    expect(db.runs.listBySession(sessionId)).toHaveLength(1);
    const messages = db.messages.list(root.id);
    expect(messages).toHaveLength(1000);
    expect(messages[999]).toEqual({ role: 'assistant', content: 'message 1000' });
    expect(db.events.list(sessionId).map((stored) => stored.seq)).toEqual(Array.from({ length: 1000 }, (_, index) => index + 1));
  });
});

describe('transactions', () => {
  it('commits all the writes of a transaction, or none when it throws', () => {
    const kept = db.transaction(() => {
      const id = newSession('kept');
      node(id);
      return id;
    });
    expect(db.sessions.get(kept)?.runCount).toBe(1);

    expect(() =>
      db.transaction(() => {
        node(newSession('lost'));
        throw new Error('the run could not start');
      }),
    ).toThrow('the run could not start');
    expect(db.sessions.list().map((session) => session.name)).toEqual(['kept']);
  });

  it('nests: an inner failure that is caught undoes only the inner writes', () => {
    db.transaction(() => {
      newSession('outer');
      try {
        db.transaction(() => {
          newSession('inner');
          throw new Error('inner failure');
        });
      } catch {
        // The outer transaction goes on.
      }
      // events.append opens its own (nested) transaction.
      const id = newSession('after');
      db.events.append(id, [event(1, node(id).id)]);
    });
    expect(db.sessions.list().map((session) => session.name).sort()).toEqual(['after', 'outer']);
  });

  it('refuses an async function and rolls its writes back', () => {
    expect(() =>
      db.transaction(async () => {
        newSession('async');
        await Promise.resolve();
      }),
    ).toThrow(TypeError);
    expect(db.sessions.list()).toEqual([]);
  });
});
