/**
 * The commit-message prompt: everything but the model call. Which changes it describes (the staged
 * ones, or all of them when nothing is staged), the repository's conventions, and the diff cut to
 * what is left of the model's context window.
 */
import * as path from 'node:path';
import { MocoErrorCodes } from '../../../protocol/errors';
import type { ChatMessage } from '../../../protocol/run';
import { MocoError } from '../orchestrator/errors';
import { describeConventions, readConventions, type CommitConventions } from './conventions';
import { renderRange, type DiffSection } from './diffContext';
import { estimateTokens } from './diffRender';
import { diffBase, openRepository, requireResolvedState, type Repository, type RepositoryState } from './repository';

/** Output tokens asked of the model: a subject and a short body (about 1,600 characters). */
export const COMMIT_MAX_OUTPUT_TOKENS = 400;
/** Tokens kept free besides the answer, for the estimate's error and the wire format's overhead. */
const CONTEXT_MARGIN_TOKENS = 512;
/** Diff tokens given to the model at most, whatever its window: a message needs no more, and it bounds the cost. */
export const DIFF_MAX_TOKENS = 100_000;

/** What the prompt is built for. */
export interface CommitPromptOptions {
  /** The model's context window (tokens), from the model table (`lookupModel`). */
  contextWindow: number;
  /** `moco.git.commitLanguage`; absent or '' for the recent commits' language. */
  language?: string;
}

/** A built prompt, with what it describes. */
export interface CommitPrompt {
  repository: Repository;
  state: RepositoryState;
  /** System prompt, then the user message with conventions and diff. */
  messages: ChatMessage[];
  /** The staged changes, or all changes (tracked and untracked) when nothing was staged. */
  scope: 'staged' | 'all';
  conventions: CommitConventions;
  diff: DiffSection;
}

/** The system prompt: what a good message is, and the answer's shape. */
export const COMMIT_SYSTEM_PROMPT = [
  'You write git commit messages.',
  'Answer with the commit message only: no code fences, no label such as "Commit message:", no explanation before or after.',
  'Shape: a subject line (imperative mood, at most 72 characters, no full stop), then a blank line, then a body that says what changed and why, wrapped at 72 characters.',
  'Leave the body out when the subject says it all.',
  'Describe only what the diff shows. Files listed as summarised were not quoted: describe them by their names and line counts only.',
  "The repository's conventions below come first when they differ from this shape.",
].join('\n');

function headLine(repo: Repository, state: RepositoryState, scope: 'staged' | 'all'): string {
  const where = !state.hasCommits
    ? 'a new repository with no commits yet (this will be its first commit)'
    : state.detached
      ? 'a detached HEAD'
      : `the branch ${state.branch ?? ''}`;
  const what =
    scope === 'staged'
      ? 'Describe the staged changes below.'
      : 'Nothing is staged: describe all the changes below (modified and new files); all of them will be committed.';
  return `Repository ${path.basename(repo.root)}, on ${where}. ${what}`;
}

function userMessage(head: string, conventions: string, diff: string): string {
  return `${head}\n\nConventions:\n${conventions}\n\nThe diff:\n${diff}`;
}

/**
 * Builds the prompt for the repository that holds `repositoryPath`.
 * @throws {MocoError} `GitStateInvalid` (not a repository, unresolved merge conflicts);
 *   `NothingToCommit` when there are no changes at all; the signal's reason when aborted.
 */
export async function buildCommitPrompt(repositoryPath: string, options: CommitPromptOptions, signal: AbortSignal): Promise<CommitPrompt> {
  const repository = await openRepository(repositoryPath, signal);
  const [state, conventions] = await Promise.all([requireResolvedState(repository, signal), readConventions(repository.root, undefined, signal)]);
  const base = await diffBase(repository, state, signal);
  const conventionText = describeConventions(conventions, options.language);
  // What is left of the window once the answer, the margin and the rest of the prompt are counted.
  const fixed = estimateTokens(COMMIT_SYSTEM_PROMPT) + estimateTokens(userMessage(headLine(repository, state, 'all'), conventionText, ''));
  const budget = Math.min(DIFF_MAX_TOKENS, options.contextWindow - COMMIT_MAX_OUTPUT_TOKENS - CONTEXT_MARGIN_TOKENS - fixed);

  let scope: 'staged' | 'all' = state.hasStaged ? 'staged' : 'all';
  let diff = await renderRange(repository, { kind: scope }, base, budget, signal);
  if (scope === 'staged' && diff.filesShown + diff.filesSummarised === 0) {
    scope = 'all';
    diff = await renderRange(repository, { kind: 'all' }, base, budget, signal);
  }
  if (diff.filesShown + diff.filesSummarised === 0) {
    throw new MocoError(MocoErrorCodes.NothingToCommit, `No changes to describe in ${repository.root}: stage or make a change first.`);
  }
  const messages: ChatMessage[] = [
    { role: 'system', content: COMMIT_SYSTEM_PROMPT },
    { role: 'user', content: userMessage(headLine(repository, state, scope), conventionText, diff.text) },
  ];
  return { repository, state, messages, scope, conventions, diff };
}
