/**
 * The run tree: one row per agent run, with its status, result and own usage. Nodes are written
 * as they change so that a killed process leaves the tree as it last was; {@link
 * RunStore.markInterrupted} then marks what was in flight.
 */
import { hostname } from 'node:os';
import type { RunNode, RunStatus, Usage } from '../../../protocol/run';
import type { Connection } from './connection';
import { runNotFound, sessionNotFound, SQLITE_CONSTRAINT_FOREIGNKEY, sqliteErrcode } from './errors';

/** The fields of a node that change while it runs. Absent (undefined) fields stay as they are. */
export type RunPatch = Partial<Pick<RunNode, 'status' | 'usage' | 'endedAt' | 'result' | 'error' | 'provider' | 'model'>>;

/** Statuses of a node that was in flight; {@link RunStore.markInterrupted} ends them. */
const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting-for-approval'];
const ACTIVE_SQL = ACTIVE_STATUSES.map((status) => `'${status}'`).join(', ');

interface RunRow {
  pk: number;
  id: string;
  session_id: string;
  parent_id: string | null;
  root_id: string;
  tool_call_id: string | null;
  agent: string;
  task: string;
  provider: string;
  model: string;
  status: RunStatus;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  started_at: string;
  ended_at: string | null;
  result: string | null;
  error_code: number | null;
  error_message: string | null;
}

interface UsageRow {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

const USAGE_SUMS = `coalesce(sum(input_tokens), 0) AS inputTokens,
  coalesce(sum(output_tokens), 0) AS outputTokens, coalesce(sum(cost_usd), 0.0) AS costUsd`;

/** The owner this process writes on the nodes it runs: `<host>:<pid>`. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * Whether the process that wrote `owner` still runs: same host and a pid that answers signal 0.
 * An owner of another host counts as alive (it cannot be checked from here); none counts as gone.
 */
export function ownerAlive(owner: string | null): boolean {
  if (!owner) return false;
  const colon = owner.lastIndexOf(':');
  if (owner.slice(0, colon) !== hostname()) return true;
  const pid = Number(owner.slice(colon + 1));
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads and writes the `runs` table. Every write is committed when the call returns. */
export class RunStore {
  /** @param owner written on the nodes this process inserts or resumes (see {@link processOwner}). */
  constructor(
    private readonly connection: Connection,
    private readonly owner: string = processOwner(),
  ) {}

  /**
   * Stores a new node.
   * @throws {StorageError} `SessionNotFound` when `node.sessionId` does not exist, `RunNotFound`
   *   when `node.parentId` does not.
   * @throws {Error} SQLite's "UNIQUE constraint failed" when `node.id` is taken.
   */
  insert(node: RunNode): void {
    try {
      this.connection.run(
        `INSERT INTO runs (id, session_id, parent_id, root_id, tool_call_id, agent, task, provider,
           model, status, input_tokens, output_tokens, cost_usd, started_at, ended_at, result,
           error_code, error_message, owner)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        node.id, node.sessionId, node.parentId ?? null, node.rootId, node.toolCallId ?? null,
        node.agent, node.task, node.provider, node.model, node.status, node.usage.inputTokens,
        node.usage.outputTokens, node.usage.costUsd, node.startedAt, node.endedAt ?? null,
        node.result ?? null, node.error?.code ?? null, node.error?.message ?? null, this.owner,
      );
    } catch (error) {
      if (sqliteErrcode(error) !== SQLITE_CONSTRAINT_FOREIGNKEY) throw error;
      const sessionExists = this.connection.get('SELECT 1 AS found FROM sessions WHERE id = ?', node.sessionId);
      throw sessionExists
        ? runNotFound(this.connection.file, node.parentId ?? node.id)
        : sessionNotFound(this.connection.file, node.sessionId);
    }
  }

  /**
   * Changes the given fields of a node.
   * @throws {StorageError} `RunNotFound` when there is no node with that id.
   */
  update(id: string, patch: RunPatch): void {
    const values: Record<string, string | number> = {};
    if (patch.status !== undefined) values.status = patch.status;
    // A node this process resumes becomes its own.
    if (patch.status !== undefined && ACTIVE_STATUSES.includes(patch.status)) values.owner = this.owner;
    if (patch.provider !== undefined) values.provider = patch.provider;
    if (patch.model !== undefined) values.model = patch.model;
    if (patch.endedAt !== undefined) values.ended_at = patch.endedAt;
    if (patch.result !== undefined) values.result = patch.result;
    if (patch.error !== undefined) {
      values.error_code = patch.error.code;
      values.error_message = patch.error.message;
    }
    if (patch.usage !== undefined) {
      values.input_tokens = patch.usage.inputTokens;
      values.output_tokens = patch.usage.outputTokens;
      values.cost_usd = patch.usage.costUsd;
    }
    const columns = Object.keys(values);
    const sql =
      columns.length === 0
        ? 'UPDATE runs SET id = id WHERE id = :id'
        : `UPDATE runs SET ${columns.map((column) => `${column} = :${column}`).join(', ')} WHERE id = :id`;
    if (this.connection.run(sql, { ...values, id }) === 0) throw runNotFound(this.connection.file, id);
  }

  /** The node, or undefined. */
  get(id: string): RunNode | undefined {
    const row = this.connection.get<RunRow>('SELECT * FROM runs WHERE id = ?', id);
    return row && toNode(row);
  }

  /** Every node of every tree of the session, in the order they were stored (start order). */
  listBySession(sessionId: string): RunNode[] {
    return this.connection.all<RunRow>('SELECT * FROM runs WHERE session_id = ? ORDER BY pk', sessionId).map(toNode);
  }

  /** The root of the session's most recently started run tree, or undefined when it has none. */
  latestRoot(sessionId: string): RunNode | undefined {
    const row = this.connection.get<RunRow>('SELECT * FROM runs WHERE session_id = ? AND parent_id IS NULL ORDER BY pk DESC LIMIT 1', sessionId);
    return row && toNode(row);
  }

  /** The process that last ran a node (`<host>:<pid>`, see {@link processOwner}); null when none is stored. */
  ownerOf(id: string): string | null {
    return this.connection.get<{ owner: string | null }>('SELECT owner FROM runs WHERE id = ?', id)?.owner ?? null;
  }

  /** The nodes `parentId` delegated to, in start order. */
  children(parentId: string): RunNode[] {
    return this.connection.all<RunRow>('SELECT * FROM runs WHERE parent_id = ? ORDER BY pk', parentId).map(toNode);
  }

  /** The child started by the parent's `delegate_to_agent` call `toolCallId`, or undefined. */
  findChildByToolCall(parentId: string, toolCallId: string): RunNode | undefined {
    const row = this.connection.get<RunRow>(
      'SELECT * FROM runs WHERE parent_id = ? AND tool_call_id = ? ORDER BY pk LIMIT 1',
      parentId, toolCallId,
    );
    return row && toNode(row);
  }

  /**
   * Marks `interrupted` every `queued`, `running` or `waiting-for-approval` node whose owner
   * process is gone (`isAlive`, default {@link ownerAlive}); meant for start-up. Nodes of another
   * live process on the same file (a second window) are left alone.
   * @returns the nodes it changed, with their new status, in start order.
   */
  markInterrupted(isAlive: (owner: string | null) => boolean = ownerAlive): RunNode[] {
    return this.connection.transaction(() =>
      this.connection
        .all<RunRow & { owner: string | null }>(`SELECT * FROM runs WHERE status IN (${ACTIVE_SQL}) ORDER BY pk`)
        .filter((row) => !isAlive(row.owner))
        .map((row) => {
          this.connection.run(`UPDATE runs SET status = 'interrupted' WHERE pk = ?`, row.pk);
          return toNode({ ...row, status: 'interrupted' });
        }),
    );
  }

  /** Tokens and USD of a whole tree: the sum over every node whose `rootId` is `rootId`. */
  treeUsage(rootId: string): Usage {
    const row = this.connection.get<UsageRow>(`SELECT ${USAGE_SUMS} FROM runs WHERE root_id = ?`, rootId);
    return { inputTokens: row?.inputTokens ?? 0, outputTokens: row?.outputTokens ?? 0, costUsd: row?.costUsd ?? 0 };
  }
}

function toNode(row: RunRow): RunNode {
  const node: RunNode = {
    id: row.id,
    rootId: row.root_id,
    sessionId: row.session_id,
    agent: row.agent,
    task: row.task,
    provider: row.provider,
    model: row.model,
    status: row.status,
    usage: { inputTokens: row.input_tokens, outputTokens: row.output_tokens, costUsd: row.cost_usd },
    startedAt: row.started_at,
  };
  if (row.parent_id !== null) node.parentId = row.parent_id;
  if (row.tool_call_id !== null) node.toolCallId = row.tool_call_id;
  if (row.ended_at !== null) node.endedAt = row.ended_at;
  if (row.result !== null) node.result = row.result;
  if (row.error_code !== null) node.error = { code: row.error_code, message: row.error_message ?? '' };
  return node;
}
