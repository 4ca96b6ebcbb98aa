/**
 * Inline code review: the server runs the profile's reviewer agent and returns its findings, which
 * the editor shows as comment threads, problems and code actions; and it runs fixes. One typed
 * constant per message (CONVENTIONS.md §2).
 */
import { RequestType } from 'vscode-jsonrpc';
import type { GitRunFields } from './git';

/**
 * Severities, least to most severe (the order `--fail-on` compares by). Mapped to VS Code's
 * `DiagnosticSeverity`: critical, high → Error; medium → Warning; low, info → Information (not Hint,
 * which the Problems panel does not list).
 */
export const FindingSeverities = ['info', 'low', 'medium', 'high', 'critical'] as const;
/** One of {@link FindingSeverities}. */
export type FindingSeverity = (typeof FindingSeverities)[number];

/** One finding of a review, as validated by the server. */
export interface ReviewFinding {
  /**
   * Stable id: a hash of file, line range, category and message (hex, 16 characters), so the same
   * finding reported twice has the same id.
   */
  id: string;
  /** Path relative to the working directory, with `/` separators. */
  file: string;
  /** First line, 1-based. */
  startLine: number;
  /** Last line, 1-based, inclusive; ≥ `startLine`. */
  endLine: number;
  severity: FindingSeverity;
  /** What kind of problem: `bug`, `security`, `performance`, `style`, `maintainability`, `tests`... (free text, lower case). */
  category: string;
  /** What is wrong and why, in Markdown; one or a few sentences. */
  message: string;
  /**
   * The replacement for lines `startLine..endLine` (whole lines, without the last line's line
   * break); absent when the reviewer proposes none. '' deletes the lines.
   */
  suggestion?: string;
  /**
   * The text of lines `startLine..endLine` when the review was made, so that the finding can move
   * with its text when the file changes (and be dropped when the text is gone).
   */
  anchor: string;
}

/** What to review. Line numbers are 1-based and inclusive. */
export type ReviewTarget =
  | {
      kind: 'file';
      /** Path relative to the working directory, or absolute inside it. */
      file: string;
      /** The editor's text of the file (unsaved changes included); absent to read the file on disk. */
      content?: string;
    }
  | {
      kind: 'selection';
      file: string;
      startLine: number;
      endLine: number;
      /** As for `file`: the editor's text of the whole file. */
      content?: string;
    }
  | {
      /** The repository's changes: staged and unstaged against HEAD (everything, when there is no commit yet). Findings only on changed lines. */
      kind: 'changes';
    };

/** Params of `review/run`. */
export interface ReviewRunParams extends GitRunFields {
  /** Absolute path of the working directory (the workspace folder). */
  workingDir: string;
  target: ReviewTarget;
  /** The reviewer agent (`moco.review.agent`); absent for `code-reviewer`, then `security-reviewer`. */
  agent?: string;
}

/** A finding that was reported but not kept, and why. */
export interface SkippedFinding {
  /** For the user: `line 120–124 is outside src/a.ts (80 lines)`, `not valid JSON: Unexpected token`... */
  reason: string;
  /** The finding's text as the reviewer wrote it, cut to 500 characters. */
  text: string;
}

/** Result of `review/run`. */
export interface ReviewRunResult {
  /** The session and root run of the review (visible in the Agents view, with its cost). */
  sessionId: string;
  runId: string;
  /** The agent that reviewed, for example `code-reviewer`. */
  agent: string;
  /** The kept findings, most severe first, then by file and line. */
  findings: ReviewFinding[];
  /** Findings that were malformed, out of the file, or (for `changes`) not on a changed line. */
  skipped: SkippedFinding[];
  /**
   * The files this review looked at (relative to the working directory, `/` separators): the
   * editor replaces its earlier findings in exactly these files, so a file that now has none
   * loses its stale ones.
   */
  reviewedFiles: string[];
  /** Things the user should know: the diff was cut, the bundled reviewer was used... */
  notes: string[];
}

/**
 * `review/run` (client → server request): runs the reviewer agent on a file, a selection or the
 * git changes and answers with its findings once it has finished. Cancel with the request's token.
 * Errors: `ReviewAnswerInvalid` (no findings list in the answer at all), `NothingToCommit` (no
 * changes to review), `GitStateInvalid`, `UnknownAgent`, `InvalidRequest` (a file outside the
 * working directory, too large, binary), provider errors.
 */
export const ReviewRunRequest = new RequestType<ReviewRunParams, ReviewRunResult, void>('review/run');

/** Params of `review/fix`. */
export interface ReviewFixParams extends GitRunFields {
  /** Absolute path of the working directory the fixes are confined to (the findings' workspace folder). */
  workingDir: string;
  /** The findings to fix: one fix sub-agent each, in parallel, bounded by the profile's `max_parallel_tasks`. */
  findings: ReviewFinding[];
  /** The chat session to run in; absent for a new session. */
  sessionId?: string;
}

/** Result of `review/fix`: the fix run has started; its events follow on `run/didChange`. */
export interface ReviewFixResult {
  /** The session the tree runs in: `params.sessionId`, or a new one. */
  sessionId: string;
  /** The root node, whose children are the fix runs (one per finding). */
  runId: string;
}

/**
 * `review/fix` (client → server request): starts one run tree whose root starts one fix sub-agent
 * per finding, in parallel. Answers once the tree has started. Errors as `chat/send`.
 */
export const ReviewFixRequest = new RequestType<ReviewFixParams, ReviewFixResult, void>('review/fix');
