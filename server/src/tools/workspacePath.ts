/**
 * Confinement of path arguments to the working directory. Every tool resolves its paths here: the
 * path is resolved against `workingDir`, then the real path of the target (or, for a target that
 * does not exist yet, of its nearest existing ancestor) must lie inside `workingDir`. So `..`,
 * absolute paths elsewhere and symbolic links that point outside are all refused.
 */
import { lstat, realpath } from 'node:fs/promises';
import * as path from 'node:path';

/** A path argument that passed confinement. */
export interface WorkspacePath {
  /** Absolute path as the model named it (`workingDir` joined with the argument), not resolved. */
  absolute: string;
  /**
   * Real path to use for file-system calls: every symbolic link resolved. For a target that does
   * not exist, the real path of its nearest existing ancestor joined with the missing segments.
   */
  real: string;
  /** Whether the target exists (a missing target is only possible with `allowMissing`). */
  exists: boolean;
  /** The path relative to the working directory with `/` separators, `.` for the directory itself. */
  display: string;
}

/** The outcome of {@link resolveWorkspacePath}: the path, or a message for the model. */
export type WorkspacePathResult = ({ ok: true } & WorkspacePath) | { ok: false; message: string };

/**
 * Resolves a tool's path argument inside the working directory.
 *
 * @param workingDir real path (symlinks resolved) of the working directory.
 * @param input the path the model gave: relative to `workingDir`, or absolute.
 * @param options.allowMissing accept a target that does not exist yet (for writes); otherwise a
 *   missing target is refused with a message that says so.
 * @returns the resolved path, or `{ok: false, message}` saying what is wrong and what to do.
 *   Never throws for a bad path; unexpected file-system errors (EACCES on an ancestor) are
 *   returned as messages too.
 */
export async function resolveWorkspacePath(
  workingDir: string,
  input: string,
  options: { allowMissing?: boolean } = {},
): Promise<WorkspacePathResult> {
  const outside = `path ${input} is outside the working directory ${workingDir}; use a path inside it`;
  if (input.includes('\0')) return { ok: false, message: `path ${JSON.stringify(input)} contains a NUL character; use a plain path` };
  const absolute = path.resolve(workingDir, input);
  if (!isInside(workingDir, absolute)) return { ok: false, message: outside };

  const missing: string[] = [];
  let probe = absolute;
  let real: string;
  for (;;) {
    try {
      real = await realpath(probe);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        return { ok: false, message: `path ${input} cannot be resolved (${(error as Error).message}); check its permissions or use another path` };
      }
      if (await isDanglingLink(probe)) {
        const linkName = displayPath(workingDir, probe);
        return { ok: false, message: `path ${input} goes through the symbolic link ${linkName}, whose target does not exist; use another path` };
      }
      if (probe === workingDir) return { ok: false, message: `the working directory ${workingDir} no longer exists; choose another working directory` };
      missing.unshift(path.basename(probe));
      probe = path.dirname(probe);
    }
  }
  if (!isInside(workingDir, real)) {
    return { ok: false, message: `path ${input} resolves through a symbolic link to ${real}, outside the working directory ${workingDir}; use a path inside it` };
  }
  const exists = missing.length === 0;
  if (!exists && !options.allowMissing) {
    return { ok: false, message: `${displayPath(workingDir, absolute)} does not exist; check the path with list_dir or glob_search` };
  }
  return { ok: true, absolute, real: path.join(real, ...missing), exists, display: displayPath(workingDir, absolute) };
}

/** Whether `candidate` (absolute) is `root` itself or below it. Both must be normalized. */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** `absolute` relative to `workingDir`, with `/` separators; `.` for the directory itself. */
export function displayPath(workingDir: string, absolute: string): string {
  const relative = path.relative(workingDir, absolute);
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}

async function isDanglingLink(candidate: string): Promise<boolean> {
  try {
    return (await lstat(candidate)).isSymbolicLink();
  } catch {
    return false;
  }
}
