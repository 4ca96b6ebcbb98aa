/**
 * `get_output` and `wait_for_pattern`: reading a background process's output (the ring buffer of
 * outputBuffer.ts) and waiting for a regular expression to appear in it.
 */
import { formatBytes, plural } from '../limits';
import { errorResult, okResult } from '../results';
import type { ToolImplementation } from '../types';
import { formatSeconds, type BackgroundProcess } from './backgroundProcess';
import type { getOutputParameters, waitForPatternParameters } from './definitions';
import { GET_OUTPUT_MAX_BYTES, WAIT_DEFAULT_TIMEOUT_S } from './limits';
import { findProcess, lastOutput } from './backgroundImpl';
import { lastLines } from './shared';
import { waitForMatch, type PatternMatch } from './patternWait';

/** Implementation of `get_output {id, since_last?, tail_lines?}`; moves the process's read cursor. */
export const getOutputImplementation: ToolImplementation<typeof getOutputParameters> = (args, context) => {
  const found = findProcess(context, 'get_output', args.id);
  if (!found.ok) return Promise.resolve(found.result);
  const entry = found.value;
  const { output } = entry;
  const notes: string[] = [];
  const from = args.since_last ? entry.readCursor : output.start;
  const missed = Math.max(0, output.start - from);
  if (missed > 0) {
    notes.push(`${formatBytes(missed)} of older output ${args.since_last ? 'was dropped before it was read' : 'was dropped'}: a process keeps only its last ${formatBytes(output.capacity)}.`);
  }
  let text: string;
  let shownTo: number;
  if (args.since_last && args.tail_lines === undefined) {
    const slice = output.readLines(from, GET_OUTPUT_MAX_BYTES);
    text = slice.text;
    shownTo = slice.to;
    const left = output.end - slice.to;
    if (left > 0) notes.push(`${formatBytes(left)} more output is unread: call get_output with since_last again to read on.`);
  } else {
    const start = Math.max(from, output.start);
    const slice = output.read(Math.max(start, output.end - GET_OUTPUT_MAX_BYTES));
    shownTo = slice.to;
    text = slice.text;
    if (slice.from > start) notes.push(`Only the last ${formatBytes(GET_OUTPUT_MAX_BYTES)} are shown; ${formatBytes(slice.from - start)} before them are not.`);
    if (args.tail_lines !== undefined) text = lastLines(text, args.tail_lines);
  }
  entry.readCursor = Math.max(entry.readCursor, shownTo);
  const which = args.since_last ? 'new output since the last read' : 'output';
  const body = text === '' ? `--- ${which}: none ---` : `--- ${which} ---\n${text.replace(/\n$/, '')}`;
  const content = [`${entry.label} ${entry.describeState()} · $ ${entry.command}`, ...notes.map((note) => `[${note}]`), body].join('\n');
  const lines = text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
  const summary = text === '' ? `no ${args.since_last ? 'new ' : ''}output from ${entry.label}` : `read ${plural(lines, 'line')} of ${entry.label}`;
  return Promise.resolve(okResult(content, summary));
};

/**
 * Implementation of `wait_for_pattern {id, pattern, timeout?}`. Cancelling the call stops the
 * wait (the signal's reason is thrown); the process keeps running.
 */
export const waitForPatternImplementation: ToolImplementation<typeof waitForPatternParameters> = async (args, context, signal) => {
  const found = findProcess(context, 'wait_for_pattern', args.id);
  if (!found.ok) return found.result;
  const entry = found.value;
  let regex: RegExp;
  try {
    regex = new RegExp(args.pattern, 'm');
  } catch (error) {
    return errorResult(
      `The pattern ${JSON.stringify(args.pattern)} is not a valid JavaScript regular expression (${(error as Error).message}). ` +
        'Write it without slashes or flags, and escape the characters ( ) [ ] { } . * + ? ^ $ | \\ with a backslash to match them literally.',
      'invalid pattern',
    );
  }
  const timeoutS = args.timeout ?? WAIT_DEFAULT_TIMEOUT_S;
  const started = performance.now();
  const outcome = await waitForMatch(entry, regex, timeoutS * 1000, signal);
  const waited = formatSeconds((performance.now() - started) / 1000);
  const shown = `/${args.pattern}/`;
  switch (outcome.kind) {
    case 'match':
      return okResult(describeMatch(entry, shown, outcome.match, waited), `pattern found in ${entry.label}`);
    case 'exited':
      return errorResult(
        `${entry.label} ${entry.describeState()} before the pattern ${shown} appeared in its output.${lastOutput(entry)}`,
        `${entry.label} ended before the pattern`,
      );
    case 'slow':
      return errorResult(
        `The pattern ${shown} took too long to match against the output of ${entry.label} and was given up: it backtracks too much. ` +
          'Simplify it: avoid nested quantifiers such as (a+)+ or (.*)*, and anchor it to fixed text.',
        'pattern too slow',
      );
    case 'timeout':
      return errorResult(
        `The pattern ${shown} did not appear in the output of ${entry.label} within ${formatSeconds(timeoutS)}; ` +
          `${entry.label} is still running. Wait again, read the output with get_output, or stop it with stop_process.${lastOutput(entry)}`,
        `pattern not seen in ${formatSeconds(timeoutS)}`,
      );
  }
};

function describeMatch(entry: BackgroundProcess, shown: string, match: PatternMatch, waited: string): string {
  const when = match.alreadyThere ? 'was in the output' : `appeared after ${waited} in the output`;
  const state = entry.running ? `${entry.label} is still running.` : `${entry.label} has since ${entry.describeState()}.`;
  const groups = match.groups.length > 0 ? `\nCaptured groups: ${match.groups.map((group, index) => `${index + 1}: ${JSON.stringify(group)}`).join(', ')}` : '';
  return `The pattern ${shown} ${when} of ${entry.label}. The matching line:\n${match.line}${groups}\n${state}`;
}
