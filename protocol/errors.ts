/**
 * Numeric error codes carried by JSON-RPC `ResponseError`s between the client and the server.
 *
 * JSON-RPC 2.0 reserves -32768..-32000 and LSP reserves -32899..-32800, so MOCO's own codes live
 * in the positive range 1000..1999 (source: https://www.jsonrpc.org/specification#error_object).
 * Every code here is the one place its number is written; client and server import it.
 */
export const MocoErrorCodes = {
  /**
   * The server's storage folder could not be created or written. `data` is a
   * {@link StorageUnavailableData}. The user fixes it by making the folder writable.
   */
  StorageUnavailable: 1001,
  /** The request itself cannot be carried out: an empty message, a working directory that is missing. */
  InvalidRequest: 1002,
  /** A profile file is malformed. The message names the file, the line and what to write. */
  ProfileInvalid: 1101,
  /** No profile of that name in the search path. The message lists the profiles found. */
  ProfileNotFound: 1102,
  /** No agent of that name in the profile. The message lists the valid names. */
  UnknownAgent: 1103,
  /** No provider could be chosen or it lacks its key. The message names the variable to set. */
  ProviderNotConfigured: 1201,
  /** The provider could not be reached, kept failing, or its circuit is open. */
  ProviderUnavailable: 1202,
  /** The model cannot do what the run needs (no tool calls, context too small). */
  ModelUnsuitable: 1203,
  /** The provider's answer was malformed or its stream was cut, and retries did not help. */
  ProviderResponseInvalid: 1204,
  /** The provider refused the request (bad key, bad model name, bad request). */
  ProviderRejected: 1205,
  /** No session with that id. */
  SessionNotFound: 1301,
  /** No run with that id. */
  RunNotFound: 1302,
  /** The run is not interrupted, so there is nothing to resume. */
  RunNotResumable: 1303,
  /** The session already has a run in progress. */
  RunInProgress: 1304,
  /** The run tree's token or USD budget is spent. */
  BudgetExceeded: 1401,
  /** A limit (max turns, input or output length) stopped the run. */
  LimitReached: 1402,
  /**
   * A git operation cannot be done in this repository as it is: not a repository, merge conflicts,
   * a detached HEAD where a branch is needed, a repository with no commits where one is needed.
   * The message says what is wrong and what to do.
   */
  GitStateInvalid: 1601,
  /** There is nothing to describe or commit: no staged and no unstaged changes. */
  NothingToCommit: 1602,
  /** The repository has no remote to push to, or none on GitHub. */
  GitRemoteMissing: 1603,
  /** The branch has no commits ahead of the base branch, so there is nothing to open a pull request for. */
  NoCommitsAhead: 1604,
  /** No GitHub token: the editor's GitHub sign-in was declined, or the CLI has no `GITHUB_TOKEN`. */
  GitHubAuthRequired: 1611,
  /** GitHub refused or failed the request; the message carries GitHub's own message and status. */
  GitHubRequestFailed: 1612,
  /** The reviewer's answer held no usable findings list at all (each bad finding alone is skipped, not an error). */
  ReviewAnswerInvalid: 1621,
  /** An unexpected error inside the server; the log has the stack. */
  Internal: 1500,
} as const;

/** One of {@link MocoErrorCodes}. */
export type MocoErrorCode = (typeof MocoErrorCodes)[keyof typeof MocoErrorCodes];

/** `data` of a {@link MocoErrorCodes.StorageUnavailable} error. */
export interface StorageUnavailableData {
  /** Absolute path of the folder that could not be used. */
  storagePath: string;
  /** The Node.js error code of the failure, for example `EACCES`, `ENOTDIR` or `EROFS`. */
  errno: string;
}
