// Which process owns a running node: a second window on the same database must not interrupt the
// first one's runs when it opens the file.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunNode } from '../../protocol/run';
import { openDatabase, type MocoDatabase } from '../../server/src/storage';
import { ownerAlive } from '../../server/src/storage/runs';

let dir: string;
let db: MocoDatabase;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'moco-owner-'));
  db = openDatabase(path.join(dir, 'moco.db'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

function runningRoot(sessionId: string, id: string): RunNode {
  const node: RunNode = {
    id, rootId: id, sessionId, agent: 'orchestrator', task: 't', provider: 'openai', model: 'm', status: 'running',
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, startedAt: new Date().toISOString(),
  };
  db.runs.insert(node);
  return node;
}

describe('run ownership', () => {
  it('says a live process of this host is alive, and a dead pid, a missing owner and this process are not', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      expect(ownerAlive(`${hostname()}:${sleeper.pid}`)).toBe(true);
    } finally {
      sleeper.kill('SIGKILL');
      await once(sleeper, 'exit');
    }
    expect(ownerAlive(`${hostname()}:${sleeper.pid}`)).toBe(false);
    expect(ownerAlive(null)).toBe(false);
    expect(ownerAlive(`${hostname()}:${process.pid}`)).toBe(false);
    expect(ownerAlive('another-host.example:1')).toBe(true);
  });

  it('interrupts only the nodes whose owner is gone', () => {
    const sessionId = db.sessions.create({ profile: 'default', model: 'openai/m', workingDir: dir }).id;
    const mine = runningRoot(sessionId, 'mine');
    const theirs = runningRoot(sessionId, 'theirs');
    const interrupted = db.runs.markInterrupted((owner) => owner !== null && owner.endsWith(":other"));
    expect(interrupted.map((node) => node.id)).toEqual([mine.id, theirs.id]);
    // With another live process owning them, nothing is touched.
    const other = db.sessions.create({ profile: 'default', model: 'openai/m', workingDir: dir }).id;
    runningRoot(other, 'live');
    expect(db.runs.markInterrupted(() => true)).toEqual([]);
    expect(db.runs.get('live')?.status).toBe('running');
  });
});
