/**
 * Opening an existing text file for a tool: confinement (workspacePath.ts), then checks that the
 * target is a regular file and not binary (isbinaryfile). Each refusal is an error result that says
 * what to do instead.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isBinaryFile } from 'isbinaryfile';
import { errorResult } from './results';
import type { ToolResult } from './types';
import { resolveWorkspacePath, type WorkspacePath } from './workspacePath';

/** A confined, existing, regular text file, or the error result to return. */
export type TextFileResult = { ok: true; file: WorkspacePath; stats: Stats } | { ok: false; result: ToolResult };

/**
 * Resolves `input` to an existing regular text file inside `workingDir`.
 *
 * @param workingDir real path of the working directory.
 * @param input the path argument as the model gave it.
 */
export async function openTextFile(workingDir: string, input: string): Promise<TextFileResult> {
  const resolved = await resolveWorkspacePath(workingDir, input);
  if (!resolved.ok) return { ok: false, result: errorResult(resolved.message) };
  const stats = await stat(resolved.real);
  if (stats.isDirectory()) {
    return { ok: false, result: errorResult(`${resolved.display} is a folder, not a file; use list_dir or tree to see what it holds`) };
  }
  if (!stats.isFile()) {
    return { ok: false, result: errorResult(`${resolved.display} is not a regular file (a device, socket or pipe); only text files can be read or edited`) };
  }
  if (stats.size > 0 && (await isBinaryFile(resolved.real))) {
    return { ok: false, result: errorResult(`${resolved.display} is a binary file; only text files can be read or edited`) };
  }
  return { ok: true, file: resolved, stats };
}
