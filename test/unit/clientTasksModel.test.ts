import { describe, expect, it } from 'vitest';
import { CommandIds, TreeItemContexts } from '../../protocol/ids';
import type { RunStatus } from '../../protocol/run';
import type { TaskSummary } from '../../protocol/tasks';
import { sortTasks, statusesOf, taskNotices, tasksTreeItems, upsertTask } from '../../client/src/views/tasksModel';
import { toRunRef, toTaskRef } from '../../client/src/views/treeModel';
import { T0, iso, usage } from './cliRenderScenario';

function task(fields: Partial<TaskSummary> & Pick<TaskSummary, 'sessionId' | 'status'>): TaskSummary {
  return {
    runId: `run-${fields.sessionId}`,
    title: `Task ${fields.sessionId}`,
    startedAt: iso(0),
    usage: usage(0, 0, 0),
    logFile: `/storage/tasks/${fields.sessionId}.log`,
    ...fields,
  };
}

describe('the Tasks view', () => {
  it('shows each task with status, elapsed time, tokens and cost, the newest first', () => {
    const tasks = sortTasks([
      task({ sessionId: 'a', status: 'done', startedAt: iso(0), endedAt: iso(42_000), usage: usage(1000, 200, 0.0012), outcome: 'All tests pass.' }),
      task({ sessionId: 'b', status: 'running', startedAt: iso(60_000), usage: usage(300, 0, 0) }),
    ]);
    const items = tasksTreeItems(tasks, T0 + 125_000);
    expect(items.map((i) => i.label)).toEqual(['Task b', 'Task a']);
    expect(items[0]?.description).toBe('running · 1m 05s · 300 tok');
    expect(items[0]?.icon?.id).toBe('loading~spin');
    expect(items[0]?.contextValue).toBe(TreeItemContexts.taskActive);
    expect(items[1]?.description).toBe('done · 42s · 1.2k tok · $0.0012');
    expect(items[1]?.contextValue).toBe(TreeItemContexts.taskEnded);
    expect(items[1]?.tooltip).toContain('Answer: All tests pass.');
    expect(items[1]?.tooltip).toContain('Log: /storage/tasks/a.log');
  });

  it('opens the transcript on selection; its menu commands get the task', () => {
    const [item] = tasksTreeItems([task({ sessionId: 'a', status: 'failed', endedAt: iso(1000), outcome: 'No API key' })], T0);
    expect(item?.command?.command).toBe(CommandIds.openTranscript);
    expect(item?.command?.arguments).toEqual([{ sessionId: 'a', runId: 'run-a' }]);
    expect(toTaskRef(item)).toEqual({ sessionId: 'a', runId: 'run-a', logFile: '/storage/tasks/a.log', title: 'Task a' });
    expect(toRunRef(item)).toEqual({ sessionId: 'a', runId: 'run-a' });
    expect(item?.tooltip).toContain('Error: No API key');
  });

  it('offers Resume for an interrupted task', () => {
    const [item] = tasksTreeItems([task({ sessionId: 'a', status: 'interrupted' })], T0);
    expect(item?.contextValue).toBe(TreeItemContexts.taskInterrupted);
    expect(item?.icon?.id).toBe('debug-pause');
    // No end time and no longer running: no elapsed time that would grow for ever.
    expect(item?.description).toBe('interrupted');
  });

  it('replaces a task that changed and keeps the others', () => {
    const tasks = [task({ sessionId: 'a', status: 'running' }), task({ sessionId: 'b', status: 'running', startedAt: iso(10) })];
    const next = upsertTask(tasks, task({ sessionId: 'a', status: 'done', endedAt: iso(50) }));
    expect(next.map((t) => [t.sessionId, t.status])).toEqual([
      ['b', 'running'],
      ['a', 'done'],
    ]);
  });
});

describe('task notifications', () => {
  const known = (entries: [string, RunStatus][]): Map<string, RunStatus> => new Map(entries);

  it('announce a task seen running that has finished, with Open', () => {
    const notices = taskNotices(known([['a', 'running']]), [task({ sessionId: 'a', status: 'done', title: 'Add tests' })]);
    expect(notices.map((n) => [n.severity, n.message, n.actions])).toEqual([['info', 'Task finished: Add tests', ['Open']]]);
  });

  it('announce a failure as an error with Show Log and the reason', () => {
    const notices = taskNotices(known([['a', 'queued']]), [task({ sessionId: 'a', status: 'failed', title: 'Add tests', outcome: 'Z.ai needs an API key' })]);
    expect(notices.map((n) => [n.severity, n.message, n.actions])).toEqual([['error', 'Task failed: Add tests: Z.ai needs an API key', ['Open', 'Show Log']]]);
  });

  it('do not announce, after a window reload, the tasks that ended while it was away', () => {
    const listed = [task({ sessionId: 'a', status: 'done' }), task({ sessionId: 'b', status: 'failed' })];
    expect(taskNotices(new Map(), listed)).toEqual([]);
    // Nor again on the next list, nor for progress of a running task.
    expect(taskNotices(statusesOf(listed), listed)).toEqual([]);
    expect(taskNotices(known([['c', 'queued']]), [task({ sessionId: 'c', status: 'running' })])).toEqual([]);
  });

  it('warn when a task’s process died, with Resume', () => {
    const [notice] = taskNotices(known([['a', 'running']]), [task({ sessionId: 'a', status: 'interrupted', title: 'Refactor' })]);
    expect(notice?.severity).toBe('warning');
    expect(notice?.actions).toEqual(['Resume', 'Show Log']);
  });
});
