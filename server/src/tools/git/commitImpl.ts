/**
 * Implementation of `git_commit` (definitions.ts): stages what the call asks inside the working
 * directory, refuses an empty message, an empty index, and staged changes outside the working
 * directory (the agent may not commit what it cannot see), then commits through the git core
 * (git/commit.ts), hooks included.
 */
import * as path from 'node:path';
import { commitChanges, stageChanges, stagedFiles } from '../../git/commit';
import { MocoError } from '../../orchestrator/errors';
import { errorResult, okResult } from '../results';
import type { ToolImplementation } from '../types';
import type { gitCommitParameters } from './definitions';
import { openToolRepository, pathspecOf } from './shared';

/** `git_commit {message, all?, paths?}`. */
export const gitCommitImplementation: ToolImplementation<typeof gitCommitParameters> = async (args, context, signal) => {
  if (args.message.trim() === '') {
    return errorResult('The commit message is empty: nothing was committed. Call git_commit again with a subject line (and a body that says why).', 'refused: empty message');
  }
  const opened = await openToolRepository(context, signal);
  if (!opened.ok) return opened.result;
  const { repo, cwd } = opened.value;
  const paths: string[] = [];
  for (const input of args.paths ?? []) {
    const spec = await pathspecOf(context, input);
    if (!spec.ok) return spec.result;
    paths.push(spec.value.replace(/^:\(literal\)/, ''));
  }
  try {
    await stageChanges(repo, { tracked: args.all === true, paths, cwd }, signal);
    const prefix = path.relative(repo.root, cwd).split(path.sep).join('/');
    const outside = prefix === '' ? [] : (await stagedFiles(repo, signal)).filter((entry) => !entry.slice(2).startsWith(`${prefix}/`));
    if (outside.length > 0) {
      return errorResult(
        `Nothing was committed: changes outside the working directory are staged (${outside.slice(0, 10).join(', ')}), and a commit would include them. Ask the user to commit or unstage them.`,
        'refused: staged changes outside the working directory',
      );
    }
    const outcome = await commitChanges(repo, args.message, {}, signal);
    const files = outcome.files.map((file) => `  ${file}`).join('\n');
    return okResult(`Committed ${outcome.shortHash} (${outcome.hash}) with ${outcome.files.length} ${outcome.files.length === 1 ? 'file' : 'files'}:\n${files}`, `committed ${outcome.shortHash}`);
  } catch (error) {
    if (error instanceof MocoError) return errorResult(`${error.message}${/Stage changes/.test(error.message) ? ' Use paths or all to stage files in the same call.' : ''}`);
    throw error;
  }
};
