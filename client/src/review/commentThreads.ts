/**
 * The findings as comment threads (Comments API, `ReviewCommentControllerId`): one thread per
 * finding on its lines, with one read-only comment (the message and the suggested change), no
 * replies, and the title buttons of `comments/commentThread/title` (Apply Suggestion, Fix with
 * Agent, Dismiss), chosen by the thread's `contextValue`. Kept in step with the store.
 */
import * as vscode from 'vscode';
import { ReviewCommentControllerId } from '../../../protocol/ids';
import type { FindingsStore } from './findingsStore';
import { threadSpecs, type SpecRange, type ThreadSpec } from './threadSpecs';
import { findingUri, toRange } from './workspacePaths';

/** A finding's comment: Markdown, shown (never edited), by the reviewer agent. */
class FindingComment implements vscode.Comment {
  readonly mode = vscode.CommentMode.Preview;
  body: vscode.MarkdownString;
  author: vscode.CommentAuthorInformation;

  constructor(spec: ThreadSpec) {
    this.body = markdown(spec.body);
    this.author = { name: spec.author };
  }
}

interface ShownThread {
  thread: vscode.CommentThread;
  spec: ThreadSpec;
  uri: string;
}

/** The comment threads of the store's findings. */
export class ReviewThreads implements vscode.Disposable {
  private readonly controller = vscode.comments.createCommentController(ReviewCommentControllerId, 'MOCO Review');
  private readonly shown = new Map<string, ShownThread>();
  private readonly findingOfThread = new WeakMap<object, string>();
  /** Findings whose threads open expanded when they first appear (those of a review just made). */
  private readonly expandNext = new Set<string>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: FindingsStore) {
    this.subscription = store.onDidChange(() => this.sync());
    this.sync();
  }

  /** The next threads of these findings open expanded. */
  expand(findingIds: Iterable<string>): void {
    for (const id of findingIds) this.expandNext.add(id);
  }

  /** The finding of a thread this controller created (a title button's argument). */
  findingOf(thread: object): string | undefined {
    return this.findingOfThread.get(thread) ?? this.findingAt(thread);
  }

  dispose(): void {
    this.subscription.dispose();
    this.controller.dispose();
    this.shown.clear();
  }

  /**
   * Creates, updates and disposes threads so that there is one per finding the workspace can place
   * (those of a folder that is not open have none). Runs on every change of the store, and is to be
   * called when the workspace folders change.
   */
  sync(): void {
    const wanted = new Map<string, { spec: ThreadSpec; uri: vscode.Uri }>();
    for (const spec of threadSpecs(this.store.all())) {
      const uri = findingUri(spec);
      if (uri) wanted.set(spec.findingId, { spec, uri });
    }
    for (const [id, shown] of this.shown) {
      const next = wanted.get(id);
      if (!next || next.uri.toString() !== shown.uri) {
        shown.thread.dispose();
        this.shown.delete(id);
      }
    }
    for (const [id, { spec, uri }] of wanted) {
      const shown = this.shown.get(id);
      if (shown) this.update(shown, spec);
      else this.create(spec, uri);
    }
  }

  private create(spec: ThreadSpec, uri: vscode.Uri): void {
    const thread = this.controller.createCommentThread(uri, toRange(spec.range), [new FindingComment(spec)]);
    thread.canReply = false;
    thread.label = spec.label;
    thread.contextValue = spec.contextValue;
    thread.collapsibleState = this.expandNext.delete(spec.findingId)
      ? vscode.CommentThreadCollapsibleState.Expanded
      : vscode.CommentThreadCollapsibleState.Collapsed;
    this.findingOfThread.set(thread, spec.findingId);
    this.shown.set(spec.findingId, { thread, spec, uri: uri.toString() });
  }

  private update(shown: ShownThread, spec: ThreadSpec): void {
    const { thread } = shown;
    if (!sameRange(shown.spec.range, spec.range)) thread.range = toRange(spec.range);
    if (shown.spec.label !== spec.label) thread.label = spec.label;
    if (shown.spec.contextValue !== spec.contextValue) thread.contextValue = spec.contextValue;
    if (shown.spec.body !== spec.body || shown.spec.author !== spec.author) thread.comments = [new FindingComment(spec)];
    shown.spec = spec;
  }

  /** A thread-like argument (`{ uri, range }`) that is not one of ours by identity: by place. */
  private findingAt(arg: object): string | undefined {
    const { uri, range } = arg as { uri?: unknown; range?: unknown };
    if (!(uri instanceof vscode.Uri) || !(range instanceof vscode.Range)) return undefined;
    for (const [id, shown] of this.shown) {
      if (shown.uri === uri.toString() && shown.thread.range?.isEqual(range)) return id;
    }
    return undefined;
  }
}

function sameRange(a: SpecRange, b: SpecRange): boolean {
  return a.startLine === b.startLine && a.startCharacter === b.startCharacter && a.endLine === b.endLine && a.endCharacter === b.endCharacter;
}

/**
 * A comment's Markdown (threadSpecs.ts `findingMarkdown`: the reviewer's text escaped, so it
 * cannot make images, links or HTML), and, should anything get through, no command links, no
 * HTML and no icons.
 */
function markdown(text: string): vscode.MarkdownString {
  const value = new vscode.MarkdownString(text, false);
  value.isTrusted = false;
  value.supportHtml = false;
  return value;
}
