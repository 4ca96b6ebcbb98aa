/**
 * Per-command overhead of each sandbox driver, measured side by side in one run as a ratio to
 * spawning the same command directly (`bash -c`, the shell the `none` driver uses, or `sh`). Each
 * round runs the command once through every driver in turn, so that the machine's noise falls
 * on all of them alike; a few rounds warm up first and are not counted.
 *
 * `npm run bench:sandbox` (assembled elsewhere) calls {@link measureSandbox}. Run alone
 * (`tsx bench/sandboxBench.ts`) it uses `MOCO_BENCH_DOCKER_SOCKET` and `MOCO_BENCH_SANDBOX_IMAGE`
 * when set, else (as root) starts a private dockerd with the offline busybox image of the tests;
 * `MOCO_BENCH_RUNS` rounds (default 50).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBubblewrapSandbox, probeBubblewrap } from '../server/src/sandbox/bubblewrapDriver';
import { createDockerSandbox } from '../server/src/sandbox/dockerDriver';
import { createNoneSandbox } from '../server/src/sandbox/noneDriver';
import { hostShellPath } from '../server/src/sandbox/shells';
import { SANDBOX_DEFAULTS, type Sandbox, type SandboxConfig } from '../server/src/sandbox/types';
import { startDockerEngine, type DockerEngine } from '../test/support/dockerEngine';
import { buildSandboxImage, SANDBOX_TEST_IMAGE } from '../test/support/sandboxImage';
import { median, percentile } from './support/measure';

/** One row: a driver (or `direct`) running one command. */
export interface SandboxFigure {
  /** `direct`, `none`, `bubblewrap` or `docker`, then the command: `docker · echo hi`. */
  driver: string;
  /** Median wall time of one command, start to exit and output read, in ms. */
  medianMs: number;
  /** 95th percentile (nearest rank), in ms. */
  p95Ms: number;
  /** medianMs divided by the direct spawn's median of the same command. */
  ratioToDirect: number;
}

const COMMANDS = ['true', 'echo hi'];
const WARMUP_ROUNDS = 3;
const never = new AbortController().signal;

/** Spawns `shell -c command` and resolves when it has exited and its output is read. */
function runDirect(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(hostShellPath(), ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', () => resolve());
  });
}

/** The drivers available here: none always, bubblewrap when bwrap works, docker when a socket is given or found. */
async function openDrivers(options: { dockerSocket?: string; image?: string; workspace: string }): Promise<Map<string, Sandbox>> {
  const config: SandboxConfig = { ...SANDBOX_DEFAULTS, workspace: options.workspace, sessionId: 'bench', image: options.image ?? SANDBOX_DEFAULTS.image };
  const drivers = new Map<string, Sandbox>();
  drivers.set('none', await createNoneSandbox(config));
  if (!(await probeBubblewrap())) drivers.set('bubblewrap', await createBubblewrapSandbox(config));
  try {
    drivers.set('docker', await createDockerSandbox(config, { socketPath: options.dockerSocket }));
  } catch (error) {
    console.warn(`docker left out: ${(error as Error).message}`);
  }
  return drivers;
}

/**
 * Measures `true` and `echo hi` through every available driver and directly.
 * @param options.dockerSocket the engine to use (default: DOCKER_HOST and the usual sockets; none answering leaves docker out).
 * @param options.image the Docker image (default {@link SANDBOX_DEFAULTS.image}).
 * @param options.workspace an existing directory: the sandboxes' workspace.
 * @param options.runs counted rounds per driver and command.
 * @returns one row per driver and command, `direct` first.
 */
export async function measureSandbox(options: { dockerSocket?: string; image?: string; workspace: string; runs: number }): Promise<SandboxFigure[]> {
  const drivers = await openDrivers(options);
  try {
    const figures: SandboxFigure[] = [];
    for (const command of COMMANDS) {
      const runners = new Map<string, () => Promise<unknown>>([['direct', () => runDirect(command)]]);
      for (const [name, sandbox] of drivers) runners.set(name, () => sandbox.run(command, {}, never));
      const times = new Map<string, number[]>([...runners.keys()].map((name) => [name, []]));
      for (let round = 0; round < WARMUP_ROUNDS + options.runs; round++) {
        for (const [name, runner] of runners) {
          const started = performance.now();
          await runner();
          if (round >= WARMUP_ROUNDS) times.get(name)!.push(performance.now() - started);
        }
      }
      const direct = median(times.get('direct')!);
      for (const [name, values] of times) {
        const medianMs = median(values);
        figures.push({ driver: `${name} · ${command}`, medianMs, p95Ms: percentile(values, 95), ratioToDirect: medianMs / direct });
      }
    }
    return figures;
  } finally {
    await Promise.all([...drivers.values()].map((sandbox) => sandbox.dispose()));
  }
}

/** The Docker engine and image a bench run uses, and how to let them go. */
export interface BenchDocker {
  dockerSocket?: string;
  image: string;
  workspace: string;
  /** Stops the private dockerd (if one was started) and removes the workspace. */
  release(): Promise<void>;
}

/**
 * `MOCO_BENCH_DOCKER_SOCKET` and `MOCO_BENCH_SANDBOX_IMAGE` when set, else (as root) a private
 * dockerd with the tests' offline busybox image; and a temporary workspace.
 */
export async function benchDocker(): Promise<BenchDocker> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'moco-bench-sandbox-'));
  let engine: DockerEngine | undefined;
  let dockerSocket = process.env.MOCO_BENCH_DOCKER_SOCKET;
  let image = process.env.MOCO_BENCH_SANDBOX_IMAGE;
  if (!dockerSocket && process.getuid?.() === 0) {
    engine = await startDockerEngine();
    image = await buildSandboxImage(engine.docker);
    dockerSocket = engine.socketPath;
  }
  return {
    ...(dockerSocket ? { dockerSocket } : {}),
    image: image ?? SANDBOX_TEST_IMAGE,
    workspace,
    release: async () => {
      await engine?.stop();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const runs = Number(process.env.MOCO_BENCH_RUNS ?? 50);
  const docker = await benchDocker();
  try {
    const figures = await measureSandbox({ ...docker, runs });
    console.log(`Sandbox per-command overhead, ${runs} rounds (median / p95 ms, ratio of medians to direct):`);
    for (const figure of figures) {
      console.log(`  ${figure.driver.padEnd(24)} ${figure.medianMs.toFixed(1).padStart(7)} ${figure.p95Ms.toFixed(1).padStart(7)}  ×${figure.ratioToDirect.toFixed(1)}`);
    }
  } finally {
    await docker.release();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  });
}
