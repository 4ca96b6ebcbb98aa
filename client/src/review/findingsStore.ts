/**
 * The review findings of a workspace, kept in `context.workspaceState` under one versioned key
 * ({@link FINDINGS_STATE_KEY}: `{ schemaVersion: 1, findings }`), so they survive a reload
 * (CONVENTIONS.md §10). Pure (no `vscode`): the memento is any object with `get` and `update`.
 */
import { FindingSeverities, type ReviewFinding } from '../../../protocol/review';

/** The workspace-state key of the findings. */
export const FINDINGS_STATE_KEY = 'moco.review.findings';
/** The schema the store writes. Version 1: {@link FindingsStateV1}. */
export const FINDINGS_SCHEMA_VERSION = 1;

/**
 * A finding as the editor keeps it: the server's {@link ReviewFinding} (its `file` relative to its
 * workspace folder, its lines and `anchor` kept current as the file is edited), and:
 */
export interface StoredFinding extends ReviewFinding {
  /** The workspace folder's name when the workspace has several; absent for the first (or only) one. */
  folder?: string;
  /** The agent that reported it, for example `code-reviewer` (the comment's author). */
  agent: string;
  /**
   * The text of the lines when the review was made (the server's `anchor`, never updated): the
   * text its `suggestion` replaces. Apply Suggestion refuses when the lines no longer hold it.
   */
  reviewedText: string;
}

/** What schema version 1 writes under {@link FINDINGS_STATE_KEY}. */
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
}

/**
 * Reads what is stored under {@link FINDINGS_STATE_KEY}. Nothing stored gives no findings; a
 * state of an unknown (newer) schema, or not an object, gives none and a problem; a finding with
 * a missing or wrongly typed field is left out with a problem, the rest kept.
 */
export function readFindingsState(value: unknown): ReadFindings {
  if (value === undefined || value === null) return { findings: [], problems: [] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { findings: [], problems: [`The stored review findings are not an object (${typeof value}); they are dropped.`] };
  }
  const { schemaVersion, findings } = value as { schemaVersion?: unknown; findings?: unknown };
  if (schemaVersion !== FINDINGS_SCHEMA_VERSION) {
    return {
      findings: [],
      problems: [`The stored review findings have schema version ${String(schemaVersion)}; this MOCO reads version ${FINDINGS_SCHEMA_VERSION}. They are dropped.`],
    };
  }
  if (!Array.isArray(findings)) return { findings: [], problems: ['The stored review findings have no findings list; they are dropped.'] };
  const kept: StoredFinding[] = [];
  const problems: string[] = [];
  findings.forEach((entry: unknown, index) => {
    const wrong = storedFindingProblem(entry);
    if (wrong) problems.push(`Stored review finding ${index + 1} is dropped: ${wrong}.`);
    else kept.push(entry as StoredFinding);
  });
  return { findings: kept, problems };
}

/** What is wrong with a stored finding, or `undefined` when it is whole. */
function storedFindingProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'not an object';
  const f = entry as Record<string, unknown>;
  for (const key of ['id', 'file', 'category', 'message', 'anchor', 'agent', 'reviewedText'] as const) {
    if (typeof f[key] !== 'string') return `"${key}" is not a string`;
  }
  if (f.file === '') return '"file" is empty';
  if (!Number.isInteger(f.startLine) || (f.startLine as number) < 1) return '"startLine" is not a line number (1-based)';
  if (!Number.isInteger(f.endLine) || (f.endLine as number) < (f.startLine as number)) return '"endLine" is not a line number ≥ "startLine"';
  if (!(FindingSeverities as readonly unknown[]).includes(f.severity)) return `"severity" is not one of ${FindingSeverities.join(', ')}`;
  if (f.suggestion !== undefined && typeof f.suggestion !== 'string') return '"suggestion" is not a string';
  if (f.folder !== undefined && typeof f.folder !== 'string') return '"folder" is not a string';
  return undefined;
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

  /**
   * @param memento `context.workspaceState`.
   * @param onProblem told about each stored entry that could not be read, and each write that failed.
   */
  constructor(
    private readonly memento: FindingsMemento,
    private readonly onProblem: (problem: string) => void = () => undefined,
  ) {
    const read = readFindingsState(memento.get(FINDINGS_STATE_KEY));
    read.problems.forEach(onProblem);
    this.findings = read.findings;
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
    const state: FindingsStateV1 = { schemaVersion: FINDINGS_SCHEMA_VERSION, findings };
    this.writing = this.writing
      .then(() => this.memento.update(FINDINGS_STATE_KEY, state))
      .then(undefined, (error: unknown) => {
        this.onProblem(`The review findings could not be saved in the workspace state (${error instanceof Error ? error.message : String(error)}); they are kept in memory, and saved with the next change.`);
      });
    for (const listener of [...this.listeners]) listener();
    return this.writing;
  }
}
