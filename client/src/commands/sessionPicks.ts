/** What `MOCO: Open Session…` lists: the chat sessions, the newest first. Pure, unit-tested. */
import { parseTime } from '../../../protocol/runTreeState';
import type { SessionSummary } from '../../../protocol/sessions';
import { usageParts } from '../views/format';

/** A quick pick item of a session (`vscode.QuickPickItem` plus the session id). */
export interface SessionPick {
  label: string;
  description: string;
  detail: string;
  sessionId: string;
}

/**
 * The chat sessions (background tasks have their own view) as quick pick items, the most recently
 * updated first: the name, then `model · tokens · cost`, then `when · messages`, with a pause icon
 * and "interrupted" for one that can be resumed, and "current" for the one shown.
 *
 * @param nowMs epoch ms, for "5 min ago".
 */
export function sessionPicks(sessions: readonly SessionSummary[], currentId: string | undefined, nowMs: number): SessionPick[] {
  return sessions
    .filter((s) => s.kind === 'chat')
    .sort((a, b) => (parseTime(b.updatedAt) ?? 0) - (parseTime(a.updatedAt) ?? 0))
    .map((s) => {
      const when = relativeTime(parseTime(s.updatedAt) ?? nowMs, nowMs);
      const messages = `${s.runCount} ${s.runCount === 1 ? 'message' : 'messages'}`;
      return {
        label: `${s.resumable ? '$(debug-pause) ' : ''}${s.name || 'Untitled session'}`,
        description: [s.model, ...usageParts(s.usage), s.id === currentId ? 'current' : undefined].filter(Boolean).join(' · '),
        detail: [when, messages, s.resumable ? 'interrupted: can be resumed' : undefined, s.workingDir].filter(Boolean).join(' · '),
        sessionId: s.id,
      };
    });
}

/** `just now`, `5 min ago`, `3 h ago`, `yesterday`, `4 days ago`, else the date (`2026-11-02`). */
export function relativeTime(thenMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return new Date(thenMs).toISOString().slice(0, 10);
}
