// The Chat view's transcript reducer: what the chat shows for a stream of run events.
import { describe, expect, it } from 'vitest';
import type { ToolItem, Transcript } from '../../webview/src/state/model';
import {
  activeRootId,
  addPendingRoot,
  applyEvents,
  emptyTranscript,
  findTool,
  rootUsage,
  subtreeUsage,
  syncNodes,
} from '../../webview/src/state/transcript';
import { formatUsage } from '../../webview/src/state/format';
import { EventScript, node, usage } from './cliRenderScenario';

function itemsOf(t: Transcript, runId: string): unknown[] {
  return (t.runs.get(runId)?.items ?? []).map((item) => {
    switch (item.kind) {
      case 'text':
      case 'thinking':
        return `${item.kind}:${item.text}`;
      case 'tool':
        return `tool:${item.name}:${item.status}`;
      case 'delegation':
        return `delegation:${item.childId}`;
      case 'notice':
        return `${item.tone}:${item.message}`;
    }
  });
}

describe('transcript reducer', () => {
  it('shows a root as the user message and streams its text into one segment, re-rendering only that segment', () => {
    const t = emptyTranscript();
    const s = new EventScript()
      .add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'orchestrator', task: 'Add a README' }) })
      .add('root', 10, { kind: 'textDelta', text: 'Hello ' });
    applyEvents(t, s.events);
    expect(t.roots).toEqual(['root']);
    expect(t.runs.get('root')?.task).toBe('Add a README');

    const changes = applyEvents(t, [{ runId: 'root', seq: 3, time: '2026-11-21T10:00:01.000Z', kind: 'textDelta', text: 'world' }]);
    expect(itemsOf(t, 'root')).toEqual(['text:Hello world']);
    const segment = t.runs.get('root')?.items[0];
    expect([...changes.content]).toEqual([segment?.id]);
    expect(changes.structure.size).toBe(0);
  });

  it('keeps apart tool calls of different runs that share a call id, and nests each child under its own card', () => {
    // Providers such as Gemini's and Ollama's number calls call_0, call_1... in every answer.
    const t = emptyTranscript();
    const s = new EventScript()
      .add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'orchestrator' }) })
      .add('root', 1, { kind: 'toolStarted', toolCallId: 'call_0', name: 'delegate_to_agent', arguments: { agent_name: 'coder', task: 'x' } })
      .add('child', 2, { kind: 'runStarted', node: node({ id: 'child', parentId: 'root', rootId: 'root', agent: 'coder', toolCallId: 'call_0' }) })
      .add('child', 3, { kind: 'toolStarted', toolCallId: 'call_0', name: 'write_file', arguments: { path: 'a.txt' } })
      .add('child', 4, { kind: 'toolFinished', toolCallId: 'call_0', name: 'write_file', ok: true, summary: 'wrote a.txt', durationMs: 3 });
    applyEvents(t, s.events);
    expect(itemsOf(t, 'root')).toEqual(['tool:delegate_to_agent:running']);
    expect(itemsOf(t, 'child')).toEqual(['tool:write_file:done']);
    const card = t.runs.get('root')?.items[0] as ToolItem;
    expect(card.delegations).toEqual(['child']);
  });

  it('follows a tool card from started to finished, and text after a tool is a new segment', () => {
    const t = emptyTranscript();
    const s = new EventScript()
      .add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'coder' }) })
      .add('root', 1, { kind: 'thinkingDelta', text: 'Read it first.' })
      .add('root', 2, { kind: 'textDelta', text: 'Reading.' })
      .add('root', 3, { kind: 'toolStarted', toolCallId: 'c1', name: 'read_file', arguments: { path: 'src/a.ts' } });
    applyEvents(t, s.events);
    expect(itemsOf(t, 'root')).toEqual(['thinking:Read it first.', 'text:Reading.', 'tool:read_file:running']);

    applyEvents(t, [
      { runId: 'root', seq: 5, time: '2026-11-21T10:00:01.000Z', kind: 'toolFinished', toolCallId: 'c1', name: 'read_file', ok: true, summary: 'read 12 lines', durationMs: 42 },
      { runId: 'root', seq: 6, time: '2026-11-21T10:00:01.000Z', kind: 'textDelta', text: 'Done.' },
    ]);
    const tool = findTool(t, 'root', 'c1');
    expect(tool).toMatchObject({ status: 'done', summary: 'read 12 lines', durationMs: 42, arguments: { path: 'src/a.ts' } });
    expect(itemsOf(t, 'root')).toEqual(['thinking:Read it first.', 'text:Reading.', 'tool:read_file:done', 'text:Done.']);
  });

  it('nests delegations two levels deep inside the tool cards that started them, and rolls their usage up', () => {
    const t = emptyTranscript();
    const s = new EventScript()
      .add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'orchestrator', task: 'Build it' }) })
      .add('root', 1, { kind: 'toolStarted', toolCallId: 'd1', name: 'delegate_to_agent', arguments: { agent_name: 'coder', task: 'code' } })
      .add('coder', 2, { kind: 'runStarted', node: node({ id: 'coder', parentId: 'root', agent: 'coder', task: 'code', toolCallId: 'd1' }) })
      .add('coder', 3, { kind: 'toolStarted', toolCallId: 'd2', name: 'delegate_to_agent', arguments: { agent_name: 'tester' } })
      .add('tester', 4, { kind: 'runStarted', node: node({ id: 'tester', parentId: 'coder', agent: 'tester', task: 'test', toolCallId: 'd2' }) })
      .add('tester', 5, { kind: 'textDelta', text: 'Tests pass.' })
      .add('tester', 6, { kind: 'usage', usage: usage(300, 30, 0.001), treeUsage: usage(1300, 80, 0.004) })
      .add('coder', 7, { kind: 'usage', usage: usage(1000, 50, 0.003), treeUsage: usage(1300, 80, 0.004) })
      // An @agent line of an answer: no tool card claims it.
      .add('reviewer', 8, { kind: 'runStarted', node: node({ id: 'reviewer', parentId: 'root', agent: 'reviewer' }) })
      .add('tester', 9, { kind: 'runFinished', status: 'done', result: 'Tests pass.' });
    applyEvents(t, s.events);

    expect(t.roots).toEqual(['root']);
    expect((findTool(t, 'root', 'd1') as ToolItem).delegations).toEqual(['coder']);
    expect((findTool(t, 'coder', 'd2') as ToolItem).delegations).toEqual(['tester']);
    expect(itemsOf(t, 'root')).toEqual(['tool:delegate_to_agent:running', 'delegation:reviewer']);
    expect(itemsOf(t, 'tester')).toEqual(['text:Tests pass.']);
    expect(t.runs.get('tester')?.status).toBe('done');
    expect(subtreeUsage(t, 'coder')).toEqual(usage(1300, 80, 0.004));
    expect(formatUsage(rootUsage(t, 'root'))).toBe('1.3k in · 80 out · $0.0040');
    expect(activeRootId(t)).toBe('root');
  });

  it('puts an approval on its tool card until it is answered', () => {
    const t = emptyTranscript();
    const s = new EventScript()
      .add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'coder' }) })
      .add('root', 1, { kind: 'toolStarted', toolCallId: 'c1', name: 'run_command', arguments: { command: 'npm test' } })
      .add('root', 2, { kind: 'approvalRequested', approvalId: 'a1', toolCallId: 'c1', name: 'run_command', arguments: { command: 'npm test' }, reason: 'Commands need approval' })
      .add('root', 3, { kind: 'statusChanged', status: 'waiting-for-approval' });
    applyEvents(t, s.events);
    expect(findTool(t, 'root', 'c1')).toMatchObject({ status: 'waiting-for-approval', approval: { approvalId: 'a1', reason: 'Commands need approval' } });
    expect(activeRootId(t)).toBe('root');

    applyEvents(t, [{ runId: 'root', seq: 5, time: '2026-11-21T10:00:01.000Z', kind: 'approvalResolved', approvalId: 'a1', decision: 'always' }]);
    expect(findTool(t, 'root', 'c1')).toMatchObject({ status: 'running', approval: { decision: 'always' } });
  });

  it('drops the text and thinking of the current step on a retry that discards them, keeping the tool cards', () => {
    const t = emptyTranscript();
    const s = new EventScript()
      .add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'coder' }) })
      .add('root', 1, { kind: 'textDelta', text: 'Step one.' })
      .add('root', 2, { kind: 'toolStarted', toolCallId: 'c1', name: 'list_dir', arguments: {} })
      .add('root', 3, { kind: 'toolFinished', toolCallId: 'c1', name: 'list_dir', ok: true, summary: '3 entries', durationMs: 5 })
      .add('root', 4, { kind: 'thinkingDelta', text: 'Hmm' })
      .add('root', 5, { kind: 'textDelta', text: 'Half an ans' })
      .add('root', 6, { kind: 'retry', attempt: 1, delayMs: 200, reason: 'connection reset', discardsPartialOutput: true })
      .add('root', 7, { kind: 'textDelta', text: 'Half' })
      .add('root', 8, { kind: 'retry', attempt: 2, delayMs: 1500, reason: 'HTTP 429', discardsPartialOutput: true })
      .add('root', 9, { kind: 'textDelta', text: 'The whole answer.' })
      .add('root', 10, { kind: 'retry', attempt: 1, delayMs: 100, reason: 'slow', discardsPartialOutput: false });
    applyEvents(t, s.events);
    expect(itemsOf(t, 'root')).toEqual([
      'text:Step one.',
      'tool:list_dir:done',
      'retry:Retrying (attempt 1) in 200 ms: connection reset',
      'retry:Retrying (attempt 2) in 1.5 s: HTTP 429',
      'text:The whole answer.',
      'retry:Retrying (attempt 1) in 100 ms: slow',
    ]);
  });

  it('shows warnings and limits as notices, and stops the spinners of a cancelled run', () => {
    const t = emptyTranscript();
    const s = new EventScript()
      .add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'coder' }) })
      .add('root', 1, { kind: 'toolStarted', toolCallId: 'c1', name: 'run_command', arguments: { command: 'sleep 100' } })
      .add('root', 2, { kind: 'warning', message: 'MCP server git restarted' })
      .add('root', 3, { kind: 'limit', limit: 'loop', message: 'The same call 3 times' })
      .add('root', 4, { kind: 'runFinished', status: 'cancelled' });
    applyEvents(t, s.events);
    expect(itemsOf(t, 'root')).toEqual(['tool:run_command:cancelled', 'warning:MCP server git restarted', 'limit:The same call 3 times']);
    expect(activeRootId(t)).toBeUndefined();
  });

  it('sums the nodes when no usage event came, and prefers the server tree usage when one did', () => {
    const t = emptyTranscript();
    const s = new EventScript()
      .add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'o', usage: usage(100, 10, 0) }) })
      .add('c', 1, { kind: 'runStarted', node: node({ id: 'c', parentId: 'root', agent: 'c', usage: usage(12_000, 1200, 0.0123) }) });
    applyEvents(t, s.events);
    expect(formatUsage(rootUsage(t, 'root'))).toBe('12.1k in · 1.2k out · $0.0123');
    applyEvents(t, [{ runId: 'c', seq: 3, time: '2026-11-21T10:00:01.000Z', kind: 'usage', usage: usage(12_000, 1200, 0.0123), treeUsage: usage(12_300, 1234, 0.0125) }]);
    expect(formatUsage(rootUsage(t, 'root'))).toBe('12.3k in · 1.2k out · $0.0125');
  });

  it('shows a started message as pending until its runStarted, and an interrupted root as resumable', () => {
    const t = emptyTranscript();
    addPendingRoot(t, 'root', 'Fix the build');
    expect(t.runs.get('root')).toMatchObject({ status: 'pending', task: 'Fix the build' });
    expect(activeRootId(t)).toBe('root');

    const s = new EventScript()
      .add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'orchestrator', task: 'Fix the build' }) })
      .add('root', 1, { kind: 'toolStarted', toolCallId: 'c1', name: 'run_command', arguments: { command: 'make' } });
    applyEvents(t, s.events);
    expect(t.roots).toEqual(['root']);
    expect(t.runs.get('root')?.status).toBe('running');

    // The stored node says interrupted (the window reloaded mid-run).
    syncNodes(t, [node({ id: 'root', agent: 'orchestrator', status: 'interrupted' })]);
    expect(t.runs.get('root')?.status).toBe('interrupted');
    expect(findTool(t, 'root', 'c1')?.status).toBe('interrupted');
    expect(activeRootId(t)).toBeUndefined();

    // Resumed: running again.
    applyEvents(t, [{ runId: 'root', seq: 9, time: '2026-11-21T10:00:02.000Z', kind: 'statusChanged', status: 'running' }]);
    expect(activeRootId(t)).toBe('root');
  });
});
