/**
 * Run handlers: `chat/send`, `review/fix`, `run/cancel`, `run/resume`, `approval/respond`. (The
 * `run/didChange` stream is wired in server.ts.)
 */
import { ResponseError, type Connection } from 'vscode-languageserver/node';
import { MocoErrorCodes } from '../../../protocol/errors';
import {
  ApprovalRespondRequest,
  ChatSendRequest,
  RunCancelRequest,
  RunResumeRequest,
} from '../../../protocol/run';
import { ReviewFixRequest } from '../../../protocol/review';
import type { EngineHost } from './engineHost';
import { answer } from './wireErrors';

/** Registers the run handlers. */
export function registerRunHandlers(connection: Connection, host: EngineHost): void {
  const log = (message: string): void => connection.console.error(message);

  connection.onRequest(ChatSendRequest, (params) =>
    answer(async () => {
      await assertNoTask(host, params.sessionId);
      const started = await (await host.require()).send(params);
      return { sessionId: started.sessionId, runId: started.runId };
    }, log),
  );
  connection.onRequest(ReviewFixRequest, (params) =>
    answer(async () => {
      await assertNoTask(host, params.sessionId);
      const started = await (await host.require()).fixFindings(params);
      return { sessionId: started.sessionId, runId: started.runId };
    }, log),
  );
  connection.onRequest(RunCancelRequest, (params) => answer(async () => ({ cancelled: (await host.require()).cancel(params.runId) }), log));
  connection.onRequest(RunResumeRequest, (params) =>
    answer(async () => {
      const started = await (await host.require()).resume(params.runId);
      return { sessionId: started.sessionId, runId: started.runId };
    }, log),
  );
  connection.onRequest(ApprovalRespondRequest, (params) =>
    answer(async () => ({ accepted: (await host.require()).respondApproval(params.approvalId, params.decision) }), log),
  );
}

/**
 * A background task's process runs its session's tree: a second run there would interleave.
 * @throws {ResponseError} `RunInProgress` when `sessionId` is a task that still runs.
 */
async function assertNoTask(host: EngineHost, sessionId: string | undefined): Promise<void> {
  if (sessionId && (await host.requireTasks()).isActive(sessionId)) {
    throw new ResponseError(MocoErrorCodes.RunInProgress, 'This background task is still running. Wait for it or cancel it first.');
  }
}
