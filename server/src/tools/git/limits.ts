/** Size caps of the git tools, like those of the other tools (../limits.ts). */

/** `git_diff`: bytes (UTF-8) of diff text shown; the same as the shell tools' output. */
export const GIT_DIFF_MAX_BYTES = 64 * 1024;
/** `git_status`: files listed per group (staged, unstaged, untracked, conflicted). */
export const GIT_STATUS_MAX_FILES = 200;
/** `git_log`: commits listed when `max_count` is not given. */
export const GIT_LOG_DEFAULT_COUNT = 20;
/** `git_log`: the most commits one call lists. */
export const GIT_LOG_MAX_COUNT = 200;
/** `git_commit`'s approval: files listed before "and N more". */
export const APPROVAL_MAX_FILES = 50;
/** `git_commit`'s approval: milliseconds the file listing may take before the approval says it could not list them. */
export const APPROVAL_GIT_TIMEOUT_MS = 5000;
