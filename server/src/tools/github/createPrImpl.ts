/**
 * Implementation of `create_pr`, on the pull request steps of server/src/github (pullRequest.ts):
 * the same checks, push and GitHub calls as `MOCO: Create Pull Request`, with the agent's title and
 * body. The token and the API URL come from `context.services.github`. Every failure (no remote,
 * no token, no commits ahead, a refused push, GitHub's answer) is a result the model can read.
 */
import { preparePullRequest, publishPullRequest } from '../../github/pullRequest';
import { MocoError } from '../../orchestrator/errors';
import { errorResult, okResult } from '../results';
import type { ToolImplementation } from '../types';
import type { createPrParameters } from './definitions';

/** `create_pr {title, body, base?, branch?, draft?}` in the working directory's repository. */
export function createPrImplementation(): ToolImplementation<typeof createPrParameters> {
  return async (args, context, signal) => {
    const github = context.services?.github;
    if (!github) return errorResult('create_pr is unavailable here: this MOCO has no GitHub connection. Tell the user to run "MOCO: Create Pull Request" or "moco pr create" instead.');
    try {
      const prepared = await preparePullRequest(
        {
          repositoryPath: context.workingDir,
          ...(args.base ? { base: args.base } : {}),
          ...(args.branch ? { branch: args.branch } : {}),
          ...(github.apiUrl ? { apiUrl: github.apiUrl } : {}),
        },
        () => github.token(),
        signal,
      );
      const result = await publishPullRequest(prepared, { title: args.title, body: args.body }, args.draft === true, signal);
      const commits = `${prepared.commits.length} ${prepared.commits.length === 1 ? 'commit' : 'commits'}`;
      const created = result.createdBranch ? ` (branch ${result.branch} created at HEAD)` : '';
      if (result.existing) {
        return okResult(
          `A pull request of ${result.branch} was open already, so none was created: #${result.number} "${result.title}" ${result.url}. The branch was pushed${created}, so it shows its ${commits} ahead of ${result.base}; your title and body were not used.`,
          `pull request #${result.number} exists: ${result.url}`,
        );
      }
      return okResult(
        `Opened ${result.draft ? 'draft ' : ''}pull request #${result.number} "${result.title}": ${result.url}. Head ${result.branch}${created} → base ${result.base}, ${commits}.`,
        `opened ${result.draft ? 'draft ' : ''}pull request #${result.number}: ${result.url}`,
      );
    } catch (error) {
      signal.throwIfAborted();
      if (error instanceof MocoError) return errorResult(`create_pr failed: ${error.message}`);
      throw error;
    }
  };
}
