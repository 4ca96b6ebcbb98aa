// The review findings kept in the workspace state: the schema 1 fixture is migrated to schema 2
// (folders by URI), the schema 2 fixture loads, a reload gives back what was written, and a damaged
// or newer state is dropped with a reason rather than crashing.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDINGS_STATE_KEY, FindingsStore, readFindingsState, type FindingsMemento, type StoredFinding } from '../../client/src/review/findingsStore';
import { repoRoot } from '../support/repo';

const fixture = (version: number): unknown => JSON.parse(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'review', `findings-v${version}.json`), 'utf8'));

/** Workspace folders as the store is told them: name and `uri.toString()`. */
const WEB = { name: 'web', uri: 'file:///home/u/shop/web' };
const API = { name: 'api', uri: 'file:///home/u/shop/api' };

/** `context.workspaceState` as VS Code keeps it: JSON values by key. */
function memento(initial: Record<string, unknown> = {}): FindingsMemento & { values: Map<string, unknown> } {
  const values = new Map(Object.entries(initial).map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as unknown]));
  return {
    values,
    get: (key) => values.get(key),
    update: (key, value) => {
      values.set(key, JSON.parse(JSON.stringify(value)) as unknown);
      return Promise.resolve();
    },
  };
}

const finding = (id: string, overrides: Partial<StoredFinding> = {}): StoredFinding => ({
  id,
  folder: WEB.uri,
  file: 'src/a.ts',
  startLine: 1,
  endLine: 1,
  severity: 'medium',
  category: 'bug',
  message: `finding ${id}`,
  anchor: 'const a = 1;',
  agent: 'code-reviewer',
  reviewedText: 'const a = 1;',
  ...overrides,
});

describe('the findings store', () => {
  it('loads the findings a schema 1 state holds, naming their folders by URI (no folder: the first), and writes them back as schema 2', async () => {
    const state = memento({ [FINDINGS_STATE_KEY]: fixture(1) });
    const store = new FindingsStore(state, { folders: [WEB, API] });
    expect(store.all()).toHaveLength(2);
    expect(store.get('3f9a1c0b7d2e4a61')).toEqual({
      id: '3f9a1c0b7d2e4a61',
      folder: WEB.uri,
      file: 'src/cart.ts',
      startLine: 3,
      endLine: 3,
      severity: 'high',
      category: 'bug',
      message: '`items.length = 0` assigns instead of comparing: the cart is emptied and the branch never runs.',
      suggestion: '  if (items.length === 0) {',
      anchor: '  if (items.length = 0) {',
      agent: 'code-reviewer',
      reviewedText: '  if (items.length = 0) {',
    });
    expect(store.get('a04b2c9e11f07d35')).toMatchObject({ folder: API.uri, file: 'server/login.ts', startLine: 10, endLine: 12, agent: 'security-reviewer' });
    expect(store.get('a04b2c9e11f07d35')).not.toHaveProperty('suggestion');
    await store.flushed();
    expect(state.values.get(FINDINGS_STATE_KEY)).toEqual({ schemaVersion: 2, findings: store.all() });
    // Read back, the folders are those of the migration, whatever folders are open then.
    expect(new FindingsStore(state, { folders: [API, WEB] }).all()).toEqual(store.all());
  });

  it('migrates schema 1 against the folders open at load: a folder name that is not open, or that two folders share, drops its finding with the reason', () => {
    // Schema 1 left the first folder's findings without a folder: they are the first folder's now.
    const reordered = readFindingsState(fixture(1), [API, WEB]);
    expect(reordered.findings.map((f) => f.folder)).toEqual([API.uri, API.uri]);
    expect(reordered.migrated).toBe(true);
    const alike = { name: 'api', uri: 'file:///home/u/old/api' };
    expect(readFindingsState(fixture(1), [WEB, API, alike])).toMatchObject({
      findings: [{ id: '3f9a1c0b7d2e4a61', folder: WEB.uri }],
      problems: ['Stored review finding 2 is dropped: it was of the workspace folder "api", and 2 open folders have that name.'],
    });
    expect(readFindingsState(fixture(1), [WEB]).problems).toEqual(['Stored review finding 2 is dropped: it was of the workspace folder "api", which is not open.']);
    expect(readFindingsState(fixture(1), []).problems).toEqual([
      'Stored review finding 1 is dropped: it was of the first workspace folder, and no folder is open.',
      'Stored review finding 2 is dropped: it was of the workspace folder "api", which is not open.',
    ]);
  });

  it('loads the findings a schema 2 state holds, with their folders’ URIs, whichever folders are open', () => {
    const read = readFindingsState(fixture(2), []);
    expect(read).toMatchObject({ problems: [], migrated: false });
    expect(read.findings.map((f) => [f.id, f.folder, f.file])).toEqual([
      ['3f9a1c0b7d2e4a61', 'file:///home/u/shop/web', 'src/cart.ts'],
      ['a04b2c9e11f07d35', 'file:///home/u/old/api', 'server/login.ts'],
    ]);
  });

  it('writes schema 2 on every change, and a store made afresh (a reload) reads it back', async () => {
    const state = memento();
    const store = new FindingsStore(state);
    let changes = 0;
    store.onDidChange(() => changes++);
    await store.replace(() => false, [finding('a'), finding('b', { file: 'src/b.ts' })]);
    await store.update([{ ...finding('a'), startLine: 4, endLine: 4 }]);
    await store.remove(['b']);
    expect(changes).toBe(3);
    expect(state.values.get(FINDINGS_STATE_KEY)).toEqual({ schemaVersion: 2, findings: [{ ...finding('a'), startLine: 4, endLine: 4 }] });
    expect(new FindingsStore(state).all()).toEqual([{ ...finding('a'), startLine: 4, endLine: 4 }]);
    await store.clear();
    expect(new FindingsStore(state).all()).toEqual([]);
  });

  it('a new review replaces what it selects and findings with the same id, and keeps the rest', async () => {
    const store = new FindingsStore(memento());
    await store.replace(() => false, [finding('a'), finding('b', { file: 'src/b.ts' }), finding('c', { file: 'src/c.ts' })]);
    await store.replace((f) => f.file === 'src/a.ts', [finding('c', { file: 'src/c.ts', message: 'again' }), finding('d')]);
    expect(store.all().map((f) => [f.id, f.message])).toEqual([
      ['b', 'finding b'],
      ['c', 'again'],
      ['d', 'finding d'],
    ]);
  });

  it('a failed write is told, and the next change is written (and waited for) all the same', async () => {
    const state = memento();
    let failNext = true;
    const failing: FindingsMemento = {
      get: (key) => state.get(key),
      update: (key, value) => {
        if (!failNext) return state.update(key, value);
        failNext = false;
        return Promise.reject(new Error('disk full'));
      },
    };
    const problems: string[] = [];
    const store = new FindingsStore(failing, { onProblem: (p) => problems.push(p) });
    await expect(store.replace(() => false, [finding('a')])).resolves.toBeUndefined();
    expect(problems).toEqual(['The review findings could not be saved in the workspace state (disk full); they are kept in memory, and saved with the next change.']);
    expect(store.all().map((f) => f.id)).toEqual(['a']);
    await store.replace(() => false, [finding('b', { file: 'src/b.ts' })]);
    await expect(store.flushed()).resolves.toBeUndefined();
    expect(new FindingsStore(state).all().map((f) => f.id)).toEqual(['a', 'b']);
  });

  it('a damaged entry is dropped with the reason, and the others kept', () => {
    const problems: string[] = [];
    const state = {
      schemaVersion: 2,
      findings: [
        finding('a'),
        { ...finding('b'), startLine: 0 },
        { ...finding('c'), severity: 'urgent' },
        'text',
        { ...finding('d'), anchor: undefined },
        { ...finding('e'), folder: undefined },
        { ...finding('f'), file: '../../.ssh/authorized_keys' },
        { ...finding('g'), file: '/etc/passwd' },
        { ...finding('h'), file: 'src\\..\\..\\x.ts' },
        { ...finding('i'), file: 'C:/Windows/x.ts' },
      ],
    };
    const store = new FindingsStore(memento({ [FINDINGS_STATE_KEY]: state }), { onProblem: (p) => problems.push(p) });
    expect(store.all().map((f) => f.id)).toEqual(['a']);
    expect(problems).toEqual([
      'Stored review finding 2 is dropped: "startLine" is not a line number (1-based).',
      'Stored review finding 3 is dropped: "severity" is not one of info, low, medium, high, critical.',
      'Stored review finding 4 is dropped: not an object.',
      'Stored review finding 5 is dropped: "anchor" is not a string.',
      'Stored review finding 6 is dropped: "folder" is missing.',
      'Stored review finding 7 is dropped: "file" is not a path inside its workspace folder.',
      'Stored review finding 8 is dropped: "file" is not a path inside its workspace folder.',
      'Stored review finding 9 is dropped: "file" is not a path inside its workspace folder.',
      'Stored review finding 10 is dropped: "file" is not a path inside its workspace folder.',
    ]);
  });

  it('nothing stored is no findings; a newer schema or a state that is not an object is dropped with the reason', () => {
    expect(readFindingsState(undefined)).toEqual({ findings: [], problems: [], migrated: false });
    expect(readFindingsState({ schemaVersion: 3, findings: [finding('a')] })).toEqual({
      findings: [],
      problems: ['The stored review findings have schema version 3; this MOCO reads versions 1 to 2. They are dropped.'],
      migrated: false,
    });
    expect(readFindingsState('[]').problems).toEqual(['The stored review findings are not an object (string); they are dropped.']);
    expect(readFindingsState({ schemaVersion: 1 }).problems).toEqual(['The stored review findings have no findings list; they are dropped.']);
  });
});
