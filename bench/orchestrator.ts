/**
 * `npm run bench:orchestrator`: what the orchestrator itself costs, measured on the real engine
 * (SQLite file, base tools, profile files) against the HTTP mock of test/support/mockLlm.ts
 * through the real `openai` SDK adapter, and side by side against a zero-cost in-process provider
 * (bench/support/scriptedProvider.ts). Figures are printed beside their targets; nothing passes or
 * fails.
 *
 * - own time per model step: the time from the end of one model call to the start of the next
 *   (the tool call — `read_file` of a small file —, storage, events, the next request), p50 and
 *   p95 over 200 steps of one agent, with 0 ms and with 20 ms of model latency; and, in-process,
 *   with `todowrite` as the tool (no file I/O), to show the orchestrator's share alone;
 * - fan-out: a tree whose orchestrator delegates to 8 sub-agents in one turn, each with 500 ms of
 *   model latency, as a ratio to one sub-agent run alone (`@worker task`);
 * - RSS per concurrent run: growth of the resident set while 20 trees (orchestrator + 1 sub-agent
 *   waiting on its model call) are open at once, divided by 20, measured in a fresh child process
 *   per backend, with the JS heap's growth beside it;
 * - loading a session of 1,000 stored messages: `getSession` plus `messages` of each run, from
 *   the SQLite file, in an engine just opened on it.
 *
 * The HTTP mock runs in this process, so its share of CPU and memory is in the HTTP figures. The
 * profiles set `max_parallel_tasks: 8` (the default is 5) and `max_turns: 1000`.
 * Environment: MOCO_BENCH_STEPS (default 200), MOCO_BENCH_FANOUT_RUNS (default 3).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import * as path from 'node:path';
import type { StartedRun } from '../server/src/engine/engine';
import type { TeamOptions } from '../test/support/teams';
import { BACKENDS, engineFor, type Backend, type Brain } from './support/benchEngine';
import type { EngineHarness } from '../test/support/engineHarness';
import { fullGc, median, modelTime, ownTimePerStep, percentile, printTable, type CallSpan, type Figure } from './support/measure';
import { gate, type Gate } from '../test/support/scriptedProvider';

const STEPS = Number(process.env.MOCO_BENCH_STEPS ?? 200);
const FANOUT_RUNS = Number(process.env.MOCO_BENCH_FANOUT_RUNS ?? 3);
const FILES = 20;
const FANOUT = 8;
const SUBAGENT_LATENCY_MS = 500;
const CONCURRENT_TREES = 20;
/** The argument that makes this script a child measuring memory. */
const RSS_CHILD = '--rss-child';

const soloTeam: TeamOptions = { name: 'bench-solo', agents: [{ name: 'solo', tools: ['read_file', 'todowrite'], mode: 'primary' }], orchestrator: ['max_turns: 1000'] };
const fanTeam: TeamOptions = {
  name: 'bench-fan',
  agents: [
    { name: 'orchestrator', tools: ['delegate_to_agent'] },
    { name: 'worker', tools: [] },
  ],
  orchestrator: [`max_parallel_tasks: ${FANOUT}`],
};

/** The tool of each step: `read_file` of a small file, or `todowrite` (no file system: the orchestrator alone). */
type StepTool = 'read_file' | 'todowrite';

/** The arguments of step `n`: never 3 alike within 10 calls, so loop detection lets every call through. */
function stepCall(tool: StepTool, n: number): { name: string; arguments: object } {
  if (tool === 'read_file') return { name: tool, arguments: { path: `f${n % FILES}.txt` } };
  return { name: tool, arguments: { todos: [{ id: '1', content: `step ${n}`, status: 'in_progress', priority: 'medium' }] } };
}

/** `steps` calls of `tool`, then an answer. */
const stepper = (steps: number, latencyMs: number, tool: StepTool = 'read_file'): Brain => (_agent, _task, toolResults) =>
  toolResults < steps ? { tool: [stepCall(tool, toolResults)], latencyMs } : { text: 'all steps done', latencyMs };

async function writeSmallFiles(dir: string): Promise<void> {
  for (let i = 0; i < FILES; i++) await writeFile(path.join(dir, `f${i}.txt`), Array.from({ length: 8 }, (_, line) => `file ${i}, line ${line + 1}`).join('\n'));
}

/** One agent run of `steps` tool steps; the spans of its model calls. */
async function stepRun(backend: Backend, steps: number, latencyMs: number, tool: StepTool = 'read_file'): Promise<CallSpan[]> {
  const bench = await engineFor(backend, soloTeam, stepper(steps, latencyMs, tool));
  try {
    await writeSmallFiles(bench.harness.workDir);
    const root = await bench.harness.run('@solo read the files');
    if (root.status !== 'done') throw new Error(`the step run ended ${root.status}: ${root.error?.message ?? ''}`);
    return bench.spans;
  } finally {
    await bench.close();
  }
}

async function stepFigures(): Promise<Figure[]> {
  await stepRun('in-process', 50, 0); // warm-up: load and compile the code paths
  const runs: [Backend, number, StepTool][] = [
    ...BACKENDS.flatMap((backend) => [0, 20].map((latency): [Backend, number, StepTool] => [backend, latency, 'read_file'])),
    ['in-process', 0, 'todowrite'],
    ['in-process', 20, 'todowrite'],
  ];
  const figures: Figure[] = [];
  for (const [backend, latency, tool] of runs) {
    const spans = await stepRun(backend, STEPS, latency, tool);
    const own = ownTimePerStep(spans);
    const name = `own time per step, ${backend}, ${latency} ms latency${tool === 'read_file' ? '' : `, ${tool} (no file I/O)`}`;
    const detail = `${own.length} steps; model call p50 ${median(modelTime(spans)).toFixed(2)} ms`;
    figures.push({ name: `${name}, p50`, value: percentile(own, 50), unit: 'ms', target: 2, digits: 2, detail });
    figures.push({ name: `${name}, p95`, value: percentile(own, 95), unit: 'ms', target: 2, digits: 2, detail: `max ${Math.max(...own).toFixed(2)} ms` });
  }
  return figures;
}

/** The orchestrator delegates to as many workers as its task says; each worker takes 500 ms. */
const fanBrain = (held?: () => Promise<void> | undefined): Brain => (agent, task, toolResults) => {
  if (agent === 'worker') {
    const waiting = held?.();
    return { text: 'worker done', latencyMs: held ? 0 : SUBAGENT_LATENCY_MS, ...(waiting ? { held: waiting } : {}) };
  }
  const count = Number(/fan out to (\d+)/.exec(task)?.[1] ?? 1);
  if (toolResults > 0) return { text: 'all workers answered' };
  return { tool: Array.from({ length: count }, (_, i) => ({ name: 'delegate_to_agent', arguments: { agent_name: 'worker', task: `part ${i + 1}` } })) };
};

async function wallTime(harness: EngineHarness, text: string): Promise<number> {
  const started = performance.now();
  const root = await harness.run(text);
  if (root.status !== 'done') throw new Error(`"${text}" ended ${root.status}: ${root.error?.message ?? ''}`);
  return performance.now() - started;
}

async function fanOutFigures(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const backend of BACKENDS) {
    const bench = await engineFor(backend, fanTeam, fanBrain());
    const single: number[] = [];
    const one: number[] = [];
    const eight: number[] = [];
    try {
      for (let run = 0; run < FANOUT_RUNS; run++) {
        single.push(await wallTime(bench.harness, '@worker do one part'));
        one.push(await wallTime(bench.harness, 'fan out to 1'));
        eight.push(await wallTime(bench.harness, `fan out to ${FANOUT}`));
      }
    } finally {
      await bench.close();
    }
    const runs = (values: number[]): string => `runs ${values.map((v) => v.toFixed(0)).join(' ')}`;
    figures.push({ name: `one sub-agent run alone, ${backend}`, value: median(single), unit: 'ms', digits: 0, detail: runs(single) });
    figures.push({ name: `tree: orchestrator + 1 sub-agent, ${backend}`, value: median(one), unit: 'ms', digits: 0, detail: runs(one) });
    figures.push({ name: `tree: orchestrator + ${FANOUT} sub-agents, ${backend}`, value: median(eight), unit: 'ms', digits: 0, detail: runs(eight) });
    figures.push({
      name: `fan-out of ${FANOUT} / one sub-agent alone, ${backend}`,
      value: median(eight) / median(single),
      unit: '',
      target: 1.3,
      digits: 2,
      detail: `${FANOUT} / 1 sub-agent tree: ${(median(eight) / median(one)).toFixed(2)}`,
    });
  }
  return figures;
}

/**
 * In this process (a fresh child, see {@link rssFigures}): RSS and JS heap growth while
 * {@link CONCURRENT_TREES} trees wait on their sub-agent's model call, per tree.
 */
async function rssFigure(backend: Backend): Promise<Figure[]> {
  let held: Gate | undefined;
  const bench = await engineFor(backend, fanTeam, fanBrain(() => held?.promise));
  try {
    for (let i = 0; i < 3; i++) await wallTime(bench.harness, 'fan out to 1'); // warm-up
    held = gate();
    fullGc();
    const before = process.memoryUsage();
    const runs: StartedRun[] = [];
    for (let i = 0; i < CONCURRENT_TREES; i++) runs.push(await bench.harness.send('fan out to 1'));
    while (bench.waiting() < CONCURRENT_TREES) await new Promise((resolve) => setTimeout(resolve, 10));
    fullGc();
    const during = process.memoryUsage();
    held.open();
    const ends = await Promise.all(runs.map((run) => run.done));
    if (ends.some((root) => root.status !== 'done')) throw new Error('a tree of the RSS measurement did not finish');
    const mb = (bytes: number): number => bytes / (1024 * 1024);
    return [
      {
        name: `RSS per concurrent run tree, ${backend}`,
        value: mb(during.rss - before.rss) / CONCURRENT_TREES,
        unit: 'MB',
        digits: 3,
        detail: `${CONCURRENT_TREES} trees open at once: RSS ${mb(before.rss).toFixed(1)} → ${mb(during.rss).toFixed(1)} MB`,
      },
      {
        name: `  JS heap per concurrent run tree, ${backend}`,
        value: mb(during.heapUsed - before.heapUsed) / CONCURRENT_TREES,
        unit: 'MB',
        digits: 3,
        detail: `heap used ${mb(before.heapUsed).toFixed(1)} → ${mb(during.heapUsed).toFixed(1)} MB, after a full GC`,
      },
    ];
  } finally {
    held?.open();
    await bench.close();
  }
}

/** {@link rssFigure} of each backend, each in a fresh child process so that neither heap has grown before. */
async function rssFigures(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const backend of BACKENDS) {
    const child = fork(__filename, [RSS_CHILD, backend], { stdio: 'inherit' });
    const exit = once(child, 'exit');
    const measured = await Promise.race([once(child, 'message').then(([message]) => message as Figure[]), exit.then(() => undefined)]);
    if (!measured) throw new Error(`the memory measurement of ${backend} exited without its figures`);
    figures.push(...measured);
    await exit;
  }
  return figures;
}

/** A session of two messages whose runs hold 1,000 messages together, stored, then loaded. */
async function sessionFigures(): Promise<Figure[]> {
  const perRun = 248; // 3 + 2×248 messages in the first run, 5 + 2×248 in the second (history): 1,000
  const bench = await engineFor('in-process', soloTeam, stepper(perRun, 0));
  try {
    await writeSmallFiles(bench.harness.workDir);
    const first = await bench.harness.run('@solo read the files');
    await bench.harness.run('@solo read them again', { sessionId: first.sessionId });
    const opened = performance.now();
    const engine = bench.harness.reopen();
    const openMs = performance.now() - opened;
    try {
      const times: number[] = [];
      let messages = 0;
      let events = 0;
      for (let i = 0; i < 21; i++) {
        const started = performance.now();
        const detail = engine.getSession(first.sessionId);
        messages = detail.runs.reduce((total, run) => total + engine.messages(run.id).length, 0);
        times.push(performance.now() - started);
        events = detail.events.length;
      }
      return [
        { name: `load a ${messages.toLocaleString('en')}-message session, first after open`, value: times[0]!, unit: 'ms', digits: 1, detail: `${events} events, 2 runs; MocoEngine.open ${openMs.toFixed(1)} ms` },
        { name: `load a ${messages.toLocaleString('en')}-message session, median of next 20`, value: median(times.slice(1)), unit: 'ms', digits: 1, detail: `p95 ${percentile(times.slice(1), 95).toFixed(1)} ms` },
      ];
    } finally {
      await engine.close();
    }
  } finally {
    await bench.close();
  }
}

async function main(): Promise<void> {
  console.log(
    `MOCO orchestrator benchmark: Node ${process.version}, ${cpus().length} CPUs; ${STEPS} steps per step run, ` +
      `${FANOUT_RUNS} runs per fan-out figure, ${CONCURRENT_TREES} concurrent trees.\n`,
  );
  const started = performance.now();
  const figures = [...(await stepFigures()), ...(await fanOutFigures()), ...(await rssFigures()), ...(await sessionFigures())];
  printTable(figures);
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

const fail = (error: unknown): never => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
};

if (process.argv[2] === RSS_CHILD) {
  rssFigure(process.argv[3] as Backend).then((measured) => process.send?.(measured, () => process.disconnect()), fail);
} else {
  main().catch(fail);
}
