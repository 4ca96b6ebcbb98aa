// Background tasks over real JSON-RPC: tasks/run starts a detached `moco` process on the server's
// database; the server follows its events (run/didChange) and its status (tasks/didChange); the
// task outlives the server being killed, and a new server re-attaches; tasks/cancel stops it; a
// killed task process shows as interrupted and resumes with run/resume.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { RunResumeRequest } from '../../protocol/run';
import { SessionsDeleteRequest, SessionsGetRequest, SessionsListRequest } from '../../protocol/sessions';
import { TasksCancelRequest, TasksListRequest, TasksRunRequest, type TaskSummary } from '../../protocol/tasks';
import { startMockLlm, toolCall, type MockLlm, type MockReply } from '../support/mockLlm';
import {
  latch,
  makeWorkspace,
  mockEnv,
  serverEnv,
  startEngineServer,
  waitUntil,
  wireError,
  type EngineClient,
  type TestWorkspace,
} from '../support/rpcHarness';
import { turnOf, writeTeam } from '../support/teams';
import { processExists } from '../support/processes';

let workspace: TestWorkspace;
let mock: MockLlm;
/** Holds the writer's first answer until the test opens it. */
let gate: ReturnType<typeof latch>;
const servers: EngineClient[] = [];
/** Pids of the task processes started, killed after each test if they still run. */
const taskPids = new Set<number>();

beforeEach(async () => {
  workspace = await makeWorkspace();
  gate = latch();
  mock = await startMockLlm(async (request): Promise<MockReply> => {
    if (turnOf(request) === 0) {
      await gate.wait;
      return toolCall('write_file', { path: 'report.txt', content: 'written by a background task\n' });
    }
    return { content: 'The report is in report.txt.' };
  });
  await writeTeam(workspace.profilesDir, { name: 'solo', agents: [{ name: 'orchestrator', tools: ['write_file'] }] });
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.kill();
  for (const pid of taskPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  taskPids.clear();
  await mock.close();
  await workspace.cleanup();
});

async function startServer(env: NodeJS.ProcessEnv = mockEnv(mock, workspace)): Promise<EngineClient> {
  const server = await startEngineServer(workspace, env);
  servers.push(server);
  return server;
}

async function runTask(server: EngineClient, text = 'Write the report'): Promise<TaskSummary> {
  const task = await server.connection.sendRequest(TasksRunRequest, { text, profile: 'solo' });
  if (task.pid !== undefined) taskPids.add(task.pid);
  return task;
}


describe('background tasks', () => {
  it('runs a task in its own process, streams its events and reports its end', async () => {
    const server = await startServer();
    const task = await runTask(server);
    expect(task).toMatchObject({ title: 'Write the report', status: 'queued', usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } });
    expect(task.pid).toBeGreaterThan(0);
    expect(task.pid).not.toBe(server.server.child.pid);
    expect(task.logFile).toBe(path.join(workspace.storagePath, 'tasks', `${task.sessionId}.log`));
    expect(server.taskChanges[0]).toEqual(task);

    await waitUntil(() => mock.chatRequests().length === 1, 'the task process to call the model');
    const running = await server.waitForTask(task.sessionId, (change) => change.status === 'running', 'running');
    expect(running.runId).toBeDefined();
    gate.open();
    const done = await server.waitForTask(task.sessionId, (change) => change.status === 'done', 'the end');
    expect(done).toMatchObject({ runId: running.runId, outcome: 'The report is in report.txt.' });
    expect(done.endedAt).toBeDefined();
    expect(done.pid).toBeUndefined();
    expect(done.usage.inputTokens).toBeGreaterThan(0);

    // The events of the other process arrived as run/didChange, in order, without gaps.
    const finished = await server.finished(task.sessionId, running.runId!);
    expect(finished).toMatchObject({ status: 'done', result: 'The report is in report.txt.' });
    const events = server.events(task.sessionId);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(server.eventsOf(task.sessionId, 'toolFinished')).toMatchObject([{ name: 'write_file', ok: true }]);
    const detail = await server.connection.sendRequest(SessionsGetRequest, { sessionId: task.sessionId });
    expect(detail.events).toEqual(events);
    expect(detail.session).toMatchObject({ kind: 'task', name: 'Write the report', profile: 'solo' });

    expect(await readFile(path.join(workspace.dir, 'report.txt'), 'utf8')).toBe('written by a background task\n');
    expect(await server.connection.sendRequest(TasksListRequest)).toEqual([done]);
    expect((await server.connection.sendRequest(SessionsListRequest)).map((session) => [session.id, session.kind])).toEqual([[task.sessionId, 'task']]);
    // The log holds the process's output: its events as JSON lines.
    expect(await readFile(task.logFile, 'utf8')).toContain('"kind":"runFinished"');
    await waitUntil(() => !processExists(task.pid!), 'the task process to exit');
  });

  it('gives the task process the key from secrets/get, and writes it to no file', async () => {
    const server = await startServer(serverEnv({ OPENAI_BASE_URL: mock.baseURL, MOCO_PROFILES_DIR: workspace.profilesDir }));
    server.answerSecrets({ openai: 'sk-editor-task-7777' });
    gate.open();
    const task = await runTask(server);
    await server.waitForTask(task.sessionId, (change) => change.status === 'done', 'the end');
    expect(mock.chatRequests().map((request) => request.headers.authorization)).toEqual(['Bearer sk-editor-task-7777', 'Bearer sk-editor-task-7777']);
    await server.kill();
    // The WAL may have been checkpointed into the database by the time the server stops.
    const files = ['moco.db', 'moco.db-wal', path.join('tasks', `${task.sessionId}.log`)].map((file) => path.join(workspace.storagePath, file));
    expect(existsSync(files[0]!) && existsSync(files[2]!)).toBe(true);
    for (const full of files.filter((file) => existsSync(file))) {
      expect(await readFile(full, 'latin1')).not.toContain('sk-editor-task-7777');
    }
  });

  it('survives the server being killed: a new server lists it running, follows its events and its end', async () => {
    const first = await startServer();
    const task = await runTask(first);
    await waitUntil(() => mock.chatRequests().length === 1, 'the task process to call the model');
    const running = await first.waitForTask(task.sessionId, (change) => change.status === 'running', 'running');
    await first.kill();
    expect(processExists(task.pid!)).toBe(true);

    const second = await startServer();
    const listed = await second.connection.sendRequest(TasksListRequest);
    expect(listed).toMatchObject([{ sessionId: task.sessionId, runId: running.runId, status: 'running', pid: task.pid }]);
    const before = (await second.connection.sendRequest(SessionsGetRequest, { sessionId: task.sessionId })).events;

    gate.open();
    const done = await second.waitForTask(task.sessionId, (change) => change.status === 'done', 'the end');
    expect(done.outcome).toBe('The report is in report.txt.');
    // The events written after the new server attached come live, numbered after the stored ones.
    const finished = await second.finished(task.sessionId, running.runId!);
    expect(finished.status).toBe('done');
    const live = second.events(task.sessionId);
    expect(live[0]?.seq).toBe((before.at(-1)?.seq ?? 0) + 1);
    expect([...before, ...live]).toEqual((await second.connection.sendRequest(SessionsGetRequest, { sessionId: task.sessionId })).events);
    expect(await readFile(path.join(workspace.dir, 'report.txt'), 'utf8')).toBe('written by a background task\n');
  });

  it('is stopped by tasks/cancel, which stores it as cancelled; a second cancel answers false', async () => {
    const server = await startServer();
    const task = await runTask(server);
    await waitUntil(() => mock.chatRequests().length === 1, 'the task process to call the model');
    await server.waitForTask(task.sessionId, (change) => change.status === 'running', 'running');
    // Cannot be deleted, nor sent another message, while it runs.
    expect((await wireError(server.connection.sendRequest(SessionsDeleteRequest, { sessionId: task.sessionId }))).code).toBe(MocoErrorCodes.RunInProgress);
    expect((await wireError(server.send({ sessionId: task.sessionId, text: 'And another thing' }))).code).toBe(MocoErrorCodes.RunInProgress);

    expect(await server.connection.sendRequest(TasksCancelRequest, { sessionId: task.sessionId })).toEqual({ cancelled: true });
    const cancelled = await server.waitForTask(task.sessionId, (change) => change.status === 'cancelled', 'the cancellation');
    expect(cancelled.endedAt).toBeDefined();
    await waitUntil(() => !processExists(task.pid!), 'the task process to exit');
    expect(await server.finished(task.sessionId, cancelled.runId!)).toMatchObject({ status: 'cancelled' });
    expect(await server.connection.sendRequest(TasksCancelRequest, { sessionId: task.sessionId })).toEqual({ cancelled: false });
    expect(await server.connection.sendRequest(SessionsDeleteRequest, { sessionId: task.sessionId })).toEqual({ deleted: true });
    expect(await server.connection.sendRequest(TasksListRequest)).toEqual([]);
  });

  it('shows a task whose process was killed as interrupted, and resumes it in the server with run/resume', async () => {
    const server = await startServer();
    const task = await runTask(server);
    await waitUntil(() => mock.chatRequests().length === 1, 'the task process to call the model');
    const running = await server.waitForTask(task.sessionId, (change) => change.status === 'running', 'running');
    process.kill(task.pid!, 'SIGKILL');

    const interrupted = await server.waitForTask(task.sessionId, (change) => change.status === 'interrupted', 'the interruption');
    expect(interrupted.pid).toBeUndefined();
    await server.waitForEvent(task.sessionId, 'statusChanged', (event) => event.runId === running.runId && event.status === 'interrupted');
    expect((await server.connection.sendRequest(SessionsListRequest))[0]).toMatchObject({ id: task.sessionId, resumable: true });

    gate.open();
    expect(await server.connection.sendRequest(RunResumeRequest, { runId: running.runId! })).toEqual({ sessionId: task.sessionId, runId: running.runId });
    expect(await server.finished(task.sessionId, running.runId!)).toMatchObject({ status: 'done', result: 'The report is in report.txt.' });
    await server.waitForTask(task.sessionId, (change) => change.status === 'done', 'the end after the resume');
    expect(await readFile(path.join(workspace.dir, 'report.txt'), 'utf8')).toBe('written by a background task\n');
  });

  it('refuses the VS Code language models, and fails like chat/send for a bad profile, before starting a process', async () => {
    const server = await startServer();
    const lm = await wireError(server.connection.sendRequest(TasksRunRequest, { text: 'Write it', profile: 'solo', provider: 'vscode-lm/copilot-gpt-4o' }));
    expect(lm.code).toBe(MocoErrorCodes.ProviderNotConfigured);
    expect(lm.message).toContain('cannot use the VS Code language models');
    const profile = await wireError(server.connection.sendRequest(TasksRunRequest, { text: 'Write it', profile: 'no-such-profile' }));
    expect(profile.code).toBe(MocoErrorCodes.ProfileNotFound);
    expect(await server.connection.sendRequest(TasksListRequest)).toEqual([]);
    expect(existsSync(path.join(workspace.storagePath, 'tasks'))).toBe(false);
  });
});
