/**
 * Definitions (name, description, argument schema) of the git tools: `git_status`, `git_diff`,
 * `git_log` and `git_commit`. Each works in the git repository that holds the working directory and
 * sees only what lies inside the working directory. `git_commit` asks the user each time, showing
 * the message and the files. Implementations: statusImpl.ts, diffImpl.ts, logImpl.ts, commitImpl.ts.
 */
import { z } from 'zod';
import { formatBytes } from '../limits';
import type { ToolDefinition } from '../types';
import { commitApprovalReason } from './commitApproval';
import { GIT_DIFF_MAX_BYTES, GIT_LOG_DEFAULT_COUNT, GIT_LOG_MAX_COUNT, GIT_STATUS_MAX_FILES } from './limits';

const pathParameter = z
  .string()
  .min(1)
  .optional()
  .describe('A file or folder to limit it to, relative to the working directory (or absolute inside it). Default: the whole working directory.');
const refParameter = z.string().trim().min(1).optional();

/** Arguments of `git_status`. */
export const gitStatusParameters = z.object({});

/** `git_status {}`. */
export const gitStatusDefinition: ToolDefinition<typeof gitStatusParameters> = {
  name: 'git_status',
  description:
    'Show the git state of the working directory: the branch (or detached HEAD, or no commits yet), its upstream with commits ahead and behind, ' +
    `and the staged, unstaged, untracked and conflicted files (at most ${GIT_STATUS_MAX_FILES} per group). Read-only.`,
  parameters: gitStatusParameters,
};

/** Arguments of `git_diff`. */
export const gitDiffParameters = z.object({
  staged: z.boolean().optional().describe('Show the staged changes (what git_commit would commit) instead of the unstaged ones. Default false.'),
  path: pathParameter,
  ref: refParameter.describe(
    'Compare with this commit, branch or tag (for example HEAD~3 or main) instead of the index: the working tree against it, or with staged the index against it.',
  ),
});

/** `git_diff {staged?, path?, ref?}`. */
export const gitDiffDefinition: ToolDefinition<typeof gitDiffParameters> = {
  name: 'git_diff',
  description:
    'Show a unified diff of the working directory: by default the unstaged changes of tracked files; with staged, the staged ones; with ref, the changes since that commit. ' +
    `Untracked files are not in it (see git_status). At most ${formatBytes(GIT_DIFF_MAX_BYTES)} is shown; a longer diff is cut with a list of its files, then ask again with path. Read-only.`,
  parameters: gitDiffParameters,
};

/** Arguments of `git_log`. */
export const gitLogParameters = z.object({
  max_count: z
    .number()
    .int()
    .positive()
    .max(GIT_LOG_MAX_COUNT)
    .optional()
    .describe(`How many commits, newest first. Default ${GIT_LOG_DEFAULT_COUNT}, at most ${GIT_LOG_MAX_COUNT}.`),
  path: pathParameter,
  ref: refParameter.describe('Start from this commit, branch or tag (or a range such as main..HEAD). Default HEAD.'),
});

/** `git_log {max_count?, path?, ref?}`. */
export const gitLogDefinition: ToolDefinition<typeof gitLogParameters> = {
  name: 'git_log',
  description: 'List commits, newest first: short hash, date, author and subject, one per line. Read-only.',
  parameters: gitLogParameters,
};

/** Arguments of `git_commit`. */
export const gitCommitParameters = z.object({
  message: z.string().describe('The commit message: a subject line (at most 72 characters), then a blank line and a body that says why.'),
  all: z.boolean().optional().describe('First stage every change of tracked files in the working directory (git add -u; new files are not added). Default false.'),
  paths: z
    .array(z.string().min(1))
    .max(1000)
    .optional()
    .describe('First stage these files or folders (new files included), relative to the working directory.'),
});

/** `git_commit {message, all?, paths?}`. */
export const gitCommitDefinition: ToolDefinition<typeof gitCommitParameters> = {
  name: 'git_commit',
  description:
    'Commit the staged changes with a message, after staging the tracked changes (all) or some paths (paths) if asked. ' +
    "The user approves each call, seeing the message and the files. The repository's git hooks run. " +
    'Fails when the message is empty or nothing is staged. Returns the new commit\'s hash and files.',
  parameters: gitCommitParameters,
  needsApproval: (args, context) => commitApprovalReason(args, context.workingDir),
};
