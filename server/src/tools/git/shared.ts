/**
 * Steps the git tools share: the repository that holds the working directory (an error result when
 * there is none), path arguments confined to the working directory and turned into literal
 * pathspecs, and refs checked before git sees them.
 */
import { MocoError } from '../../orchestrator/errors';
import { runGit } from '../../git/gitClient';
import { openRepository, type Repository } from '../../git/repository';
import { errorResult } from '../results';
import type { ToolContext, ToolResult } from '../types';
import { resolveWorkspacePath } from '../workspacePath';

/** A value, or the error result a tool returns instead. */
export type Step<T> = { ok: true; value: T } | { ok: false; result: ToolResult };

/** The repository of the working directory, and where the working directory is inside it. */
export interface ToolRepository {
  repo: Repository;
  /** The working directory (real path); git runs there so that `.` means it. */
  cwd: string;
}

/** The repository that holds the working directory, or an error result saying there is none. */
export async function openToolRepository(context: ToolContext, signal: AbortSignal): Promise<Step<ToolRepository>> {
  try {
    return { ok: true, value: { repo: await openRepository(context.workingDir, signal), cwd: context.workingDir } };
  } catch (error) {
    if (error instanceof MocoError) return { ok: false, result: errorResult(error.message, 'not a git repository') };
    throw error;
  }
}

/**
 * The pathspec of a path argument: `.` (the working directory) when absent, else the path confined
 * to the working directory, relative to it, as a literal pathspec (no glob, no magic). Paths that do
 * not exist are accepted: a deleted file has history and a diff.
 */
export async function pathspecOf(context: ToolContext, input: string | undefined): Promise<Step<string>> {
  if (input === undefined) return { ok: true, value: '.' };
  const resolved = await resolveWorkspacePath(context.workingDir, input, { allowMissing: true });
  if (!resolved.ok) return { ok: false, result: errorResult(resolved.message) };
  return { ok: true, value: resolved.display === '.' ? '.' : `:(literal)${resolved.display}` };
}

/**
 * Checks that `ref` names something git knows (a commit, branch, tag, or for `git_log` a range),
 * before it is given to git as an argument; an error result otherwise.
 */
export async function checkRef(root: string, ref: string, signal: AbortSignal, allowRange = false): Promise<Step<string>> {
  const bad = (): Step<string> => ({
    ok: false,
    result: errorResult(`"${ref}" is not a commit, branch or tag of this repository; list them with git_log, or use HEAD, HEAD~1, a branch name.`),
  });
  if (ref.startsWith('-') || /\s/.test(ref)) return bad();
  const ends = allowRange && ref.includes('..') ? ref.split(/\.{2,3}/).filter((end) => end !== '') : [ref];
  for (const end of ends) {
    if (end.startsWith('-')) return bad();
    try {
      const found = (await runGit(root, ['rev-parse', '--quiet', '--verify', `${end}^{commit}`], signal)).trim();
      if (found === '') return bad();
    } catch {
      signal.throwIfAborted();
      return bad();
    }
  }
  return { ok: true, value: ref };
}
