/** Implementation of `git_log` (definitions.ts): one line per commit, our own format (no parsing of git's). */
import * as path from 'node:path';
import { repositoryState } from '../../git/repository';
import { runGit } from '../../git/gitClient';
import { okResult } from '../results';
import type { ToolImplementation } from '../types';
import type { gitLogParameters } from './definitions';
import { GIT_LOG_DEFAULT_COUNT } from './limits';
import { checkRef, openToolRepository, pathspecOf } from './shared';

/** Fields of one commit, separated by the unit separator (%x1f), one commit per line. */
const FORMAT = '%h%x1f%ad%x1f%an%x1f%s';

/** `git_log {max_count?, path?, ref?}`. */
export const gitLogImplementation: ToolImplementation<typeof gitLogParameters> = async (args, context, signal) => {
  const opened = await openToolRepository(context, signal);
  if (!opened.ok) return opened.result;
  const { repo, cwd } = opened.value;
  const pathspec = await pathspecOf(context, args.path);
  if (!pathspec.ok) return pathspec.result;
  if (args.ref === undefined && !(await repositoryState(repo, signal)).hasCommits) {
    return okResult('No commits yet: this repository has none.', 'no commits yet');
  }
  const ref = args.ref === undefined ? undefined : await checkRef(repo.root, args.ref, signal, true);
  if (ref && !ref.ok) return ref.result;
  const count = args.max_count ?? GIT_LOG_DEFAULT_COUNT;
  // A pathspec turns on history simplification (git-log(1)), which hides empty commits and the
  // side branches of merges: at the root without a path, none is given, so every commit shows.
  const limit = args.path === undefined && path.relative(repo.root, cwd) === '' ? [] : [pathspec.value];
  const out = await runGit(cwd, ['log', `--max-count=${count}`, `--format=${FORMAT}`, '--date=short', ref?.value ?? 'HEAD', '--', ...limit], signal);
  const lines = out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\x1f').join('  '));
  if (lines.length === 0) return okResult(`No commits${args.path ? ` touch ${args.path}` : ''}${ref ? ` in ${ref.value}` : ''}.`, 'no commits');
  const more = lines.length === count ? `\n[${count} commits shown, newest first; more may follow: ask with a larger max_count or a ref.]` : '';
  return okResult(`${lines.join('\n')}${more}`, `${lines.length} ${lines.length === 1 ? 'commit' : 'commits'}`);
};
