import { describe, expect, it } from 'vitest';
import { applyEvents, emptyRunTreeState } from '../../protocol/runTreeState';
import {
  affectsTranscript,
  fenced,
  parseTranscriptPath,
  renderTranscript,
  transcriptPath,
  transcriptUri,
} from '../../client/src/views/transcriptModel';
import { ANSWER, EventScript, LONG_TASK, delegationScenario, node } from './cliRenderScenario';

const events = delegationScenario();
const source = { runs: [], events };

describe('a run transcript', () => {
  const root = renderTranscript(source, 'session-1', 'root', { showThinking: true });

  it('starts with the agent, its status, its task and its usage with the sub-agents', () => {
    expect(root.startsWith('# orchestrator · done\n\n> add an add function\n')).toBe(true);
    expect(root).toContain('- **Model:** openai/gpt-4o-mini');
    expect(root).toContain('- **Duration:** 12s');
    expect(root).toContain('- **Tokens:** 2,000 in · 120 out · $0.0004');
    expect(root).toContain('- **With sub-agents:** 3.2k tok · $0.0009');
  });

  it('shows each delegation with the sub-agent, its task, its result and a link to its transcript', () => {
    expect(root).toContain('#### Delegated to `coder` · done · 600 tok · $0.0003');
    expect(root).toContain(`> ${LONG_TASK}`);
    expect(root).toContain('Result:\n\n> The add function is written.');
    expect(root).toContain(`Transcript: ${transcriptUri('session-1', 'coder')}`);
    expect(root).toContain('#### Delegated to `tester` · failed');
    expect(root).toContain('Error: The provider kept failing (HTTP 500).');
    // A delegation is not also shown as a tool call.
    expect(root).not.toContain('Tool `delegate_to_agent`');
  });

  it('keeps the order of what happened: thinking, text, delegations, the retry, the answer, the outcome', () => {
    const order = ['**Thinking**', 'Let me delegate.', 'Delegated to `coder`', 'Delegated to `tester`', '_Retry 1 after 500 ms: the stream was cut', ANSWER, '**Done.**'];
    const positions = order.map((part) => root.indexOf(part));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(root).toContain('(the partial answer above was discarded)');
  });

  it('leaves thinking out when moco.chat.showThinking is off', () => {
    const hidden = renderTranscript(source, 'session-1', 'root', { showThinking: false });
    expect(hidden).not.toContain('Thinking');
    expect(hidden).not.toContain('I should split the work.');
    expect(root).toContain('> I should split the work.');
  });

  it('shows a tool call with its arguments, result summary and duration', () => {
    const coder = renderTranscript(source, 'session-1', 'coder', { showThinking: true });
    expect(coder).toContain('- **Delegated by:** orchestrator');
    expect(coder).toContain('#### Tool `write_file` · ok · 12 ms');
    expect(coder).toContain('```json\n{\n  "path": "src/add.ts",');
    expect(coder).toContain('→ wrote 1 line to src/add.ts');
    const tester = renderTranscript(source, 'session-1', 'tester', { showThinking: true });
    expect(tester).toContain('> **Limit (loop):** read_file was called 3 times');
    expect(tester).toContain('**Failed:** The provider kept failing (HTTP 500).');
  });

  it('shows a run that is still going, with its tool running and approval pending', () => {
    const s = new EventScript()
      .add('r', 0, { kind: 'runStarted', node: node({ id: 'r', rootId: 'r', agent: 'coder' }) })
      .add('r', 5, { kind: 'toolStarted', toolCallId: 't', name: 'run_command', arguments: 'npm test --watch=false' })
      .add('r', 6, { kind: 'approvalRequested', approvalId: 'a', toolCallId: 't', name: 'run_command', arguments: {}, reason: 'Commands need approval.' });
    const text = renderTranscript({ runs: [], events: s.events }, 's', 'r', { showThinking: true });
    expect(text).toContain('#### Tool `run_command` · running…\n\n```\nnpm test --watch=false\n```');
    expect(text).toContain('> **Approval needed** for `run_command`: Commands need approval. (waiting for your answer)');
    expect(text).toContain('_Still running…_');
  });

  it('says so when the run is not in the session', () => {
    expect(renderTranscript(source, 'session-1', 'nope', { showThinking: true })).toBe('# Run not found\n\nSession session-1 has no run nope.\n');
  });

  it('builds from the stored nodes alone when no events were kept', () => {
    const stored = node({ id: 'r', rootId: 'r', agent: 'orchestrator', status: 'done', result: 'Stored answer.', endedAt: '2026-11-21T10:00:03.000Z' });
    const text = renderTranscript({ runs: [stored], events: [] }, 's', 'r', { showThinking: true });
    expect(text).toContain('# orchestrator · done');
    expect(text).toContain('- **Duration:** 3s');
    expect(text).toContain('_Nothing streamed yet._');
  });
});

describe('transcript helpers', () => {
  it('round-trips the URI path, and rejects other paths', () => {
    expect(transcriptPath('s 1', 'r/2')).toBe('/s%201/r%2F2.md');
    expect(parseTranscriptPath(transcriptPath('s 1', 'r/2'))).toEqual({ sessionId: 's 1', runId: 'r/2' });
    expect(parseTranscriptPath('/only.md')).toBeUndefined();
    expect(transcriptUri('s', 'r')).toBe('moco-transcript:/s/r.md');
  });

  it('fences code with more backticks than it contains', () => {
    expect(fenced('a ``` b', 'md')).toEqual(['````md', 'a ``` b', '````']);
    expect(fenced('plain', '')).toEqual(['```', 'plain', '```']);
  });

  it('refreshes a transcript for its own events and its children’s', () => {
    const tree = applyEvents(emptyRunTreeState(), events);
    const coderEvent = events.find((e) => e.runId === 'coder');
    const rootEvent = events.find((e) => e.runId === 'root');
    if (!coderEvent || !rootEvent) throw new Error('scenario changed');
    expect(affectsTranscript(coderEvent, 'root', tree)).toBe(true);
    expect(affectsTranscript(coderEvent, 'coder', tree)).toBe(true);
    expect(affectsTranscript(rootEvent, 'coder', tree)).toBe(false);
  });
});
