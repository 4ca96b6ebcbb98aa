/**
 * The client's view of the runs: which session the Chat view shows (kept in the workspace state,
 * so it is the same after a reload), and the run tree of every session it has seen events of,
 * rebuilt from `run/didChange` with the shared reducer (protocol/runTreeState.ts). The Chat view,
 * the Agents view, the Tasks view and `@moco` all read it.
 */
import * as vscode from 'vscode';
import { RunDidChangeNotification, type RunEvent, type RunNode } from '../../../protocol/run';
import { applyEvents, emptyRunTreeState, type RunTreeState } from '../../../protocol/runTreeState';
import { SessionsGetRequest, type SessionDetail } from '../../../protocol/sessions';
import type { ServerController } from '../languageClient';

/** The workspace-state key of the Chat view's session id. */
const CURRENT_SESSION_KEY = 'moco.chat.sessionId';

/** One batch of events of one session, as `run/didChange` delivered it. */
export interface SessionEvents {
  sessionId: string;
  events: RunEvent[];
}

/** Keeps the run trees of the sessions the client follows. */
export class SessionHub implements vscode.Disposable {
  private readonly trees = new Map<string, RunTreeState>();
  /** Loads in flight, by session: the Chat and Agents views ask for the same session at once. */
  private readonly loading = new Map<string, Promise<SessionDetail>>();
  /** Live events of the sessions being loaded, applied again on top of the loaded snapshot. */
  private readonly arrivedWhileLoading = new Map<string, RunEvent[]>();
  private readonly eventsEmitter = new vscode.EventEmitter<SessionEvents>();
  private readonly currentEmitter = new vscode.EventEmitter<string | undefined>();
  private readonly subscription: vscode.Disposable;
  /** Fires after each event batch has been applied to its session's tree. */
  readonly onDidReceiveEvents = this.eventsEmitter.event;
  /** Fires when the Chat view's session changes (New Chat, Open Session…, a first message). */
  readonly onDidChangeCurrent = this.currentEmitter.event;

  constructor(
    private readonly server: ServerController,
    private readonly state: vscode.Memento,
  ) {
    this.subscription = server.onNotification(RunDidChangeNotification, ({ sessionId, events }) => {
      this.apply(sessionId, events);
      this.eventsEmitter.fire({ sessionId, events });
    });
  }

  /** The Chat view's session id; `undefined` for a new chat that has no message yet. */
  get currentSessionId(): string | undefined {
    return this.state.get<string>(CURRENT_SESSION_KEY);
  }

  /** Makes `sessionId` the Chat view's session (`undefined`: a new, empty chat). */
  async setCurrent(sessionId: string | undefined): Promise<void> {
    if (sessionId === this.currentSessionId) return;
    // The memento holds the new value at once; only its write to disk is awaited, after the views
    // have started to show the session.
    const persisted = this.state.update(CURRENT_SESSION_KEY, sessionId);
    this.currentEmitter.fire(sessionId);
    await persisted;
  }

  /** The run tree of a session as far as the client has seen it (empty when never loaded). */
  tree(sessionId: string): RunTreeState {
    return this.trees.get(sessionId) ?? emptyRunTreeState();
  }

  /**
   * Loads a session's stored runs and events and rebuilds its tree from them. Callers that ask
   * while a load of the same session is in flight share it.
   * @throws the server's `ResponseError` (`SessionNotFound`) or a connection error.
   */
  load(sessionId: string): Promise<SessionDetail> {
    const inFlight = this.loading.get(sessionId);
    if (inFlight) return inFlight;
    const arrived: RunEvent[] = [];
    this.arrivedWhileLoading.set(sessionId, arrived);
    const loading = this.server.request(SessionsGetRequest, { sessionId }).then((detail) => {
      // The snapshot, then what came while it was read and is not in it.
      const lastSeq = detail.events.at(-1)?.seq ?? 0;
      const later = arrived.filter((event) => event.seq > lastSeq);
      this.trees.set(sessionId, applyEvents(applyEvents(treeOfRuns(detail.runs), detail.events), later));
      return detail;
    });
    this.loading.set(sessionId, loading);
    const forget = (): void => {
      this.loading.delete(sessionId);
      this.arrivedWhileLoading.delete(sessionId);
    };
    loading.then(forget, forget);
    return loading;
  }

  /** The node of a run, searched in every followed session. */
  findNode(runId: string): { sessionId: string; tree: RunTreeState } | undefined {
    for (const [sessionId, tree] of this.trees) if (tree.nodes[runId]) return { sessionId, tree };
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.eventsEmitter.dispose();
    this.currentEmitter.dispose();
  }

  private apply(sessionId: string, events: RunEvent[]): void {
    this.arrivedWhileLoading.get(sessionId)?.push(...events);
    this.trees.set(sessionId, applyEvents(this.tree(sessionId), events));
  }
}

/** A tree with the stored nodes (their last stored state), before the events are replayed. */
function treeOfRuns(runs: readonly RunNode[]): RunTreeState {
  return applyEvents(
    emptyRunTreeState(),
    runs.map((node, index) => ({ kind: 'runStarted', node, runId: node.id, seq: -runs.length + index, time: node.startedAt })),
  );
}
