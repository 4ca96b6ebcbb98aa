/**
 * Keeps the findings on their text (tracking.ts): every edit of a document with findings moves,
 * resizes or drops them; at activation and whenever a document is opened, findings whose text is
 * no longer at their lines are looked for in the file and moved, or dropped when it is gone (a
 * deleted file drops its findings). A file or directory renamed in VS Code takes its findings to
 * its new path (out of the workspace: they are dropped); one deleted in VS Code drops them at once.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../errorMessage';
import type { FindingsStore, StoredFinding } from './findingsStore';
import { deletedFindings, renamedFindings } from './places';
import { linesOf, relocateFindings, trackChanges, type DocumentLines } from './tracking';
import { documentLines, findingUri, isIn, placeOf } from './workspacePaths';

/** Follows the documents of the workspace for the store's findings. */
export class FindingTracker implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly store: FindingsStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => this.onChange(event)),
      vscode.workspace.onDidOpenTextDocument((document) => void this.relocateIn(document.uri, documentLines(document))),
      vscode.workspace.onDidRenameFiles((event) => void this.onRename(event.files)),
      vscode.workspace.onDidDeleteFiles((event) => void this.onDelete(event.files)),
    ];
  }

  /**
   * Looks for every finding's text in its file (the open document, else the file on disk).
   * Never rejects: a file that cannot be read keeps its findings, and says why in the log.
   */
  async relocateAll(): Promise<void> {
    const files = new Map<string, vscode.Uri>();
    for (const finding of this.store.all()) {
      const uri = findingUri(finding);
      if (uri) files.set(uri.toString(), uri);
    }
    for (const uri of files.values()) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (open) {
        await this.relocateIn(uri, documentLines(open));
        continue;
      }
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch (error) {
        if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
          const gone = this.findingsOf(uri);
          this.log.info(`Review: ${uri.fsPath} is gone; its ${gone.length} finding(s) are dropped.`);
          await this.store.remove(gone.map((f) => f.id));
        } else {
          this.log.warn(`Review: ${uri.fsPath} could not be read to place its findings: ${errorMessage(error)}`);
        }
        continue;
      }
      await this.relocateIn(uri, linesOf(text));
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private findingsOf(uri: vscode.Uri): StoredFinding[] {
    return this.store.all().filter((f) => isIn(f, uri));
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const findings = this.findingsOf(event.document.uri);
    if (findings.length === 0) return;
    const { changed, dropped } = trackChanges(findings, event.contentChanges, documentLines(event.document));
    if (changed.length === 0 && dropped.length === 0) return;
    for (const finding of dropped) this.log.info(`Review: the text of the finding at ${finding.file}:${finding.startLine} was replaced; the finding is dropped.`);
    void this.store.update(changed, dropped.map((f) => f.id));
  }

  private async onRename(files: readonly { oldUri: vscode.Uri; newUri: vscode.Uri }[]): Promise<void> {
    for (const { oldUri, newUri } of files) {
      const from = placeOf(oldUri)?.place;
      if (!from) continue;
      const to = placeOf(newUri)?.place;
      const { changed, removed } = renamedFindings(this.store.all(), from, to);
      if (changed.length === 0 && removed.length === 0) continue;
      if (to) this.log.info(`Review: ${from.file} was renamed to ${to.file}; its ${changed.length} finding(s) follow.`);
      else this.log.info(`Review: ${from.file} was moved out of the workspace; its ${removed.length} finding(s) are dropped.`);
      await this.store.update(changed, removed.map((f) => f.id));
    }
  }

  private async onDelete(uris: readonly vscode.Uri[]): Promise<void> {
    for (const uri of uris) {
      const place = placeOf(uri)?.place;
      if (!place) continue;
      const gone = deletedFindings(this.store.all(), place);
      if (gone.length === 0) continue;
      this.log.info(`Review: ${place.file} was deleted; its ${gone.length} finding(s) are dropped.`);
      await this.store.remove(gone.map((f) => f.id));
    }
  }

  /**
   * A review's new findings placed in the documents open now (their unsaved text included): the
   * reviewer read the files on disk, or the editor's text when the review began, and the user may
   * have typed since. Findings of files that are not open are as they were; those whose code is no
   * longer in the open document are left out, and said in the log.
   */
  placeInOpenDocuments(findings: readonly StoredFinding[]): StoredFinding[] {
    const open = new Map(vscode.workspace.textDocuments.map((document) => [document.uri.toString(), document]));
    return findings.flatMap((finding) => {
      const document = open.get(findingUri(finding)?.toString() ?? '');
      if (!document) return [finding];
      const { placed, dropped } = relocateFindings([finding], documentLines(document));
      for (const gone of dropped) this.log.info(`Review: the code of the new finding at ${gone.file}:${gone.startLine} is no longer in the editor; the finding is left out.`);
      return placed;
    });
  }

  private async relocateIn(uri: vscode.Uri, lines: DocumentLines): Promise<void> {
    const { moved, dropped } = relocateFindings(this.findingsOf(uri), lines);
    for (const finding of dropped) this.log.info(`Review: the code of the finding at ${finding.file}:${finding.startLine} is no longer in the file; the finding is dropped.`);
    for (const finding of moved) this.log.info(`Review: a finding of ${finding.file} moved to line ${finding.startLine} with its code.`);
    if (moved.length || dropped.length) await this.store.update(moved, dropped.map((f) => f.id));
  }
}
