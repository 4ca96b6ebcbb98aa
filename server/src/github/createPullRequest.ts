/**
 * `pr/create` and `moco pr create`: a pull request whose title and body a model writes from the
 * commits and the diff, filling the repository's template. The checks, the push and the GitHub
 * calls are pullRequest.ts's; this adds the model call.
 */
import type { PullRequestCreateParams, PullRequestCreateResult } from '../../../protocol/git';
import type { MocoEngine } from '../engine/engine';
import { diffSection } from '../git/diffContext';
import type { AheadCommit } from './branches';
import { preparePullRequest, publishPullRequest, type PreparedPullRequest, type PullRequestText } from './pullRequest';
import { parsePullRequestText, pullRequestPrompt, TITLE_MAX_CHARS } from './prText';
import { findPullRequestTemplate } from './template';

/** Estimated tokens of the diff in the prompt; the rest of a small model's context is left for the answer. */
export const PR_DIFF_MAX_TOKENS = 12_000;

/** Output tokens the model may write: a long template filled in. */
const PR_MAX_OUTPUT_TOKENS = 4_000;

/** What of the engine a pull request needs. */
export type PullRequestEngine = Pick<MocoEngine, 'modelFor' | 'githubToken'>;

/**
 * Opens a pull request for the repository at `params.repositoryPath`: checks it (preparePullRequest),
 * has the model write the title and body (in `params.language` when given; not when a pull
 * request of the branch is open already, which is returned as it is), then pushes and opens it.
 * @param interactive whether the user may be asked to sign in to GitHub (a command they started).
 * @throws {MocoError} the errors of preparePullRequest and publishPullRequest, and the provider's
 *   (`ProviderNotConfigured`...); the signal's reason.
 */
export async function createPullRequest(engine: PullRequestEngine, params: PullRequestCreateParams, interactive: boolean, signal: AbortSignal): Promise<PullRequestCreateResult> {
  const prepared = await preparePullRequest(
    {
      repositoryPath: params.repositoryPath,
      ...(params.base ? { base: params.base } : {}),
      ...(params.branch ? { branch: params.branch } : {}),
      ...(params.apiUrl ? { apiUrl: params.apiUrl } : {}),
    },
    () => engine.githubToken(interactive),
    signal,
  );
  const text = prepared.existing ? undefined : await writePullRequestText(engine, params, prepared, signal);
  return publishPullRequest(prepared, text, params.draft, signal);
}

/**
 * The title and body, written by the model of `params` (profile, provider, model, base URL) from
 * the commits, the diff (`git diff base...head`, cut to {@link PR_DIFF_MAX_TOKENS}) and the template.
 * An answer without a title falls back to the commits (title from the oldest, body listing all).
 */
export async function writePullRequestText(engine: Pick<MocoEngine, 'modelFor'>, params: PullRequestCreateParams, prepared: PreparedPullRequest, signal: AbortSignal): Promise<PullRequestText> {
  const { binding } = await engine.modelFor({
    text: 'Write the title and description of a pull request.',
    workingDir: prepared.root,
    ...(params.profile ? { profile: params.profile } : {}),
    ...(params.provider ? { provider: params.provider } : {}),
    ...(params.model ? { model: params.model } : {}),
    ...(params.baseURL ? { baseURL: params.baseURL } : {}),
  });
  const tip = prepared.createBranch ? 'HEAD' : `refs/heads/${prepared.branch}`;
  const [diff, template] = await Promise.all([
    diffSection(prepared.root, { kind: 'between', from: prepared.baseRef, to: tip }, PR_DIFF_MAX_TOKENS, signal),
    findPullRequestTemplate(prepared.root, signal),
  ]);
  const messages = pullRequestPrompt({
    branch: prepared.branch,
    base: prepared.base,
    commits: prepared.commits,
    diff: diff.text,
    diffNotes: diff.notes,
    ...(template ? { template } : {}),
    ...(params.language ? { language: params.language } : {}),
  });
  const response = await binding.provider.complete({ model: binding.model, messages, tools: [], maxOutputTokens: PR_MAX_OUTPUT_TOKENS }, { onDelta: () => undefined }, signal);
  return parsePullRequestText(response.text) ?? fallbackText(prepared.commits);
}

/** Title and body from the commits alone, newest last. */
function fallbackText(commits: AheadCommit[]): PullRequestText {
  const oldest = commits.at(-1)?.subject ?? 'Changes';
  const title = oldest.length > TITLE_MAX_CHARS ? oldest.slice(0, TITLE_MAX_CHARS) : oldest;
  return { title, body: [...commits].reverse().map((commit) => `- ${commit.subject}`).join('\n') };
}
