/**
 * The server's half of mapping a review's findings, for `npm run bench:git`: reading a reviewer's
 * answer that holds `count` findings (JSON Lines in a fenced block, as server/src/review/prompt.ts
 * asks for) and checking each against the files under review (zod schema, line ranges, anchors,
 * ids, order): server/src/review/answer.ts `readAnswerItems` and findings.ts `mapFindings`. The
 * client's half (findings → comment threads and problems) is bench/findingsBench.ts. Prints nothing.
 */
import { readAnswerItems } from '../server/src/review/answer';
import { mapFindings, type ReviewedFile, type ReviewScope } from '../server/src/review/findings';
import { median, percentile } from './support/measure';

/** Options of {@link benchReviewAnswer}. */
export interface ReviewAnswerBenchOptions {
  /** Findings in the answer; default 200. */
  findings?: number;
  /** Timed rounds; default 100. */
  rounds?: number;
}

/** What {@link benchReviewAnswer} measured: ms to read and check one whole answer. */
export interface ReviewAnswerBenchFigures {
  findings: number;
  kept: number;
  rounds: number;
  medianMs: number;
  p95Ms: number;
}

const WARM_UP_ROUNDS = 10;
const FILES = 20;
const LINES_PER_FILE = 500;

/** 20 files of 500 lines, as the reviewer saw them. */
function scope(): ReviewScope {
  const files = new Map<string, ReviewedFile>();
  for (let index = 0; index < FILES; index++) {
    const file = `src/module${index}.ts`;
    files.set(file, { path: file, lines: Array.from({ length: LINES_PER_FILE }, (_, line) => `  const value${line} = compute(items[${line}], options.limit); // ${index}`) });
  }
  return { workingDir: '/work/bench', files };
}

/** The reviewer's answer: a sentence, then `count` findings as JSON Lines in a fenced block, most with a suggestion. */
function answer(count: number): string {
  const lines = Array.from({ length: count }, (_, i) => {
    const startLine = 1 + ((i * 37) % (LINES_PER_FILE - 10));
    const finding: Record<string, unknown> = {
      file: `src/module${i % FILES}.ts`,
      startLine,
      endLine: startLine + (i % 4),
      severity: ['critical', 'high', 'medium', 'low', 'info'][i % 5],
      category: ['bug', 'security', 'performance', 'style'][i % 4],
      message: `\`compute\` is called with \`options.limit\` unchecked: a negative limit reads past the end of \`items\` (finding ${i}).`,
    };
    if (i % 4 !== 3) finding.suggestion = `  const value = compute(items[${i}], Math.max(0, options.limit));`;
    return JSON.stringify(finding);
  });
  return ['I reviewed the change; these are my findings.', '', '```json', ...lines, '```', ''].join('\n');
}

/** Reads and checks the answer many rounds, and reports the times. */
export function benchReviewAnswer(options: ReviewAnswerBenchOptions = {}): ReviewAnswerBenchFigures {
  const count = options.findings ?? 200;
  const rounds = options.rounds ?? 100;
  const text = answer(count);
  const files = scope();
  const once = (): number => mapFindings(readAnswerItems(text) ?? [], files).findings.length;
  let kept = 0;
  for (let round = 0; round < WARM_UP_ROUNDS; round++) kept = once();
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    kept = once();
    times.push(performance.now() - started);
  }
  return { findings: count, kept, rounds, medianMs: median(times), p95Ms: percentile(times, 95) };
}
