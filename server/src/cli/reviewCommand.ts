/**
 * `moco review [FILE] [--diff]`: runs the profile's reviewer agent on a file or on the uncommitted
 * changes and prints one line per finding, `path:line[-end]: severity [category] message`, for
 * editors and CI logs to link. Exit status: 0 when no finding reaches `--fail-on` (or without it),
 * 1 when one does, 2 when the review could not be done (a bad argument, no changes, not a git
 * repository, a provider error...), 130 when cancelled with Ctrl+C. The error status differs from
 * `moco run`'s 1 so that a CI gate can tell "the code has findings" from "the review broke".
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { FindingSeverities, type FindingSeverity, type ReviewFinding, type ReviewRunParams, type ReviewRunResult } from '../../../protocol/review';
import { runReview } from '../review/runReview';
import { EXIT_CANCELLED, failWith, withCancellableEngine } from './cliContext';
import { createRenderer, type Renderer } from './render';

/** Exit status when a finding reaches `--fail-on`. */
export const EXIT_FINDINGS = 1;

/** Exit status when the review could not be done. */
export const EXIT_REVIEW_ERROR = 2;

/** The flags of `moco review`, as commander parses them. */
export interface ReviewFlags {
  diff?: boolean;
  failOn?: string;
  json?: boolean;
  workingDir?: string;
  profile?: string;
  provider?: string;
  model?: string;
  agent?: string;
}

/** Adds `moco review` to the program. */
export function registerReviewCommand(program: Command): void {
  program
    .command('review')
    .description("review a file, or the uncommitted changes, with the profile's reviewer agent and print its findings as path:line")
    .argument('[file]', 'the file to review (relative to the current folder)')
    .option('--diff', 'review the uncommitted changes (staged and unstaged, against HEAD) instead of a file; findings only on changed lines')
    .option('--fail-on <severity>', `exit ${EXIT_FINDINGS} when a finding is at least this severe: ${FindingSeverities.join(', ')}`)
    .option('--json', 'print the result (findings, skipped findings, notes) as JSON')
    .option('-w, --working-dir <dir>', 'the workspace folder (default: the current one); paths are printed relative to it')
    .option('-p, --profile <name>', 'profile (team of agents) whose reviewer reviews')
    .option('-P, --provider <name>', 'provider, optionally with a model: openrouter, zai/glm-4.7')
    .option('-m, --model <name>', 'model name')
    .option('--agent <name>', 'the reviewer agent (default: code-reviewer, then security-reviewer)')
    .addHelpText(
      'after',
      `\nExit status: 0 no finding reaches --fail-on; ${EXIT_FINDINGS} one does; ${EXIT_REVIEW_ERROR} the review could not be done; ${EXIT_CANCELLED} cancelled.`,
    )
    // A usage error (an unknown option) is an error of the review too, not a finding.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_REVIEW_ERROR))
    .action((file: string | undefined, flags: ReviewFlags) => reviewCommand(file, flags));
}

/**
 * `moco review`: checks the arguments, runs the review, prints it and sets the exit status. While
 * the reviewer works, its live agent tree (a terminal) or its steps as lines (a pipe) go to
 * stderr, so that stdout holds only the findings; `--json` shows nothing while it works.
 */
export async function reviewCommand(file: string | undefined, flags: ReviewFlags): Promise<void> {
  const checked = checkArguments(file, flags);
  if (typeof checked === 'string') return failWith(checked, EXIT_REVIEW_ERROR);
  const progress = flags.json ? undefined : reviewProgress();
  await withCancellableEngine(
    flags,
    async (engine, signal) => {
      const result = await runReview(engine, checked.params, signal);
      progress?.finish();
      report(result, flags.json === true);
      const failing = checked.failOn ? result.findings.filter((finding) => atLeast(finding.severity, checked.failOn!)) : [];
      if (failing.length > 0) {
        if (!flags.json) process.stderr.write(`moco: ${failing.length} ${failing.length === 1 ? 'finding reaches' : 'findings reach'} --fail-on ${checked.failOn}\n`);
        process.exitCode = EXIT_FINDINGS;
      }
    },
    { cancelled: 'the review was cancelled', errorExit: EXIT_REVIEW_ERROR },
    progress,
  );
}

/**
 * The reviewer's progress on stderr: the live tree on a terminal, plain lines in a pipe (a CI
 * log), never its answer (the findings JSON), which {@link report} reads and prints.
 */
function reviewProgress(): Renderer {
  const tty = process.stderr.isTTY === true;
  return createRenderer({
    mode: tty && (process.stderr.rows ?? 0) > 0 ? 'tree' : 'plain',
    out: process.stderr,
    err: process.stderr,
    verbose: false,
    showThinking: false,
    stream: false,
    answer: false,
    color: tty && !process.env.NO_COLOR,
  });
}

/** The review's params and `--fail-on`, or what is wrong with the arguments. */
function checkArguments(file: string | undefined, flags: ReviewFlags): { params: ReviewRunParams; failOn?: FindingSeverity } | string {
  if (file && flags.diff) return 'give a FILE or --diff, not both';
  if (!file && !flags.diff) return 'nothing to review: give a FILE (moco review src/app.ts), or --diff for the uncommitted changes';
  let failOn: FindingSeverity | undefined;
  if (flags.failOn !== undefined) {
    failOn = FindingSeverities.find((severity) => severity === flags.failOn!.trim().toLowerCase());
    if (!failOn) return `--fail-on ${flags.failOn} is not a severity: use one of ${FindingSeverities.join(', ')}`;
  }
  const workingDir = path.resolve(flags.workingDir ?? process.cwd());
  const params: ReviewRunParams = {
    workingDir,
    target: file ? { kind: 'file', file: path.resolve(file) } : { kind: 'changes' },
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.provider ? { provider: flags.provider } : {}),
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.agent ? { agent: flags.agent } : {}),
  };
  return { params, ...(failOn ? { failOn } : {}) };
}

function atLeast(severity: FindingSeverity, threshold: FindingSeverity): boolean {
  return FindingSeverities.indexOf(severity) >= FindingSeverities.indexOf(threshold);
}

/** Prints the result: JSON, or the findings on stdout and the notes, skipped findings and a summary on stderr. */
function report(result: ReviewRunResult, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  for (const finding of result.findings) process.stdout.write(`${findingLines(finding)}\n`);
  for (const note of result.notes) process.stderr.write(`note: ${note}\n`);
  for (const skipped of result.skipped) process.stderr.write(`skipped: ${skipped.reason}: ${skipped.text.replace(/\s*\n\s*/g, ' ')}\n`);
  process.stderr.write(`${summaryLine(result)}\n`);
}

/**
 * A finding as printed: `path:start[-end]: severity [category] message`, further lines of the
 * message indented by 4 spaces, and the suggestion, when there is one, under `suggestion:` with
 * each line indented by 4 spaces and `| `.
 */
export function findingLines(finding: ReviewFinding): string {
  const lines = finding.startLine === finding.endLine ? `${finding.startLine}` : `${finding.startLine}-${finding.endLine}`;
  const message = finding.message.trim().split(/\r?\n/).join('\n    ');
  const out = [`${finding.file}:${lines}: ${finding.severity} [${finding.category}] ${message}`];
  if (finding.suggestion !== undefined) {
    out.push('    suggestion:');
    for (const line of finding.suggestion === '' ? ['(delete the lines)'] : finding.suggestion.split(/\r?\n/)) out.push(`    | ${line}`);
  }
  return out.join('\n');
}

/** `3 findings: 1 high, 2 low; 1 skipped. Session <id> (code-reviewer).` */
export function summaryLine(result: ReviewRunResult): string {
  const counts = [...FindingSeverities]
    .reverse()
    .map((severity) => ({ severity, count: result.findings.filter((finding) => finding.severity === severity).length }))
    .filter((entry) => entry.count > 0)
    .map((entry) => `${entry.count} ${entry.severity}`);
  const total = result.findings.length;
  const findings = total === 0 ? 'No findings' : `${total} ${total === 1 ? 'finding' : 'findings'}: ${counts.join(', ')}`;
  const skipped = result.skipped.length > 0 ? `; ${result.skipped.length} skipped` : '';
  return `${findings}${skipped}. Session ${result.sessionId} (${result.agent}).`;
}
