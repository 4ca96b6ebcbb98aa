/**
 * The run trees running in this process, by root id, and which session each belongs to. A
 * session runs one tree at a time.
 */
import type { RunNode } from '../../../protocol/run';
import type { RunTree } from '../orchestrator/runTree';

interface ActiveTree {
  sessionId: string;
  tree: RunTree;
  done: Promise<RunNode>;
}

/** The trees of this process. */
export class ActiveRuns {
  private readonly trees = new Map<string, ActiveTree>();

  /**
   * Tracks a tree until its `done` settles.
   * @throws {Error} when a tree with that root already runs (the engine reserves sessions so that
   *   this cannot happen).
   */
  add(rootId: string, entry: ActiveTree): void {
    if (this.trees.has(rootId)) throw new Error(`Run ${rootId} is already running in this process.`);
    this.trees.set(rootId, entry);
    entry.done.then(
      () => this.trees.delete(rootId),
      () => this.trees.delete(rootId),
    );
  }

  /** The running tree of a session, if any. */
  bySession(sessionId: string): ActiveTree | undefined {
    for (const entry of this.trees.values()) if (entry.sessionId === sessionId) return entry;
    return undefined;
  }

  /** The tree a node runs in, if it runs in this process. */
  byNode(runId: string): ActiveTree | undefined {
    for (const entry of this.trees.values()) if (entry.tree.has(runId)) return entry;
    return undefined;
  }

  /** Resolves when every tree has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.trees.values()].map((entry) => entry.done));
  }

  /** Cancels every tree. */
  cancelAll(): void {
    for (const [rootId, entry] of this.trees) entry.tree.cancel(rootId);
  }
}
