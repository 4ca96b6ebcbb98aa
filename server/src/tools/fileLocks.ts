/**
 * One lock per file for the tools that write (edit_file, write_file), so that agents running in
 * parallel in this process (the sub-agents of one tree, the fixers of Fix All) take turns on a
 * file: an edit reads, changes and writes the file before the next one reads it, and no edit is
 * lost. Other processes (a `moco` CLI, the editor) are not locked out; the writes stay atomic.
 */
import { Mutex } from 'async-mutex';

const locks = new Map<string, { mutex: Mutex; holders: number }>();

/**
 * Runs `work` while holding the lock of `realPath`, after the calls that asked for it earlier.
 *
 * @param realPath the file's absolute real path (symbolic links resolved), so that two names of
 *   one file share a lock.
 * @returns what `work` returns; throws what it throws (the lock is released either way).
 */
export async function withFileLock<T>(realPath: string, work: () => Promise<T>): Promise<T> {
  let lock = locks.get(realPath);
  if (!lock) {
    lock = { mutex: new Mutex(), holders: 0 };
    locks.set(realPath, lock);
  }
  lock.holders += 1;
  try {
    return await lock.mutex.runExclusive(work);
  } finally {
    lock.holders -= 1;
    if (lock.holders === 0) locks.delete(realPath);
  }
}

/** How many files have a lock held or asked for now (for tests: the map does not grow). */
export function lockedFileCount(): number {
  return locks.size;
}
