/**
 * The client side of the Chat view: it answers the webview's messages (send, stop, resume,
 * approvals, slash commands, code blocks) with server requests and VS Code APIs, and feeds the
 * webview the shown session's stored and live events. It owns no run state of its own: the
 * {@link SessionHub} does, and the webview rebuilds the transcript from the events.
 */
import * as vscode from 'vscode';
import { CommandIds, ContextKeys } from '../../../protocol/ids';
import { ProfilesListRequest } from '../../../protocol/profiles';
import {
  ApprovalRespondRequest,
  ChatSendRequest,
  RunCancelRequest,
  RunResumeRequest,
  type ChatSendParams,
  type RunEvent,
} from '../../../protocol/run';
import type {
  BannerAction,
  ClientToWebviewMessage,
  SlashCommand,
  WebviewToClientMessage,
} from '../../../protocol/webview';
import { errorCode } from '../commands/errorActions';
import { isCancellation } from '../commands/showError';
import { errorMessage } from '../errorMessage';
import { runningRoot } from '../views/agentsModel';
import type { ServerController } from '../languageClient';
import type { SessionHub } from '../state/sessionHub';
import { runSlashCommand } from './slashCommands';

/** What the controller needs from the rest of the client. */
export interface ChatControllerDeps {
  server: ServerController;
  hub: SessionHub;
  /** The send fields the settings give (profile, provider, model, baseURL, working directory), without text and session. */
  sendDefaults(): Omit<ChatSendParams, 'text' | 'sessionId'>;
  /** The working directory of new messages: a `/cd` override, else the first workspace folder. */
  workingDir(): string | undefined;
  /** Sets or clears the `/cd` override. */
  setWorkingDir(dir: string | undefined): void;
  /** The banner actions that fix an error of a `MocoErrorCodes` code. */
  errorActions(code: number | undefined): BannerAction[];
  /** Shows a run's node in the Agents view and opens its transcript. */
  revealRun(runId: string): Promise<void>;
  log: vscode.LogOutputChannel;
}

/** A sink for messages to the webview; a no-op while the view is not resolved. */
export type PostMessage = (message: ClientToWebviewMessage) => void;

/** Handles one Chat view's traffic. */
export class ChatController implements vscode.Disposable {
  private post: PostMessage = () => undefined;
  private readonly subscriptions: vscode.Disposable[];
  /** Live events of the session being loaded, held until its stored events are shown. */
  private loading: { sessionId: string; buffer: RunEvent[]; done: Promise<void> } | undefined;
  /** The last value given to the `moco.chatRunning` context key (set only when it changes). */
  private running: boolean | undefined;

  constructor(private readonly deps: ChatControllerDeps) {
    this.subscriptions = [
      deps.hub.onDidReceiveEvents(({ sessionId, events }) => {
        if (sessionId !== deps.hub.currentSessionId) return;
        if (this.loading?.sessionId === sessionId) this.loading.buffer.push(...events);
        else this.post({ type: 'run/didChange', sessionId, events });
        this.updateRunningContext();
      }),
      deps.hub.onDidChangeCurrent(() => void this.loadCurrent()),
    ];
  }

  /** Connects a (new) webview. Messages before {@link handle}'s `webview/ready` are not lost: the view re-sends state then. */
  attach(post: PostMessage): void {
    this.post = post;
  }

  /** Detaches the webview (it was disposed). */
  detach(): void {
    this.post = () => undefined;
  }

  /** Sends the settings and the agents of the profile to the webview. */
  async refreshContext(): Promise<void> {
    const defaults = this.deps.sendDefaults();
    const config = vscode.workspace.getConfiguration('moco');
    this.post({
      type: 'settings/didChange',
      showThinking: config.get<boolean>('chat.showThinking', true),
      profile: defaults.profile ?? 'default',
      model: defaults.provider ? [defaults.provider, defaults.model].filter(Boolean).join('/') : 'auto',
      workingDir: this.deps.workingDir() ?? '',
    });
    if (this.deps.server.current.state !== 'ready') return;
    try {
      const dir = this.deps.workingDir();
      const { profiles } = await this.deps.server.request(ProfilesListRequest, dir ? { workingDir: dir } : {});
      const wanted = defaults.profile ?? 'default';
      const profile = profiles.find((p) => p.name === wanted);
      if (profile) {
        this.post({ type: 'agents/didChange', profile: profile.name, agents: profile.agents.map(({ name, description }) => ({ name, description })) });
      }
    } catch (error) {
      this.deps.log.warn(`Listing the profiles for the chat: ${errorMessage(error)}`);
    }
  }

  /**
   * Shows the current session (or an empty chat) in the webview. A load of the same session in
   * flight is shared (the webview's ready and the server's come together at start-up).
   */
  loadCurrent(): Promise<void> {
    const sessionId = this.deps.hub.currentSessionId;
    this.updateRunningContext();
    if (!sessionId) {
      this.post({ type: 'session/didLoad', runs: [], events: [] });
      return Promise.resolve();
    }
    if (this.loading?.sessionId === sessionId) return this.loading.done;
    const loading = { sessionId, buffer: [] as RunEvent[], done: Promise.resolve() };
    loading.done = this.load(loading);
    this.loading = loading;
    return loading.done;
  }

  private async load(loading: { sessionId: string; buffer: RunEvent[] }): Promise<void> {
    const { sessionId } = loading;
    try {
      const detail = await this.deps.hub.load(sessionId);
      if (sessionId !== this.deps.hub.currentSessionId) return;
      this.post({ type: 'session/didLoad', session: detail.session, runs: detail.runs, events: detail.events });
      // Events that came while the stored ones were read, and are not among them.
      const lastSeq = detail.events.at(-1)?.seq ?? 0;
      const later = loading.buffer.filter((event) => event.seq > lastSeq);
      if (later.length > 0) this.post({ type: 'run/didChange', sessionId, events: later });
      this.updateRunningContext();
    } catch (error) {
      this.showError(error);
      this.post({ type: 'session/didLoad', runs: [], events: [] });
    } finally {
      if (this.loading === loading) this.loading = undefined;
    }
  }

  /** Answers one webview message. Never rejects: a failure shows as a banner. */
  async handle(message: WebviewToClientMessage): Promise<void> {
    try {
      await this.answer(message);
    } catch (error) {
      this.showError(error);
    }
  }

  private async answer(message: WebviewToClientMessage): Promise<void> {
    switch (message.type) {
      case 'webview/ready':
        await this.refreshContext();
        await this.loadCurrent();
        return;
      case 'command/run':
        await vscode.commands.executeCommand(message.command);
        return;
      case 'chat/send':
        await this.send(message.text);
        return;
      case 'run/cancel':
        await this.guard(() => this.deps.server.request(RunCancelRequest, { runId: message.runId }));
        return;
      case 'run/resume':
        await this.resume(message.runId);
        return;
      case 'approval/respond':
        await this.guard(() => this.deps.server.request(ApprovalRespondRequest, { approvalId: message.approvalId, decision: message.decision }));
        return;
      case 'slash/run':
        await this.slash(message);
        return;
      case 'code/copy':
        await vscode.env.clipboard.writeText(message.code);
        return;
      case 'code/insert':
        await insertAtCursor(message.code);
        return;
      case 'run/reveal':
        await this.deps.revealRun(message.runId);
        return;
    }
  }

  /**
   * Sends a message to the shown session, or to a new session that becomes the shown one.
   * @returns the run's ids, or `undefined` when the send failed (the banner says why).
   */
  async send(text: string): Promise<{ sessionId: string; runId: string } | undefined> {
    const sessionId = this.deps.hub.currentSessionId;
    const params: ChatSendParams = { ...this.deps.sendDefaults(), text, ...(sessionId ? { sessionId } : {}) };
    try {
      const started = await this.deps.server.request(ChatSendRequest, params);
      // The user may have opened another session meanwhile: the run goes on there, unseen here.
      if (this.deps.hub.currentSessionId !== sessionId) return started;
      if (started.sessionId !== sessionId) {
        // A new session: show it (the webview keeps the pending message until its events come).
        await this.deps.hub.setCurrent(started.sessionId);
      }
      this.post({ type: 'run/didStart', sessionId: started.sessionId, runId: started.runId });
      this.setRunningContext(true);
      return started;
    } catch (error) {
      this.showError(error);
      return undefined;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private async resume(runId: string): Promise<void> {
    await this.guard(async () => {
      const started = await this.deps.server.request(RunResumeRequest, { runId });
      if (started.sessionId !== this.deps.hub.currentSessionId) await this.deps.hub.setCurrent(started.sessionId);
      this.post({ type: 'run/didStart', sessionId: started.sessionId, runId: started.runId });
    });
  }

  private async slash(message: SlashCommand): Promise<void> {
    const notice = await runSlashCommand(message, {
      newChat: () => vscode.commands.executeCommand(CommandIds.newChat),
      workingDir: () => this.deps.workingDir(),
      setWorkingDir: (dir) => this.deps.setWorkingDir(dir),
    });
    if (notice) this.post({ type: 'notice/show', message: notice });
    await this.refreshContext();
  }

  private updateRunningContext(): void {
    const sessionId = this.deps.hub.currentSessionId;
    this.setRunningContext(sessionId !== undefined && runningRoot(this.deps.hub.tree(sessionId)) !== undefined);
  }

  private setRunningContext(running: boolean): void {
    if (running === this.running) return;
    this.running = running;
    void vscode.commands.executeCommand('setContext', ContextKeys.chatRunning, running);
  }

  private async guard(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.showError(error);
    }
  }

  private showError(error: unknown): void {
    // Cancelling is not an error to show (CONVENTIONS.md §4).
    if (isCancellation(error)) return;
    const message = errorMessage(error);
    this.deps.log.warn(`Chat: ${message}`);
    this.post({ type: 'error/show', message, actions: this.deps.errorActions(errorCode(error)) });
  }
}

/** Inserts code at the active editor's selections; says so when no editor is open. */
async function insertAtCursor(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Open a file in an editor to insert the code at its cursor.');
    return;
  }
  await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, code);
  });
}
