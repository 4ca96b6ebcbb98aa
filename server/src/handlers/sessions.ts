/** Session and profile handlers: `sessions/*` and `profiles/list`. */
import type { Connection } from 'vscode-languageserver/node';
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
  connection.onRequest(SessionsDeleteRequest, (params) => answer(async () => ({ deleted: (await host.require()).deleteSession(params.sessionId) }), log));
  connection.onRequest(ProfilesListRequest, (params) => answer(async () => (await host.require()).listProfiles(params.workingDir), log));
}
