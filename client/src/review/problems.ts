/**
 * The findings in the Problems panel (a `DiagnosticCollection`, source `MOCO review`, code = the
 * category), kept in step with the store, and their quick fixes (a `CodeActionProvider` of kind
 * `quickfix`): Apply MOCO suggestion, Fix with Agent, Dismiss finding, each running the command
 * on the finding (threadSpecs.ts `quickFixSpecs`).
 */
import * as vscode from 'vscode';
import type { FindingsStore, StoredFinding } from './findingsStore';
import { suggestionEdit } from './suggestion';
import { DIAGNOSTIC_SOURCE, diagnosticSpecs, quickFixSpecs, type DiagnosticKind } from './threadSpecs';
import { documentLines, findingUri, isIn, toRange } from './workspacePaths';

const SEVERITIES: Record<DiagnosticKind, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

/** The problems of the store's findings. */
export class ReviewDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('moco-review');
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: FindingsStore) {
    this.subscription = store.onDidChange(() => this.sync());
    this.sync();
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }

  /** Sets the problems of the findings the workspace can place: on every change of the store, and when the workspace folders change. */
  sync(): void {
    const byUri = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    for (const spec of diagnosticSpecs(this.store.all())) {
      const uri = findingUri(spec);
      if (!uri) continue;
      const diagnostic = new vscode.Diagnostic(toRange(spec.range), spec.message, SEVERITIES[spec.severity]);
      diagnostic.source = spec.source;
      diagnostic.code = spec.code;
      const entry = byUri.get(uri.toString()) ?? { uri, diagnostics: [] };
      entry.diagnostics.push(diagnostic);
      byUri.set(uri.toString(), entry);
    }
    this.collection.clear();
    this.collection.set([...byUri.values()].map(({ uri, diagnostics }) => [uri, diagnostics]));
  }
}

/** The quick fixes on lines that hold a finding. */
export class ReviewCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly store: FindingsStore) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const findings = this.store
      .all()
      .filter((f) => f.startLine - 1 <= range.end.line && f.endLine - 1 >= range.start.line && isIn(f, document.uri));
    return findings.flatMap((finding) => this.actions(document, finding, context));
  }

  private actions(document: vscode.TextDocument, finding: StoredFinding, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const diagnostics = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.range.start.line === finding.startLine - 1);
    // Offered when it would apply now; the command checks again when it runs (the menu may be old).
    const applies = finding.suggestion !== undefined && suggestionEdit(finding, documentLines(document), eolOf(document)).kind === 'replace';
    return quickFixSpecs(finding, applies).map((spec) => {
      const action = new vscode.CodeAction(spec.title, vscode.CodeActionKind.QuickFix);
      action.command = { title: spec.title, command: spec.command, arguments: spec.arguments };
      action.diagnostics = diagnostics;
      action.isPreferred = spec.isPreferred;
      return action;
    });
  }
}

/** The document's line break. */
export function eolOf(document: vscode.TextDocument): '\n' | '\r\n' {
  return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}
