import { describe, expect, it } from 'vitest';
import { ChatParticipantId } from '../../protocol/ids';
import { applyEvents, emptyRunTreeState } from '../../protocol/runTreeState';
import { participantSteps, previousSessionId } from '../../client/src/participant/steps';
import { ANSWER, EventScript, delegationScenario, node } from './cliRenderScenario';

describe('@moco in VS Code’s chat', () => {
  const events = delegationScenario();
  const tree = applyEvents(emptyRunTreeState(), events);
  const steps = participantSteps(events, 'root', tree);

  it('streams the entry agent’s text as Markdown, not the sub-agents’', () => {
    const markdown = steps.filter((s) => s.kind === 'markdown').map((s) => (s.kind === 'markdown' ? s.text : ''));
    expect(markdown.join('')).toContain('Let me delegate.');
    expect(markdown.join('')).toContain(ANSWER);
    expect(markdown.join('')).not.toContain('Writing the file.');
    expect(markdown.join('')).toContain('The answer above was cut off');
  });

  it('shows delegations, tool calls and retries as progress, never the delegation tool itself', () => {
    const progress = steps.flatMap((s) => (s.kind === 'progress' ? [s.text] : []));
    expect(progress).toEqual([
      'Delegated to coder',
      'Delegated to tester',
      'coder: write_file…',
      'tester: retrying (HTTP 429 Too Many Requests)',
      'orchestrator: retrying (the stream was cut)',
    ]);
  });

  it('ends when the root finishes, not when a sub-agent does', () => {
    const finished = steps.filter((s) => s.kind === 'finished');
    expect(finished).toEqual([{ kind: 'finished', status: 'done', error: undefined }]);
    expect(steps.at(-1)?.kind).toBe('finished');
  });

  it('asks for approvals, and ignores the events of other run trees', () => {
    const s = new EventScript()
      .add('other', 0, { kind: 'runStarted', node: node({ id: 'other', rootId: 'other', agent: 'orchestrator' }) })
      .add('other', 1, { kind: 'textDelta', text: 'not this one' })
      .add('r', 2, { kind: 'runStarted', node: node({ id: 'r', rootId: 'r', agent: 'orchestrator' }) })
      .add('r', 3, { kind: 'approvalRequested', approvalId: 'a1', toolCallId: 't', name: 'run_command', arguments: {}, reason: 'Commands need approval.' })
      .add('r', 4, { kind: 'statusChanged', status: 'interrupted' });
    const live = applyEvents(emptyRunTreeState(), s.events);
    expect(participantSteps(s.events, 'r', live)).toEqual([
      { kind: 'approval', approvalId: 'a1', agent: 'orchestrator', tool: 'run_command', reason: 'Commands need approval.' },
      { kind: 'finished', status: 'interrupted' },
    ]);
  });

  it('continues the session of the conversation’s last @moco answer', () => {
    const history = [
      { participant: ChatParticipantId, result: { metadata: { sessionId: 'first' } } },
      { participant: 'github.copilot', result: { metadata: { sessionId: 'not ours' } } },
      { participant: ChatParticipantId, result: { metadata: { sessionId: 'second' } } },
      { prompt: 'a request turn', participant: ChatParticipantId },
    ];
    expect(previousSessionId(history)).toBe('second');
    expect(previousSessionId([])).toBeUndefined();
    expect(previousSessionId([{ participant: ChatParticipantId, result: { errorDetails: { message: 'x' } } }])).toBeUndefined();
  });
});
