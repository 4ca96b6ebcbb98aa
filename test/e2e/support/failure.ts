/** Screenshots under `test-results/`: on failure, and at the steps worth looking at. */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { TestContext } from 'vitest';
import { resultsDir } from './paths';

/** Saves a screenshot under `test-results/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Call from `afterEach`, before the browser closes: when the test failed, saves
 * `test-results/<label>-failure.png` and says where.
 */
export async function screenshotIfFailed(context: TestContext, page: Page | undefined, label: string): Promise<void> {
  if (!page || context.task.result?.state !== 'fail') return;
  const file = await screenshot(page, `${label}-failure`).catch(() => undefined);
  if (file) console.error(`Screenshot of the failure: ${file}`);
}
