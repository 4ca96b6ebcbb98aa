/**
 * What the editor shows of a finding, as plain values (pure: no `vscode`, unit-tested and
 * benchmarked): its comment thread ({@link threadSpecs}) and its problem ({@link diagnosticSpecs}).
 * commentThreads.ts and problems.ts turn them into `vscode` objects.
 */
import { CommandIds, CommentThreadContexts } from '../../../protocol/ids';
import type { FindingSeverity } from '../../../protocol/review';
import type { StoredFinding } from './findingsStore';
import { anchorLines } from './tracking';

/** `Diagnostic.source` of the findings' problems. */
export const DIAGNOSTIC_SOURCE = 'MOCO review';

/** A range as `vscode.Range`: 0-based lines and characters, the end exclusive. */
export interface SpecRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

/** A finding's comment thread. */
export interface ThreadSpec {
  findingId: string;
  /** The finding's workspace folder (its `uri.toString()`) and its path relative to it. */
  folder?: string;
  file: string;
  /** From the start of the first line to the end of the last. */
  range: SpecRange;
  /** `MOCO · high · security`. */
  label: string;
  /** `CommentThreadContexts.findingWithSuggestion` when there is a suggestion, else `.finding`. */
  contextValue: string;
  /** The comment's author: `MOCO code-reviewer`. */
  author: string;
  /**
   * The comment's Markdown: the message as text with its inline code (see {@link messageMarkdown}),
   * then the suggested change as a fenced code block. Nothing in it loads or runs anything.
   */
  body: string;
}

/** The Problems panel's severities (`vscode.DiagnosticSeverity` by name). */
export type DiagnosticKind = 'error' | 'warning' | 'information';

/** A finding's problem. */
export interface DiagnosticSpec {
  findingId: string;
  folder?: string;
  file: string;
  range: SpecRange;
  message: string;
  severity: DiagnosticKind;
  /** {@link DIAGNOSTIC_SOURCE}. */
  source: string;
  /** The finding's category (`security`). */
  code: string;
}

/**
 * A quick fix on a finding's lines (a `CodeAction` of kind `quickfix`): a command on the finding,
 * by id, never a precomputed edit, so that what it does is decided when it runs (Apply Suggestion
 * checks then that the lines still hold the reviewed code).
 */
export interface QuickFixSpec {
  title: string;
  command: string;
  /** `[findingId]`. */
  arguments: [string];
  /** The action to pick first (Apply MOCO suggestion). */
  isPreferred: boolean;
}

/** Code-fence languages (VS Code language ids) by file extension; others use the extension itself. */
const FENCE_LANGUAGES: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascriptreact',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  rb: 'ruby',
  rs: 'rust',
  kt: 'kotlin',
  cs: 'csharp',
  sh: 'shellscript',
  bash: 'shellscript',
  yml: 'yaml',
  md: 'markdown',
};

/**
 * The severity in the Problems panel (protocol/review.ts): critical, high → error; medium →
 * warning; low, info → information. Not hint: the Problems panel does not list hints, and every
 * finding is to be listed there.
 */
export function diagnosticKind(severity: FindingSeverity): DiagnosticKind {
  switch (severity) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
      return 'warning';
    default:
      return 'information';
  }
}

/** The range of a finding's lines, from the start of the first to the end of the last (its anchor's). */
export function findingRange(finding: StoredFinding): SpecRange {
  const lastLineLength = anchorLines(finding.anchor).at(-1)?.length ?? 0;
  return { startLine: finding.startLine - 1, startCharacter: 0, endLine: finding.endLine - 1, endCharacter: lastLineLength };
}

/** `MOCO · high · security`. */
export function threadLabel(finding: StoredFinding): string {
  return `MOCO · ${finding.severity} · ${finding.category}`;
}

/** `lines 3–5` or `line 3`. */
export function linesLabel(finding: { startLine: number; endLine: number }): string {
  return finding.startLine === finding.endLine ? `line ${finding.startLine}` : `lines ${finding.startLine}–${finding.endLine}`;
}

/**
 * The comment's Markdown: the message (see {@link messageMarkdown}), then the suggestion in a code
 * fence of the file's language (a fence longer than any run of backticks in it, as CommonMark
 * allows, so that its text stays code), or a sentence when the suggestion deletes the lines.
 */
export function findingMarkdown(finding: StoredFinding): string {
  const parts = [messageMarkdown(finding.message)];
  if (finding.suggestion === '') {
    parts.push(`**Suggested change:** delete ${linesLabel(finding)}.`);
  } else if (finding.suggestion !== undefined) {
    const longestRun = Math.max(0, ...(finding.suggestion.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(Math.max(3, longestRun + 1));
    parts.push('**Suggested change:**', `${fence}${fenceLanguage(finding.file)}\n${finding.suggestion}\n${fence}`);
  }
  return parts.join('\n\n');
}

/** ASCII punctuation, which CommonMark lets a backslash escape (spec 0.31, §2.4). */
const PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * The reviewer's message as Markdown that shows its text and its inline code and nothing else: a
 * `code span` (backticks around text on one line) is kept; every other ASCII punctuation
 * character is backslash-escaped, so no image (`![](https://…)`, which VS Code would load as soon
 * as the thread shows, leaking what its address carries), link, HTML, heading, list or code block
 * comes from the reviewer's text. Each line of the message (ended by `\n`, `\r\n` or `\r`, as
 * CommonMark ends lines) is a paragraph, without its leading and trailing blanks.
 */
export function messageMarkdown(message: string): string {
  return message
    .split(/\r\n?|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map(inlineText)
    .join('\n\n');
}

/** One line: code spans as they are (their text is literal), the rest escaped. */
function inlineText(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const char = line[i]!;
    if (char === '`') {
      const open = backtickRun(line, i);
      const close = closingRun(line, i + open, open);
      if (close !== undefined) {
        out += line.slice(i, close + open);
        i = close + open;
      } else {
        out += '\\`'.repeat(open);
        i += open;
      }
      continue;
    }
    out += PUNCTUATION.test(char) ? `\\${char}` : char;
    i += 1;
  }
  return out;
}

function backtickRun(line: string, at: number): number {
  let end = at;
  while (line[end] === '`') end += 1;
  return end - at;
}

/** Where the next run of exactly `length` backticks after `from` starts (a code span's end). */
function closingRun(line: string, from: number, length: number): number | undefined {
  for (let i = from; i < line.length; ) {
    if (line[i] !== '`') {
      i += 1;
      continue;
    }
    const run = backtickRun(line, i);
    if (run === length) return i;
    i += run;
  }
  return undefined;
}

function fenceLanguage(file: string): string {
  const match = /\.([A-Za-z0-9]+)$/.exec(file);
  if (!match) return '';
  const extension = match[1]!.toLowerCase();
  return FENCE_LANGUAGES[extension] ?? extension;
}

/** The comment thread of one finding. */
export function threadSpec(finding: StoredFinding): ThreadSpec {
  return {
    findingId: finding.id,
    ...(finding.folder === undefined ? {} : { folder: finding.folder }),
    file: finding.file,
    range: findingRange(finding),
    label: threadLabel(finding),
    contextValue: finding.suggestion === undefined ? CommentThreadContexts.finding : CommentThreadContexts.findingWithSuggestion,
    author: `MOCO ${finding.agent}`,
    body: findingMarkdown(finding),
  };
}

/** The comment threads of the findings, in their order. */
export function threadSpecs(findings: readonly StoredFinding[]): ThreadSpec[] {
  return findings.map(threadSpec);
}

/**
 * The problem of one finding. Its message is the finding's, with `(MOCO suggests a change)` when
 * there is a suggestion to apply as a quick fix.
 */
export function diagnosticSpec(finding: StoredFinding): DiagnosticSpec {
  const message = finding.suggestion === undefined ? finding.message.trim() : `${finding.message.trim()} (MOCO suggests a change)`;
  return {
    findingId: finding.id,
    ...(finding.folder === undefined ? {} : { folder: finding.folder }),
    file: finding.file,
    range: findingRange(finding),
    message,
    severity: diagnosticKind(finding.severity),
    source: DIAGNOSTIC_SOURCE,
    code: finding.category,
  };
}

/**
 * The quick fixes of a finding: Apply MOCO suggestion (when it has one and `applies`, that is its
 * lines hold the reviewed code now), Fix with Agent, Dismiss finding.
 */
export function quickFixSpecs(finding: StoredFinding, applies: boolean): QuickFixSpec[] {
  const action = (title: string, command: string, isPreferred = false): QuickFixSpec => ({ title, command, arguments: [finding.id], isPreferred });
  return [
    ...(finding.suggestion !== undefined && applies ? [action('Apply MOCO suggestion', CommandIds.applySuggestion, true)] : []),
    action('Fix with Agent', CommandIds.fixWithAgent),
    action('Dismiss finding', CommandIds.dismissFinding),
  ];
}

/** The problems of the findings, in their order. */
export function diagnosticSpecs(findings: readonly StoredFinding[]): DiagnosticSpec[] {
  return findings.map(diagnosticSpec);
}
