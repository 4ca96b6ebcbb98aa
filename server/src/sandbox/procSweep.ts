/**
 * Finds and kills the processes of one command that escaped its process group (`setsid`,
 * `nohup ... &` after the shell exited) by the {@link RUN_TOKEN_VAR} in their environment, read
 * from `/proc/<pid>/environ`. Linux only; elsewhere it finds nothing and the process group kill
 * is all there is.
 */
import { readdir, readFile } from 'node:fs/promises';
import { RUN_TOKEN_VAR } from './env';

/** Pids of live processes whose environment holds `MOCO_SANDBOX_RUN=<token>`; [] without /proc. */
export async function processesWithToken(token: string): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const marker = Buffer.from(`\0${RUN_TOKEN_VAR}=${token}\0`);
  const first = Buffer.from(`${RUN_TOKEN_VAR}=${token}\0`);
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const found = await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
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
 * SIGKILLs every process of the token until none is left (a fork bomb keeps forking while it is
 * swept), at most `rounds` passes.
 * @returns how many processes were signalled.
 */
export async function killProcessesWithToken(token: string, rounds = 20): Promise<number> {
  let killed = 0;
  for (let round = 0; round < rounds; round++) {
    const pids = await processesWithToken(token);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
    }
  }
  return killed;
}
