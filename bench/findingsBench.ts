/**
 * The time to map review findings to comment threads (issue 6's benchmark: 200 findings), for
 * `npm run bench:git`: `threadSpecs` (client/src/review/threadSpecs.ts) is what the editor runs
 * on every change of the findings before it creates or updates `vscode.CommentThread`s; the
 * Problems panel's `diagnosticSpecs` is measured beside it. Each figure is the time of one call
 * over all the findings, in ms, over many rounds after a warm-up. The `vscode` objects themselves
 * are not built here (they need the extension host). Prints nothing: bench/git.ts prints.
 */
import type { StoredFinding } from '../client/src/review/findingsStore';
import { diagnosticSpecs, threadSpecs } from '../client/src/review/threadSpecs';
import { percentile } from './support/measure';

/** Options of {@link benchFindingsMapping}. */
export interface FindingsBenchOptions {
  /** How many findings; default 200. */
  findings?: number;
  /** Timed rounds; default 200. */
  rounds?: number;
}

/** What {@link benchFindingsMapping} measured, in ms per call over all the findings. */
export interface FindingsBenchFigures {
  findings: number;
  rounds: number;
  /** `threadSpecs`: median, 95th percentile and mean. */
  medianMs: number;
  p95Ms: number;
  meanMs: number;
  /** `diagnosticSpecs`: median. */
  diagnosticsMedianMs: number;
}

const WARM_UP_ROUNDS = 20;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
const CATEGORIES = ['bug', 'security', 'performance', 'style', 'maintainability', 'tests'];

/**
 * Findings as a review of a mid-sized change gives them: spread over 20 files, 1 to 6 lines each,
 * a sentence or two of Markdown, most with a suggested replacement of a few lines.
 */
export function benchFindings(count: number): StoredFinding[] {
  return Array.from({ length: count }, (_, i) => {
    const height = 1 + (i % 6);
    const startLine = 10 + ((i * 37) % 400);
    const lines = Array.from({ length: height }, (_, j) => `    const value${j} = compute(items[${i + j}], options.limit${j > 0 ? ` + ${j}` : ''});`);
    const anchor = lines.join('\n');
    const finding: StoredFinding = {
      id: i.toString(16).padStart(16, '0'),
      file: `src/module${i % 20}/file${i % 7}.ts`,
      startLine,
      endLine: startLine + height - 1,
      severity: SEVERITIES[i % SEVERITIES.length]!,
      category: CATEGORIES[i % CATEGORIES.length]!,
      message: `\`compute\` is called with \`options.limit\` unchecked: a negative limit reads past the end of \`items\`. Check it once before the loop (finding ${i}).`,
      anchor,
      agent: i % 2 === 0 ? 'code-reviewer' : 'security-reviewer',
      reviewedText: anchor,
    };
    if (i % 4 !== 3) finding.suggestion = lines.map((line) => line.replace('options.limit', 'Math.max(0, options.limit)')).join('\n');
    return finding;
  });
}

/** Maps {@link benchFindings} to comment threads and to problems, many rounds, and reports the times. */
export async function benchFindingsMapping(options: FindingsBenchOptions = {}): Promise<FindingsBenchFigures> {
  const count = options.findings ?? 200;
  const rounds = options.rounds ?? 200;
  const findings = benchFindings(count);
  let sink = 0;
  for (let round = 0; round < WARM_UP_ROUNDS; round++) sink += threadSpecs(findings).length + diagnosticSpecs(findings).length;
  const threads: number[] = [];
  const diagnostics: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    sink += threadSpecs(findings).length;
    threads.push(performance.now() - start);
    start = performance.now();
    sink += diagnosticSpecs(findings).length;
    diagnostics.push(performance.now() - start);
    // Let other work run between rounds, as the editor would.
    if (round % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
  // Using the results keeps the calls from being optimised away.
  if (count > 0 && sink === 0) throw new Error('Mapping the findings gave no threads.');
  return {
    findings: count,
    rounds,
    medianMs: percentile(threads, 50),
    p95Ms: percentile(threads, 95),
    meanMs: threads.reduce((sum, ms) => sum + ms, 0) / threads.length,
    diagnosticsMedianMs: percentile(diagnostics, 50),
  };
}
