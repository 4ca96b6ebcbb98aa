/**
 * Waiting for a regular expression in a background process's output: the output kept so far is
 * scanned first, then each new chunk together with the last {@link PATTERN_OVERLAP_BYTES} before
 * it (so a match split across chunks is found), until a match, the process's end, the timeout, or
 * the signal.
 */
import type { BackgroundProcess } from './backgroundProcess';
import { PATTERN_OVERLAP_BYTES } from './limits';
import { execWithTimeout } from './regexGuard';

/** Characters of a matching line shown before it is cut. */
const MAX_LINE_CHARS = 2000;

/** Where the pattern matched. */
export interface PatternMatch {
  /** The line(s) holding the match, cut after {@link MAX_LINE_CHARS} characters. */
  line: string;
  /** The capture groups' texts (`''` for a group that took no part), in order. */
  groups: string[];
  /** Whether the match was in the output before the wait began. */
  alreadyThere: boolean;
}

/** How {@link waitForMatch} ended. */
export type WaitOutcome =
  | { kind: 'match'; match: PatternMatch }
  | { kind: 'exited' }
  | { kind: 'timeout' }
  /** One match took longer than regexGuard.ts allows: the pattern backtracks catastrophically. */
  | { kind: 'slow' };

/**
 * Resolves at the first match of `regex` in the output of `entry`, when the process has finished
 * without one, or after `timeoutMs`. Never stops the process.
 * @throws the signal's reason when `signal` aborts first.
 */
export function waitForMatch(entry: BackgroundProcess, regex: RegExp, timeoutMs: number, signal: AbortSignal): Promise<WaitOutcome> {
  signal.throwIfAborted();
  const { output } = entry;
  let scanned = output.start;
  /** The outcome when the output kept so far settles the wait, else undefined. */
  const scan = (alreadyThere: boolean): WaitOutcome | undefined => {
    const slice = output.read(Math.max(output.start, scanned - PATTERN_OVERLAP_BYTES));
    scanned = slice.to;
    const found = execWithTimeout(regex, slice.text);
    if (found === 'timeout') return { kind: 'slow' };
    if (!found) return undefined;
    const line = matchingLine(slice.text, found.index, found[0].length);
    return { kind: 'match', match: { line, groups: found.slice(1).map((group) => group ?? ''), alreadyThere } };
  };
  const first = scan(true);
  if (first) return Promise.resolve(first);
  if (!entry.running) return Promise.resolve({ kind: 'exited' });

  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: WaitOutcome | { kind: 'aborted' }): void => {
      if (settled) return;
      settled = true;
      unsubscribe();
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (outcome.kind === 'aborted') reject(signal.reason as Error);
      else resolve(outcome);
    };
    const onAbort = (): void => finish({ kind: 'aborted' });
    const unsubscribe = output.onAppend(() => {
      const outcome = scan(false);
      if (outcome) finish(outcome);
    });
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    void entry.finished.then(() => {
      if (!settled) finish(scan(false) ?? { kind: 'exited' });
    });
  });
}

/** The whole line(s) around a match at `index` of `length` characters in `text`. */
function matchingLine(text: string, index: number, length: number): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const newline = text.indexOf('\n', index + Math.max(length, 1) - 1);
  const line = text.slice(start, newline === -1 ? text.length : newline);
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… [line cut: ${line.length} characters]` : line;
}
