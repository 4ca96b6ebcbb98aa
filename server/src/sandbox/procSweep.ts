/**
 * Finds and kills the processes of one command that escaped its process group (`setsid`,
 * `nohup ... &` after the shell exited) by the {@link RUN_TOKEN_VAR} in their environment, read
 * from `/proc/<pid>/environ`. Linux only; elsewhere it finds nothing and the process group kill
 * is all there is.
 */
import { readdir, readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { RUN_TOKEN_VAR } from './env';

/**
 * The pid the kernel gave out last in this PID namespace, or undefined without
 * /proc/sys/kernel/ns_last_pid.
 */
function lastPid(): number | undefined {
  try {
    return Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Pids of live processes whose environment holds `MOCO_SANDBOX_RUN=<token>`; [] without /proc.
 * @param sincePid the command's first pid: pids are given out in increasing order, so only pids
 *   from it up to the last one given out can be the command's (all pids are read once the
 *   counter has wrapped around since).
 */
export async function processesWithToken(token: string, sincePid?: number): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const marker = Buffer.from(`\0${RUN_TOKEN_VAR}=${token}\0`);
  const first = Buffer.from(`${RUN_TOKEN_VAR}=${token}\0`);
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const last = lastPid();
  const inRange = sincePid !== undefined && last !== undefined && last >= sincePid ? (pid: number) => pid >= sincePid && pid <= last : () => true;
  const found = await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid && inRange(Number(name)))
      .map(async (name) => {
        try {
          const environ = await readFile(`/proc/${name}/environ`);
          return environ.includes(marker) || environ.subarray(0, first.length).equals(first) ? Number(name) : undefined;
        } catch {
          return undefined; // gone, or another user's process
        }
      }),
  );
  return found.filter((pid): pid is number => pid !== undefined);
}

/**
 * SIGKILLs every process of the token until a look finds none (a fork bomb keeps forking while it
 * is swept; a killed process takes a moment to go), pausing 5 ms between passes, at most `rounds`
 * passes. `sincePid`: see {@link processesWithToken}.
 * @returns how many signals were sent.
 */
export async function killProcessesWithToken(token: string, sincePid?: number, rounds = 200): Promise<number> {
  let killed = 0;
  for (let round = 0; round < rounds; round++) {
    const pids = await processesWithToken(token, sincePid);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return killed;
}
