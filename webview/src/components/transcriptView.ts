/**
 * The transcript's DOM. It keeps one element per run and per item, and on each update touches
 * only what the reducer reports as changed: a text delta re-renders one segment's Markdown. A
 * whole session is built detached and inserted once. Buttons inside (code, approval, resume,
 * reveal) are handled by one click listener through their `data-action`.
 */
import type { WebviewToClientMessage } from '../../../protocol/webview';
import type { Changes, NoticeItem, Transcript, TranscriptItem } from '../state/model';
import { createDelegation } from './delegation';
import { el, icon, reconcileChildren } from './dom';
import { codeOfButton, renderMarkdownInto } from './markdown';
import type { RunElements } from './runElements';
import { createToolCard, updateToolCard, type ToolCardElements } from './toolCard';
import { createTurn } from './turn';

/** Options of the transcript view. */
export interface TranscriptViewOptions {
  /** Sends a message to the client (code, approval, resume, reveal). */
  post(message: WebviewToClientMessage): void;
  /** `moco.chat.showThinking`: false renders no thinking at all. */
  showThinking: boolean;
}

/** How many of the last roots a loaded session renders at once; older ones follow in slices. */
const EAGER_ROOTS = 10;
/** The time one background slice of deferred Markdown may take, ms. */
const SLICE_MS = 8;

export class TranscriptView {
  private runs = new Map<string, RunElements>();
  private items = new Map<string, HTMLElement>();
  private cards = new Map<string, ToolCardElements>();
  private transcript: Transcript | undefined;
  /**
   * Set only while {@link reset} builds a loaded session: the roots whose Markdown waits (older
   * than the last few).
   */
  private deferRoots: Set<string> | undefined;
  /** Segments shown as plain text until their Markdown is rendered, oldest first. */
  private deferred: string[] = [];
  private pumpGeneration = 0;
  /**
   * Whether the view follows the end of the transcript: true until the user scrolls up, and again
   * once they scroll back down or send a message.
   */
  private following = true;

  /**
   * @param container the element the root sections go in.
   * @param scroller the scrolling element that holds `container` (kept at its end while the user
   *   has not scrolled up).
   */
  constructor(
    readonly container: HTMLElement,
    private readonly scroller: HTMLElement,
    private readonly options: TranscriptViewOptions,
  ) {
    container.addEventListener('click', (event) => this.onClick(event));
    scroller.addEventListener('scroll', () => (this.following = this.isAtBottom()), { passive: true });
    // The view's height changes when the panes around it are resized or collapsed: keep the end
    // in view while following.
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => {
        if (this.following) this.scrollToBottom();
      }).observe(scroller);
    }
  }

  /** Shows a transcript from scratch (a loaded session, a new chat, a changed setting). */
  reset(transcript: Transcript): void {
    this.transcript = transcript;
    this.runs.clear();
    this.items.clear();
    this.cards.clear();
    this.container.replaceChildren();
    this.deferred = [];
    this.pumpGeneration++;
    // Opening a long session: the last roots (what the user sees) get their Markdown now, the
    // older ones in background slices, newest first.
    this.deferRoots = new Set(transcript.roots.slice(0, Math.max(0, transcript.roots.length - EAGER_ROOTS)));
    const all = new Set(transcript.runs.keys());
    this.render({ structure: all, content: new Set(), meta: all, roots: true });
    this.deferRoots = undefined;
    this.follow();
    if (this.deferred.length > 0) this.schedulePump(this.pumpGeneration);
  }

  /** Shows what changed in the transcript given to {@link reset}. */
  apply(changes: Changes): void {
    this.render(changes);
    if (this.following) this.scrollToBottom();
  }

  private render(changes: Changes): void {
    const t = this.transcript;
    if (!t) return;
    const fresh = new Set<string>();
    for (const runId of changes.structure) this.renderItems(runId, fresh);
    for (const itemId of changes.content) {
      const item = t.items.get(itemId);
      if (item && !fresh.has(itemId)) this.updateItem(item);
    }
    for (const runId of changes.meta) {
      const run = t.runs.get(runId);
      if (run) this.runElements(runId)?.update(run, t);
    }
    if (changes.roots) {
      const added = document.createDocumentFragment();
      for (const rootId of t.roots) {
        const section = this.runElements(rootId)?.section;
        if (section && section.parentElement !== this.container) added.append(section);
      }
      this.container.append(added);
    }
  }

  /** Changes `showThinking` and rebuilds the transcript. */
  setShowThinking(showThinking: boolean): void {
    if (this.options.showThinking === showThinking) return;
    this.options.showThinking = showThinking;
    if (this.transcript) this.reset(this.transcript);
  }

  /** Appends a line that is not part of any run (a notice, the help of `/help`). */
  appendLocal(node: HTMLElement): void {
    this.container.append(node);
    if (this.following) this.scrollToBottom();
  }

  /** Scrolls the transcript to its end and follows it from now on (after a send). */
  follow(): void {
    this.following = true;
    this.scrollToBottom();
  }

  /** Scrolls the transcript to its end. */
  scrollToBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  private isAtBottom(): boolean {
    const c = this.scroller;
    return c.scrollHeight - c.scrollTop - c.clientHeight < 40;
  }

  private runElements(runId: string): RunElements | undefined {
    const existing = this.runs.get(runId);
    if (existing) return existing;
    const run = this.transcript?.runs.get(runId);
    if (!run) return undefined;
    const created = run.parentId === undefined ? createTurn(run) : createDelegation(run, this.deferRoots !== undefined);
    this.runs.set(runId, created);
    return created;
  }

  private renderItems(runId: string, fresh: Set<string>): void {
    const run = this.transcript?.runs.get(runId);
    const elements = this.runElements(runId);
    if (!run || !elements) return;
    const desired: HTMLElement[] = [];
    for (const item of run.items) {
      let node = this.items.get(item.id);
      if (!node) {
        node = this.createItem(item);
        if (!node) continue;
        this.items.set(item.id, node);
        fresh.add(item.id);
      }
      desired.push(node);
    }
    reconcileChildren(elements.items, desired);
  }

  private createItem(item: TranscriptItem): HTMLElement | undefined {
    switch (item.kind) {
      case 'text': {
        const node = el('div', 'markdown');
        node.dataset.runId = item.runId;
        this.renderSegment(item.id, item.runId, node, item.text);
        return node;
      }
      case 'thinking': {
        if (!this.options.showThinking) return undefined;
        const node = el('details', 'thinking');
        node.dataset.runId = item.runId;
        const body = el('div', 'markdown');
        this.renderSegment(item.id, item.runId, body, item.text);
        const summary = el('summary');
        summary.append(icon('lightbulb'), document.createTextNode(' Thinking'));
        node.append(summary, body);
        return node;
      }
      case 'tool': {
        const card = createToolCard(item);
        this.cards.set(item.id, card);
        this.renderDelegations(card, item.delegations);
        return card.card;
      }
      case 'delegation':
        return this.runElements(item.childId)?.section;
      case 'notice':
        return notice(item);
    }
  }

  /** Renders a segment's Markdown, or, while a long session opens, its text until its turn. */
  private renderSegment(itemId: string, runId: string, target: HTMLElement, text: string): void {
    const rootId = this.transcript?.runs.get(runId)?.rootId;
    if (rootId !== undefined && this.deferRoots?.has(rootId)) {
      target.textContent = text;
      this.deferred.push(itemId);
    } else {
      renderMarkdownInto(target, text);
    }
  }

  private schedulePump(generation: number): void {
    setTimeout(() => {
      if (generation !== this.pumpGeneration) return;
      const end = performance.now() + SLICE_MS;
      while (this.deferred.length > 0 && performance.now() < end) {
        const item = this.transcript?.items.get(this.deferred.pop() ?? '');
        if (item) this.updateItem(item);
      }
      if (this.deferred.length > 0) this.schedulePump(generation);
    }, 0);
  }

  private updateItem(item: TranscriptItem): void {
    const node = this.items.get(item.id);
    if (!node) return;
    switch (item.kind) {
      case 'text':
        renderMarkdownInto(node, item.text);
        return;
      case 'thinking': {
        const body = node.querySelector<HTMLElement>('.markdown');
        if (body) renderMarkdownInto(body, item.text);
        return;
      }
      case 'tool': {
        const card = this.cards.get(item.id);
        if (!card) return;
        updateToolCard(card, item);
        this.renderDelegations(card, item.delegations);
        return;
      }
      case 'delegation':
      case 'notice':
        return;
    }
  }

  private renderDelegations(card: ToolCardElements, childIds: readonly string[]): void {
    const sections = childIds.map((id) => this.runElements(id)?.section).filter((s): s is HTMLElement => s !== undefined);
    reconcileChildren(card.delegations, sections);
    card.delegations.hidden = sections.length === 0;
  }

  private onClick(event: Event): void {
    const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-action]') : null;
    if (!target || !this.container.contains(target)) return;
    const { action, runId, approvalId, decision } = target.dataset;
    switch (action) {
      case 'code-copy':
      case 'code-insert': {
        const code = codeOfButton(target);
        if (code !== undefined) this.options.post({ type: action === 'code-copy' ? 'code/copy' : 'code/insert', code });
        return;
      }
      case 'approval':
        if (approvalId && (decision === 'approve' || decision === 'deny' || decision === 'always')) {
          for (const b of target.parentElement?.querySelectorAll('button') ?? []) b.disabled = true;
          this.options.post({ type: 'approval/respond', approvalId, decision });
        }
        return;
      case 'resume':
        if (runId) this.options.post({ type: 'run/resume', runId });
        return;
      case 'reveal':
        if (runId) this.options.post({ type: 'run/reveal', runId });
        return;
    }
  }
}

const NOTICE_ICONS: Record<NoticeItem['tone'], string> = { warning: 'warning', limit: 'stop-circle', retry: 'sync' };

function notice(item: NoticeItem): HTMLElement {
  const node = el('div', `notice notice-${item.tone}`);
  node.dataset.runId = item.runId;
  node.append(icon(NOTICE_ICONS[item.tone]), el('span', undefined, item.message));
  return node;
}
