/**
 * `npm run bench:sandbox`: what the agents' hands cost, measured in one run.
 * - Per-command overhead of each sandbox driver (`none`, `bubblewrap`, `docker`) as a ratio to
 *   spawning the same command directly, side by side (bench/sandboxBench.ts). Docker runs on a
 *   private dockerd with the offline busybox image of the tests (as root), or on
 *   `MOCO_BENCH_DOCKER_SOCKET` with `MOCO_BENCH_SANDBOX_IMAGE`.
 * - The round trip of an MCP tool call (`echo` of server-everything) over stdio and Streamable
 *   HTTP (bench/mcpBench.ts).
 * - The command policy's evaluation time per command, target < 1 ms (bench/policyBench.ts).
 * `MOCO_BENCH_RUNS` sets the sandbox rounds (default 50).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startDockerEngine, type DockerEngine } from '../test/support/dockerEngine';
import { buildSandboxImage, SANDBOX_TEST_IMAGE } from '../test/support/sandboxImage';
import { measureMcp } from './mcpBench';
import { measurePolicy } from './policyBench';
import { measureSandbox } from './sandboxBench';
import { printTable } from './support/measure';

async function main(): Promise<void> {
  const runs = Number(process.env.MOCO_BENCH_RUNS ?? 50);
  const workspace = await mkdtemp(path.join(tmpdir(), 'moco-bench-sandbox-'));
  let engine: DockerEngine | undefined;
  try {
    let dockerSocket = process.env.MOCO_BENCH_DOCKER_SOCKET;
    let image = process.env.MOCO_BENCH_SANDBOX_IMAGE;
    if (!dockerSocket && process.getuid?.() === 0) {
      engine = await startDockerEngine();
      image = await buildSandboxImage(engine.docker);
      dockerSocket = engine.socketPath;
    }
    const sandbox = await measureSandbox({ workspace, runs, image: image ?? SANDBOX_TEST_IMAGE, ...(dockerSocket ? { dockerSocket } : {}) });
    const mcp = await measureMcp();
    const policy = await measurePolicy();
    console.log(`Sandbox drivers, ${runs} rounds side by side; MCP echo round trips; command policy over ${policy.commands} commands.\n`);
    printTable([
      ...sandbox.map((figure) => ({
        name: `${figure.driver}, median`,
        value: figure.medianMs,
        unit: 'ms',
        detail: `p95 ${figure.p95Ms.toFixed(1)} ms · ×${figure.ratioToDirect.toFixed(2)} of direct`,
      })),
      { name: 'MCP tool call, stdio, median', value: mcp.stdioCallMedianMs, unit: 'ms', digits: 2, detail: `p95 ${mcp.stdioCallP95Ms.toFixed(2)} ms` },
      { name: 'MCP tool call, Streamable HTTP, median', value: mcp.httpCallMedianMs, unit: 'ms', digits: 2, detail: `p95 ${mcp.httpCallP95Ms.toFixed(2)} ms` },
      { name: 'policy evaluation per command, p50', value: policy.p50Ms, unit: 'ms', target: 1, digits: 3 },
      { name: 'policy evaluation per command, p95', value: policy.p95Ms, unit: 'ms', target: 1, digits: 3 },
      { name: 'policy evaluation per command, mean', value: policy.meanMs, unit: 'ms', target: 1, digits: 3 },
    ]);
  } finally {
    await engine?.stop();
    await rm(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
