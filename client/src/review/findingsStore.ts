/**
 * The review findings of a workspace, kept in `context.workspaceState` under one versioned key
 * ({@link FINDINGS_STATE_KEY}: `{ schemaVersion: 2, findings }`), so they survive a reload
 * (CONVENTIONS.md §10); schema 1 is read and migrated. Pure (no `vscode`): the memento is any
 * object with `get` and `update`, the workspace folders plain values.
 */
import { FindingSeverities, type ReviewFinding } from '../../../protocol/review';
import { fileSegments, type FolderRef } from './places';

/** The workspace-state key of the findings. */
export const FINDINGS_STATE_KEY = 'moco.review.findings';
/** The schema the store writes: {@link FindingsStateV2}. It reads {@link FindingsStateV1} too. */
export const FINDINGS_SCHEMA_VERSION = 2;

/**
 * A finding as the editor keeps it: the server's {@link ReviewFinding} (its `file` relative to its
 * workspace folder, its lines and `anchor` kept current as the file is edited), and:
 */
export interface StoredFinding extends ReviewFinding {
  /**
   * Its workspace folder's `uri.toString()` (places.ts). Every stored finding has one; a finding
   * whose folder is not open is kept but not shown, and shows again when the folder is opened.
   */
  folder?: string;
  /** The agent that reported it, for example `code-reviewer` (the comment's author). */
  agent: string;
  /**
   * The text of the lines when the review was made (the server's `anchor`, never updated): the
   * text its `suggestion` replaces. Apply Suggestion refuses when the lines no longer hold it.
   */
  reviewedText: string;
}

/** What schema version 2 writes under {@link FINDINGS_STATE_KEY}: each finding's `folder` is its folder's URI. */
export interface FindingsStateV2 {
  schemaVersion: 2;
  findings: StoredFinding[];
}

/**
 * What schema version 1 wrote: a finding's `folder` was its workspace folder's name, absent for
 * the first folder, which named the wrong folder once folders were alike, removed or reordered.
 */
export interface FindingsStateV1 {
  schemaVersion: 1;
  findings: StoredFinding[];
}

/** The part of `vscode.Memento` the store needs. */
export interface FindingsMemento {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The findings read from the workspace state, and what was wrong with the rest (for the log). */
export interface ReadFindings {
  findings: StoredFinding[];
  /** One sentence per entry left out, or for a state that could not be read at all. */
  problems: string[];
  /** True when they were read from an older schema: the store writes them back in the current one. */
  migrated: boolean;
}

/**
 * Reads what is stored under {@link FINDINGS_STATE_KEY}. Nothing stored gives no findings; a
 * state of an unknown (newer) schema, or not an object, gives none and a problem; a finding with
 * a missing or wrongly typed field, or a `file` that is not a path inside its folder, is left out
 * with a problem, the rest kept.
 *
 * Schema 1 is migrated against the folders open now (`folders`, in the workspace's order): a
 * finding without `folder` gets the first folder's URI, one with a folder name the URI of the one
 * open folder with that name; one whose folder cannot be told (no folder open, none or several
 * with its name) is left out with a problem.
 */
export function readFindingsState(value: unknown, folders: readonly FolderRef[] = []): ReadFindings {
  const none = (problem?: string): ReadFindings => ({ findings: [], problems: problem === undefined ? [] : [problem], migrated: false });
  if (value === undefined || value === null) return none();
  if (typeof value !== 'object' || Array.isArray(value)) return none(`The stored review findings are not an object (${typeof value}); they are dropped.`);
  const { schemaVersion, findings } = value as { schemaVersion?: unknown; findings?: unknown };
  if (schemaVersion !== 1 && schemaVersion !== FINDINGS_SCHEMA_VERSION) {
    return none(`The stored review findings have schema version ${String(schemaVersion)}; this MOCO reads versions 1 to ${FINDINGS_SCHEMA_VERSION}. They are dropped.`);
  }
  if (!Array.isArray(findings)) return none('The stored review findings have no findings list; they are dropped.');
  const kept: StoredFinding[] = [];
  const problems: string[] = [];
  findings.forEach((entry: unknown, index) => {
    const read = schemaVersion === 1 ? migrateV1(entry, folders) : checked(entry, true);
    if (typeof read === 'string') problems.push(`Stored review finding ${index + 1} is dropped: ${read}.`);
    else kept.push(read);
  });
  return { findings: kept, problems, migrated: schemaVersion !== FINDINGS_SCHEMA_VERSION };
}

/** A whole stored finding, or what is wrong with it. `folderIsUri`: schema 2's `folder`, required. */
function checked(entry: unknown, folderIsUri: boolean): StoredFinding | string {
  const wrong = storedFindingProblem(entry);
  if (wrong) return wrong;
  const finding = entry as StoredFinding;
  if (folderIsUri && (finding.folder === undefined || finding.folder === '')) return '"folder" is missing';
  return finding;
}

/** A schema 1 finding with its folder's URI in place of its name, or why its folder cannot be told. */
function migrateV1(entry: unknown, folders: readonly FolderRef[]): StoredFinding | string {
  const finding = checked(entry, false);
  if (typeof finding === 'string') return finding;
  const { folder: name, ...rest } = finding;
  if (name === undefined) {
    return folders[0] ? { ...rest, folder: folders[0].uri } : 'it was of the first workspace folder, and no folder is open';
  }
  const named = folders.filter((folder) => folder.name === name);
  if (named.length === 1) return { ...rest, folder: named[0]!.uri };
  return named.length === 0 ? `it was of the workspace folder "${name}", which is not open` : `it was of the workspace folder "${name}", and ${named.length} open folders have that name`;
}

/** What is wrong with a stored finding, or `undefined` when it is whole. */
function storedFindingProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'not an object';
  const f = entry as Record<string, unknown>;
  for (const key of ['id', 'file', 'category', 'message', 'anchor', 'agent', 'reviewedText'] as const) {
    if (typeof f[key] !== 'string') return `"${key}" is not a string`;
  }
  if (f.file === '') return '"file" is empty';
  if (!fileSegments(f.file as string)) return '"file" is not a path inside its workspace folder';
  if (!Number.isInteger(f.startLine) || (f.startLine as number) < 1) return '"startLine" is not a line number (1-based)';
  if (!Number.isInteger(f.endLine) || (f.endLine as number) < (f.startLine as number)) return '"endLine" is not a line number ≥ "startLine"';
  if (!(FindingSeverities as readonly unknown[]).includes(f.severity)) return `"severity" is not one of ${FindingSeverities.join(', ')}`;
  if (f.suggestion !== undefined && typeof f.suggestion !== 'string') return '"suggestion" is not a string';
  if (f.folder !== undefined && typeof f.folder !== 'string') return '"folder" is not a string';
  return undefined;
}

/** What a {@link FindingsStore} is told. */
export interface FindingsStoreOptions {
  /** The workspace folders open now, in order, for migrating schema 1 (see {@link readFindingsState}). */
  folders?: readonly FolderRef[];
  /** Told about each stored entry that could not be read, and each write that failed. */
  onProblem?: (problem: string) => void;
}

/**
 * The findings of one workspace, in memory and in the workspace state. Every change is announced
 * to the listeners and written after the writes before it (the memento batches its writes to
 * disk). Each write holds all the findings, so a failed write is told and the next one makes up
 * for it.
 */
export class FindingsStore {
  private findings: StoredFinding[];
  private readonly listeners = new Set<() => void>();
  /** The last write, so that callers (and tests) can wait for it; never rejects. */
  private writing: Promise<void> = Promise.resolve();

  private readonly onProblem: (problem: string) => void;

  /**
   * Reads the stored findings; findings of an older schema are written back in the current one.
   * @param memento `context.workspaceState`.
   */
  constructor(
    private readonly memento: FindingsMemento,
    options: FindingsStoreOptions = {},
  ) {
    this.onProblem = options.onProblem ?? (() => undefined);
    const read = readFindingsState(memento.get(FINDINGS_STATE_KEY), options.folders);
    read.problems.forEach(this.onProblem);
    this.findings = read.findings;
    if (read.migrated) void this.set(read.findings);
  }

  /** Every finding, in the order they were added. */
  all(): readonly StoredFinding[] {
    return this.findings;
  }

  get(id: string): StoredFinding | undefined {
    return this.findings.find((f) => f.id === id);
  }

  /**
   * Removes the findings `replaced` selects and those with the id of a new one, then adds `added`.
   * @returns once written.
   */
  replace(replaced: (finding: StoredFinding) => boolean, added: readonly StoredFinding[]): Promise<void> {
    const ids = new Set(added.map((f) => f.id));
    return this.set([...this.findings.filter((f) => !replaced(f) && !ids.has(f.id)), ...added]);
  }

  /** Puts changed findings in place of those with their ids and removes `removedIds`. */
  update(changed: readonly StoredFinding[], removedIds: Iterable<string> = []): Promise<void> {
    const byId = new Map(changed.map((f) => [f.id, f]));
    const removed = new Set(removedIds);
    return this.set(this.findings.filter((f) => !removed.has(f.id)).map((f) => byId.get(f.id) ?? f));
  }

  /** Removes findings by id. */
  remove(ids: Iterable<string>): Promise<void> {
    return this.update([], ids);
  }

  /** Removes every finding. */
  clear(): Promise<void> {
    return this.set([]);
  }

  /** Calls `listener` after every change. @returns a disposable that stops it. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Resolves when the writes started so far have been made or have failed (never rejects). */
  flushed(): Promise<void> {
    return this.writing;
  }

  /** Sets the findings, tells the listeners, and writes them. @returns once written or failed (never rejects). */
  private set(findings: StoredFinding[]): Promise<void> {
    this.findings = findings;
    const state: FindingsStateV2 = { schemaVersion: FINDINGS_SCHEMA_VERSION, findings };
    this.writing = this.writing
      .then(() => this.memento.update(FINDINGS_STATE_KEY, state))
      .then(undefined, (error: unknown) => {
        this.onProblem(`The review findings could not be saved in the workspace state (${error instanceof Error ? error.message : String(error)}); they are kept in memory, and saved with the next change.`);
      });
    for (const listener of [...this.listeners]) listener();
    return this.writing;
  }
}
