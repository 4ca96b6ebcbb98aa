/**
 * The Chat view: connection line, transcript, banners and input box. It handles the client's
 * messages (protocol/webview.ts) and turns the user's actions into messages for the client.
 * Kept apart from `main.ts` so that tests drive it with a fake `post`.
 */
import type {
  ChatSettingsNotification,
  ClientToWebviewMessage,
  ConnectionNotification,
  WebviewToClientMessage,
} from '../../protocol/webview';
import { Banners } from './components/banner';
import { Composer } from './components/composer';
import { renderConnection } from './components/connection';
import { el } from './components/dom';
import { renderEmptyState, renderHelp, renderNotice } from './components/notices';
import { TranscriptView } from './components/transcriptView';
import type { Changes, Transcript } from './state/model';
import { parseInput } from './state/slash';
import { activeRootId, addPendingRoot, applyEvents, emptyTranscript, isFinalStatus, syncNodes } from './state/transcript';

export class ChatApp {
  private transcript: Transcript = emptyTranscript();
  private sessionId: string | undefined;
  private connection: ConnectionNotification | undefined;
  private settings: ChatSettingsNotification | undefined;
  /** The text of the last `chat/send`, shown as the pending root's message. */
  private lastSent = '';
  /** True from a send until the client answers it (`run/didStart` or `error/show`): no second send. */
  private sending = false;
  private readonly announced = new Map<string, string>();
  private readonly header = el('div', 'chat-header');
  private readonly empty = el('div', 'empty-slot');
  private readonly announcer = el('div', 'sr-only');
  private readonly view: TranscriptView;
  private readonly banners: Banners;
  readonly composer: Composer;

  /** Builds the view inside `root` (`<main id="app">`); `post` sends to the client. */
  constructor(
    root: HTMLElement,
    private readonly post: (message: WebviewToClientMessage) => void,
  ) {
    const scroller = el('div', 'scroller');
    // The transcript streams: announce status changes through `announcer`, not every delta.
    scroller.setAttribute('aria-live', 'off');
    const list = el('div', 'transcript');
    scroller.append(this.empty, list);
    this.view = new TranscriptView(list, scroller, { post, showThinking: true });
    this.banners = new Banners((command) => post({ type: 'command/run', command }));
    this.composer = new Composer({ submit: (text) => this.submit(text), stop: () => this.stop() });
    this.announcer.setAttribute('role', 'status');
    // Escape anywhere in the view stops the running message (the input box's completion list
    // keeps its own Escape).
    root.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented || activeRootId(this.transcript) === undefined) return;
      event.preventDefault();
      this.stop();
    });
    root.classList.add('chat');
    root.replaceChildren(this.header, scroller, this.banners.element, this.composer.element, this.announcer);
    this.view.reset(this.transcript);
    this.refresh();
  }

  /** Handles one message from the client. */
  handle(message: ClientToWebviewMessage): void {
    switch (message.type) {
      case 'connection/didChange':
        this.connection = message;
        this.header.replaceChildren(renderConnection(message, (command) => this.post({ type: 'command/run', command })));
        break;
      case 'session/didLoad': {
        this.sending = false;
        this.transcript = emptyTranscript();
        this.sessionId = message.session?.id;
        applyEvents(this.transcript, message.events);
        syncNodes(this.transcript, message.runs);
        this.announced.clear();
        for (const root of this.transcript.roots) this.announced.set(root, this.transcript.runs.get(root)?.status ?? '');
        this.banners.clear();
        this.view.reset(this.transcript);
        break;
      }
      case 'run/didChange':
        if (this.sessionId !== undefined && message.sessionId !== this.sessionId) return;
        this.sessionId = message.sessionId;
        this.apply(applyEvents(this.transcript, message.events));
        break;
      case 'run/didStart':
        this.sending = false;
        // A run of another session (the user switched while the send was on its way) is not ours.
        if (this.sessionId !== undefined && message.sessionId !== this.sessionId) return;
        this.sessionId = message.sessionId;
        // The text is this view's last send; a run started elsewhere (`MOCO: Run Task…`) shows
        // its task once its `runStarted` arrives.
        this.apply(addPendingRoot(this.transcript, message.runId, this.lastSent));
        this.lastSent = '';
        break;
      case 'settings/didChange':
        this.settings = message;
        this.composer.setContext(`${message.profile} · ${message.model}`);
        this.view.setShowThinking(message.showThinking);
        this.empty.dataset.key = '';
        break;
      case 'agents/didChange':
        this.composer.setAgents(message.agents);
        break;
      case 'error/show':
        this.banners.show(message);
        if (this.sending) {
          // The send failed: its text goes back into the input, so nothing typed is lost.
          this.sending = false;
          if (this.lastSent) this.composer.fill(this.lastSent);
          this.lastSent = '';
        }
        break;
      case 'notice/show':
        this.view.appendLocal(renderNotice(message.message));
        break;
    }
    this.refresh();
  }

  private apply(changes: Changes): void {
    this.view.apply(changes);
    this.announce(changes);
  }

  /** Says a root's new status to screen readers (started, waiting, done, failed...). */
  private announce(changes: Changes): void {
    for (const id of changes.meta) {
      const run = this.transcript.runs.get(id);
      if (!run || run.parentId !== undefined || this.announced.get(id) === run.status) continue;
      this.announced.set(id, run.status);
      const words: Partial<Record<string, string>> = {
        running: 'MOCO is working on your message.',
        'waiting-for-approval': 'MOCO is waiting for your approval.',
        done: 'MOCO has answered.',
        failed: `The run failed. ${run.error?.message ?? ''}`,
        cancelled: 'The run was stopped.',
        interrupted: 'The run was interrupted; it can be resumed.',
      };
      const text = words[run.status];
      if (text) this.announcer.textContent = text;
    }
  }

  private refresh(): void {
    const ready = this.connection?.state === 'ready';
    const running = activeRootId(this.transcript) !== undefined;
    this.composer.setState(ready, running);
    const showEmpty = ready && this.transcript.roots.length === 0;
    const key = showEmpty ? 'empty' : 'none';
    if (this.empty.dataset.key !== key) {
      this.empty.dataset.key = key;
      this.empty.replaceChildren(...(showEmpty ? [renderEmptyState(this.settings, (task) => this.composer.fill(task))] : []));
    }
  }

  private submit(text: string): boolean {
    const input = parseInput(text);
    switch (input.kind) {
      case 'help':
        this.view.appendLocal(renderHelp());
        return true;
      case 'unknown':
        this.composer.showHint(`Unknown command /${input.word}. Type /help for the list.`);
        return false;
      case 'slash':
        this.banners.clear();
        this.post({ type: 'slash/run', name: input.name, ...(input.argument ? { argument: input.argument } : {}) });
        return true;
      case 'message':
        if (this.sending || activeRootId(this.transcript) !== undefined) {
          this.composer.showHint('MOCO is still working on your last message: wait, or stop it with Escape.');
          return false;
        }
        this.banners.clear();
        this.lastSent = text;
        this.sending = true;
        this.view.follow();
        this.post({ type: 'chat/send', text });
        return true;
    }
  }

  private stop(): void {
    const rootId = activeRootId(this.transcript);
    const run = rootId === undefined ? undefined : this.transcript.runs.get(rootId);
    if (run && !isFinalStatus(run.status)) this.post({ type: 'run/cancel', runId: run.id });
  }
}
