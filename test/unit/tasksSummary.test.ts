// What the Tasks view shows of a background task: its status from its root run and whether its
// process lives, its usage, and its outcome (the answer, the error, or its log's last line).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunNode } from '../../protocol/run';
import { openDatabase, type MocoDatabase } from '../../server/src/storage';
import { processOwner } from '../../server/src/storage/runs';
import { readLogTail, summarizeTask, type SummaryContext } from '../../server/src/tasks/taskSummary';

let dir: string;
let db: MocoDatabase;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'moco-tasks-'));
  db = openDatabase(path.join(dir, 'moco.db'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const me = processOwner();
const live: SummaryContext = { alive: (owner) => owner !== null, cancelRequested: new Set() };
const dead: SummaryContext = { alive: () => false, cancelRequested: new Set() };

function newTask(pid?: number): { sessionId: string; logFile: string } {
  const sessionId = db.sessions.create({ name: 'Write the report', profile: 'solo', model: 'openai/m', workingDir: dir, kind: 'task' }).id;
  const logFile = path.join(dir, 'tasks', `${sessionId}.log`);
  db.tasks.create({ sessionId, title: 'Write the report', logFile, startedAt: '2026-11-22T10:00:00.000Z', host: 'here', ...(pid === undefined ? {} : { pid }) });
  return { sessionId, logFile };
}

function root(sessionId: string, patch: Partial<RunNode> = {}): RunNode {
  const node: RunNode = {
    id: `root-${sessionId}`, rootId: `root-${sessionId}`, sessionId, agent: 'orchestrator', task: 'Write the report', provider: 'openai', model: 'm',
    status: 'running', usage: { inputTokens: 100, outputTokens: 10, costUsd: 0.5 }, startedAt: '2026-11-22T10:00:01.000Z', ...patch,
  };
  db.runs.insert(node);
  return node;
}

const summary = (sessionId: string, context: SummaryContext) => summarizeTask(db, db.tasks.get(sessionId)!, context);

describe('a task before its run is stored', () => {
  it('is queued while its process has not been spawned or still lives, with its pid', () => {
    expect(summary(newTask().sessionId, dead)).toMatchObject({ status: 'queued', title: 'Write the report', usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } });
    const { sessionId, logFile } = newTask(4321);
    expect(summary(sessionId, live)).toEqual({
      sessionId, title: 'Write the report', status: 'queued', startedAt: '2026-11-22T10:00:00.000Z',
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, logFile, pid: 4321,
    });
  });

  it("failed with the log's error line once its process is gone, or cancelled when it was cancelled", async () => {
    const { sessionId, logFile } = newTask(4321);
    // No log at all: a generic outcome.
    expect(summary(sessionId, dead)).toMatchObject({ status: 'failed', outcome: expect.stringContaining('ended before its run started') as unknown });
    await mkdir(path.dirname(logFile));
    await writeFile(logFile, '{"kind":"warning"}\nmoco: Z.ai needs an API key: set ZAI_API_KEY\n\n');
    const failed = summary(sessionId, dead);
    expect(failed).toMatchObject({ status: 'failed', outcome: 'moco: Z.ai needs an API key: set ZAI_API_KEY' });
    expect(failed.endedAt).toBeDefined();
    expect(failed.pid).toBeUndefined();
    expect(summary(sessionId, { alive: () => false, cancelRequested: new Set([sessionId]) })).toMatchObject({ status: 'cancelled' });
  });
});

describe('a task with a root run', () => {
  it("has the root's status and the tree's usage while its owner lives, and interrupted once it is gone", () => {
    const { sessionId } = newTask(4321);
    const node = root(sessionId);
    db.runs.insert({ ...node, id: 'child', parentId: node.id, usage: { inputTokens: 5, outputTokens: 1, costUsd: 0.25 } });
    expect(summary(sessionId, { alive: (owner) => owner === me || owner === 'here:4321', cancelRequested: new Set() })).toMatchObject({
      runId: node.id, status: 'running', usage: { inputTokens: 105, outputTokens: 11, costUsd: 0.75 }, pid: 4321,
    });
    const gone = summary(sessionId, dead);
    expect(gone.status).toBe('interrupted');
    expect(gone.pid).toBeUndefined();
  });

  it('ends with the first 200 characters of the answer, or the error message', () => {
    const done = newTask(1).sessionId;
    root(done, { status: 'done', result: 'x'.repeat(250), endedAt: '2026-11-22T10:05:00.000Z' });
    expect(summary(done, live)).toMatchObject({ status: 'done', outcome: 'x'.repeat(200), endedAt: '2026-11-22T10:05:00.000Z' });
    const failed = newTask(2).sessionId;
    root(failed, { status: 'failed', error: { code: 1202, message: 'The provider is down.' }, endedAt: '2026-11-22T10:05:00.000Z' });
    expect(summary(failed, dead)).toMatchObject({ status: 'failed', outcome: 'The provider is down.' });
  });
});

describe('readLogTail', () => {
  it('gives the last non-blank line when no line is an error of the CLI, and nothing for a missing file', async () => {
    const file = path.join(dir, 'a.log');
    await writeFile(file, `${'padding line\n'.repeat(1000)}last words\n`);
    expect(readLogTail(file).lastLine).toBe('last words');
    expect(readLogTail(path.join(dir, 'missing.log'))).toEqual({ lastLine: '' });
  });
});
