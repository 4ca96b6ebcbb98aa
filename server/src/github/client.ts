/**
 * The GitHub REST calls of a pull request, on `@octokit/rest`: the repository (its default
 * branch), the open pull requests of a head branch, and creating one. Works against github.com
 * (`https://api.github.com`) and GitHub Enterprise Server (`https://HOST/api/v3`). Every call has
 * a time-out, and every failure becomes a {@link MocoError} `GitHubRequestFailed` that carries
 * GitHub's own message and status (docs.github.com/rest: error bodies are
 * `{message, documentation_url, errors?}`). The token is only handed to Octokit: it is never put
 * into a message or a log line.
 */
import { Octokit } from '@octokit/rest';
import { MocoErrorCodes } from '../../../protocol/errors';
import { MocoError } from '../orchestrator/errors';
import { mocoVersion } from '../version';

/** github.com's REST API. */
export const GITHUB_API_URL = 'https://api.github.com';

/** How long one GitHub request may take (ms). */
export const GITHUB_REQUEST_TIMEOUT_MS = 30_000;

/** How {@link createGitHubClient} reaches GitHub. */
export interface GitHubClientOptions {
  /** A token with the `repo` scope (OAuth) or Pull requests: write (fine-grained). */
  token: string;
  /** `moco.github.apiUrl` / `GITHUB_API_URL`; absent or '' for {@link GITHUB_API_URL}. */
  apiUrl?: string;
  /** Per request (ms). Default {@link GITHUB_REQUEST_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/** A repository on GitHub (`owner/repo`). */
export interface GitHubRepoRef {
  owner: string;
  repo: string;
}

/** A pull request, with the fields MOCO reports. */
export interface GitHubPullRequest {
  number: number;
  /** Its web page. */
  url: string;
  title: string;
  draft: boolean;
  /** Head branch name (without the owner). */
  head: string;
  /** Base branch name. */
  base: string;
}

/** What `POST /repos/{owner}/{repo}/pulls` is given. */
export interface NewPullRequest {
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
}

/** The three calls a pull request needs. Each throws {@link MocoError} `GitHubRequestFailed`, or `signal.reason`. */
export interface GitHubClient {
  /** The API's base URL in use. */
  readonly apiUrl: string;
  /** `GET /repos/{owner}/{repo}`: the default branch and the web page. */
  repository(ref: GitHubRepoRef, signal: AbortSignal): Promise<{ defaultBranch: string; url: string }>;
  /** `GET /repos/{owner}/{repo}/pulls?state=open&head=owner:branch`: the open pull request of `branch`, if any. */
  openPullRequest(ref: GitHubRepoRef, branch: string, signal: AbortSignal): Promise<GitHubPullRequest | undefined>;
  /** `POST /repos/{owner}/{repo}/pulls`. */
  createPullRequest(ref: GitHubRepoRef, pull: NewPullRequest, signal: AbortSignal): Promise<GitHubPullRequest>;
}

/** The API URL to use: `apiUrl` without a trailing slash, or {@link GITHUB_API_URL}. */
export function gitHubApiUrl(apiUrl: string | undefined): string {
  const trimmed = apiUrl?.trim().replace(/\/+$/, '');
  return trimmed || GITHUB_API_URL;
}

/**
 * An Octokit client with MOCO's user agent (`moco/<version>`, as GitHub asks every client to name
 * itself), the token, the API URL and a time-out per request.
 * @throws {MocoError} `InvalidRequest` when `apiUrl` is not an http(s) URL.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const apiUrl = gitHubApiUrl(options.apiUrl);
  if (!/^https?:\/\/[^/]/i.test(apiUrl)) {
    throw new MocoError(
      MocoErrorCodes.InvalidRequest,
      `The GitHub API URL ${JSON.stringify(apiUrl)} is not an http(s) URL. Set moco.github.apiUrl (or GITHUB_API_URL) to https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.`,
    );
  }
  const timeoutMs = options.timeoutMs ?? GITHUB_REQUEST_TIMEOUT_MS;
  const silent = (): void => undefined;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: apiUrl,
    userAgent: `moco/${mocoVersion}`,
    // Octokit's own warnings would reach the CLI's stdout or the server's stdio; failures come back as errors.
    log: { debug: silent, info: silent, warn: silent, error: silent },
  });
  const request = (signal: AbortSignal): { signal: AbortSignal } => ({ signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
  const call = async <T>(what: string, signal: AbortSignal, run: (options: { signal: AbortSignal }) => Promise<T>): Promise<T> => {
    try {
      return await run(request(signal));
    } catch (error) {
      signal.throwIfAborted();
      throw gitHubFailure(error, what, apiUrl, timeoutMs);
    }
  };
  return {
    apiUrl,
    repository: (ref, signal) =>
      call(`reading ${ref.owner}/${ref.repo}`, signal, async (req) => {
        const { data } = await octokit.rest.repos.get({ ...ref, request: req });
        return { defaultBranch: data.default_branch, url: data.html_url };
      }),
    openPullRequest: (ref, branch, signal) =>
      call(`listing the pull requests of ${ref.owner}/${ref.repo}`, signal, async (req) => {
        const { data } = await octokit.rest.pulls.list({ ...ref, state: 'open', head: `${ref.owner}:${branch}`, per_page: 10, request: req });
        const found = data.find((pull) => pull.head.ref === branch);
        return found ? toPullRequest(found) : undefined;
      }),
    createPullRequest: (ref, pull, signal) =>
      call(`opening a pull request on ${ref.owner}/${ref.repo}`, signal, async (req) => {
        const { data } = await octokit.rest.pulls.create({ ...ref, ...pull, request: req });
        return toPullRequest(data);
      }),
  };
}

interface WirePull {
  number: number;
  html_url: string;
  title: string;
  draft?: boolean;
  head: { ref: string };
  base: { ref: string };
}

function toPullRequest(data: WirePull): GitHubPullRequest {
  return { number: data.number, url: data.html_url, title: data.title, draft: data.draft === true, head: data.head.ref, base: data.base.ref };
}

/**
 * A failed GitHub call as `GitHubRequestFailed`: GitHub's message (with the messages of its
 * `errors[]`), the HTTP status, and what to do for the statuses a user can fix (401, 403, 404).
 */
export function gitHubFailure(error: unknown, what: string, apiUrl: string, timeoutMs: number): MocoError {
  const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined;
  const data = (error as { response?: { data?: unknown } }).response?.data;
  if (status === undefined || !data) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || (error as { cause?: { name?: string } }).cause?.name === 'TimeoutError');
    const reason = timedOut ? `no answer within ${timeoutMs / 1000} s` : error instanceof Error ? error.message : String(error);
    return new MocoError(MocoErrorCodes.GitHubRequestFailed, `GitHub could not be reached at ${apiUrl} while ${what} (${reason}). Check the network, and moco.github.apiUrl / GITHUB_API_URL for GitHub Enterprise.`);
  }
  const said = gitHubMessage(data);
  return new MocoError(MocoErrorCodes.GitHubRequestFailed, `GitHub answered ${status} while ${what}: ${said}. ${advice(status)}`.trim());
}

/** GitHub's `message`, with the `message` or `code` of each of its `errors[]`. */
function gitHubMessage(data: unknown): string {
  if (typeof data === 'string') return data.slice(0, 300) || 'no message';
  const body = data as { message?: unknown; errors?: unknown };
  const message = typeof body.message === 'string' ? body.message : 'no message';
  const details = Array.isArray(body.errors)
    ? body.errors.map((item: { message?: unknown; code?: unknown; field?: unknown }) =>
        typeof item.message === 'string' ? item.message : [item.field, item.code].filter((part) => typeof part === 'string').join(' '),
      )
    : [];
  const listed = details.filter((detail) => detail !== '');
  return listed.length > 0 ? `${message} (${listed.join('; ')})` : message;
}

function advice(status: number): string {
  switch (status) {
    case 401:
      return 'The GitHub token is wrong or has expired. Sign in to GitHub again when VS Code asks (MOCO: Create Pull Request), or set GITHUB_TOKEN to a valid token with the repo scope for the moco CLI.';
    case 403:
      return 'The GitHub token lacks the repo scope (or Pull requests: write for a fine-grained token), or a rate limit was hit. Use a token with the repo scope, or wait and try again.';
    case 404:
      return 'The repository does not exist on this GitHub, or the token cannot see it: check the remote URL, moco.github.apiUrl / GITHUB_API_URL, and that the token has the repo scope.';
    default:
      return '';
  }
}
