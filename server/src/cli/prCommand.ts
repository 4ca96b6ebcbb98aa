/**
 * `moco pr create [--draft] [--base B] [--branch H]`: pushes a branch and opens a GitHub pull
 * request whose title and body the model writes (server/src/github). The token is `GITHUB_TOKEN`,
 * the API `GITHUB_API_URL` (the variable GitHub Actions sets; GitHub Enterprise:
 * `https://HOST/api/v3`), the language `MOCO_COMMIT_LANGUAGE`. Prints the pull request's URL on
 * stdout; an error is one line on stderr and exit status 1; Ctrl+C cancels (130).
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import type { PullRequestCreateParams } from '../../../protocol/git';
import { createPullRequest } from '../github/createPullRequest';
import { withCancellableEngine } from './cliContext';

/** The flags of `moco pr create`, as commander parses them. */
export interface PrCreateFlags {
  draft?: boolean;
  base?: string;
  branch?: string;
  workingDir?: string;
  profile?: string;
  provider?: string;
  model?: string;
}

/** Adds `moco pr create` to the program. */
export function registerPrCommand(program: Command): void {
  const pr = program.command('pr').description('pull requests on GitHub');
  pr.command('create')
    .description('push the branch and open a GitHub pull request whose title and body the model writes from the commits and the diff')
    .option('--draft', 'open it as a draft')
    .option('--base <branch>', "branch to merge into (default: the GitHub repository's default branch)")
    .option('--branch <branch>', 'branch to push (default: the current one, or a new moco/<name> branch when on the base branch or a detached HEAD)')
    .option('-w, --working-dir <dir>', 'the repository folder (default: the current one)')
    .option('-p, --profile <name>', 'profile whose entry agent\'s model writes the text')
    .option('-P, --provider <name>', 'provider, optionally with a model: openrouter, zai/glm-4.7')
    .option('-m, --model <name>', 'model name')
    .addHelpText('after', '\nEnvironment: GITHUB_TOKEN (a token with the repo scope), GITHUB_API_URL (GitHub Enterprise: https://HOST/api/v3), MOCO_COMMIT_LANGUAGE.')
    .action((flags: PrCreateFlags) => prCreateCommand(flags));
}

/** `moco pr create`: opens (or finds) the pull request and prints its URL. */
export async function prCreateCommand(flags: PrCreateFlags): Promise<void> {
  await withCancellableEngine(
    flags,
    async (engine, signal) => {
      const settings = await engine.toolSettings();
      const params: PullRequestCreateParams = {
        repositoryPath: path.resolve(flags.workingDir ?? process.cwd()),
        draft: flags.draft === true,
        ...(flags.base ? { base: flags.base } : {}),
        ...(flags.branch ? { branch: flags.branch } : {}),
        ...(settings.git.commitLanguage ? { language: settings.git.commitLanguage } : {}),
        ...(settings.git.githubApiUrl ? { apiUrl: settings.git.githubApiUrl } : {}),
        ...(flags.profile ? { profile: flags.profile } : {}),
        ...(flags.provider ? { provider: flags.provider } : {}),
        ...(flags.model ? { model: flags.model } : {}),
      };
      const result = await createPullRequest(engine, params, false, signal);
      if (result.existing) process.stderr.write(`moco: a pull request of ${result.branch} was open already; ${result.branch} was pushed to it.\n`);
      else if (result.createdBranch) process.stderr.write(`moco: created the branch ${result.branch}.\n`);
      process.stdout.write(`${result.url}\n`);
    },
    { cancelled: 'cancelled' },
  );
}
