/**
 * The edit that applies a finding's suggested replacement (pure: no `vscode`, unit-tested): whole
 * lines `startLine..endLine` replaced by the suggestion, or deleted with their line break when the
 * suggestion is ''. It refuses, rather than clobber code, when the lines no longer hold the text
 * the suggestion was written for (`reviewedText`).
 */
import type { StoredFinding } from './findingsStore';
import { linesLabel, type SpecRange } from './threadSpecs';
import { textAt, type DocumentLines } from './tracking';

/** The edit to make (`WorkspaceEdit.replace(uri, range, newText)`), or why there is none. */
export type SuggestionEdit =
  | { kind: 'replace'; range: SpecRange; newText: string }
  | { kind: 'refused'; reason: string };

/**
 * @param finding the finding, with its current lines.
 * @param lines the document's lines now.
 * @param eol the document's line break; the suggestion's `\n`s are written as it.
 */
export function suggestionEdit(finding: StoredFinding, lines: DocumentLines, eol: '\n' | '\r\n'): SuggestionEdit {
  const where = `${finding.file}:${finding.startLine}`;
  if (finding.suggestion === undefined) {
    return { kind: 'refused', reason: `The finding at ${where} has no suggested change. Use Fix with Agent, or edit the code yourself.` };
  }
  const current = textAt(lines, finding.startLine, finding.endLine);
  if (current === undefined) {
    return {
      kind: 'refused',
      reason: `The suggestion for ${finding.file} was not applied: ${linesLabel(finding)} are no longer in the file (${lines.lineCount} lines). Review the file again.`,
    };
  }
  if (current !== finding.reviewedText.replace(/\r\n/g, '\n')) {
    return {
      kind: 'refused',
      reason: `The suggestion for ${finding.file} was not applied: ${linesLabel(finding)} changed since the review, and the suggestion was written for the code as it was. Review the file again, or use Fix with Agent.`,
    };
  }
  const first = finding.startLine - 1;
  const last = finding.endLine - 1;
  const lastLength = lines.lineText(last).length;
  if (finding.suggestion !== '') {
    const newText = finding.suggestion.replace(/\r?\n/g, eol);
    return { kind: 'replace', range: { startLine: first, startCharacter: 0, endLine: last, endCharacter: lastLength }, newText };
  }
  // Deleting the lines: with the line break after them, else (the file's last lines) the one before them.
  if (last + 1 < lines.lineCount) return { kind: 'replace', range: { startLine: first, startCharacter: 0, endLine: last + 1, endCharacter: 0 }, newText: '' };
  if (first > 0) {
    return { kind: 'replace', range: { startLine: first - 1, startCharacter: lines.lineText(first - 1).length, endLine: last, endCharacter: lastLength }, newText: '' };
  }
  return { kind: 'replace', range: { startLine: 0, startCharacter: 0, endLine: last, endCharacter: lastLength }, newText: '' };
}
