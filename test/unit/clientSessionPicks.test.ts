import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../protocol/sessions';
import { relativeTime, sessionPicks } from '../../client/src/commands/sessionPicks';
import { formatCost, formatElapsed, formatTokens } from '../../client/src/views/format';
import { T0, iso, usage } from './cliRenderScenario';

function session(fields: Partial<SessionSummary> & Pick<SessionSummary, 'id'>): SessionSummary {
  return {
    name: `Session ${fields.id}`,
    profile: 'default',
    model: 'openai/gpt-4o-mini',
    workingDir: '/ws',
    createdAt: iso(0),
    updatedAt: iso(0),
    runCount: 1,
    usage: usage(0, 0, 0),
    resumable: false,
    kind: 'chat',
    ...fields,
  };
}

describe('MOCO: Open Session…', () => {
  it('lists the chat sessions, the most recently updated first, with model, cost and when', () => {
    const picks = sessionPicks(
      [
        session({ id: 'old', updatedAt: iso(0), usage: usage(1000, 500, 0.02), runCount: 3 }),
        session({ id: 'task', kind: 'task', updatedAt: iso(50_000) }),
        session({ id: 'new', updatedAt: iso(3_000_000), resumable: true, name: 'Fix the parser' }),
      ],
      'old',
      T0 + 3_600_000,
    );
    expect(picks.map((p) => p.sessionId)).toEqual(['new', 'old']);
    expect(picks[0]).toEqual({
      label: '$(debug-pause) Fix the parser',
      description: 'openai/gpt-4o-mini',
      detail: '10 min ago · 1 message · interrupted: can be resumed · /ws',
      sessionId: 'new',
    });
    expect(picks[1]?.description).toBe('openai/gpt-4o-mini · 1.5k tok · $0.02 · current');
    expect(picks[1]?.detail).toBe('1 h ago · 3 messages · /ws');
  });

  it('says how long ago in words, then the date', () => {
    const day = 86_400_000;
    expect(relativeTime(T0, T0 + 30_000)).toBe('just now');
    expect(relativeTime(T0, T0 + day + 1000)).toBe('yesterday');
    expect(relativeTime(T0, T0 + 3 * day)).toBe('3 days ago');
    expect(relativeTime(T0, T0 + 30 * day)).toBe('2026-11-21');
  });
});

describe('short numbers', () => {
  it('format tokens, USD and durations', () => {
    expect([950, 1234, 12_345, 1_250_000].map(formatTokens)).toEqual(['950', '1.2k', '12k', '1.3M']);
    expect([0, 0.00004, 0.0012, 0.15, 12.3].map(formatCost)).toEqual(['$0', '<$0.0001', '$0.0012', '$0.15', '$12.30']);
    expect([0, 12_400, 185_000, 3_720_000].map(formatElapsed)).toEqual(['0s', '12s', '3m 05s', '1h 02m']);
  });
});
