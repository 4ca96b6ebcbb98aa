/**
 * The findings in the Problems panel (a `DiagnosticCollection`, source `MOCO review`, code = the
 * category), kept in step with the store, and their quick fixes (a `CodeActionProvider` of kind
 * `quickfix`): Apply MOCO suggestion (a `WorkspaceEdit`), Fix with Agent, Dismiss finding.
 */
import * as vscode from 'vscode';
import { CommandIds } from '../../../protocol/ids';
import type { FindingsStore, StoredFinding } from './findingsStore';
import { suggestionEdit } from './suggestion';
import { DIAGNOSTIC_SOURCE, diagnosticSpecs, type DiagnosticKind } from './threadSpecs';
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

  private sync(): void {
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
    const actions: vscode.CodeAction[] = [];
    const uri = findingUri(finding);
    if (uri && finding.suggestion !== undefined) {
      const edit = suggestionEdit(finding, documentLines(document), eolOf(document));
      if (edit.kind === 'replace') {
        const apply = new vscode.CodeAction('Apply MOCO suggestion', vscode.CodeActionKind.QuickFix);
        apply.edit = new vscode.WorkspaceEdit();
        apply.edit.replace(uri, toRange(edit.range), edit.newText);
        // The edit replaces the finding's lines, which drops it; removing it says so at once.
        apply.command = { title: 'Dismiss', command: CommandIds.dismissFinding, arguments: [finding.id] };
        apply.diagnostics = diagnostics;
        apply.isPreferred = true;
        actions.push(apply);
      }
    }
    const fix = new vscode.CodeAction('Fix with Agent', vscode.CodeActionKind.QuickFix);
    fix.command = { title: 'Fix with Agent', command: CommandIds.fixWithAgent, arguments: [finding.id] };
    fix.diagnostics = diagnostics;
    const dismiss = new vscode.CodeAction('Dismiss finding', vscode.CodeActionKind.QuickFix);
    dismiss.command = { title: 'Dismiss', command: CommandIds.dismissFinding, arguments: [finding.id] };
    dismiss.diagnostics = diagnostics;
    actions.push(fix, dismiss);
    return actions;
  }
}

/** The document's line break. */
export function eolOf(document: vscode.TextDocument): '\n' | '\r\n' {
  return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}
