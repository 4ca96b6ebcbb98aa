/**
 * The CLI's answer to approval requests (issue 3, "Approval"): a question on the terminal, or a
 * denial when there is no terminal to ask on, unless `--yes` approves everything.
 */
import * as readline from 'node:readline/promises';
import pLimit from 'p-limit';
import { type ApprovalDecision } from '../../../protocol/run';
import { formatArguments } from './render/format';

/** A tool call waiting for the user's approval. */
export interface ApprovalRequest {
  /** Tool name, for example `write_file`. */
  toolName: string;
  /** Parsed arguments, or the raw text when they were not valid JSON. */
  arguments: unknown;
  /** Why approval is needed, in words for the user. */
  reason: string;
  /** The agent that wants to run the tool. */
  agent: string;
}

/**
 * Answers one approval request. Rejects with `signal.reason` when the signal aborts before the
 * answer (the run was cancelled).
 */
export type TerminalApprover = (
  request: ApprovalRequest,
  signal: AbortSignal,
) => Promise<ApprovalDecision>;

/** Options of {@link createTerminalApprover}. */
export interface TerminalApproverOptions {
  /** Where answers are read from (stdin). */
  input: NodeJS.ReadableStream;
  /** Where questions and notes are written (stderr when stdout carries `--json`). */
  output: NodeJS.WritableStream;
  /** Whether there is a user to ask (stdin and the output are a terminal). */
  isTTY: boolean;
  /** `--yes`: approve every call without asking. */
  yes: boolean;
  /**
   * The chat REPL's readline interface, to ask on it instead of opening a second one on the same
   * input. It is not closed.
   */
  readline?: readline.Interface;
  /**
   * Called just before a question is shown; the function it returns is called once it is answered
   * (pass the renderer's `suspend`, so the live tree does not draw over the question).
   */
  suspendOutput?: () => () => void;
  /** Called on Ctrl+C at the question (which itself answers `deny`), to cancel the run. */
  onInterrupt?: () => void;
}

/** The note written when there is no terminal: the call is denied, and `--yes` would approve it. */
export function noTerminalNote(request: ApprovalRequest): string {
  return (
    `Denied: ${request.agent} wants to run ${request.toolName}, which needs approval ` +
    `(${request.reason}), and there is no terminal to ask on. ` +
    'Run with --yes to approve tool calls without asking.'
  );
}

/** The question asked on a terminal. */
export function approvalQuestion(request: ApprovalRequest): string {
  return (
    `Allow ${request.agent} to run ${request.toolName} ${formatArguments(request.arguments)}? ` +
    '[y]es / [n]o / [a]lways for this session '
  );
}

/**
 * A decision from a typed answer: `y`/`yes` approve, `a`/`always` approve for the session,
 * `n`/`no` or an empty line deny (case-insensitive); `undefined` for anything else.
 */
export function parseApprovalAnswer(answer: string): ApprovalDecision | undefined {
  const word = answer.trim().toLowerCase();
  if (word === 'y' || word === 'yes') return 'approve';
  if (word === 'a' || word === 'always') return 'always';
  if (word === '' || word === 'n' || word === 'no') return 'deny';
  return undefined;
}

/**
 * Creates the approver of the CLI. With `yes` it approves; with no terminal it denies and writes
 * {@link noTerminalNote} to `output`; on a terminal it asks {@link approvalQuestion} until the
 * answer is one of y / n / a, one question at a time (parallel sub-agents wait their turn). End
 * of input or Ctrl+C answer `deny`.
 */
export function createTerminalApprover(options: TerminalApproverOptions): TerminalApprover {
  const oneAtATime = pLimit(1);
  return async (request, signal) => {
    signal.throwIfAborted();
    if (options.yes) return 'approve';
    if (!options.isTTY) {
      options.output.write(`${noTerminalNote(request)}\n`);
      return 'deny';
    }
    return untilAborted(
      oneAtATime(() => ask(request, options, signal)),
      signal,
    );
  };
}

async function ask(
  request: ApprovalRequest,
  options: TerminalApproverOptions,
  signal: AbortSignal,
): Promise<ApprovalDecision> {
  signal.throwIfAborted();
  const resume = options.suspendOutput?.();
  const rl =
    options.readline ??
    readline.createInterface({ input: options.input, output: options.output });
  try {
    options.output.write(`Approval needed: ${request.reason}\n`);
    for (;;) {
      const answer = await question(rl, approvalQuestion(request), options, signal);
      const decision = answer === undefined ? 'deny' : parseApprovalAnswer(answer);
      if (decision) return decision;
      options.output.write('Please answer y (yes), n (no) or a (always for this session).\n');
    }
  } finally {
    if (rl !== options.readline) rl.close();
    resume?.();
  }
}

/** The typed line; `undefined` on end of input or Ctrl+C. Rejects with `signal.reason` on abort. */
async function question(
  rl: readline.Interface,
  query: string,
  options: TerminalApproverOptions,
  signal: AbortSignal,
): Promise<string | undefined> {
  const listeners: Array<[event: 'close' | 'SIGINT', listener: () => void]> = [];
  const ended = new Promise<undefined>((resolve) => {
    listeners.push(['close', () => resolve(undefined)]);
    listeners.push([
      'SIGINT',
      () => {
        options.output.write('\n');
        options.onInterrupt?.();
        resolve(undefined);
      },
    ]);
    for (const [event, listener] of listeners) rl.once(event, listener);
  });
  try {
    return await Promise.race([rl.question(query, { signal }), ended]);
  } catch (error) {
    signal.throwIfAborted();
    throw error;
  } finally {
    for (const [event, listener] of listeners) rl.off(event, listener);
  }
}

/** `promise`'s value, or a rejection with `signal.reason` as soon as the signal aborts. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort = (): void => {};
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  if (signal.aborted) onAbort();
  try {
    const settled = await Promise.race([promise.then((value) => ({ value })), aborted]);
    if (settled === undefined) signal.throwIfAborted();
    return (settled as { value: T }).value;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
