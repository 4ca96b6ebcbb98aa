/**
 * Read-only run transcripts: `moco-transcript:/<sessionId>/<runId>.md` documents, rendered by
 * transcriptModel.ts from the session's stored runs and events (`sessions/get`) and kept live with
 * the new events (`run/didChange`, through the session hub), at most every 250 ms.
 */
import * as vscode from 'vscode';
import { TranscriptScheme } from '../../../protocol/ids';
import type { RunEvent, RunNode } from '../../../protocol/run';
import { SessionsGetRequest } from '../../../protocol/sessions';
import { errorMessage } from '../errorMessage';
import type { ServerController } from '../languageClient';
import { onDidChangeSettings, readSettings } from '../settings';
import type { SessionHub } from '../state/sessionHub';
import { Throttle } from './timing';
import type { RunRef } from './treeModel';
import { affectsTranscript, parseTranscriptPath, renderTranscript, transcriptPath } from './transcriptModel';

/** How often, at most, an open transcript is re-rendered while its run streams (ms). */
export const TRANSCRIPT_REFRESH_MS = 250;

interface Source {
  runs: RunNode[];
  events: RunEvent[];
  lastSeq: number;
}

/** The transcript documents' content provider. Create one; dispose it with the extension. */
export class Transcripts implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly sources = new Map<string, Source>();
  /** Sessions being loaded, with the events that arrived meanwhile. */
  private readonly loading = new Map<string, { promise: Promise<Source>; buffered: RunEvent[] }>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly dirty = new Map<string, vscode.Uri>();
  private readonly throttle = new Throttle(TRANSCRIPT_REFRESH_MS, () => this.fireDirty());
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly server: ServerController,
    private readonly hub: SessionHub,
  ) {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(TranscriptScheme, this),
      this.changeEmitter,
      hub.onDidReceiveEvents(({ sessionId, events }) => this.receive(sessionId, events)),
      onDidChangeSettings(() => {
        for (const uri of this.openUris()) this.dirty.set(uri.toString(), uri);
        this.throttle.schedule();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme !== TranscriptScheme) return;
        const closed = parseTranscriptPath(document.uri.path)?.sessionId;
        const stillOpen = this.openUris().some((uri) => parseTranscriptPath(uri.path)?.sessionId === closed);
        if (closed && !stillOpen) this.sources.delete(closed);
      }),
    ];
  }

  /** The transcript URI of a run. */
  static uri(sessionId: string, runId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: TranscriptScheme, path: transcriptPath(sessionId, runId) });
  }

  /**
   * Opens a run's transcript in a preview editor. Without a session id, the run is looked up in
   * the sessions the hub follows.
   * @throws {Error} when the run cannot be found.
   */
  async open(ref: RunRef): Promise<void> {
    const runId = ref.runId;
    if (!runId) throw new Error('This task has not started its run yet, so it has no transcript.');
    const sessionId = ref.sessionId ?? this.hub.findNode(runId)?.sessionId;
    if (!sessionId) throw new Error(`No run ${runId} in the sessions shown. Open its session first.`);
    const document = await vscode.workspace.openTextDocument(Transcripts.uri(sessionId, runId));
    await vscode.window.showTextDocument(document, { preview: true, preserveFocus: false });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = parseTranscriptPath(uri.path);
    if (!target) return `# Not a transcript\n\n${uri.toString()} names no session and run.\n`;
    try {
      const source = await this.source(target.sessionId);
      return renderTranscript(source, target.sessionId, target.runId, { showThinking: readSettings().showThinking });
    } catch (error) {
      return `# Transcript unavailable\n\n${errorMessage(error)}\n`;
    }
  }

  dispose(): void {
    this.throttle.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  /** The session's runs and events: loaded once (shared by its open transcripts), then kept live. */
  private source(sessionId: string): Promise<Source> {
    const known = this.sources.get(sessionId);
    if (known) return Promise.resolve(known);
    const pending = this.loading.get(sessionId);
    if (pending) return pending.promise;
    const entry = { buffered: [] as RunEvent[], promise: Promise.resolve({} as Source) };
    entry.promise = this.server
      .request(SessionsGetRequest, { sessionId })
      .then((detail) => {
        const source: Source = { runs: detail.runs, events: [...detail.events], lastSeq: maxSeq(detail.events) };
        append(source, entry.buffered);
        this.sources.set(sessionId, source);
        return source;
      })
      .finally(() => this.loading.delete(sessionId));
    this.loading.set(sessionId, entry);
    return entry.promise;
  }

  private receive(sessionId: string, events: RunEvent[]): void {
    const pending = this.loading.get(sessionId);
    if (pending) pending.buffered.push(...events);
    const source = this.sources.get(sessionId);
    if (!source) return;
    append(source, events);
    const tree = this.hub.tree(sessionId);
    for (const uri of this.openUris()) {
      const target = parseTranscriptPath(uri.path);
      if (target?.sessionId !== sessionId) continue;
      if (events.some((event) => affectsTranscript(event, target.runId, tree))) this.dirty.set(uri.toString(), uri);
    }
    if (this.dirty.size > 0) this.throttle.schedule();
  }

  private openUris(): vscode.Uri[] {
    return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === TranscriptScheme && !d.isClosed).map((d) => d.uri);
  }

  private fireDirty(): void {
    const uris = [...this.dirty.values()];
    this.dirty.clear();
    for (const uri of uris) this.changeEmitter.fire(uri);
  }
}

/** Appends the events not seen yet (a higher `seq`), in order. */
function append(source: Source, events: readonly RunEvent[]): void {
  for (const event of events) {
    if (event.seq <= source.lastSeq) continue;
    source.events.push(event);
    source.lastSeq = event.seq;
  }
}

function maxSeq(events: readonly RunEvent[]): number {
  return events.reduce((max, e) => Math.max(max, e.seq), 0);
}
