/** Finds what the MOCO output channel wrote: a `LogOutputChannel` is also a file in the logs folder. */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * @returns the newest `MOCO.log` under `<userDataDir>/logs`.
 * @throws {Error} when there is none.
 */
export async function findMocoLog(userDataDir: string): Promise<string> {
  const logsDir = path.join(userDataDir, 'logs');
  const entries = await readdir(logsDir, { recursive: true }).catch(() => []);
  const matches = entries.filter((entry) => path.basename(entry) === 'MOCO.log').sort();
  const newest = matches.at(-1);
  if (!newest) throw new Error(`No MOCO.log under ${logsDir}: the MOCO output channel wrote nothing.`);
  return path.join(logsDir, newest);
}
