/**
 * Git requests between the editor and the server: the commit message written into a repository's
 * SCM input box, and pull requests. One typed constant per message (CONVENTIONS.md §2). The git
 * work itself (diffs, conventions, commits, pushes) runs in the server with `simple-git`; the
 * editor only names the repository (the built-in `vscode.git` extension's `Repository.rootUri`).
 */
import { ProgressType, RequestType, type ProgressToken } from 'vscode-jsonrpc';
import type { Usage } from './usage';

/**
 * The run fields a git request shares with `chat/send` (protocol/run.ts `ChatSendParams`): which
 * profile, provider, model and endpoint write the text. Absent fields fall back to the defaults.
 */
export interface GitRunFields {
  /** Profile name, for example `development`. */
  profile?: string;
  /** Provider name, optionally with a model: `openrouter` or `zai/glm-4.7`. */
  provider?: string;
  /** Model name; overrides the one in `provider`. */
  model?: string;
  /** Base URL of the provider's OpenAI-compatible API (`moco.provider.baseUrl`). */
  baseURL?: string;
}

/** Params of `git/commitMessage`. */
export interface CommitMessageParams extends GitRunFields {
  /** Absolute path of the repository's root folder (`Repository.rootUri.fsPath`). */
  repositoryPath: string;
  /**
   * `moco.git.commitLanguage`: the language to write in, for example `English` or `Deutsch`;
   * absent or '' for the language of the recent commits (English when there are none).
   */
  language?: string;
  /** LSP partial results: the message's text arrives as {@link CommitMessageProgress} values. */
  partialResultToken?: ProgressToken;
}

/** One partial result of `git/commitMessage`: the next piece of the message's text. */
export interface CommitMessagePartial {
  /** Text to append to what came before. */
  delta: string;
  /**
   * True when the provider retried and the text given so far is void: the receiver clears what
   * it has shown before appending `delta`.
   */
  reset?: boolean;
}

/** Result of `git/commitMessage`. */
export interface CommitMessageResult {
  /** The finished message: subject line, blank line, body; no code fences, no trailing newline. */
  message: string;
  /** What it describes: the staged changes, or all changes when nothing was staged. */
  scope: 'staged' | 'all';
  /**
   * Repository-relative paths of the files it describes (a rename's old and new names), so that
   * a commit of `scope: 'all'` can stage exactly these and not a file created since.
   */
  files: string[];
  /**
   * Things the user should know, one sentence each: the diff was cut to fit the model's context
   * (and how much), files only summarised (lockfiles, generated, vendored, binary), commitlint
   * rules the message breaks.
   */
  notes: string[];
  /** Tokens of the model call. */
  usage: Usage;
  /** USD of the model call, from the model table (0 when the price is unknown). */
  costUsd: number;
}

/** The progress type of `git/commitMessage`'s partial results. */
export const CommitMessageProgress = new ProgressType<CommitMessagePartial>();

/**
 * `git/commitMessage` (client → server request): writes a commit message for the repository's
 * staged changes (all changes when nothing is staged), following its conventions. Streams the
 * text as partial results; cancel with the request's cancellation token. Errors: `NothingToCommit`,
 * `GitStateInvalid` (not a repository, merge conflicts), provider errors (protocol/errors.ts).
 */
export const CommitMessageRequest = new RequestType<CommitMessageParams, CommitMessageResult, void>('git/commitMessage');

/** Params of `pr/create`. */
export interface PullRequestCreateParams extends GitRunFields {
  /** Absolute path of the repository's root folder. */
  repositoryPath: string;
  /** Open the pull request as a draft. */
  draft: boolean;
  /** Base branch; absent for the GitHub repository's default branch. */
  base?: string;
  /**
   * Head branch to push; absent for the current branch, or a new `moco/<slug>` branch when the
   * current branch is the base branch (or HEAD is detached).
   */
  branch?: string;
  /** `moco.git.commitLanguage`, as for commit messages. */
  language?: string;
  /** `moco.github.apiUrl`; absent or '' for `https://api.github.com`. */
  apiUrl?: string;
}

/** Result of `pr/create`. */
export interface PullRequestCreateResult {
  /** The pull request's web page (`html_url`). */
  url: string;
  /** Its number on GitHub. */
  number: number;
  title: string;
  /** Head branch that was pushed. */
  branch: string;
  /** Base branch. */
  base: string;
  draft: boolean;
  /** True when MOCO created the head branch; false when it reused the current one. */
  createdBranch: boolean;
  /** True when a pull request for this branch existed already and was returned, not created. */
  existing: boolean;
}

/**
 * `pr/create` (client → server request): creates or reuses a branch, pushes it, writes a title and
 * body from the commits and the diff (filling `.github/pull_request_template.md` when there is
 * one), and opens the pull request on GitHub. The token comes from `github/session` in the editor,
 * `GITHUB_TOKEN` in the CLI. Errors: `GitRemoteMissing`, `NoCommitsAhead`, `GitHubAuthRequired`,
 * `GitHubRequestFailed`, `GitStateInvalid`, provider errors.
 */
export const PullRequestCreateRequest = new RequestType<PullRequestCreateParams, PullRequestCreateResult, void>('pr/create');

/** Params of `github/session`. */
export interface GitHubSessionParams {
  /** OAuth scopes, for example `['repo']`. */
  scopes: string[];
  /** Ask the user to sign in when there is no session (true for a command the user started). */
  createIfNone: boolean;
}

/** Result of `github/session`: absent fields when the user has no session or declined. */
export interface GitHubSessionResult {
  /** The OAuth token; kept in memory for one request only, never stored or logged. */
  accessToken?: string;
  /** The account's label, for example the GitHub login. */
  account?: string;
}

/**
 * `github/session` (server → client request): a GitHub token from VS Code's GitHub authentication
 * provider (`vscode.authentication.getSession('github', scopes)`). A client without a handler (the
 * CLI has none) answers `MethodNotFound`; the server then uses `GITHUB_TOKEN`.
 */
export const GitHubSessionRequest = new RequestType<GitHubSessionParams, GitHubSessionResult, void>('github/session');
