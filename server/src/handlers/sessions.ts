/** Session and profile handlers: `sessions/*` and `profiles/list`. */
import { ResponseError, type Connection } from 'vscode-languageserver/node';
import { MocoErrorCodes } from '../../../protocol/errors';
import { ProfilesListRequest } from '../../../protocol/profiles';
import {
  SessionsDeleteRequest,
  SessionsGetRequest,
  SessionsListRequest,
  SessionsRenameRequest,
} from '../../../protocol/sessions';
import type { EngineHost } from './engineHost';
import { answer } from './wireErrors';

/** Registers the session and profile handlers. */
export function registerSessionHandlers(connection: Connection, host: EngineHost): void {
  const log = (message: string): void => connection.console.error(message);
  connection.onRequest(SessionsListRequest, () => answer(async () => (await host.require()).listSessions(), log));
  connection.onRequest(SessionsGetRequest, (params) => answer(async () => (await host.require()).getSession(params.sessionId), log));
  connection.onRequest(SessionsRenameRequest, (params) => answer(async () => (await host.require()).renameSession(params.sessionId, params.name), log));
  connection.onRequest(SessionsDeleteRequest, (params) =>
    answer(async () => {
      // A background task's process writes to its session until it ends.
      if ((await host.requireTasks()).isActive(params.sessionId)) {
        throw new ResponseError(MocoErrorCodes.RunInProgress, 'This background task is still running. Cancel it first.');
      }
      return { deleted: (await host.require()).deleteSession(params.sessionId) };
    }, log),
  );
  connection.onRequest(ProfilesListRequest, (params) => answer(async () => (await host.require()).listProfiles(params.workingDir), log));
}
