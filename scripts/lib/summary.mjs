// Prints the closing line of a test run from Vitest's JSON report:
// `tests: N passed, N failed, N skipped` (the plain form CI reads), and names what failed.
// Usage: node scripts/lib/summary.mjs test-results/vitest.json
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`[moco] no test report at ${file}: ${error.message}`);
  process.exit(1);
}
const failed = [];
for (const suite of report.testResults ?? []) {
  for (const test of suite.assertionResults ?? []) {
    if (test.status === 'failed') failed.push(`${suite.name.replace(`${process.cwd()}/`, '')} > ${test.fullName}`);
  }
}
for (const name of failed) console.log(`FAILED ${name}`);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
