/**
 * Run handlers: `chat/send`, `run/cancel`, `run/resume`, `approval/respond`, and the
 * `run/didChange` stream of stored events.
 */
import type { Connection } from 'vscode-languageserver/node';
import {
  ApprovalRespondRequest,
  ChatSendRequest,
  RunCancelRequest,
  RunDidChangeNotification,
  RunResumeRequest,
} from '../../../protocol/run';
import type { EngineHost } from './engineHost';
import { answer } from './wireErrors';

/** Registers the run handlers. Events are forwarded for every engine the host opens. */
export function registerRunHandlers(connection: Connection, host: EngineHost): void {
  const log = (message: string): void => connection.console.error(message);

  connection.onRequest(ChatSendRequest, (params) =>
    answer(async () => {
      const started = await host.require().send(params);
      return { sessionId: started.sessionId, runId: started.runId };
    }, log),
  );
  connection.onRequest(RunCancelRequest, (params) => answer(() => ({ cancelled: host.require().cancel(params.runId) }), log));
  connection.onRequest(RunResumeRequest, (params) =>
    answer(async () => {
      const started = await host.require().resume(params.runId);
      return { sessionId: started.sessionId, runId: started.runId };
    }, log),
  );
  connection.onRequest(ApprovalRespondRequest, (params) =>
    answer(() => ({ accepted: host.require().respondApproval(params.approvalId, params.decision) }), log),
  );
}

/** Forwards an engine's stored event batches as `run/didChange` notifications. */
export function forwardRunEvents(connection: Connection, host: EngineHost): void {
  host.require().onEvents((sessionId, events) => {
    void connection.sendNotification(RunDidChangeNotification, { sessionId, events });
  });
}
