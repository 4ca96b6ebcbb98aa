// The database file: creation, migrations, the schema-v1, v2 and v3 fixtures, and the files it refuses.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { repoRoot } from '../support/repo';
import { Connection } from '../../server/src/storage/connection';
import { openDatabase, type MocoDatabase } from '../../server/src/storage/database';
import { StorageError } from '../../server/src/storage/errors';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../server/src/storage/migrations';
import { loadSqlite, withoutSqliteWarning } from '../../server/src/storage/sqlite';

const fixtureV1 = path.join(repoRoot, 'test', 'fixtures', 'storage', 'schema-v1.sql');
const fixtureV2 = path.join(repoRoot, 'test', 'fixtures', 'storage', 'schema-v2.sql');
const fixtureV3 = path.join(repoRoot, 'test', 'fixtures', 'storage', 'schema-v3.sql');
const S1 = 'b3c0d5e2-1f4a-4c8e-9a61-0d2f3e4a5b6c';
const S2 = '7e9f1a2b-3c4d-4e5f-8a6b-9c0d1e2f3a4b';
const S3 = 'c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f';
const S4 = 'd5e6f7a8-1b2c-4d3e-9f4a-5b6c7d8e9f0a';
const R = (n: number): string => `a1000000-0000-4000-8000-00000000000${n}`;

let dir: string;
let opened: MocoDatabase[];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'moco-db-'));
  opened = [];
});
afterEach(async () => {
  for (const db of opened) db.close();
  await rm(dir, { recursive: true, force: true });
});

function open(file: string, busyTimeoutMs?: number): MocoDatabase {
  const db = openDatabase(file, busyTimeoutMs === undefined ? {} : { busyTimeoutMs });
  opened.push(db);
  return db;
}

/** Runs SQL on a plain node:sqlite connection to `file`, and closes it. */
function rawExec(file: string, sql: string): void {
  const raw = new (loadSqlite().DatabaseSync)(file);
  raw.exec(sql);
  raw.close();
}

function rawGet(file: string, sql: string): Record<string, unknown> | undefined {
  const raw = new (loadSqlite().DatabaseSync)(file);
  const row = raw.prepare(sql).get();
  raw.close();
  return row;
}

function schemaOf(file: string): string[] {
  const raw = new (loadSqlite().DatabaseSync)(file);
  const rows = raw.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY type, name').all();
  raw.close();
  return rows.map((row) => `${String(row.type)} ${String(row.name)}: ${String(row.sql)}`);
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function failureOf(action: () => unknown): StorageError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(StorageError);
    return error as StorageError;
  }
  throw new Error('expected a StorageError');
}

describe('openDatabase on a new file', () => {
  it('creates the schema at the current version, in WAL mode, and keeps data across reopening', () => {
    const file = path.join(dir, 'moco.db');
    const db = open(file);
    const session = db.sessions.create({ profile: 'default', model: 'openai/gpt-4o-mini', workingDir: '/w' });
    db.close();

    expect(rawGet(file, 'PRAGMA user_version')).toEqual({ user_version: SCHEMA_VERSION });
    expect(rawGet(file, 'PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(schemaOf(file).filter((entry) => entry.startsWith('table'))).toHaveLength(6);
    const again = open(file);
    expect(again.sessions.get(session.id)).toEqual(session);
  });

  it('produces exactly the schema of the v1 fixture (released migrations are never edited)', () => {
    const migrated = path.join(dir, 'migrated.db');
    const fromFixture = path.join(dir, 'fixture.db');
    const connection = new Connection(new (loadSqlite().DatabaseSync)(migrated), migrated);
    migrate(connection, MIGRATIONS.slice(0, 1));
    connection.close();
    rawExec(fromFixture, readFileSync(fixtureV1, 'utf8'));
    expect(schemaOf(migrated)).toEqual(schemaOf(fromFixture));
  });

  it('produces exactly the schema of the v2 fixture', () => {
    const migrated = path.join(dir, 'migrated.db');
    const fromFixture = path.join(dir, 'fixture.db');
    const connection = new Connection(new (loadSqlite().DatabaseSync)(migrated), migrated);
    migrate(connection, MIGRATIONS.slice(0, 2));
    connection.close();
    rawExec(fromFixture, readFileSync(fixtureV2, 'utf8'));
    expect(schemaOf(migrated)).toEqual(schemaOf(fromFixture));
  });

  it('produces exactly the schema of the v3 fixture', () => {
    const migrated = path.join(dir, 'migrated.db');
    const fromFixture = path.join(dir, 'fixture.db');
    const connection = new Connection(new (loadSqlite().DatabaseSync)(migrated), migrated);
    migrate(connection, MIGRATIONS.slice(0, 3));
    connection.close();
    rawExec(fromFixture, readFileSync(fixtureV3, 'utf8'));
    expect(schemaOf(migrated)).toEqual(schemaOf(fromFixture));
  });

  it('says which folder to check when the file cannot be created', () => {
    const file = path.join(dir, 'missing-folder', 'moco.db');
    const failure = failureOf(() => open(file));
    expect(failure.code).toBe(MocoErrorCodes.StorageUnavailable);
    expect(failure.failure).toBe('cannot-open');
    expect(failure.message).toContain(file);
    expect(failure.message).toContain('folder exists and is writable');
  });
});

describe('a file written by schema v1', () => {
  let file: string;
  beforeEach(() => {
    file = path.join(dir, 'v1.db');
    rawExec(file, readFileSync(fixtureV1, 'utf8'));
  });

  it('lists its sessions with usage, run count and resumability computed from the runs', () => {
    const [first, second, ...rest] = open(file).sessions.list();
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      id: S1,
      name: 'Add a /health endpoint to the API',
      profile: 'development',
      model: 'openrouter/anthropic/claude-sonnet-4',
      workingDir: '/home/ada/shop-api',
      createdAt: '2026-11-20T09:59:58.000Z',
      updatedAt: '2026-11-20T10:05:03.000Z',
      runCount: 2,
      resumable: true,
      usage: { inputTokens: 10_710, outputTokens: 1_070 },
    });
    expect(first?.usage.costUsd).toBeCloseTo(0.04548, 10);
    expect(second).toMatchObject({ id: S2, name: '', runCount: 0, resumable: false });
    expect(second?.usage).toEqual({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
  });

  it('reads back its run tree, messages and events', () => {
    const db = open(file);
    const runs = db.runs.listBySession(S1);
    expect(runs.map((node) => [node.agent, node.status])).toEqual([
      ['orchestrator', 'done'],
      ['backend-coder', 'done'],
      ['unit-tester', 'failed'],
      ['orchestrator', 'interrupted'],
    ]);
    expect(runs[2]).toMatchObject({
      parentId: R(1),
      rootId: R(1),
      toolCallId: 'call_delegate_2',
      provider: 'zai',
      model: 'glm-4.7',
      error: { code: MocoErrorCodes.ProviderUnavailable, message: expect.stringContaining('HTTP 503') as unknown },
    });
    expect(runs[3]?.endedAt).toBeUndefined();
    expect(db.runs.findChildByToolCall(R(1), 'call_delegate_1')?.agent).toBe('backend-coder');
    expect(db.runs.treeUsage(R(1))).toMatchObject({ inputTokens: 9_210, outputTokens: 1_050 });

    const messages = db.messages.list(R(1));
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'assistant']);
    expect(messages[2]).toMatchObject({ role: 'assistant', content: null, reasoning: 'Split: code, then test.' });
    expect(db.messages.count(S1)).toBe(11);

    const events = db.events.list(S1);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(events[2]).toMatchObject({ kind: 'toolStarted', arguments: { agent_name: 'backend-coder' } });
    expect(db.events.lastSeq(S1)).toBe(13);
  });

  it('accepts new writes after opening', () => {
    const db = open(file);
    expect(db.messages.append(R(4), { role: 'assistant', content: 'Added a "Health" section.' })).toBe(3);
    db.runs.update(R(4), { status: 'done', endedAt: '2026-11-20T10:06:00.000Z', result: 'Documented.' });
    expect(db.sessions.get(S1)?.resumable).toBe(false);
  });
});

describe('a file written by schema v2', () => {
  let file: string;
  beforeEach(() => {
    file = path.join(dir, 'v2.db');
    rawExec(file, readFileSync(fixtureV2, 'utf8'));
  });

  it('becomes the current schema with every session a chat, no tasks, and its runs and owners kept', () => {
    const db = open(file);
    expect(rawGet(file, 'PRAGMA user_version')).toEqual({ user_version: SCHEMA_VERSION });
    expect(SCHEMA_VERSION).toBe(4);
    const sessions = db.sessions.list();
    expect(sessions.map((session) => [session.id, session.kind])).toEqual([
      [S3, 'chat'],
      [S1, 'chat'],
      [S2, 'chat'],
    ]);
    expect(sessions[1]).toMatchObject({ runCount: 2, resumable: true, usage: { inputTokens: 10_710, outputTokens: 1_070 } });
    expect(db.sessions.baseURL(S1)).toBeUndefined();
    expect(db.tasks.list()).toEqual([]);
    expect(db.runs.get(R(5))).toMatchObject({ status: 'running', sessionId: S3 });
    expect(rawGet(file, `SELECT owner FROM runs WHERE id = '${R(4)}'`)).toEqual({ owner: 'ada-laptop:31337' });
    expect(db.events.lastSeq(S3)).toBe(1);
  });

  it('leaves the running node of a process on another host alone, and marks the rest as before', () => {
    const db = open(file);
    // 'ada-laptop' is not this host: its process cannot be checked from here, so it counts as alive.
    expect(db.runs.markInterrupted().map((node) => node.id)).toEqual([]);
    expect(db.runs.get(R(5))?.status).toBe('running');
  });

  it('accepts task sessions and their tasks after the upgrade', () => {
    const db = open(file);
    const session = db.sessions.create({ profile: 'code', model: 'zai/glm-4.7', workingDir: '/w', kind: 'task', baseURL: 'http://127.0.0.1:9/v1' });
    db.tasks.create({ sessionId: session.id, title: 'Write the changelog', logFile: '/s/tasks/x.log', startedAt: '2026-11-22T10:00:00.000Z', host: 'ada-laptop' });
    expect(db.tasks.setPid(session.id, 4321)).toBe(true);
    expect(db.sessions.get(session.id)?.kind).toBe('task');
    expect(db.sessions.baseURL(session.id)).toBe('http://127.0.0.1:9/v1');
    expect(db.tasks.list()).toEqual([
      { sessionId: session.id, title: 'Write the changelog', logFile: '/s/tasks/x.log', startedAt: '2026-11-22T10:00:00.000Z', host: 'ada-laptop', pid: 4321 },
    ]);
    // Deleting the session deletes its task.
    db.sessions.delete(session.id);
    expect(db.tasks.get(session.id)).toBeUndefined();
  });

  it('refuses a session kind other than chat or task', () => {
    open(file).close();
    expect(() => rawExec(file, `UPDATE sessions SET kind = 'other' WHERE id = '${S1}'`)).toThrow(/CHECK constraint failed/);
  });
});

describe('a file written by schema v3', () => {
  let file: string;
  beforeEach(() => {
    file = path.join(dir, 'v3.db');
    rawExec(file, readFileSync(fixtureV3, 'utf8'));
  });

  it('becomes schema v4 with an empty audit log, and keeps its chats and its task', () => {
    const db = open(file);
    expect(rawGet(file, 'PRAGMA user_version')).toEqual({ user_version: 4 });
    expect(db.audit.list()).toEqual([]);
    expect(db.sessions.list().map((session) => [session.id, session.kind])).toEqual([
      [S4, 'task'],
      [S3, 'chat'],
      [S1, 'chat'],
      [S2, 'chat'],
    ]);
    expect(db.sessions.baseURL(S4)).toBe('http://127.0.0.1:11434/v1');
    expect(db.tasks.list()).toEqual([
      { sessionId: S4, title: 'Write the changelog', logFile: '/home/ada/.moco/tasks/d5e6f7a8.log', startedAt: '2026-11-22T10:00:00.000Z', host: 'ada-laptop', pid: 5150 },
    ]);
    expect(db.sessions.get(S4)).toMatchObject({ runCount: 1, resumable: false });
  });

  it('records policy decisions after the upgrade, and keeps them when their session is deleted', () => {
    const db = open(file);
    db.audit.record({
      time: '2026-11-23T09:00:00.000Z', sessionId: S4, runId: R(6), agent: 'orchestrator', tool: 'execute_bash',
      command: 'git log --oneline', decisive: 'git log --oneline', rulePattern: 'git status|log|diff|show|branch…',
      ruleSource: 'builtin', decision: 'allow', outcome: 'allowed', reason: 'Every command in it is allowed.',
    });
    db.sessions.delete(S4);
    expect(db.sessions.get(S4)).toBeUndefined();
    expect(db.audit.list({ sessionId: S4 })).toMatchObject([{ command: 'git log --oneline', outcome: 'allowed' }]);
  });

  it('refuses an outcome or a rule source the log does not know', () => {
    open(file).close();
    const insert = (source: string, outcome: string): string =>
      `INSERT INTO audit_log (time, session_id, run_id, agent, tool, command, rule_source, decision, outcome, reason) VALUES ('t', 's', 'r', 'a', 'execute_bash', 'ls', '${source}', 'allow', '${outcome}', 'x')`;
    expect(() => rawExec(file, insert('builtin', 'maybe'))).toThrow(/CHECK constraint failed/);
    expect(() => rawExec(file, insert('the-model', 'allowed'))).toThrow(/CHECK constraint failed/);
    rawExec(file, insert('default', 'allowed'));
  });
});

describe('files MOCO refuses', () => {
  it('leaves a file of a newer schema untouched and says to upgrade or move it aside', () => {
    const file = path.join(dir, 'future.db');
    rawExec(file, `${readFileSync(fixtureV1, 'utf8')}\nPRAGMA user_version = ${SCHEMA_VERSION + 1};`);
    const before = sha256(file);

    const failure = failureOf(() => open(file));
    expect(failure.code).toBe(MocoErrorCodes.StorageUnavailable);
    expect(failure.failure).toBe('newer-schema');
    expect(failure.file).toBe(file);
    expect(failure.message).toContain(file);
    expect(failure.message).toContain('written by a newer MOCO');
    expect(failure.message).toContain('Upgrade MOCO, or move the file aside');
    expect(sha256(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(rawGet(file, 'PRAGMA journal_mode')).toEqual({ journal_mode: 'delete' });
  });

  it('refuses a file that is not a SQLite database, without changing it', async () => {
    const file = path.join(dir, 'notes.db');
    await writeFile(file, 'These are my notes, not a database. '.repeat(50));
    const before = sha256(file);
    const failure = failureOf(() => open(file));
    expect(failure.failure).toBe('damaged');
    expect(failure.message).toContain(file);
    expect(failure.message).toContain('Move the file aside');
    expect(sha256(file)).toBe(before);
  });

  it("refuses another program's SQLite database", () => {
    const file = path.join(dir, 'other.db');
    rawExec(file, 'CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    const failure = failureOf(() => open(file));
    expect(failure.failure).toBe('damaged');
    expect(failure.message).toContain('another program');
    expect(rawGet(file, "SELECT count(*) AS n FROM sqlite_schema WHERE name = 'sessions'")).toEqual({ n: 0 });
  });
});

describe('migrations', () => {
  it('runs each step in its own transaction: a failing step leaves the file at the version before it', () => {
    const file = path.join(dir, 'moco.db');
    const connection = new Connection(new (loadSqlite().DatabaseSync)(file), file);
    const broken = 'CREATE TABLE notes (body TEXT); INSERT INTO no_such_table VALUES (1);';
    let failure: unknown;
    try {
      migrate(connection, [...MIGRATIONS, broken]);
    } catch (error) {
      failure = error;
    } finally {
      connection.close();
    }
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).failure).toBe('migration-failed');
    expect((failure as StorageError).message).toContain(`to schema version ${SCHEMA_VERSION + 1}`);
    expect(rawGet(file, 'PRAGMA user_version')).toEqual({ user_version: SCHEMA_VERSION });
    expect(rawGet(file, "SELECT count(*) AS n FROM sqlite_schema WHERE name = 'notes'")).toEqual({ n: 0 });
    expect(open(file).sessions.list()).toEqual([]);
  });

  it('does not run a step again on a file already at its version', () => {
    const file = path.join(dir, 'moco.db');
    open(file).sessions.create({ id: 'kept', profile: 'default', model: 'openai/gpt-4o', workingDir: '/w' });
    const connection = new Connection(new (loadSqlite().DatabaseSync)(file), file);
    migrate(connection);
    connection.close();
    expect(open(file).sessions.get('kept')).toBeDefined();
  });
});

describe('a database locked by another process', () => {
  it('fails a write after the busy timeout with a message saying what to close', () => {
    const file = path.join(dir, 'moco.db');
    const db = open(file, 50);
    const other = new (loadSqlite().DatabaseSync)(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const failure = failureOf(() => db.sessions.create({ profile: 'default', model: 'openai/gpt-4o', workingDir: '/w' }));
      expect(failure.code).toBe(MocoErrorCodes.StorageUnavailable);
      expect(failure.failure).toBe('locked');
      expect(failure.message).toContain(file);
      expect(failure.message).toContain('Close the other MOCO window or `moco` process');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(db.sessions.create({ profile: 'default', model: 'openai/gpt-4o', workingDir: '/w' }).name).toBe('');
  });
});

describe('loading node:sqlite', () => {
  it("drops only SQLite's ExperimentalWarning and restores process.emitWarning", async () => {
    const seen: string[] = [];
    const listener = (warning: Error): void => {
      seen.push(`${warning.name}: ${warning.message}`);
    };
    const before = Object.getOwnPropertyDescriptor(process, 'emitWarning');
    process.on('warning', listener);
    try {
      withoutSqliteWarning(() => {
        process.emitWarning('SQLite is an experimental feature and might change at any time', 'ExperimentalWarning');
        process.emitWarning('Some other feature is experimental', 'ExperimentalWarning');
        process.emitWarning('SQLite is an experimental feature', { type: 'MocoTestWarning' });
      });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect(seen).toEqual([
      'ExperimentalWarning: Some other feature is experimental',
      'MocoTestWarning: SQLite is an experimental feature',
    ]);
    expect(Object.getOwnPropertyDescriptor(process, 'emitWarning')).toEqual(before);
  });
});
