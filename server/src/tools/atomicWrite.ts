/**
 * Atomic file writes with write-file-atomic: the content goes to a temporary file in the same
 * folder, which is then renamed over the target, so a reader never sees half a file and a failed
 * write leaves the old content (and no temporary file) behind. The file's mode is kept.
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * Writes `content` (UTF-8) to `realPath`, creating missing parent folders.
 *
 * @param realPath absolute path, already confined to the working directory.
 * @throws `signal.reason` when `signal` has aborted before the write starts (a write that has
 *   started completes: it is short and atomic); file-system errors (EACCES, ENOSPC, ENOTDIR).
 */
export async function writeTextAtomic(realPath: string, content: string, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  await mkdir(path.dirname(realPath), { recursive: true });
  signal.throwIfAborted();
  await writeFileAtomic(realPath, content, { encoding: 'utf8' });
}
