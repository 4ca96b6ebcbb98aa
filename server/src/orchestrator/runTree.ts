/**
 * One run tree: its nodes, their status and usage, the roll-up over the tree, the budget, and the
 * abort signals that cancel a node with all its descendants. Every change is stored before its
 * event is sent (see eventSink.ts).
 */
import { randomUUID } from 'node:crypto';
import { addUsage, zeroUsage, type RunError, type RunNode, type RunStatus, type Usage } from '../../../protocol/run';
import { CancelledError, LimitError } from './errors';
import type { SessionEventSink } from './eventSink';

/** Where nodes are stored: `RunStore` of the storage module. */
export interface RunNodeStore {
  insert(node: RunNode): void;
  update(id: string, patch: Partial<Pick<RunNode, 'status' | 'usage' | 'endedAt' | 'result' | 'error' | 'provider' | 'model'>>): void;
}

/** The token and USD budget of a tree (profile `orchestrator.budget`); absent fields are unlimited. */
export interface Budget {
  maxTokens?: number;
  maxCostUsd?: number;
}

/** How a node ended. */
export type NodeOutcome =
  | { status: 'done'; result: string }
  | { status: 'failed'; error: RunError }
  | { status: 'cancelled' };

/** What a new node is. */
export interface NodeInput {
  parentId?: string;
  agent: string;
  task: string;
  provider: string;
  model: string;
  toolCallId?: string;
}

interface LiveNode {
  node: RunNode;
  controller: AbortController;
  signal: AbortSignal;
}

/** The nodes of one tree while it runs in this process. */
export class RunTree {
  private readonly nodes = new Map<string, LiveNode>();
  /** Aborted when the budget is spent: every node of the tree stops. */
  private readonly treeController = new AbortController();
  private usage: Usage;
  private rootNodeId: string | undefined;

  constructor(
    private readonly sessionId: string,
    private readonly store: RunNodeStore,
    private readonly sink: SessionEventSink,
    private readonly budget: Budget,
    /** The tree's usage so far: zero for a new tree, the stored roll-up for a resumed one. */
    initialUsage: Usage = zeroUsage(),
  ) {
    this.usage = { ...initialUsage };
  }

  /** The root's id; throws before the root has started. */
  get rootId(): string {
    if (!this.rootNodeId) throw new Error('The run tree has no root yet.');
    return this.rootNodeId;
  }

  /** Tokens and USD of the whole tree so far. */
  get treeUsage(): Usage {
    return { ...this.usage };
  }

  /**
   * Starts a new node: stores it as `running` and emits `runStarted`. Its signal aborts when its
   * parent's does, when it is cancelled, or when the tree's budget is spent.
   */
  startNode(input: NodeInput, parentSignal?: AbortSignal): { node: RunNode; signal: AbortSignal } {
    const id = randomUUID();
    const node: RunNode = {
      id,
      ...(input.parentId ? { parentId: input.parentId } : {}),
      rootId: this.rootNodeId ?? id,
      sessionId: this.sessionId,
      agent: input.agent,
      task: input.task,
      provider: input.provider,
      model: input.model,
      status: 'running',
      usage: zeroUsage(),
      startedAt: new Date().toISOString(),
      ...(input.toolCallId ? { toolCallId: input.toolCallId } : {}),
    };
    this.rootNodeId ??= id;
    this.store.insert(node);
    const live = this.track(node, parentSignal);
    this.sink.emit({ runId: id, kind: 'runStarted', node: { ...node } });
    return { node, signal: live.signal };
  }

  /**
   * Takes over a stored node to resume it: it becomes `running` again. (Its usage is already in
   * the tree's initial usage.)
   */
  adoptNode(stored: RunNode, parentSignal?: AbortSignal): { node: RunNode; signal: AbortSignal } {
    const node: RunNode = { ...stored, status: 'running' };
    delete node.endedAt;
    this.rootNodeId ??= node.rootId;
    this.track(node, parentSignal);
    this.setStatus(node.id, 'running');
    return { node, signal: this.live(node.id).signal };
  }

  /** Changes a running node's status (running ⇄ waiting-for-approval). */
  setStatus(id: string, status: RunStatus): void {
    const live = this.live(id);
    live.node.status = status;
    this.store.update(id, { status });
    this.sink.emit({ runId: id, kind: 'statusChanged', status });
  }

  /**
   * Adds one model call's usage to the node and the tree, emits `usage`, and enforces the budget:
   * when it is spent, every node of the tree is aborted with a {@link LimitError}.
   */
  addUsage(id: string, usage: Usage): void {
    const live = this.live(id);
    live.node.usage = addUsage(live.node.usage, usage);
    this.usage = addUsage(this.usage, usage);
    this.store.update(id, { usage: live.node.usage });
    this.sink.emit({ runId: id, kind: 'usage', usage: { ...live.node.usage }, treeUsage: this.treeUsage });
    const exceeded = this.budgetExceeded();
    if (exceeded && !this.treeController.signal.aborted) {
      this.sink.emit({ runId: id, kind: 'limit', limit: exceeded.limit, message: exceeded.message });
      this.treeController.abort(exceeded);
    }
  }

  /** Ends a node: stores its final status and emits `runFinished`. */
  finish(id: string, outcome: NodeOutcome): RunNode {
    const live = this.live(id);
    const endedAt = new Date().toISOString();
    Object.assign(live.node, { status: outcome.status, endedAt });
    if (outcome.status === 'done') live.node.result = outcome.result;
    if (outcome.status === 'failed') live.node.error = outcome.error;
    this.store.update(id, {
      status: outcome.status,
      endedAt,
      ...(outcome.status === 'done' ? { result: outcome.result } : {}),
      ...(outcome.status === 'failed' ? { error: outcome.error } : {}),
    });
    this.sink.emit({ runId: id, kind: 'runFinished', ...outcome });
    this.nodes.delete(id);
    return { ...live.node };
  }

  /**
   * Cancels a node and, through its signal, all its descendants.
   * @returns false when the node is not running in this tree.
   */
  cancel(id: string): boolean {
    const live = this.nodes.get(id);
    if (!live || live.signal.aborted) return false;
    live.controller.abort(new CancelledError());
    return true;
  }

  /** True while the node runs in this tree. */
  has(id: string): boolean {
    return this.nodes.has(id);
  }

  private track(node: RunNode, parentSignal?: AbortSignal): LiveNode {
    const controller = new AbortController();
    const signals = [controller.signal, this.treeController.signal, ...(parentSignal ? [parentSignal] : [])];
    const live = { node, controller, signal: AbortSignal.any(signals) };
    this.nodes.set(node.id, live);
    return live;
  }

  private live(id: string): LiveNode {
    const live = this.nodes.get(id);
    if (!live) throw new Error(`Run ${id} is not running in this tree.`);
    return live;
  }

  private budgetExceeded(): LimitError | undefined {
    const { maxTokens, maxCostUsd } = this.budget;
    const tokens = this.usage.inputTokens + this.usage.outputTokens;
    if (maxTokens !== undefined && tokens > maxTokens) {
      return new LimitError('tokenBudget', `The run used ${tokens} tokens, above its budget of ${maxTokens} (orchestrator.budget.max_tokens in profile.yaml). Raise the budget or split the task.`);
    }
    if (maxCostUsd !== undefined && this.usage.costUsd > maxCostUsd) {
      return new LimitError('costBudget', `The run cost $${this.usage.costUsd.toFixed(4)}, above its budget of $${maxCostUsd} (orchestrator.budget.max_cost_usd in profile.yaml). Raise the budget or split the task.`);
    }
    return undefined;
  }
}
