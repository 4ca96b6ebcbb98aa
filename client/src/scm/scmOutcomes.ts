/**
 * What the user sees after `MOCO: Generate Commit Message` and `MOCO: Create Pull Request`: the
 * messages for their results and failures, and the draft question's choices. Pure (no `vscode`),
 * unit-tested; commitMessage.ts and pullRequest.ts show them.
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import type { PullRequestCreateResult } from '../../../protocol/git';
import { REQUEST_CANCELLED } from '../commands/errorActions';

/** How a failure is shown. */
export type FailureDisplay =
  /** A cancellation: nothing is shown. */
  | { kind: 'none' }
  /** A notification of that severity with the message and no buttons. */
  | { kind: 'information' | 'warning' | 'error'; message: string }
  /** `GitHubAuthRequired`: an error with a "Sign in to GitHub" button that signs in and retries. */
  | { kind: 'signIn'; message: string }
  /** Anything else: the project's error display (showError.ts), with its fixes as buttons, after `prefix`. */
  | { kind: 'withActions'; prefix: string };

/** Shown when there is nothing to describe (`NothingToCommit`); the input box is left as it was. */
export const NothingToCommitMessage = 'No changes to describe.';
/** The button of a `signIn` failure. */
export const SignInLabel = 'Sign in to GitHub';
/** The button of a pull request's message that opens its page. */
export const OpenLabel = 'Open';

/**
 * How a failed `git/commitMessage` is shown.
 * @param code the error's `MocoErrorCodes` code (or JSON-RPC's), `undefined` for a local error.
 * @param message the error's message: the server's words, which say what to do.
 */
export function commitMessageFailure(code: number | undefined, message: string): FailureDisplay {
  switch (code) {
    case REQUEST_CANCELLED:
      return { kind: 'none' };
    case MocoErrorCodes.NothingToCommit:
      return { kind: 'information', message: NothingToCommitMessage };
    case MocoErrorCodes.GitStateInvalid:
      return { kind: 'error', message: `Could not write the commit message. ${message}` };
    default:
      return { kind: 'withActions', prefix: 'Could not write the commit message.' };
  }
}

/**
 * How a failed `pr/create` is shown. The git and GitHub errors carry the server's words (no remote,
 * no commits ahead, not signed in); provider errors get the provider fixes.
 */
export function pullRequestFailure(code: number | undefined, message: string): FailureDisplay {
  const prefix = 'Could not open the pull request.';
  switch (code) {
    case REQUEST_CANCELLED:
      return { kind: 'none' };
    case MocoErrorCodes.GitHubAuthRequired:
      return { kind: 'signIn', message: `${prefix} ${message}` };
    case MocoErrorCodes.NoCommitsAhead:
      return { kind: 'warning', message: `${prefix} ${message}` };
    case MocoErrorCodes.GitRemoteMissing:
    case MocoErrorCodes.GitStateInvalid:
      return { kind: 'error', message: `${prefix} ${message}` };
    default:
      return { kind: 'withActions', prefix };
  }
}

/**
 * The notification for an opened pull request: `Pull request #12 opened: Add French greetings`,
 * `Draft pull request #12 opened: …`, or `Pull request #12 is already open: …` when one existed
 * for the branch.
 */
export function pullRequestOpenedMessage(result: Pick<PullRequestCreateResult, 'number' | 'title' | 'draft' | 'existing'>): string {
  const kind = result.draft ? 'Draft pull request' : 'Pull request';
  return result.existing ? `${kind} #${result.number} is already open: ${result.title}` : `${kind} #${result.number} opened: ${result.title}`;
}

/**
 * The `notes` of a commit message (the diff was cut, files only summarised, commitlint rules
 * broken) as one notification, `undefined` when there are none.
 */
export function commitNotesMessage(notes: readonly string[]): string | undefined {
  const said = notes.map((n) => n.trim()).filter(Boolean);
  return said.length === 0 ? undefined : `MOCO's commit message: ${said.join(' ')}`;
}

/** A choice of the "Open as draft?" quick pick. */
export interface DraftChoice {
  label: string;
  description: string;
  draft: boolean;
}

/**
 * The "Open as draft?" choices, Ready for review first, and the one to preselect.
 * @param draftByDefault `moco.github.draftPullRequests`.
 */
export function draftChoices(draftByDefault: boolean): { items: DraftChoice[]; active: DraftChoice } {
  const ready: DraftChoice = { label: 'Ready for review', description: 'open for review and merging', draft: false };
  const draft: DraftChoice = { label: 'Draft', description: 'a work in progress: not mergeable until marked ready for review', draft: true };
  return { items: [ready, draft], active: draftByDefault ? draft : ready };
}
