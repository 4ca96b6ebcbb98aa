/**
 * Run handlers: `chat/send`, `run/cancel`, `run/resume`, `approval/respond`. (The `run/didChange`
 * stream is wired in server.ts.)
 */
import type { Connection } from 'vscode-languageserver/node';
import {
  ApprovalRespondRequest,
  ChatSendRequest,
  RunCancelRequest,
  RunResumeRequest,
} from '../../../protocol/run';
import type { EngineHost } from './engineHost';
import { answer } from './wireErrors';

/** Registers the run handlers. */
export function registerRunHandlers(connection: Connection, host: EngineHost): void {
  const log = (message: string): void => connection.console.error(message);

  connection.onRequest(ChatSendRequest, (params) =>
    answer(async () => {
      const started = await (await host.require()).send(params);
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
