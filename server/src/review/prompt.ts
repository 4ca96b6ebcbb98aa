/**
 * The review task sent to the reviewer agent (after `@<agent> `). It carries everything the review
 * needs, so that any profile's reviewer works whatever its own prompt says: what to review, the
 * text with its line numbers (a file, a selection with context, or the diff with the new file's
 * line numbers), which lines findings may cite, and the answer format (a fenced `json` block of
 * JSON Lines, read by answer.ts and checked by findingSchema.ts).
 */
import { FindingSeverities } from '../../../protocol/review';
import type { ChangeSet } from './changes';
import { fileSection } from './changes';
import { fenceFor, shownPath, type SourceFile } from './source';

/** Lines shown before and after a selection, for context. */
export const SELECTION_CONTEXT_LINES = 20;

/** What to look for, shared by every kind of review. */
const WHAT_TO_LOOK_FOR =
  'Look for problems that matter: bugs and wrong results, unhandled errors and edge cases, security holes, ' +
  'resource leaks, performance traps, and code that will be hard to maintain. Check each finding against the ' +
  'code before you report it, and leave out style points a formatter or linter would catch. You may read other ' +
  'files of the workspace (callers, types, tests) to understand the code.';

/**
 * The answer format. Severities from protocol/review.ts `FindingSeverities`; the keys are those of
 * findingSchema.ts.
 */
export function answerFormat(): string {
  const severities = [...FindingSeverities].reverse().map((severity) => `"${severity}"`).join(', ');
  return [
    '## Answer format',
    '',
    'This format replaces any other answer format you were given. End your answer with one fenced code block tagged `json` that holds your findings as JSON Lines: one finding per line, each a JSON object with these keys:',
    '',
    '- "file": the path of the file, exactly as written above',
    '- "startLine", "endLine": the first and last line the finding is about, 1-based and inclusive, as numbered above',
    `- "severity": one of ${severities}`,
    '- "category": one lower-case word, such as "bug", "security", "performance", "error-handling", "maintainability", "tests"',
    '- "message": what is wrong and why it matters, in one to three sentences (Markdown)',
    '- "suggestion" (optional): the full replacement text of lines startLine to endLine, as whole lines without line numbers; leave it out when you have no exact replacement',
    '',
    'For example:',
    '',
    '```json',
    '{"file": "path/to/file.ts", "startLine": 12, "endLine": 12, "severity": "high", "category": "bug", "message": "`items[i]` is read one past the end when `i === items.length`.", "suggestion": "for (let i = 0; i < items.length; i++) {"}',
    '{"file": "path/to/file.ts", "startLine": 30, "endLine": 34, "severity": "low", "category": "maintainability", "message": "This block repeats `parseHeader`; call it instead."}',
    '```',
    '',
    'With no findings, end with an empty block: a line ```json followed by a line ```. Nothing may follow the block; a short summary may come before it.',
  ].join('\n');
}

/**
 * Lines with their numbers: `<number right-aligned> | <text>`, and a `>` before the number of the
 * lines in `marked`.
 *
 * @param lines the file's lines; `from`/`to` are 1-based and inclusive.
 */
export function numberedLines(lines: readonly string[], from: number, to: number, marked?: { startLine: number; endLine: number }): string {
  const width = String(to).length;
  const out: string[] = [];
  for (let line = from; line <= to; line += 1) {
    const mark = marked ? (line >= marked.startLine && line <= marked.endLine ? '> ' : '  ') : '';
    out.push(`${mark}${String(line).padStart(width)} | ${lines[line - 1] ?? ''}`);
  }
  return out.join('\n');
}

/** The task of a whole-file review. */
export function fileTask(source: SourceFile): string {
  const name = shownPath(source.path);
  return numberedTask(
    `Review the file ${name}.`,
    `Report findings on ${name} only.`,
    `${name} (${source.lines.length} lines; each line starts with its number and "| "):`,
    numberedLines(source.lines, 1, source.lines.length),
  );
}

/** The task of a selection review: the selected lines marked `>`, with context around them. */
export function selectionTask(source: SourceFile, startLine: number, endLine: number): string {
  const name = shownPath(source.path);
  const from = Math.max(1, startLine - SELECTION_CONTEXT_LINES);
  const to = Math.min(source.lines.length, endLine + SELECTION_CONTEXT_LINES);
  const range = startLine === endLine ? `line ${startLine}` : `lines ${startLine}–${endLine}`;
  return numberedTask(
    `Review ${range} of ${name}.`,
    `Report only on ${range} of ${name}: the lines around them are shown for context.`,
    `${name}, lines ${from}–${to} of ${source.lines.length} (each line starts with its number and "| "; the lines to review are marked ">"):`,
    numberedLines(source.lines, from, to, { startLine, endLine }),
  );
}

/** A file or selection task: heading, what to look for and where, the numbered lines fenced, the answer format. */
function numberedTask(heading: string, scope: string, caption: string, body: string): string {
  const fence = fenceFor(body);
  return [heading, '', `${WHAT_TO_LOOK_FOR} ${scope}`, '', caption, '', `${fence}text`, body, fence, '', answerFormat()].join('\n');
}

/** The task of a `changes` review: each changed file's diff with the new file's line numbers. */
export function changesTask(changes: ChangeSet): string {
  const against = changes.hasCommits ? 'against the last commit (HEAD), staged and unstaged together' : 'in a repository with no commit yet, so every file is new';
  const names = changes.files.map((file) => `${shownPath(file.path)} (${file.status})`).join(', ');
  return [
    `Review the uncommitted changes: ${changes.files.length} ${changes.files.length === 1 ? 'file' : 'files'}, ${against}.`,
    '',
    `${WHAT_TO_LOOK_FOR} Comment only on changed lines: the lines marked "+" below, cited by the new file's line number at their left. Lines marked " " are unchanged context and lines marked "-" were removed: do not report on them (a problem they cause shows on a changed line, report it there).`,
    '',
    `Changed files: ${names}.`,
    '',
    ...changes.files.map((file) => `${fileSection(file)}\n`),
    answerFormat(),
  ].join('\n');
}
