/**
 * `npm run bench:git`: the git features' own work, measured in one run, the model excluded.
 * - Building the commit-message prompt of a 5,000-line staged diff on a real repository (target
 *   < 200 ms): state, conventions, classification, the patch read, parsed and cut
 *   (bench/gitPromptBench.ts, on the bundled `dist/engine.js`: run `npm run build` first, as the
 *   npm script does).
 * - Mapping 200 review findings: the server reading and checking the reviewer's answer
 *   (bench/reviewAnswerBench.ts), and the editor turning the findings into comment threads and
 *   problems (bench/findingsBench.ts).
 */
import { benchFindingsMapping } from './findingsBench';
import { benchCommitPrompt } from './gitPromptBench';
import { benchReviewAnswer } from './reviewAnswerBench';
import { printTable } from './support/measure';

async function main(): Promise<void> {
  const prompt = await benchCommitPrompt();
  const answer = benchReviewAnswer();
  const threads = await benchFindingsMapping();
  console.log(
    `Commit prompt: ${prompt.diffLines.toLocaleString('en')} changed lines in ${prompt.files} files, ${prompt.rounds} rounds ` +
      `(${prompt.filesShown} files quoted, ${prompt.filesSummarised} summarised, prompt ${prompt.promptChars.toLocaleString('en')} characters). ` +
      `Review: ${answer.findings} findings (${answer.kept} kept), ${answer.rounds} and ${threads.rounds} rounds.\n`,
  );
  printTable([
    { name: 'commit prompt, 5,000-line diff, median', value: prompt.medianMs, unit: 'ms', target: 200, detail: `p95 ${prompt.p95Ms.toFixed(1)} ms · fastest ${prompt.minMs.toFixed(1)} ms` },
    { name: 'commit prompt, 5,000-line diff, p95', value: prompt.p95Ms, unit: 'ms', target: 200 },
    { name: `reviewer answer → ${answer.findings} checked findings, median`, value: answer.medianMs, unit: 'ms', digits: 2, detail: `p95 ${answer.p95Ms.toFixed(2)} ms` },
    { name: `${threads.findings} findings → comment thread specs, median`, value: threads.medianMs, unit: 'ms', digits: 2, detail: `p95 ${threads.p95Ms.toFixed(2)} ms` },
    { name: `${threads.findings} findings → problems, median`, value: threads.diagnosticsMedianMs, unit: 'ms', digits: 2 },
    {
      name: `${threads.findings} findings, answer to threads, median`,
      value: answer.medianMs + threads.medianMs,
      unit: 'ms',
      digits: 2,
      detail: `server ${((answer.medianMs / (answer.medianMs + threads.medianMs)) * 100).toFixed(0)} % · editor ${((threads.medianMs / (answer.medianMs + threads.medianMs)) * 100).toFixed(0)} %`,
    },
  ]);
  if (prompt.notes.length > 0) console.log(`\nnotes of the prompt: ${prompt.notes.join(' ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
