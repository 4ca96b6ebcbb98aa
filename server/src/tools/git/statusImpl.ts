/** Implementation of `git_status` (definitions.ts): simple-git's parsed `git status`, limited to the working directory. */
import * as path from 'node:path';
import type { StatusResult } from 'simple-git';
import { gitClient, SUBMODULES_UNREAD } from '../../git/gitClient';
import { repositoryState } from '../../git/repository';
import { okResult } from '../results';
import type { ToolImplementation } from '../types';
import type { gitStatusParameters } from './definitions';
import { GIT_STATUS_MAX_FILES } from './limits';
import { openToolRepository } from './shared';

/** `  M src/a.ts` lines of one group, at most {@link GIT_STATUS_MAX_FILES}. */
function group(title: string, entries: string[]): string[] {
  if (entries.length === 0) return [];
  const shown = entries.slice(0, GIT_STATUS_MAX_FILES).map((entry) => `  ${entry}`);
  if (entries.length > GIT_STATUS_MAX_FILES) shown.push(`  … and ${entries.length - GIT_STATUS_MAX_FILES} more`);
  return [`${title} (${entries.length}):`, ...shown];
}

/** The staged, unstaged, untracked and conflicted entries of `status`, paths relative to the working directory. */
function groups(status: StatusResult, conflicted: Set<string>, relative: (file: string) => string): Record<string, string[]> {
  const staged: string[] = [];
  const unstaged: string[] = [];
  const untracked: string[] = [];
  for (const file of status.files) {
    const shown = relative(file.path);
    if (conflicted.has(file.path)) continue;
    if (file.index === '?') {
      untracked.push(shown);
      continue;
    }
    if (file.index !== ' ' && file.index !== '!') staged.push(`${file.index} ${file.from ? `${relative(file.from)} → ` : ''}${shown}`);
    if (file.working_dir !== ' ' && file.working_dir !== '!') unstaged.push(`${file.working_dir} ${shown}`);
  }
  return { staged, unstaged, untracked, conflicted: [...conflicted].map(relative) };
}

/** `git_status {}`. */
export const gitStatusImplementation: ToolImplementation<typeof gitStatusParameters> = async (_args, context, signal) => {
  const opened = await openToolRepository(context, signal);
  if (!opened.ok) return opened.result;
  const { repo, cwd } = opened.value;
  const [state, status] = await Promise.all([repositoryState(repo, signal), gitClient(cwd, signal).then((client) => client.status([SUBMODULES_UNREAD, '--', '.']))]);
  const relative = (file: string): string => path.relative(cwd, path.join(repo.root, file)).split(path.sep).join('/');
  const head = !state.hasCommits
    ? `Branch ${state.branch ?? 'main'}: no commits yet.`
    : state.detached
      ? 'HEAD is detached (no branch).'
      : `Branch ${state.branch ?? ''}${status.tracking ? `, tracking ${status.tracking}: ${status.ahead} ahead, ${status.behind} behind` : ', no upstream'}.`;
  const where = cwd === repo.root ? `Repository ${repo.root}.` : `Repository ${repo.root}; showing ${path.relative(repo.root, cwd).split(path.sep).join('/')} (the working directory) only, paths relative to it.`;
  const inside = state.conflicts.filter((file) => !relative(file).startsWith('..'));
  const parts = groups(status, new Set(inside), relative);
  const lines = [
    where,
    head,
    ...group('Conflicted', parts.conflicted!),
    ...group('Staged', parts.staged!),
    ...group('Unstaged', parts.unstaged!),
    ...group('Untracked', parts.untracked!),
  ];
  const clean = Object.values(parts).every((entries) => entries.length === 0);
  if (clean) lines.push('Nothing to commit: the working tree is clean.');
  const counts = `${parts.staged!.length} staged, ${parts.unstaged!.length} unstaged, ${parts.untracked!.length} untracked`;
  return okResult(lines.join('\n'), `${state.branch ?? 'detached HEAD'}: ${counts}${inside.length ? `, ${inside.length} conflicted` : ''}`);
};
