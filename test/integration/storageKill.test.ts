// `kill -9` loses nothing: a child process writes a session, its run tree, messages and events
// (each write committed as it happens) and is killed with SIGKILL without closing the database;
// this process then opens the file and finds every write the child had reported.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/storage';
import { repoRoot } from '../support/repo';

const writer = path.join(repoRoot, 'test', 'fixtures', 'storage', 'killWriter.ts');
/** Events the child reports before it is killed; it keeps writing after that. */
const EVENTS_BEFORE_KILL = 200;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'moco-kill-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('finds every committed write of a process killed with SIGKILL', async () => {
  const file = path.join(dir, 'moco.db');
  const child = spawn(process.execPath, ['--import', 'tsx', writer, file], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');

  let ids: { sessionId: string; rootId: string; childId: string } | undefined;
  let lastReported = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('ready ')) ids = JSON.parse(line.slice('ready '.length)) as typeof ids;
    if (line.startsWith('event ')) lastReported = Number(line.slice('event '.length));
    if (lastReported >= EVENTS_BEFORE_KILL) {
      child.kill('SIGKILL');
      break;
    }
  }
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  expect({ code, signal, stderr }).toEqual({ code: null, signal: 'SIGKILL', stderr: '' });
  // The child never closed the database: its write-ahead log is left for SQLite to recover from.
  expect(existsSync(`${file}-wal`)).toBe(true);
  expect(ids).toBeDefined();

  const db = openDatabase(file);
  try {
    const { sessionId, rootId, childId } = ids ?? { sessionId: '', rootId: '', childId: '' };
    expect(db.sessions.get(sessionId)).toMatchObject({ name: 'Killed mid-run', runCount: 1, resumable: false });
    expect(db.runs.listBySession(sessionId).map((run) => [run.id, run.status])).toEqual([
      [rootId, 'running'],
      [childId, 'waiting-for-approval'],
    ]);
    expect(db.runs.get(rootId)?.usage).toEqual({ inputTokens: 1200, outputTokens: 80, costUsd: 0.00024 });
    expect(db.runs.findChildByToolCall(rootId, 'call_1')?.id).toBe(childId);
    expect(db.messages.list(rootId).map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(db.messages.list(childId)).toEqual([{ role: 'user', content: 'Review src/cart.ts' }]);

    const events = db.events.list(sessionId);
    expect(db.events.lastSeq(sessionId)).toBeGreaterThanOrEqual(lastReported);
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: events.length }, (_, index) => index + 1));

    // Start-up after the crash: the runs in flight become interrupted and the session resumable.
    expect(db.runs.markInterrupted().map((run) => run.id)).toEqual([rootId, childId]);
    expect(db.sessions.get(sessionId)?.resumable).toBe(true);
  } finally {
    db.close();
  }
});
