/** Background task handlers: `tasks/run`, `tasks/list`, `tasks/cancel` (`tasks/didChange` is wired in server.ts). */
import type { Connection } from 'vscode-languageserver/node';
import { TasksCancelRequest, TasksListRequest, TasksRunRequest } from '../../../protocol/tasks';
import type { EngineHost } from './engineHost';
import { answer } from './wireErrors';

/** Registers the task handlers. */
export function registerTaskHandlers(connection: Connection, host: EngineHost): void {
  const log = (message: string): void => connection.console.error(message);
  connection.onRequest(TasksRunRequest, (params) => answer(async () => (await host.requireTasks()).run(params), log));
  connection.onRequest(TasksListRequest, () => answer(async () => (await host.requireTasks()).list(), log));
  connection.onRequest(TasksCancelRequest, (params) => answer(async () => ({ cancelled: (await host.requireTasks()).cancel(params.sessionId) }), log));
}
