/** Opening an existing folder for a tool: confinement (workspacePath.ts), then a folder check. */
import { stat } from 'node:fs/promises';
import { errorResult } from './results';
import type { ToolResult } from './types';
import { resolveWorkspacePath, type WorkspacePath } from './workspacePath';

/**
 * Resolves `input` to an existing folder inside `workingDir`, or the error result to return.
 *
 * @param workingDir real path of the working directory.
 * @param input the path argument as the model gave it; `''` means the working directory.
 */
export async function openFolder(workingDir: string, input: string): Promise<{ ok: true; folder: WorkspacePath } | { ok: false; result: ToolResult }> {
  const resolved = await resolveWorkspacePath(workingDir, input === '' ? '.' : input);
  if (!resolved.ok) return { ok: false, result: errorResult(resolved.message) };
  if (!(await stat(resolved.real)).isDirectory()) {
    return { ok: false, result: errorResult(`${resolved.display} is a file, not a folder; use read_file to read it`) };
  }
  return { ok: true, folder: resolved };
}
