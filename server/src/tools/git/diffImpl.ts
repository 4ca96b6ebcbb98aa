/**
 * Implementation of `git_diff` (definitions.ts): `git diff` of the working directory with the git
 * core's safe flags (no external diff, no textconv), cut at {@link GIT_DIFF_MAX_BYTES} with the
 * list of files (`--stat`) when it is longer.
 */
import { runGit, SAFE_DIFF_FLAGS } from '../../git/gitClient';
import { formatBytes } from '../limits';
import { okResult } from '../results';
import type { ToolImplementation } from '../types';
import type { gitDiffParameters } from './definitions';
import { GIT_DIFF_MAX_BYTES } from './limits';
import { checkRef, openToolRepository, pathspecOf } from './shared';

/** `text` cut to at most `maxBytes` bytes of UTF-8 at a line's end; `cut` tells whether it was. */
function cutAtLine(text: string, maxBytes: number): { text: string; cut: boolean } {
  if (Buffer.byteLength(text) <= maxBytes) return { text, cut: false };
  const head = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  const end = head.lastIndexOf('\n');
  return { text: end > 0 ? head.slice(0, end) : head, cut: true };
}

/** `git_diff {staged?, path?, ref?}`. */
export const gitDiffImplementation: ToolImplementation<typeof gitDiffParameters> = async (args, context, signal) => {
  const opened = await openToolRepository(context, signal);
  if (!opened.ok) return opened.result;
  const { repo, cwd } = opened.value;
  const pathspec = await pathspecOf(context, args.path);
  if (!pathspec.ok) return pathspec.result;
  const ref = args.ref === undefined ? undefined : await checkRef(repo.root, args.ref, signal);
  if (ref && !ref.ok) return ref.result;

  const base = ['diff', ...SAFE_DIFF_FLAGS, '--find-renames', ...(args.staged ? ['--cached'] : []), ...(ref ? [ref.value] : [])];
  const what = `${args.staged ? 'staged changes' : 'unstaged changes'}${ref ? ` since ${ref.value}` : ''}${args.path ? ` of ${args.path}` : ''}`;
  const diff = await runGit(cwd, [...base, '--', pathspec.value], signal);
  if (diff.trim() === '') {
    const hint = args.staged ? 'nothing is staged; stage files or see the unstaged ones with git_diff' : 'see the staged ones with staged: true, and new files with git_status';
    return okResult(`No ${what}: ${hint}.`, `no ${what}`);
  }
  const shown = cutAtLine(diff, GIT_DIFF_MAX_BYTES);
  if (!shown.cut) return okResult(diff, `diff of ${what}: ${formatBytes(Buffer.byteLength(diff))}`);
  const stat = await runGit(cwd, [...base, '--stat=120', '--', pathspec.value], signal);
  const note =
    `[The diff was cut after ${formatBytes(GIT_DIFF_MAX_BYTES)} of ${formatBytes(Buffer.byteLength(diff))}. ` +
    'Every file it holds is listed below; ask again with path for one file.]';
  return okResult(`${shown.text}\n\n${note}\n${stat.trimEnd()}`, `diff of ${what}: cut at ${formatBytes(GIT_DIFF_MAX_BYTES)}`);
};
