import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * The storage folder cannot be used. The message says which folder, why, and what to do.
 * `errno` is Node's error code (`EACCES`, `ENOTDIR`, `EROFS`, `ENOSPC`, ...).
 */
export class StorageUnavailableError extends Error {
  constructor(
    readonly storagePath: string,
    readonly errno: string,
    cause: unknown,
  ) {
    super(
      `MOCO cannot use its storage folder ${storagePath} (${describeErrno(errno)}). ` +
        'Make that folder writable, or remove whatever file stands in its place, ' +
        'then run "MOCO: Restart Server".',
      { cause },
    );
    this.name = 'StorageUnavailableError';
  }
}

/**
 * Creates `storagePath` (and its parents) if missing and checks that a file can be written in it,
 * by writing and removing a small probe file.
 *
 * @param storagePath absolute path of the folder.
 * @throws {StorageUnavailableError} when the folder cannot be created or written.
 * @throws {TypeError} when `storagePath` is not absolute.
 */
export async function ensureWritableDir(storagePath: string): Promise<void> {
  if (!path.isAbsolute(storagePath)) {
    throw new TypeError(`The storage path must be absolute, got "${storagePath}".`);
  }
  const probe = path.join(storagePath, `.moco-write-probe-${process.pid}`);
  try {
    await mkdir(storagePath, { recursive: true });
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw new StorageUnavailableError(storagePath, errnoOf(error), error);
  }
}

function errnoOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

function describeErrno(errno: string): string {
  switch (errno) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file stands where the folder should be';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return `error ${errno}`;
  }
}
