// The audit log store on a real SQLite file: entries as written, newest first, per session, limits.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../server/src/storage/audit';
import { openDatabase, type MocoDatabase } from '../../server/src/storage/database';

let dir: string;
let db: MocoDatabase;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'moco-audit-'));
  db = openDatabase(path.join(dir, 'moco.db'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: `2026-11-23T09:00:${String(n).padStart(2, '0')}.000Z`,
    sessionId: 'session-a',
    runId: 'run-1',
    agent: 'backend-coder',
    tool: 'execute_bash',
    command: `echo ${n}`,
    decisive: `echo ${n}`,
    rulePattern: 'echo*',
    ruleSource: 'builtin',
    decision: 'allow',
    outcome: 'allowed',
    reason: 'Every command in it is allowed.',
    ...overrides,
  };
}

describe('the audit log', () => {
  it('gives entries back as recorded, the newest first, with increasing ids', () => {
    const first = db.audit.record(entry(1));
    const second = db.audit.record(entry(2, { decision: 'deny', outcome: 'denied', rulePattern: 'rm -rf /', command: 'rm -rf /', decisive: 'rm -rf /' }));
    expect(second).toBeGreaterThan(first);
    expect(db.audit.list()).toEqual([
      { id: second, ...entry(2, { decision: 'deny', outcome: 'denied', rulePattern: 'rm -rf /', command: 'rm -rf /', decisive: 'rm -rf /' }) },
      { id: first, ...entry(1) },
    ]);
  });

  it('leaves out the decisive command and the pattern when the default decided on an empty line', () => {
    const empty = entry(3, { ruleSource: 'default', decision: 'ask', outcome: 'rejected', command: '' });
    delete empty.decisive;
    delete empty.rulePattern;
    db.audit.record(empty);
    const [row] = db.audit.list();
    expect(row).not.toHaveProperty('decisive');
    expect(row).not.toHaveProperty('rulePattern');
    expect(row).toMatchObject({ ruleSource: 'default', outcome: 'rejected' });
  });

  it("lists one session's entries, and at most the limit asked", () => {
    for (let n = 1; n <= 5; n += 1) db.audit.record(entry(n, { sessionId: n % 2 === 0 ? 'session-b' : 'session-a' }));
    expect(db.audit.list({ sessionId: 'session-b' }).map((row) => row.command)).toEqual(['echo 4', 'echo 2']);
    expect(db.audit.list({ limit: 2 }).map((row) => row.command)).toEqual(['echo 5', 'echo 4']);
    expect(db.audit.list({ sessionId: 'session-a', limit: 1 }).map((row) => row.command)).toEqual(['echo 5']);
    expect(db.audit.list({ sessionId: 'nobody' })).toEqual([]);
  });

  it('keeps entries across closing and reopening the file', () => {
    db.audit.record(entry(7, { tool: 'start_background', agent: 'unit-tester' }));
    const file = db.file;
    db.close();
    db = openDatabase(file);
    expect(db.audit.list()).toMatchObject([{ tool: 'start_background', agent: 'unit-tester', command: 'echo 7' }]);
  });
});
