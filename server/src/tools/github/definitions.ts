/**
 * Definition of the agent tool `create_pr`: the agent writes the title and body, MOCO pushes the
 * branch and opens the pull request on GitHub. Implementation: createPrImpl.ts.
 */
import { z } from 'zod';
import type { ToolDefinition } from '../types';

/** GitHub's limit on a pull request's body (characters). */
export const PR_BODY_MAX_CHARS = 65_536;

/** Arguments of `create_pr`. */
export const createPrParameters = z.object({
  title: z.string().trim().min(1).max(256).describe('Title of the pull request: one line, what the change does (at most 72 characters if you can).'),
  body: z
    .string()
    .max(PR_BODY_MAX_CHARS)
    .describe(
      'Description in GitHub Markdown: what changed and why, from the commits and the diff. When the repository has a pull request template (.github/pull_request_template.md and the like), read it and fill it in: keep its headings, tick a checkbox only when it is true.',
    ),
  base: z.string().min(1).optional().describe("Branch to merge into. Default: the GitHub repository's default branch."),
  branch: z
    .string()
    .min(1)
    .optional()
    .describe('Branch to push and open the pull request from (made at HEAD when it does not exist). Default: the current branch, or a new moco/<name> branch when the current branch is the base or HEAD is detached.'),
  draft: z.boolean().optional().describe('Open it as a draft. Default false.'),
});

/** `create_pr {title, body, base?, branch?, draft?}`. */
export const createPrDefinition: ToolDefinition<typeof createPrParameters> = {
  name: 'create_pr',
  description:
    'Push a branch of the working directory\'s git repository to its GitHub remote and open a pull request with the title and body you write. ' +
    'Commit your changes first: only commits ahead of the base are in the pull request. When a pull request of the branch is open already, the branch is pushed and that pull request returned. ' +
    'The user approves each call. The result gives the pull request\'s URL and number.',
  parameters: createPrParameters,
  needsApproval: (args) =>
    `create_pr pushes ${args.branch ?? 'the current branch (or a new moco/… branch)'} to GitHub and opens a ${args.draft ? 'draft ' : ''}pull request "${args.title}" into ${args.base ?? 'the default branch'}. The repository's git hooks (pre-push...) run as part of the push.`,
};
