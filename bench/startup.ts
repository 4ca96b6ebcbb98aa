/**
 * `npm run bench:startup`: start-up figures of MOCO, as medians of several runs, each beside its
 * target and the ratio to it.
 *
 * - activation: VS Code's own "Activation" time of MOCO (Developer: Show Running Extensions:
 *   loading the code plus calling `activate`) in a real VS Code (code-server), beside that of an
 *   empty extension activated by the same event (`bench/baseline-extension`; the difference is
 *   taken run by run, both read from the same VS Code), and the times MOCO logs: evaluating its
 *   bundle plus `activate`, and `activate` alone;
 * - server spawn → first `server/health` answer, over IPC JSON-RPC as the client does it;
 * - the server's resident memory after it has been idle for 2 s;
 * - the size of the VSIX.
 *
 * Environment: MOCO_BENCH_RUNS (server runs, default 10), MOCO_BENCH_VSCODE_RUNS (VS Code runs,
 * default 3), MOCO_E2E_CODE_SERVER (which code-server; default the newest).
 */
import { createVSIX } from '@vscode/vsce';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InitializedNotification, InitializeRequest } from 'vscode-languageserver/node';
import { HealthRequest } from '../protocol/server';
import { openBrowser, type Browser } from '../test/e2e/support/browser';
import { launchCodeServer } from '../test/e2e/support/codeServer';
import { screenshot } from '../test/e2e/support/failure';
import { findMocoLog } from '../test/e2e/support/logs';
import { extensionId, fixtureWorkspace, releasesUnderTest, vsixPath } from '../test/e2e/support/paths';
import { Workbench } from '../test/e2e/support/workbench';
import { initializeParams, startServer } from '../test/support/serverProcess';

interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: number;
  runs: number[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Spawn → `initialize` → `initialized` → first `server/health` answer, and RSS after 2 s idle. */
async function measureServer(runs: number): Promise<{ startupMs: number[]; idleRssMb: number[] }> {
  const startupMs: number[] = [];
  const idleRssMb: number[] = [];
  for (let i = 0; i < runs; i++) {
    const storage = await mkdtemp(path.join(tmpdir(), 'moco-bench-'));
    const started = performance.now();
    const server = startServer();
    try {
      await server.connection.sendRequest(InitializeRequest.type, initializeParams(storage));
      await server.connection.sendNotification(InitializedNotification.type, {});
      await server.connection.sendRequest(HealthRequest);
      startupMs.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 2_000));
      const idle = await server.connection.sendRequest(HealthRequest);
      idleRssMb.push(idle.rssBytes / (1024 * 1024));
    } finally {
      await server.kill();
      await rm(storage, { recursive: true, force: true });
    }
  }
  return { startupMs, idleRssMb };
}

/** Packages `bench/baseline-extension`, which does nothing on MOCO's activation event. */
async function baselineVsix(dir: string): Promise<string> {
  const packagePath = path.join(dir, 'baseline.vsix');
  await createVSIX({ cwd: path.join(__dirname, 'baseline-extension'), packagePath, dependencies: false, allowMissingRepository: true });
  return packagePath;
}

/**
 * The "Activation: N ms" that Developer: Show Running Extensions shows for an extension. The list
 * only renders the rows in view, sorted by activation time, so it is scrolled until the row shows.
 */
async function runningExtensionActivation(workbench: Workbench, displayName: string): Promise<number> {
  const { page } = workbench;
  const row = page
    .locator('.monaco-list-row')
    .filter({ hasText: displayName })
    .filter({ hasText: /Activation: \d+ ?ms/ });
  await page.locator('.monaco-list-row').filter({ hasText: /Activation: \d+ ?ms/ }).first().waitFor({ timeout: 30_000 });
  const list = page.locator('.monaco-list-row').filter({ hasText: /Activation: \d+ ?ms/ }).first();
  for (let scrolls = 0; scrolls < 40 && (await row.count()) === 0; scrolls += 1) {
    await list.hover();
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(100);
  }
  await row.waitFor({ timeout: 10_000 });
  const match = /Activation: (\d+) ?ms/.exec((await row.textContent()) ?? '');
  return Number(match?.[1]);
}

/**
 * In a real VS Code: VS Code's activation time of MOCO and of an empty extension activated by the
 * same event at the same moment (VS Code's own share), and the time MOCO's `activate` logs.
 */
async function measureActivation(
  runs: number,
): Promise<{ vscodeMs: number[]; baselineMs: number[]; loadMs: number[]; activateMs: number[] }> {
  const release = releasesUnderTest()[0]!;
  const scratch = await mkdtemp(path.join(tmpdir(), 'moco-bench-vsix-'));
  const baseline = await baselineVsix(scratch);
  const vscodeMs: number[] = [];
  const baselineMs: number[] = [];
  const loadMs: number[] = [];
  const activateMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const server = await launchCodeServer({
      release,
      vsix: vsixPath(),
      extraVsix: [baseline],
      workspace: fixtureWorkspace,
      label: 'bench',
    });
    let browser: Browser | undefined;
    try {
      browser = await openBrowser(server.url);
      const workbench = new Workbench(browser.page, extensionId());
      await workbench.ready();
      await workbench.openMoco();
      await workbench.connectedServerPid();
      await workbench.runCommand('Developer: Show Running Extensions');
      vscodeMs.push(await runningExtensionActivation(workbench, 'MOCO — Multi-agent Orchestration'));
      baselineMs.push(await runningExtensionActivation(workbench, 'MOCO benchmark baseline'));
      const log = await readFile(await findMocoLog(server.userDataDir), 'utf8');
      const own = /bundle evaluated in ([\d.]+) ms, activate\(\) took ([\d.]+) ms/.exec(log);
      if (!own) throw new Error('The MOCO log has no "bundle evaluated in" line.');
      loadMs.push(Number(own[1]) + Number(own[2]));
      activateMs.push(Number(own[2]));
    } catch (error) {
      if (browser) console.error(`Screenshot: ${await screenshot(browser.page, 'bench-failure')}`);
      throw error;
    } finally {
      await browser?.close();
      await server.stop();
    }
  }
  await rm(scratch, { recursive: true, force: true });
  return { vscodeMs, baselineMs, loadMs, activateMs };
}

function print(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.name,
    `${f.value.toFixed(1)} ${f.unit}`,
    f.target === undefined ? '-' : `${f.target} ${f.unit}`,
    f.target === undefined ? '-' : `${(f.value / f.target).toFixed(2)}x`,
    f.runs.map((r) => r.toFixed(1)).join(' '),
  ]);
  const header = ['figure (median)', 'value', 'target', 'ratio', 'runs'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const serverRuns = Number(process.env.MOCO_BENCH_RUNS ?? 10);
  const vscodeRuns = Number(process.env.MOCO_BENCH_VSCODE_RUNS ?? 3);
  const vsix = vsixPath();
  const vsixKb = (await stat(vsix)).size / 1024;
  console.log(`MOCO start-up benchmark: ${serverRuns} server runs on Node ${process.version}, ${vscodeRuns} VS Code runs.\n`);
  const server = await measureServer(serverRuns);
  const activation = await measureActivation(vscodeRuns);
  print([
    { name: 'activation, as VS Code reports it', value: median(activation.vscodeMs), unit: 'ms', runs: activation.vscodeMs },
    { name: '  same, of an empty extension (baseline)', value: median(activation.baselineMs), unit: 'ms', runs: activation.baselineMs },
    { name: '  MOCO minus the baseline', value: median(activation.vscodeMs.map((v, i) => v - activation.baselineMs[i]!)), unit: 'ms', target: 50, runs: activation.vscodeMs.map((v, i) => v - activation.baselineMs[i]!) },
    { name: 'bundle evaluation + activate(), as MOCO logs it', value: median(activation.loadMs), unit: 'ms', target: 50, runs: activation.loadMs },
    { name: 'activate() alone, as MOCO logs it', value: median(activation.activateMs), unit: 'ms', target: 50, runs: activation.activateMs },
    { name: 'server spawn to first server/health', value: median(server.startupMs), unit: 'ms', target: 400, runs: server.startupMs },
    { name: 'server idle RSS', value: median(server.idleRssMb), unit: 'MB', target: 80, runs: server.idleRssMb },
    { name: `VSIX size (${path.basename(vsix)})`, value: vsixKb, unit: 'KB', runs: [vsixKb] },
  ]);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
