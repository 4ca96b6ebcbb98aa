/**
 * The processes a stdio MCP server started (`npx` → `node`, `sh -c` → the server): the SDK's
 * close signals only its own child, so grandchildren would outlive a stop. Read from
 * `/proc/<pid>/stat` (field 4 is the parent pid, proc(5)); elsewhere nothing is found and the
 * SDK's close is all there is.
 */
import { readdir, readFile } from 'node:fs/promises';

/** Every descendant of `pid` now, children before their own children. Never throws. */
export async function descendants(pid: number): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch {
    return [];
  }
  const parents = new Map<number, number[]>();
  await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        try {
          const stat = await readFile(`/proc/${name}/stat`, 'utf8');
          // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          const children = parents.get(ppid) ?? [];
          children.push(Number(name));
          parents.set(ppid, children);
        } catch {
          // gone meanwhile
        }
      }),
  );
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of parents.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Sends SIGKILL to each pid still there. */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
