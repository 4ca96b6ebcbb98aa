/**
 * `review/run` and `moco review`: prepares what to review (subject.ts), starts the profile's
 * reviewer agent on it as a new session (`@<agent> <task>`, so the run shows in the Agents view
 * with its cost), waits for its final answer and reads the findings out of it (answer.ts,
 * findings.ts).
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import type { ReviewRunParams, ReviewRunResult } from '../../../protocol/review';
import type { ChatSendParams, RunNode } from '../../../protocol/run';
import type { MocoEngine, StartedRun } from '../engine/engine';
import { resolveWorkingDir } from '../engine/sendTarget';
import { CancelledError, MocoError } from '../orchestrator/errors';
import { findAgent } from '../profiles';
import { readAnswerItems } from './answer';
import { mapFindings } from './findings';
import { prepareSubject } from './subject';

/** What a review needs of the engine. */
export type ReviewEngine = Pick<MocoEngine, 'send' | 'cancel' | 'resolveTarget'>;

/** The reviewer agents looked for in the profile, in this order, when the request names none. */
export const REVIEWER_AGENTS = ['code-reviewer', 'security-reviewer'] as const;

/** The bundled profile whose `code-reviewer` reviews when the chosen profile has no reviewer. */
export const FALLBACK_REVIEW_PROFILE = 'code';

/** Characters of a reviewer's answer quoted in a `ReviewAnswerInvalid` error. */
const QUOTED_ANSWER_CHARS = 300;

/** The reviewer chosen: its agent name, the profile to send to, and what the user should know. */
interface Reviewer {
  agent: string;
  profile?: string;
  notes: string[];
}

/**
 * Runs a review and returns its findings.
 *
 * @param signal aborting it cancels the reviewer's run, waits for it to end, and rejects with the
 *   signal's reason.
 * @throws {MocoError} `InvalidRequest` (working directory, file or selection), `GitStateInvalid`
 *   and `NothingToCommit` (changes), `UnknownAgent` (an unknown `params.agent`, listing the
 *   profile's agents), profile and provider errors, the root's own error when the reviewer's run
 *   failed, `ReviewAnswerInvalid` when its answer holds no findings block; {@link CancelledError}
 *   when the run was cancelled from elsewhere (`run/cancel`).
 */
export async function runReview(engine: ReviewEngine, params: ReviewRunParams, signal: AbortSignal): Promise<ReviewRunResult> {
  signal.throwIfAborted();
  const workingDir = await resolveWorkingDir(params.workingDir);
  const subject = await prepareSubject(workingDir, params.target, signal);
  const fields = runFields(params);
  const reviewer = await chooseReviewer(engine, { ...fields, text: 'review', workingDir }, params.agent);
  signal.throwIfAborted();
  const started = await engine.send({
    ...fields,
    ...(reviewer.profile ? { profile: reviewer.profile } : {}),
    text: `@${reviewer.agent} ${subject.task}`,
    workingDir,
  });
  const root = await untilDone(engine, started, signal);
  const answer = reviewAnswer(root, reviewer.agent);
  const items = readAnswerItems(answer);
  if (!items) {
    const quoted = answer.trim() === '' ? 'nothing' : `"${cut(answer.trim().replace(/\s+/g, ' '), QUOTED_ANSWER_CHARS)}"`;
    throw new MocoError(
      MocoErrorCodes.ReviewAnswerInvalid,
      `The reviewer ${reviewer.agent} answered without a findings block (a fenced json block of findings), so no finding could be read. It answered ${quoted}. Run the review again, or use another model; session ${started.sessionId} holds the whole answer.`,
    );
  }
  const { findings, skipped } = mapFindings(items, subject.scope);
  return {
    sessionId: started.sessionId,
    runId: started.runId,
    agent: reviewer.agent,
    findings,
    skipped,
    reviewedFiles: subject.reviewedFiles,
    notes: [...reviewer.notes, ...subject.notes],
  };
}

/** The profile, provider, model and base URL of the request, without absent fields. */
function runFields(params: ReviewRunParams): Omit<ChatSendParams, 'text'> {
  return {
    ...(params.profile ? { profile: params.profile } : {}),
    ...(params.provider ? { provider: params.provider } : {}),
    ...(params.model ? { model: params.model } : {}),
    ...(params.baseURL ? { baseURL: params.baseURL } : {}),
  };
}

/**
 * The reviewer: `agent` when given (matched case-insensitively), else the chosen profile's
 * `code-reviewer`, else its `security-reviewer`, else the bundled `code` profile's `code-reviewer`
 * (said in a note). The chosen profile is the one a send would use (the request's, `MOCO_PROFILE`,
 * or `default`), resolved by the engine.
 * @throws {UnknownAgentError} `UnknownAgent` for an unknown `agent`; profile and provider errors.
 */
async function chooseReviewer(engine: ReviewEngine, send: ChatSendParams, agent: string | undefined): Promise<Reviewer> {
  const { profile } = await engine.resolveTarget(send);
  if (agent) return { agent: findAgent(profile, agent).name, notes: [] };
  for (const name of REVIEWER_AGENTS) {
    const found = profile.agents.find((candidate) => candidate.name.toLowerCase() === name);
    if (found) return { agent: found.name, notes: [] };
  }
  return {
    agent: REVIEWER_AGENTS[0],
    profile: FALLBACK_REVIEW_PROFILE,
    notes: [
      `The profile ${profile.name} has no code-reviewer or security-reviewer agent, so the ${FALLBACK_REVIEW_PROFILE} profile's code-reviewer reviewed. Add agents/code-reviewer.md to ${profile.name}, or choose a reviewer (moco.review.agent, --agent), to use your own.`,
    ],
  };
}

/** Waits for the root of a started run, cancelling it when `signal` aborts. */
async function untilDone(engine: ReviewEngine, started: StartedRun, signal: AbortSignal): Promise<RunNode> {
  const cancel = (): void => void engine.cancel(started.runId);
  signal.addEventListener('abort', cancel, { once: true });
  if (signal.aborted) cancel();
  try {
    const root = await started.done;
    signal.throwIfAborted();
    return root;
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/** The final answer of a finished root. @throws its error when it failed or was cancelled. */
function reviewAnswer(root: RunNode, agent: string): string {
  if (root.status === 'done') return root.result ?? '';
  if (root.status === 'cancelled') throw new CancelledError('The review was cancelled.');
  const error = root.error;
  throw new MocoError(error?.code ?? MocoErrorCodes.Internal, `The review by ${agent} ${root.status === 'failed' ? 'failed' : `ended ${root.status}`}: ${error?.message ?? 'no reason was given'}`);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
