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
import { measureMcp } from './mcpBench';
import { measurePolicy } from './policyBench';
import { benchDocker, measureSandbox } from './sandboxBench';
import { printTable } from './support/measure';

async function main(): Promise<void> {
  const runs = Number(process.env.MOCO_BENCH_RUNS ?? 50);
  const docker = await benchDocker();
  try {
    const sandbox = await measureSandbox({ ...docker, runs });
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
    await docker.release();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
