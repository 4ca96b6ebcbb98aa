// Prints the closing line of a test run from Vitest's JSON reports:
// `tests: N passed, N failed, N skipped` (the plain form CI reads), and names what failed.
// A missing report counts as a failure. Usage: node scripts/lib/summary.mjs REPORT.json...
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = false;
for (const file of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`[moco] no test report at ${file}: ${error.message}`);
    missing = true;
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status === 'failed') console.log(`FAILED ${suite.name.replace(`${process.cwd()}/`, '')} > ${test.fullName}`);
    }
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(missing || failed > 0 ? 1 : 0);
